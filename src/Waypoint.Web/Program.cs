using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Identity;
using Waypoint.Shell;

var options = WaypointOptions.FromArgs(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = options.HostArgs });
builder.Configuration.AddEnvironmentVariables("WAYPOINT_");
ListenAddresses.UseDefaultUnlessConfigured(builder);
builder.Services.AddWaypoint(builder.Configuration, builder.Environment);

var app = builder.Build();
if (options.Command is { } command)
    return await WaypointCommands.RunAsync(app, command, options.CommandArgs);

// A port already taken is said in one line, before the database is migrated and seeded and
// before any background service starts, rather than after all of it in a stack trace.
if (ListenAddresses.RunningAsTheProgram && ListenAddresses.FirstInUse(app.Configuration) is { } taken)
{
    await Console.Error.WriteLineAsync($"Waypoint cannot start: {taken} is already in use. Choose another address with --urls (for example --urls http://localhost:5081) or ASPNETCORE_URLS.");
    return 1;
}

if (options.ResetDemo)
{
    // Deleting a database is for a developer's demo only, never a server's data.
    if (!app.Environment.IsDevelopment())
    {
        await Console.Error.WriteLineAsync("Waypoint will not reset: --reset-demo deletes the whole database, so it runs only in the Development environment (as dotnet run starts it).");
        return 2;
    }
    await using (var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("--reset-demo: the demo's database is deleted, to be migrated and seeded afresh"))
        await scope.ServiceProvider.GetRequiredService<WaypointDbContext>().Database.EnsureDeletedAsync(app.Lifetime.ApplicationStopping);
    Console.WriteLine("Waypoint: the demo database was deleted; it is rebuilt and seeded now.");
}

await DatabaseInitialiser.InitialiseAsync(app.Services, options.Demo, app.Lifetime.ApplicationStopping);
app.UseWaypoint();
if (options.Demo)
    app.Lifetime.ApplicationStarted.Register(() => DemoBanner.Print(app));
await app.RunAsync();
return 0;

public partial class Program;
