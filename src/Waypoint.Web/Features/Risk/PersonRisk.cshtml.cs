using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>
/// A young person's score explained (each factor, the records the reader may see, the others
/// counted), its history, their flags with review dates, and the human review into the high-risk
/// cohort: a score alone lists nobody.
/// </summary>
public sealed class PersonRiskModel(WaypointDbContext db, PersonAccess access, RiskExplanation explanation, RiskScoring scoring, TimeProvider clock) : PageModel
{
    public Person? Person { get; private set; }
    public ExplainedScore? Score { get; private set; }
    public IReadOnlyList<PersonFlag> Flags { get; private set; } = [];

    public sealed record PlaceLinkRow(Guid LinkId, Guid PlaceId, string Place, PlaceLinkRole Role, DateOnly ReviewOn, bool Counts, bool Mine);

    /// <summary>The young person's current links to places of concern the reader may see (lapsed ones marked).</summary>
    public IReadOnlyList<PlaceLinkRow> Places { get; private set; } = [];
    public bool MayRecordPlaces { get; private set; }

    /// <summary>The young person restricted processing of their data: they are not scored, on demand or stored.</summary>
    public bool Restricted { get; private set; }
    public DateOnly Today { get; private set; }
    public bool MayReview { get; private set; }
    public bool IsPolice => Police.IndexModel.IsPolice(db);
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? Rationale { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Person = await access.OpenAsync(id, "risk", ct);
        if (Person is null)
            return NotFound();
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>The hub's review into (or not into) the cohort, with a rationale.</summary>
    public async Task<IActionResult> OnPostReviewAsync(Guid id, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(id, PersonOperations.Write, "risk:cohort", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound();
        Person = opened!.Person;
        await LoadAsync(id, ct);
        if (outcome == AccessOutcome.Forbidden || !MayReview)
            return Forbid();
        var decision = Decision switch { "Accepted" => CohortDecision.Accepted, "Dismissed" => CohortDecision.Dismissed, _ => (CohortDecision?)null };
        if (decision is null)
            Errors[nameof(Decision)] = "Choose whether to add the young person to the high-risk cohort";
        if (string.IsNullOrWhiteSpace(Rationale))
            Errors[nameof(Rationale)] = "Enter the rationale for the decision";
        else if (Rationale.Length > CohortReview.MaxRationaleLength)
            Errors[nameof(Rationale)] = $"The rationale must be {CohortReview.MaxRationaleLength} characters or fewer";
        if (Score is null && decision is not null)
            Errors[nameof(Decision)] = "There is no score to review";
        if (Errors.Count > 0)
            return Page();
        // The review names the stored score it was made on, brought up to date first.
        await scoring.RecomputeAsync([id], ct);
        var scoreId = await db.RiskScores.Where(s => s.PersonId == id && s.IsLatest).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
        if (scoreId is null)
            return Redirect($"/people/{id}/risk");
        var open = await db.CohortReviews.Where(r => r.PersonId == id && r.Decision == CohortDecision.Accepted && r.EndedAt == null).ToListAsync(ct);
        foreach (var r in open)
        {
            r.EndedAt = clock.GetUtcNow();
            r.EndedByUserId = db.Reader.UserId;
        }
        db.CohortReviews.Add(new CohortReview
        {
            PersonId = id,
            ScoreId = scoreId.Value,
            Decision = decision!.Value,
            Rationale = Rationale!.Trim(),
            ReviewedByUserId = db.Reader.UserId,
            ReviewedByOrganisationId = db.Reader.OrganisationId,
            ReviewedAt = clock.GetUtcNow(),
        });
        await access.AuditWriteAsync(id, AuditAction.Create, $"risk:cohort {decision}", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = decision == CohortDecision.Accepted ? "Added to the high-risk cohort" : "Review recorded: not added to the high-risk cohort";
        return Redirect($"/people/{id}/risk");
    }

    private async Task LoadAsync(Guid id, CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Score = await explanation.ExplainAsync(id, ct);
        Restricted = Score is null && await scoring.IsRestrictedAsync(id, ct);
        Flags = await db.PersonFlags.AsNoTracking().Where(f => f.PersonId == id).OrderByDescending(f => f.SetAt).ToListAsync(ct);
        var today = Today;
        Places = (await db.PlaceOfConcernLinks.AsNoTracking().Where(l => l.PersonId == id && l.Status == PlaceStatus.Active && l.Place!.Status == PlaceStatus.Active)
                .OrderByDescending(l => l.LinkedAt)
                .Select(l => new { l.Id, l.PlaceId, l.Place!.Name, Ward = l.Place.Area!.Name, l.Role, l.ReviewOn, PlaceReviewOn = l.Place.ReviewOn, l.OwnerOrganisationId }).ToListAsync(ct))
            .Select(l => new PlaceLinkRow(l.Id, l.PlaceId, Police.Places.PlacesOfConcern.Title(l.Name, l.Ward), l.Role, l.ReviewOn < l.PlaceReviewOn ? l.ReviewOn : l.PlaceReviewOn,
                l.ReviewOn >= today && l.PlaceReviewOn >= today, l.OwnerOrganisationId == db.Reader.OrganisationId)).ToList();
        MayRecordPlaces = await Police.Places.PlacesOfConcern.MayRecordAsync(db, clock, ct);
        // The hub (a partnership triage role reaching the person) decides who enters the cohort.
        var bases = await AccessPolicy.ExplainAsync(db, id, ct);
        MayReview = bases.Any(b => b.Function == PartnershipFunction.HubTriage);
    }
}
