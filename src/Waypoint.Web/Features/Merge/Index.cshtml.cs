using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Merge;

/// <summary>Duplicate entries to merge, and the merges made, each with until when it can be taken back.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public sealed record MergeRow(Guid Id, Guid SurvivorId, Guid MergedId, DateTimeOffset MergedAt, DateTimeOffset? UnmergedAt, bool CanUnmerge, DateTimeOffset UnmergeUntil);

    public IReadOnlyList<MergeEntries.Candidate> Candidates { get; private set; } = [];
    public IReadOnlyList<MergeRow> Merges { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Candidates = await MergeEntries.CandidatesAsync(db, audit, ct);
        var now = clock.GetUtcNow();
        var merges = await db.PersonMerges.AsNoTracking().OrderByDescending(m => m.MergedAt).Take(50).ToListAsync(ct);
        Merges = merges.Select(m => new MergeRow(m.Id, m.SurvivorId, m.MergedId, m.MergedAt, m.UnmergedAt, m.IsPending(now), m.UnmergeUntil)).ToList();
    }
}
