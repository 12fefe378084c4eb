using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Agreement;

/// <summary>The version of the information-sharing agreement in force, and the way to draft the next.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(AgreementDrafting drafting) : PageModel
{
    public SharingAgreementVersion? Current { get; private set; }
    public SharingAgreementVersion? Draft { get; private set; }
    public SharingMatrix? Matrix { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await drafting.CurrentAsync(ct);
        Draft = await drafting.DraftAsync(ct);
        if (Current is not null)
            Matrix = new SharingMatrix(await drafting.CategoriesAsync(ct), Current.Rules.Select(RuleKey.Of).ToHashSet());
    }

    public async Task<IActionResult> OnPostDraftAsync(CancellationToken ct)
    {
        await drafting.StartDraftAsync(ct);
        return Redirect("/admin/agreement/draft");
    }
}
