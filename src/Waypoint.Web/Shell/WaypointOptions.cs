namespace Waypoint.Shell;

/// <summary>
/// What the command line asks for: <c>--demo</c> seeds the demo partnership; a first argument
/// naming a command (<c>verify-audit</c>, <c>generate</c>) runs it instead of the web host.
/// Everything else goes to the host's configuration.
/// </summary>
public sealed record WaypointOptions(bool Demo, string? Command, string[] CommandArgs, string[] HostArgs)
{
    public static readonly string[] Commands = ["verify-audit", "generate", "migrate", "create-admin", "import", "alerts", "police-import", "street-crime-import", "risk", "services-import"];

    public static WaypointOptions FromArgs(string[] args)
    {
        var demo = args.Contains("--demo");
        var rest = args.Where(a => a != "--demo").ToArray();
        if (rest.Length > 0 && Commands.Contains(rest[0]))
            return new WaypointOptions(demo, rest[0], rest[1..], []);
        return new WaypointOptions(demo, null, [], rest);
    }
}
