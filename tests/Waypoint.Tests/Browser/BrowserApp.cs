using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The app on real Kestrel at a loopback port, for Chromium to reach. SQLite is enough here:
/// the browser tests are about pages, and the data layer is tested on both providers elsewhere.
/// </summary>
public sealed class BrowserApp() : WaypointApp(DatabaseKind.Sqlite)
{
    protected override bool UseRealServer => true;
}
