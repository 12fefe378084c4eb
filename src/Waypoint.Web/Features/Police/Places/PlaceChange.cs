using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police.Places;

/// <summary>Loads a place for a change by its recorder's organisation: null for anyone else (a 404, as the place is theirs to change).</summary>
public static class PlaceChange
{
    public static async Task<PlaceOfConcern?> OwnActiveAsync(WaypointDbContext db, TimeProvider clock, Guid id, CancellationToken ct)
    {
        if (!await PlacesOfConcern.MayRecordAsync(db, clock, ct))
            return null;
        return await db.PlacesOfConcern.Include(p => p.Area)
            .FirstOrDefaultAsync(p => p.Id == id && p.Status == PlaceStatus.Active && p.OwnerOrganisationId == db.Reader.OrganisationId, ct);
    }
}
