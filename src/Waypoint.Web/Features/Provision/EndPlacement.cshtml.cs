using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Provision;

/// <summary>Ends a placement, after a confirmation step showing what ends.</summary>
public sealed class EndPlacementModel(Placements placements, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public DateInput EndDate { get; set; } = new();
    public PlacementView? Placement { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await placements.OpenAsync(Id, "placement.end", ct) is not { } placement)
            return NotFound();
        if (!await placements.MayPlaceAsync(placement.PersonId, ct))
            return Forbid();
        Placement = await placements.ViewAsync(placement, ct);
        if (EndDate.IsEmpty)
            EndDate = DateInput.From(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await placements.OpenAsync(Id, "placement.end", ct) is not { } placement)
            return NotFound();
        if (!await placements.MayPlaceAsync(placement.PersonId, ct))
            return Forbid();
        var (on, error) = EndDate.Read("End date");
        var errors = error is null ? await placements.EndAsync(placement, on, ct) : new Dictionary<string, string> { ["EndDate"] = error };
        if (errors.Count > 0)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            Placement = await placements.ViewAsync(placement, ct);
            return Page();
        }
        TempData["Confirmation"] = "Placement ended";
        return Redirect($"/people/{placement.PersonId}/school#placements");
    }
}
