using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Merge;

/// <summary>Where an old link to a merged-away entry leads.</summary>
public static class MergedEntries
{
    /// <summary>
    /// The entry a merged-away one was merged into, following merges of merges; null when the id is
    /// not a merged-away entry. It says only that the id was merged: the survivor's own page applies
    /// the policy (a reader who may not see the survivor gets its 404).
    /// </summary>
    public static async Task<Guid?> SurvivorOfAsync(WaypointDbContext db, Guid id, CancellationToken ct)
    {
        Guid? survivor = null;
        for (var hops = 0; hops < 10; hops++)
        {
            var next = await db.Unfiltered<Person>("an old link to a merged-away entry goes to the entry it was merged into, whose page applies the policy")
                .AsNoTracking().Where(p => p.Id == (survivor ?? id)).Select(p => p.MergedIntoId).SingleOrDefaultAsync(ct);
            if (next is null)
                return survivor;
            survivor = next;
        }
        return survivor;
    }
}
