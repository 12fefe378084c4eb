using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shouldly;
using Waypoint.Shell;

namespace Waypoint.Tests.Shell;

/// <summary>
/// The port is chosen the way ASP.NET users expect (<c>--urls</c>, <c>ASPNETCORE_URLS</c>; launch
/// settings do not override them), and a port already in use stops the app in one plain line
/// before it touches the database.
/// </summary>
public sealed class ListenAddressTests
{
    [Fact]
    public void FirstInUse_PortHeldByAnotherProgram_NamesThatAddressUntilItIsFree()
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        try
        {
            ListenAddresses.FirstInUse(["http://127.0.0.1:0", $"http://localhost:{port}"]).ShouldBe($"http://localhost:{port}");
            ListenAddresses.FirstInUse([$"http://127.0.0.1:{port}"]).ShouldBe($"http://127.0.0.1:{port}");
        }
        finally
        {
            holder.Stop();
        }
        ListenAddresses.FirstInUse([$"http://127.0.0.1:{port}"]).ShouldBeNull();
    }

    [Theory]
    [InlineData("--urls")]
    [InlineData("ASPNETCORE_URLS")]
    public async Task Program_PortInUse_FailsFastInOneLineBeforeTheDatabase(string how)
    {
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var data = Directory.CreateTempSubdirectory("waypoint-port-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = AppContext.BaseDirectory,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Waypoint.Web.dll"));
            var url = $"http://127.0.0.1:{port}";
            if (how == "--urls")
            {
                start.ArgumentList.Add("--urls");
                start.ArgumentList.Add(url);
            }
            else
            {
                start.Environment["ASPNETCORE_URLS"] = url;
            }
            start.Environment["WAYPOINT_Waypoint__DataFolder"] = data;
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
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

            process.ExitCode.ShouldBe(1);
            var lines = (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            lines.ShouldBe([$"Waypoint cannot start: {url} is already in use. Choose another address with --urls (for example --urls http://localhost:5081) or ASPNETCORE_URLS."]);
            (await output).Trim().ShouldBeEmpty();
            Directory.EnumerateFileSystemEntries(data).ShouldBeEmpty("nothing was migrated or seeded before the port was found taken");
        }
        finally
        {
            holder.Stop();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void LaunchSettings_NoApplicationUrl_SoTheEnvironmentAndCommandLineDecide()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Waypoint.slnx")))
            folder = folder.Parent;
        folder.ShouldNotBeNull();
        var settings = File.ReadAllText(Path.Combine(folder.FullName, "src", "Waypoint.Web", "Properties", "launchSettings.json"));

        settings.ShouldNotContain("applicationUrl");
        settings.ShouldNotContain("ASPNETCORE_URLS");
    }
}
