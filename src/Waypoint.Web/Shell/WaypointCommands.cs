using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Features.Demo;

namespace Waypoint.Shell;

/// <summary>
/// Maintenance commands on the same configuration as the web host:
/// <c>migrate</c>, <c>verify-audit</c>, and <c>generate --scale demo|county|million</c>.
/// </summary>
public static class WaypointCommands
{
    public static async Task<int> RunAsync(WebApplication app, string command, string[] args)
    {
        var ct = app.Lifetime.ApplicationStopping;
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false, ct);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        switch (command)
        {
            case "migrate":
                Console.WriteLine("Database migrated and reference data in place.");
                return 0;
            case "verify-audit":
            {
                var result = await AuditChainVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), ct);
                Console.WriteLine(result.IsIntact
                    ? $"Audit chain intact: {result.EntriesChecked} entries verified."
                    : $"Audit chain BROKEN at entry {result.FirstBrokenId}: {result.Problem} ({result.EntriesChecked} entries verified before it).");
                return result.IsIntact ? 0 : 2;
            }
            case "generate":
            {
                var scaleArg = ArgValue(args, "--scale") ?? "demo";
                if (!Enum.TryParse<DemoScale>(scaleArg, ignoreCase: true, out var scale))
                {
                    Console.Error.WriteLine($"--scale must be one of: {string.Join(", ", Enum.GetNames<DemoScale>()).ToLowerInvariant()}; got '{scaleArg}'.");
                    return 1;
                }
                var seeder = scope.ServiceProvider.GetRequiredService<DemoPartnershipSeeder>();
                var seeded = await seeder.SeedIfEmptyAsync(scale, ct);
                Console.WriteLine(seeded ? $"Generated the {scale} data set." : "The database already holds a partnership; nothing generated.");
                return 0;
            }
            default:
                Console.Error.WriteLine($"Unknown command '{command}'. Commands: {string.Join(", ", WaypointOptions.Commands)}.");
                return 1;
        }
    }

    private static string? ArgValue(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
