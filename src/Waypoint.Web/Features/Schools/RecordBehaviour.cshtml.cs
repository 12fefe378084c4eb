using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Schools;

/// <summary>A school records a behaviour incident: behaviour detail, a category of its own in the sharing agreement.</summary>
public sealed class RecordBehaviourModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : SchoolRecordPageModel(db, access, clock)
{
    private const string Subject = "person.school.behaviour";

    [BindProperty] public DateInput Occurred { get; set; } = new();
    [BindProperty] public string? Category { get; set; }
    [BindProperty] public string? Severity { get; set; }
    [BindProperty] public string? Description { get; set; }

    public static IReadOnlyList<BehaviourCategory> Categories { get; } = Enum.GetValues<BehaviourCategory>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForRecordingAsync(Subject, ct) is { } refusal)
            return refusal;
        Occurred = DateInput.From(Today);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForRecordingAsync(Subject, ct) is { } refusal)
            return refusal;

        var (occurred, dateError) = Occurred.Read("The date of the incident");
        if (dateError is not null)
            Errors["OccurredOn"] = dateError;
        else if (occurred is null)
            Errors["OccurredOn"] = "Enter the date of the incident";
        else if (occurred > Today)
            Errors["OccurredOn"] = "The date of the incident must be today or in the past";
        else if (occurred < EnrolledSince)
            Errors["OccurredOn"] = $"The date of the incident must be on or after {EnrolledSince:d MMMM yyyy}, when the pupil joined your school";

        if (!Enum.TryParse<BehaviourCategory>(Category, out var category) || !Enum.IsDefined(category) || int.TryParse(Category, out _))
            Errors["Category"] = "Select the category of the incident";

        if (!int.TryParse(Severity, out var severity) || severity is < BehaviourIncident.MinSeverity or > BehaviourIncident.MaxSeverity)
            Errors["Severity"] = $"Select the severity, from {BehaviourIncident.MinSeverity} to {BehaviourIncident.MaxSeverity}";

        var description = Description?.Trim();
        if (string.IsNullOrEmpty(description))
            Errors["Description"] = "Describe what happened";
        else if (description.Length > BehaviourIncident.MaxDescriptionLength)
            Errors["Description"] = $"The description must be {BehaviourIncident.MaxDescriptionLength:N0} characters or fewer";

        // The same incident twice (the form sent again) is the record's natural key: say so rather than fail.
        if (Errors.Count == 0 && await Db.BehaviourIncidents.AnyAsync(b => b.PersonId == Id && b.SchoolId == Db.Reader.OrganisationId
                && b.OccurredOn == occurred && b.Category == category && b.Description == description, ct))
            Errors["Description"] = $"This incident is already recorded for this pupil on {occurred:d MMMM yyyy}";

        if (Errors.Count > 0)
            return Page();

        Db.BehaviourIncidents.Add(new BehaviourIncident
        {
            PersonId = Id,
            SchoolId = Db.Reader.OrganisationId,
            OccurredOn = occurred!.Value,
            Category = category,
            Severity = severity,
            Description = description!,
            RecordedAt = Now,
            RecordedByUserId = Db.Reader.UserId,
        });
        await Access.AuditWriteAsync(Id, AuditAction.Create, Subject, ct);
        await Db.SaveChangesAsync(ct);
        await RecordsChangedAsync(ct);
        TempData["Confirmation"] = $"The behaviour incident on {occurred.Value:d MMMM yyyy} was recorded";
        return BackToSchoolRecords();
    }
}
