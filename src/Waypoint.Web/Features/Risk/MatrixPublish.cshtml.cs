using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>The data-protection officer's sign-off: the draft shown whole, then published (the version before retired, every score recomputed).</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class MatrixPublishModel(RiskMatrixPublishing publishing) : PageModel
{
    public RiskMatrixVersion? Draft { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Draft = await publishing.DraftAsync(ct);
        return Draft is null ? RedirectToPage("/Risk/Matrix") : Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var number = (await publishing.DraftAsync(ct))?.Number;
        if (await publishing.PublishAsync(ct) is null)
            return RedirectToPage("/Risk/Matrix");
        TempData["Confirmation"] = $"Version {number} published: every score is being recomputed in the background (progress below)";
        return RedirectToPage("/Risk/Matrix");
    }
}
