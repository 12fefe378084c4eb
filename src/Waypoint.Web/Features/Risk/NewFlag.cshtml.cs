using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Risk;

/// <summary>
/// Sets a flag on a young person: the evidence it rests on and a review date within six months are
/// required. The police choose whether it is police intelligence (police only); other partners'
/// flags are case work, flowing as the agreement lets case work flow.
/// </summary>
public sealed class NewFlagModel(WaypointDbContext db, PersonAccess access, RiskScoring scoring, TimeProvider clock) : PageModel
{
    public Person? Person { get; private set; }
    [BindProperty] public FlagKind? Kind { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public DateInput ReviewOn { get; set; } = new();
    [BindProperty] public bool Intelligence { get; set; }
    public bool IsPolice => db.Reader.OrganisationType == OrganisationType.Police;
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(id, PersonOperations.Write, "flag", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound();
        if (outcome == AccessOutcome.Forbidden)
            return Forbid();
        Person = opened!.Person;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(id, PersonOperations.Write, "flag", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound();
        if (outcome == AccessOutcome.Forbidden)
            return Forbid();
        Person = opened!.Person;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (Kind is null || !Enum.IsDefined(Kind.Value))
            Errors[nameof(Kind)] = "Choose the flag";
        if (string.IsNullOrWhiteSpace(Evidence))
            Errors[nameof(Evidence)] = "Enter the evidence the flag rests on";
        else if (Evidence.Length > PersonFlag.MaxEvidenceLength)
            Errors[nameof(Evidence)] = $"The evidence must be {PersonFlag.MaxEvidenceLength} characters or fewer";
        var (review, reviewError) = ReviewOn.Read("Review date");
        if ((reviewError ?? FlagRules.CheckReviewDate(review, today)) is { } problem)
            Errors[nameof(ReviewOn)] = problem;
        if (Errors.Count > 0)
            return Page();
        var flag = new PersonFlag
        {
            PersonId = id,
            Kind = Kind!.Value,
            Evidence = Evidence!.Trim(),
            OwnerOrganisationId = db.Reader.OrganisationId,
            CategoryCode = IsPolice ? (Intelligence ? RecordCategories.PoliceIntelligence : RecordCategories.PoliceGeneral) : RecordCategories.CaseWork,
            SetByUserId = db.Reader.UserId,
            SetAt = clock.GetUtcNow(),
            ReviewOn = review!.Value,
            Status = FlagStatus.Active,
        };
        db.PersonFlags.Add(flag);
        await access.AuditWriteAsync(id, AuditAction.Create, $"flag:{flag.Kind} review {flag.ReviewOn:yyyy-MM-dd}", ct);
        await db.SaveChangesAsync(ct);
        await scoring.RecomputeAsync([id], ct);
        TempData["Confirmation"] = $"{FlagRules.Describe(flag.Kind)} flag added, to be reviewed by {flag.ReviewOn:d MMMM yyyy}";
        return Redirect($"/people/{id}/risk#flags");
    }
}
