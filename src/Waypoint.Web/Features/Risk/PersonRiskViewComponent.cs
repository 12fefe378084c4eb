using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// The person page's summary of flags and score, read through the same filters as the risk page; the caller has opened the person.
/// The panel shows the score and its bands, not the records behind each factor: those (read again as the reader, with
/// the history) are the risk page's, so the panel does not read them.
/// </summary>
public sealed class PersonRiskViewComponent(WaypointDbContext db, RiskScoring scoring, TimeProvider clock) : ViewComponent
{
    public sealed record Score(int Offending, RiskBand OffendingBand, int Vulnerability, RiskBand VulnerabilityBand, bool InCohort);

    public sealed record Summary(Guid PersonId, Score? Score, IReadOnlyList<string> Flags);

    public async Task<IViewComponentResult> InvokeAsync(Guid personId)
    {
        var ct = HttpContext.RequestAborted;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Score? score = null;
        // As the risk page: scored afresh as the page opens (a flag that lapsed at midnight counts no more), nothing stored.
        if (await scoring.ComputeAsync(personId, ct) is { } computed && (computed.Result.Offending != 0 || computed.Result.Vulnerability != 0))
        {
            var (matrix, result) = computed;
            var review = await db.CohortReviews.AsNoTracking().Where(r => r.PersonId == personId).OrderByDescending(r => r.ReviewedAt)
                .Select(r => new { r.Decision, r.EndedAt }).FirstOrDefaultAsync(ct);
            score = new Score(result.Offending, matrix.BandOf(result.Offending), result.Vulnerability, matrix.BandOf(result.Vulnerability),
                review is { Decision: CohortDecision.Accepted, EndedAt: null });
        }
        var flags = await db.PersonFlags.AsNoTracking().Where(f => f.PersonId == personId).Where(FlagRules.Counts(today)).Select(f => f.Kind).ToListAsync(ct);
        return View("/Features/Risk/_PersonRisk.cshtml", new Summary(personId, score, flags.Select(FlagRules.Describe).ToList()));
    }
}
