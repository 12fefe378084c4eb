using Microsoft.AspNetCore.Mvc;

namespace Waypoint.Features.Provision;

/// <summary>The person page's placements in alternative provision, through the placement filter; the caller has opened the person.</summary>
public sealed class PersonPlacementsViewComponent(Placements placements, TimeProvider clock) : ViewComponent
{
    public sealed record Model(Guid PersonId, IReadOnlyList<PlacementView> Placements, bool MayPlace, DateOnly Today);

    public async Task<IViewComponentResult> InvokeAsync(Guid personId)
    {
        var ct = HttpContext.RequestAborted;
        var list = await placements.ForPersonAsync(personId, ct);
        var may = await placements.MayPlaceAsync(personId, ct);
        return View("/Features/Provision/_PersonPlacements.cshtml", new Model(personId, list, may, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
    }
}
