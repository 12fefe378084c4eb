using Microsoft.AspNetCore.Mvc;

namespace Waypoint.Features.Provision;

/// <summary>
/// The person page's placements in alternative provision, through the placement filter, in one
/// statement (the page's budget): the record link is for everyone (the form says who may place), the
/// end link for the organisation that recorded the placement. The caller has opened the person.
/// </summary>
public sealed class PersonPlacementsViewComponent(Placements placements, Data.WaypointDbContext db, TimeProvider clock) : ViewComponent
{
    public sealed record Model(Guid PersonId, IReadOnlyList<PlacementView> Placements, Guid ReaderOrganisationId, DateOnly Today);

    public async Task<IViewComponentResult> InvokeAsync(Guid personId)
    {
        var ct = HttpContext.RequestAborted;
        var list = await placements.ForPersonAsync(personId, ct);
        return View("/Features/Provision/_PersonPlacements.cshtml", new Model(personId, list, db.Reader.OrganisationId, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
    }
}
