using Microsoft.Extensions.Options;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>A bad setting stops the app at start-up with a message naming it, not at the first request that reads it.</summary>
public sealed class StartupTests
{
    [Theory]
    [InlineData("Waypoint:BreakGlassHours", "0", "Waypoint:BreakGlassHours must be a whole number of hours from 1 to 24")]
    [InlineData("SignInLimits:PerAddressPermits", "0", "SignInLimits:PerAddressPermits must be from 1 to")]
    [InlineData("Telemetry:Exporter", "Otlp", "Telemetry:Endpoint must be an http or https address")]
    public async Task Start_BadSetting_FailsNamingTheSetting(string key, string value, string message)
    {
        await using var app = new AppWithSetting(key, value);

        var failure = await Should.ThrowAsync<OptionsValidationException>(async () => await app.InitializeAsync());

        failure.Message.ShouldContain(message);
    }

    private sealed class AppWithSetting(string key, string value) : WaypointApp(DatabaseKind.Sqlite)
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new(key, value)];
    }
}
