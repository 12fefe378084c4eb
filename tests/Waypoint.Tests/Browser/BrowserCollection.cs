namespace Waypoint.Tests.Browser;

/// <summary>
/// The browser tests share one app and run one at a time: each drives a whole Chromium, and
/// several at once on a small machine slow page loads until they look like failures.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser";
}
