using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Agreement;

/// <summary>Edits the draft version's rules with a grid of checkboxes per category, then saves or publishes it.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class DraftModel(AgreementDrafting drafting) : PageModel
{
    [BindProperty] public DraftInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; private set; } = [];
    public SharingAgreementVersion Draft { get; private set; } = null!;
    public SharingAgreementVersion? Current { get; private set; }
    public SharingMatrix Matrix { get; private set; } = null!;
    public IReadOnlyList<RecordCategory> Categories { get; private set; } = [];
    [TempData] public string? Confirmation { get; set; }

    /// <summary>How the saved draft differs from the version in force.</summary>
    public IReadOnlyList<RuleKey> Added { get; private set; } = [];
    public IReadOnlyList<RuleKey> Removed { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Redirect("/admin/agreement");
        Input = new DraftInput { Title = Draft.Title, Summary = Draft.Summary };
        Matrix = new SharingMatrix(Categories, Draft.Rules.Select(RuleKey.Of).ToHashSet());
        return Page();
    }

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => SaveAsync(publish: false, ct);

    public Task<IActionResult> OnPostPublishAsync(CancellationToken ct) => SaveAsync(publish: true, ct);

    public async Task<IActionResult> OnPostDiscardAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Redirect("/admin/agreement");
        await drafting.DiscardAsync(Draft, ct);
        Confirmation = $"The draft of version {Draft.Number} has been discarded. Nothing in force has changed.";
        return Redirect("/admin/agreement");
    }

    private async Task<IActionResult> SaveAsync(bool publish, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Redirect("/admin/agreement");
        var (errors, rules) = await drafting.ValidateAsync(Input, ct);
        if (errors.Count > 0)
        {
            // Shown as posted, so that one wrong tick does not cost the rest of the edit; nothing is stored.
            Errors = errors;
            Matrix = new SharingMatrix(Categories, rules);
            return Page();
        }
        if (publish)
        {
            if (!await drafting.PublishAsync(Draft, Input, rules, ct))
            {
                Confirmation = "This draft had already been published or discarded by someone else.";
                return Redirect("/admin/agreement");
            }
            Confirmation = $"Version {Draft.Number} is now in force. The version before it is kept in the history.";
            return Redirect("/admin/agreement");
        }
        try
        {
            await drafting.SaveAsync(Draft, Input, rules, ct);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
        {
            // Another administrator saved, published or discarded the draft between this page's read and its save.
            Confirmation = "The draft was changed by someone else while you were editing it, so your changes were not saved. Here it is as it is now.";
            return Redirect("/admin/agreement/draft");
        }
        Confirmation = "The draft has been saved. It is not in force until it is published.";
        return Redirect("/admin/agreement/draft");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var draft = await drafting.DraftAsync(ct);
        if (draft is null)
            return false;
        Draft = draft;
        Current = await drafting.CurrentAsync(ct);
        Categories = await drafting.CategoriesAsync(ct);
        var saved = draft.Rules.Select(RuleKey.Of).ToHashSet();
        var inForce = Current?.Rules.Select(RuleKey.Of).ToHashSet() ?? [];
        Added = Order(saved.Except(inForce));
        Removed = Order(inForce.Except(saved));
        return true;
    }

    private IReadOnlyList<RuleKey> Order(IEnumerable<RuleKey> keys) =>
        keys.OrderBy(k => Categories.Select(c => c.Code).ToList().IndexOf(k.CategoryCode)).ThenBy(k => k.OwnerType).ThenBy(k => k.ReaderType).ToList();

    public string Describe(RuleKey key) =>
        Categories.FirstOrDefault(c => c.Code == key.CategoryCode) is { } category ? SharingMatrix.Describe(category, key.OwnerType, key.ReaderType) : key.Value;
}
