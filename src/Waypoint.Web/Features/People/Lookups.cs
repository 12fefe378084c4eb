using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record Choice(Guid Id, string Name);

/// <summary>The pick-lists of the people pages (no person-level data).</summary>
public static class Lookups
{
    public static async Task<IReadOnlyList<Choice>> WardsAsync(WaypointDbContext db, CancellationToken ct) =>
        await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Ward).OrderBy(a => a.Name).Select(a => new Choice(a.Id, a.Name)).ToListAsync(ct);

    public static async Task<IReadOnlyList<Choice>> ActiveOrganisationsAsync(WaypointDbContext db, CancellationToken ct) =>
        await db.Organisations.AsNoTracking().Where(o => o.IsActive).OrderBy(o => o.Name).Select(o => new Choice(o.Id, o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")")).ToListAsync(ct);
}
