using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Shell;

namespace Waypoint.Features.Challenges;

/// <summary>
/// Records a person's challenge to one of their records, or their objection to its use, as told to
/// someone who can see the record; the organisation that owns the record resolves it.
/// </summary>
public sealed class RaiseModel(WaypointDbContext db, PersonAccess access, ChallengeWork challenges, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty] public string? RecordKey { get; set; }
    [BindProperty] public ChallengeKind? Kind { get; set; }
    [BindProperty] public string? RaisedBy { get; set; }
    [BindProperty] public string? Statement { get; set; }
    [BindProperty] public DateInput RaisedOn { get; set; } = new();
    public IReadOnlyList<ChallengeableRecord> Records { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.challenge", ct) is { } refused)
            return refused;
        Records = await challenges.ChallengeableAsync(Person!, ct);
        RaisedOn = DateInput.From(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.challenge", ct) is { } refused)
            return refused;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (raisedOn, dateError) = RaisedOn.Read("The date it was raised", new DateRange(today.AddYears(-1), today, today));
        var (errors, challenge) = await challenges.RaiseAsync(Person!, RecordKey, Kind, RaisedBy, Statement, raisedOn, ct);
        if (dateError is not null)
            errors["RaisedOn"] = dateError;
        if (errors.Count > 0 || challenge is null)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            Records = await challenges.ChallengeableAsync(Person!, ct);
            return Page();
        }
        // What kind of record and which challenge: the statement stays out of the audit.
        await Access.AuditWriteAsync(Id, AuditAction.Create, $"challenge.raise {challenge.Kind} {challenge.RecordKind}{(challenge.Field is null ? "" : "." + challenge.Field)} ({challenge.Id})", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = challenge.Kind == ChallengeKind.Accuracy
            ? "The challenge is recorded: everyone who can see the record is told it is disputed until the organisation that owns it resolves it."
            : "The objection is recorded: everyone who can see the record is told until the organisation that owns it decides.";
        return BackToPerson();
    }
}
