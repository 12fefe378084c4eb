using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Schools;

/// <summary>
/// A school records a suspension or a permanent exclusion it has given. Validated field by field;
/// nothing is stored unless every field is right; the write is audited.
/// </summary>
public abstract class RecordExclusionModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : SchoolRecordPageModel(db, access, clock)
{
    public abstract ExclusionKind Kind { get; }

    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public string? Sessions { get; set; }
    [BindProperty] public bool IsLunchtime { get; set; }
    [BindProperty] public List<string> Reasons { get; set; } = [];
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public bool AlternativeProvisionArranged { get; set; }
    [BindProperty] public bool MissesPublicExamination { get; set; }

    public bool IsSuspension => Kind == ExclusionKind.Suspension;
    public string Noun => IsSuspension ? "suspension" : "permanent exclusion";
    private string Subject => IsSuspension ? "person.school.suspension" : "person.school.exclusion";

    public static IReadOnlyList<ExclusionOutcome> Outcomes { get; } = Enum.GetValues<ExclusionOutcome>();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForRecordingAsync(Subject, ct) is { } refusal)
            return refusal;
        Start = DateInput.From(Today);
        Outcome = (IsSuspension ? ExclusionOutcome.NotReviewed : ExclusionOutcome.Pending).ToString();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForRecordingAsync(Subject, ct) is { } refusal)
            return refusal;

        var (start, startError) = Start.Read("The start date", DateRange.UpTo(Today, TimeSpan.FromDays(365)));
        if (startError is not null)
            Errors["StartDate"] = startError;
        else if (start is null)
            Errors["StartDate"] = $"Enter the date the {Noun} starts";
        else if (start < EnrolledSince)
            Errors["StartDate"] = $"The start date must be on or after {EnrolledSince:d MMMM yyyy}, when the pupil joined your school";

        int? sessions = null;
        if (IsSuspension)
        {
            if (string.IsNullOrWhiteSpace(Sessions))
                Errors["Sessions"] = "Enter the length of the suspension in sessions";
            else if (!int.TryParse(Sessions.Trim(), out var n))
                Errors["Sessions"] = "The length must be a whole number of sessions, like 4 for two days";
            else if (n < 1)
                Errors["Sessions"] = "The length must be at least 1 session";
            else if (n > Rules.SuspensionLimit.MaxSessionsInYear)
                Errors["Sessions"] = $"The length must be {Rules.SuspensionLimit.MaxSessionsInYear} sessions ({Rules.SuspensionLimit.MaxDaysInYear} school days) or fewer";
            else
                sessions = n;
        }

        var reasons = Reasons.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim().ToUpperInvariant()).Distinct().ToList();
        if (reasons.Count == 0)
            Errors["Reasons"] = $"Select at least one reason for the {Noun}";
        else if (reasons.Count > ExclusionReasons.MaxPerRecord)
            Errors["Reasons"] = $"Select no more than {ExclusionReasons.MaxPerRecord} reasons";
        else if (reasons.Any(r => ExclusionReasons.Find(r) is not { IsCurrent: true }))
            Errors["Reasons"] = "Select reasons from the list";

        if (!Enum.TryParse<ExclusionOutcome>(Outcome, out var outcome) || !Enum.IsDefined(outcome) || int.TryParse(Outcome, out _))
            Errors["Outcome"] = "Select the outcome";

        // One record per pupil, school, start date and kind (the key imports use too): a second is a
        // message, not a database error.
        if (Errors.Count == 0 && await Db.Suspensions.AnyAsync(x => x.PersonId == Id && x.SchoolId == Db.Reader.OrganisationId
                && x.StartDate == start!.Value && x.Kind == Kind && x.IsLunchtime == (IsSuspension && IsLunchtime), ct))
            Errors["StartDate"] = $"A {Noun} starting on {start:d MMMM yyyy} is already recorded for this pupil";
        if (Errors.Count > 0)
            return Page();

        Db.Suspensions.Add(new Suspension
        {
            PersonId = Id,
            SchoolId = Db.Reader.OrganisationId,
            Kind = Kind,
            StartDate = start!.Value,
            Sessions = sessions,
            IsLunchtime = IsSuspension && IsLunchtime,
            ReasonCode1 = reasons[0],
            ReasonCode2 = reasons.ElementAtOrDefault(1),
            ReasonCode3 = reasons.ElementAtOrDefault(2),
            Outcome = outcome,
            AlternativeProvisionArranged = AlternativeProvisionArranged,
            MissesPublicExamination = MissesPublicExamination,
            RecordedAt = Now,
            RecordedByUserId = Db.Reader.UserId,
        });
        await Access.AuditWriteAsync(Id, AuditAction.Create, Subject, ct);
        await Db.SaveChangesAsync(ct);
        await RecordsChangedAsync(ct);
        TempData["Confirmation"] = IsSuspension
            ? $"The suspension from {start.Value:d MMMM yyyy} was recorded"
            : $"The permanent exclusion from {start.Value:d MMMM yyyy} was recorded";
        return BackToSchoolRecords();
    }
}

public sealed class RecordSuspensionModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : RecordExclusionModel(db, access, clock)
{
    public override ExclusionKind Kind => ExclusionKind.Suspension;
}

public sealed class RecordPermanentExclusionModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : RecordExclusionModel(db, access, clock)
{
    public override ExclusionKind Kind => ExclusionKind.PermanentExclusion;
}
