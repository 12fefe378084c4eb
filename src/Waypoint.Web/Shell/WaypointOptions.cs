namespace Waypoint.Shell;

/// <summary>
/// What the command line asks for: <c>--demo</c> seeds the demo partnership (<c>--reset-demo</c>
/// deletes the database first, so the demo starts afresh); a first argument
/// naming a command (<c>verify-audit</c>, <c>generate</c>) runs it instead of the web host.
/// Everything else goes to the host's configuration.
/// </summary>
public sealed record WaypointOptions(bool Demo, string? Command, string[] CommandArgs, string[] HostArgs, bool ResetDemo = false)
{
    public static readonly string[] Commands = ["verify-audit", "archive-audit", "generate", "migrate", "create-admin", "import", "alerts", "police-import", "street-crime-import", "risk", "services-import", "rebuild-rollups"];

    public static WaypointOptions FromArgs(string[] args)
    {
        var reset = args.Contains("--reset-demo");
        var demo = reset || args.Contains("--demo");
        var rest = args.Where(a => a is not ("--demo" or "--reset-demo")).ToArray();
        if (rest.Length > 0 && Commands.Contains(rest[0]))
            return new WaypointOptions(demo, rest[0], rest[1..], []);
        return new WaypointOptions(demo, null, [], rest, reset);
    }
}
