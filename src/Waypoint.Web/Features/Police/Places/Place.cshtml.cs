using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police.Places;

/// <summary>
/// One place of concern with the young people linked to it, among the links and people the reader
/// may see. Those harmed or at risk there are listed apart from those linked to the activity, so a
/// victim is never shown as taking part.
/// </summary>
public sealed class PlaceModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public sealed record LinkRow(Guid LinkId, Guid PersonId, string Name, PlaceLinkRole Role, string Evidence, DateOnly ReviewOn, bool Counts);

    public PlaceOfConcern? Place { get; private set; }
    public string Title { get; private set; } = "";
    public bool Lapsed { get; private set; }
    public bool IsOwner { get; private set; }
    public IReadOnlyList<LinkRow> Links { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid id, CancellationToken ct)
    {
        if (!await PlacesOfConcern.MayRecordAsync(db, clock, ct))
            return NotFound();
        Place = await db.PlacesOfConcern.AsNoTracking().Include(p => p.Area).Include(p => p.OwnerOrganisation).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (Place is null)
            return NotFound();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Title = PlacesOfConcern.Title(Place.Name, Place.Area?.Name);
        Lapsed = PlaceRules.IsLapsed(Place.ReviewOn, Place.Status, today);
        IsOwner = Place.OwnerOrganisationId == db.Reader.OrganisationId;
        var placeCounts = Place.Status == PlaceStatus.Active && !Lapsed;
        Links = (await db.PlaceOfConcernLinks.AsNoTracking().Where(l => l.PlaceId == id && l.Status == PlaceStatus.Active)
                .OrderBy(l => l.Person!.FamilyName).ThenBy(l => l.Person!.GivenName)
                .Select(l => new { l.Id, l.PersonId, l.Person!.GivenName, l.Person.FamilyName, l.Role, l.Evidence, l.ReviewOn }).ToListAsync(ct))
            .Select(l => new LinkRow(l.Id, l.PersonId, $"{l.GivenName} {l.FamilyName}", l.Role, l.Evidence, l.ReviewOn, placeCounts && l.ReviewOn >= today)).ToList();
        await access.AuditListedAsync(Links.Select(l => l.PersonId).Distinct().ToList(), $"place:{id}", ct);
        return Page();
    }
}
