using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Features.Demo;

namespace Waypoint.Data;

/// <summary>Brings the database to the latest migration and ensures reference data; seeds the demo partnership when asked.</summary>
public static class DatabaseInitialiser
{
    public static async Task InitialiseAsync(IServiceProvider services, bool demo, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        await db.Database.MigrateAsync(ct);
        await ReferenceData.EnsureAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        if (demo)
            await scope.ServiceProvider.GetRequiredService<DemoPartnershipSeeder>().SeedIfEmptyAsync(DemoScale.Demo, ct);
    }
}
