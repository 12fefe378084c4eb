using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Waypoint.Shell;

/// <summary>
/// Where the app listens, chosen the ASP.NET way (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
/// <c>ASPNETCORE_HTTP_PORTS</c> or Kestrel endpoints in configuration), with Waypoint's own default
/// only when none is given; and a check, before the database is touched, that those ports are free.
/// </summary>
public static class ListenAddresses
{
    public const string Default = "http://localhost:5080";

    /// <summary>
    /// Waypoint's default address, unless configuration already names one (launch settings no
    /// longer do, so they cannot override it); a test host that boots the app picks its own.
    /// </summary>
    public static void UseDefaultUnlessConfigured(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        if (RunningAsTheProgram && string.IsNullOrWhiteSpace(config["urls"]) && string.IsNullOrWhiteSpace(config["http_ports"])
            && string.IsNullOrWhiteSpace(config["https_ports"]) && !config.GetSection("Kestrel:Endpoints").Exists())
            builder.WebHost.UseUrls(Default);
    }

    /// <summary>
    /// True when this assembly is the process's entry point (<c>dotnet run</c>, the published app).
    /// A test host that boots the app chooses its own server and addresses, so it is not checked.
    /// </summary>
    public static bool RunningAsTheProgram => Assembly.GetEntryAssembly() == typeof(ListenAddresses).Assembly;

    /// <summary>The first configured address whose port another program already holds, or null.</summary>
    public static string? FirstInUse(IConfiguration config)
    {
        var urls = (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return FirstInUse(urls);
    }

    public static string? FirstInUse(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                continue; // Kestrel reports a malformed address itself, with its own message.
            }
            if (address.IsUnixPipe || address.Port == 0)
                continue;
            foreach (var ip in AddressesFor(address.Host))
                if (InUse(ip, address.Port))
                    return url;
        }
        return null;
    }

    private static IEnumerable<IPAddress> AddressesFor(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return [IPAddress.Loopback];
        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
            return [ip];
        // "*", "+", "0.0.0.0" or a host name: Kestrel listens on every interface.
        return [IPAddress.Any];
    }

    private static bool InUse(IPAddress ip, int port)
    {
        var listener = new TcpListener(ip, port);
        try
        {
            listener.Start();
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return true;
        }
        catch (SocketException)
        {
            return false; // an address this machine does not have: Kestrel says so itself
        }
        finally
        {
            listener.Stop();
        }
    }
}
