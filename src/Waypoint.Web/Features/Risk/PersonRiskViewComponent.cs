using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>The person page's summary of flags and score, read through the same filters as the risk page; the caller has opened the person.</summary>
public sealed class PersonRiskViewComponent(WaypointDbContext db, RiskExplanation explanation, TimeProvider clock) : ViewComponent
{
    public sealed record Summary(Guid PersonId, ExplainedScore? Score, IReadOnlyList<string> Flags);

    public async Task<IViewComponentResult> InvokeAsync(Guid personId)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var score = await explanation.ExplainAsync(personId, HttpContext.RequestAborted);
        var flags = await db.PersonFlags.AsNoTracking().Where(f => f.PersonId == personId).Where(FlagRules.Counts(today)).Select(f => f.Kind).ToListAsync(HttpContext.RequestAborted);
        return View("/Features/Risk/_PersonRisk.cshtml", new Summary(personId, score, flags.Select(FlagRules.Describe).ToList()));
    }
}
