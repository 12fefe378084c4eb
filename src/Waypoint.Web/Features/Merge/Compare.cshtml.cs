using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Merge;

/// <summary>Two register entries side by side; choosing the one to keep and confirming merges them.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class CompareModel(WaypointDbContext db, AuditTrail audit, PersonMerger merger) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? First { get; set; }
    [BindProperty(SupportsGet = true)] public string? Second { get; set; }
    [BindProperty] public string? Keep { get; set; }

    public MergeEntry? FirstEntry { get; private set; }
    public MergeEntry? SecondEntry { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Page();
        if (Keep is not ("first" or "second"))
        {
            Errors["Keep"] = "Choose which entry to keep";
            return Page();
        }
        var (kept, away) = Keep == "first" ? (FirstEntry!, SecondEntry!) : (SecondEntry!, FirstEntry!);
        try
        {
            await merger.MergeAsync(kept.Id, away.Id, ct);
        }
        catch (MergeRefused refused)
        {
            Errors["Keep"] = refused.Message;
            return Page();
        }
        TempData["Confirmation"] = $"{away.Name} was merged into {kept.Name}. The merge can be taken back for 30 days.";
        return Redirect("/admin/merge");
    }

    /// <summary>Both entries, or the reason the pair cannot be compared (as errors on the page).</summary>
    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (!Guid.TryParse(First, out var first))
            Errors["first"] = "Enter the first entry's register id, as in its page's address";
        if (!Guid.TryParse(Second, out var second))
            Errors["second"] = "Enter the second entry's register id, as in its page's address";
        if (Errors.Count > 0)
            return false;
        if (first == second)
        {
            Errors["first"] = "A person cannot be merged with themselves: choose two different register entries";
            return false;
        }
        FirstEntry = await MergeEntries.LoadAsync(db, audit, merger, first, ct);
        SecondEntry = await MergeEntries.LoadAsync(db, audit, merger, second, ct);
        if (FirstEntry is null)
            Errors["first"] = "The first entry is not in the register, or was merged into another";
        if (SecondEntry is null)
            Errors["second"] = "The second entry is not in the register, or was merged into another";
        return Errors.Count == 0;
    }
}
