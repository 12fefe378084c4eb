using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Merge;

/// <summary>Takes a merge back, within its 30 days: every row moved or collapsed is put back as it was.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class UnmergeModel(WaypointDbContext db, PersonMerger merger, TimeProvider clock) : PageModel
{
    public PersonMerge Merge { get; private set; } = null!;
    public int Moved { get; private set; }
    public int Collapsed { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (!Merge.IsPending(clock.GetUtcNow()))
            Errors["unmerge"] = Merge.UnmergedAt is null ? $"This merge can no longer be taken back: its 30 days ended on {Merge.UnmergeUntil:d MMMM yyyy}" : "This merge was already taken back";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        try
        {
            await merger.UnmergeAsync(id, ct);
        }
        catch (MergeRefused refused)
        {
            Errors["unmerge"] = refused.Message;
            return Page();
        }
        TempData["Confirmation"] = "The merge was taken back: both entries hold what they held before it.";
        return Redirect("/admin/merge");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var merge = await db.PersonMerges.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (merge is null)
            return false;
        Merge = merge;
        var kinds = await db.PersonMergeSteps.AsNoTracking().Where(s => s.MergeId == id).GroupBy(s => s.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Moved = kinds.Where(k => k.Key == MergeStepKind.Moved).Sum(k => k.Count);
        Collapsed = kinds.Where(k => k.Key == MergeStepKind.Collapsed).Sum(k => k.Count);
        return true;
    }
}
