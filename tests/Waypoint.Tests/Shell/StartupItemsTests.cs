using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using Waypoint.Features.Notifications;
using Waypoint.Shell;

namespace Waypoint.Tests.Shell;

/// <summary>
/// E-mail links lead where the app is served unless a public address is given; <c>--reset-demo</c>
/// rebuilds the demo, and refuses outside Development, where it would delete real data.
/// </summary>
public sealed class StartupItemsTests
{
    private static EmailOptions EmailOptionsFor(params (string Key, string Value)[] settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();
        var services = new ServiceCollection();
        services.AddWaypointNotifications(config);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<EmailOptions>>().Value;
    }

    [Theory]
    [InlineData("http://0.0.0.0:5117", "http://localhost:5117")]
    [InlineData("http://*:8080;https://*:8443", "http://localhost:8080")]
    [InlineData("http://127.0.0.1:5117", "http://127.0.0.1:5117")]
    [InlineData("https://waypoint.example.org:443", "https://waypoint.example.org:443")]
    public void EmailPublicUrl_NotGiven_WhereTheAppIsServed(string urls, string expected)
    {
        EmailOptionsFor(("urls", urls)).PublicUrl.ShouldBe(expected);
    }

    [Fact]
    public void EmailPublicUrl_HttpPortsOnly_LocalhostOnThatPort()
    {
        EmailOptionsFor(("http_ports", "8080")).PublicUrl.ShouldBe("http://localhost:8080");
    }

    [Fact]
    public void EmailPublicUrl_Given_WinsOverTheListenAddress()
    {
        EmailOptionsFor(("urls", "http://0.0.0.0:5117"), ("Email:PublicUrl", "https://waypoint.example.org")).PublicUrl.ShouldBe("https://waypoint.example.org");
    }

    [Fact]
    public void EmailPublicUrl_NothingConfigured_TheDefaultAddress()
    {
        EmailOptionsFor().PublicUrl.ShouldBe(ListenAddresses.Default);
    }

    [Fact]
    public void FromArgs_ResetDemo_SeedsTheDemoAndIsNotPassedToTheHost()
    {
        var options = WaypointOptions.FromArgs(["--reset-demo", "--urls", "http://localhost:5117"]);

        options.ResetDemo.ShouldBeTrue();
        options.Demo.ShouldBeTrue();
        options.HostArgs.ShouldBe(["--urls", "http://localhost:5117"]);
        WaypointOptions.FromArgs(["--demo"]).ResetDemo.ShouldBeFalse();
    }

    [Fact]
    public async Task Program_ResetDemoOutsideDevelopment_RefusesInOneLineAndTouchesNothing()
    {
        var data = Directory.CreateTempSubdirectory("waypoint-reset-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Waypoint.Web.dll"));
            start.ArgumentList.Add("--reset-demo");
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
            start.Environment["WAYPOINT_Waypoint__DataFolder"] = data;
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            process.ExitCode.ShouldBe(2, await errors + await output);
            (await errors).Trim().ShouldStartWith("Waypoint will not reset: --reset-demo deletes the whole database");
            Directory.EnumerateFileSystemEntries(data).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
