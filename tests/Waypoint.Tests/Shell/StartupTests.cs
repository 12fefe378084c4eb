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
    [InlineData("Imports:Workers", "0", "Imports:Workers must be a whole number from 1 to 16")]
    [InlineData("Imports:CtfMaxDepth", "2", "Imports:CtfMaxDepth must be a whole number from 8 to 1000")]
    [InlineData("Email:Port", "70000", "Email:Port must be a port number from 1 to 65535")]
    [InlineData("Email:From", "not an address", "Email:From must be an e-mail address")]
    [InlineData("Alerts:DailyEvaluationAt", "teatime", "Alerts:DailyEvaluationAt must be a time of day such as 02:00, or off")]
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
