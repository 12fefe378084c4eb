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
public sealed class PersonRiskViewComponent(WaypointDbContext db, TimeProvider clock) : ViewComponent
{
    public sealed record Score(int Offending, RiskBand OffendingBand, int Vulnerability, RiskBand VulnerabilityBand, bool InCohort);

    public sealed record Summary(Guid PersonId, Score? Score, IReadOnlyList<string> Flags);

    /// <summary>The panel; <paramref name="scored"/> is the score the page computed as it opened (it is not computed twice in a request).</summary>
    public async Task<IViewComponentResult> InvokeAsync(Guid personId, ScoreAsOfNow scored)
    {
        var ct = HttpContext.RequestAborted;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Score? score = null;
        // As the risk page: scored afresh as the page opens (a flag that lapsed at midnight counts no more), nothing stored.
        if (scored.Computed is { } computed && (computed.Result.Offending != 0 || computed.Result.Vulnerability != 0))
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

/// <summary>A person's score as of now, computed once for a request (null inside: no matrix published, or processing restricted).</summary>
public sealed record ScoreAsOfNow((RiskMatrixVersion Matrix, RiskResult Result)? Computed);
