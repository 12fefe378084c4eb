using Waypoint.Data;
using Waypoint.Identity;
using Waypoint.Shell;

var options = WaypointOptions.FromArgs(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = options.HostArgs });
builder.Configuration.AddEnvironmentVariables("WAYPOINT_");
builder.Services.AddWaypoint(builder.Configuration, builder.Environment);

var app = builder.Build();
if (options.Command is { } command)
    return await WaypointCommands.RunAsync(app, command, options.CommandArgs);

await DatabaseInitialiser.InitialiseAsync(app.Services, options.Demo, app.Lifetime.ApplicationStopping);
app.UseWaypoint();
if (options.Demo)
    app.Lifetime.ApplicationStarted.Register(() => DemoBanner.Print(app));
await app.RunAsync();
return 0;

public partial class Program;
