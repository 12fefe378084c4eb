using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Waypoint.Features.Demo;

namespace Waypoint.Shell;

/// <summary>Tells whoever ran <c>--demo</c> where the app is and how to sign in.</summary>
public static class DemoBanner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Console.WriteLine();
        Console.WriteLine("Waypoint is running with the demo partnership (all people and data are generated).");
        foreach (var a in addresses)
            Console.WriteLine($"  Open {a}");
        Console.WriteLine($"  Every demo account: password '{DemoAccounts.Password}', authenticator secret {DemoAccounts.TotpSecret}");
        foreach (var account in DemoAccounts.All)
            Console.WriteLine($"  {account.Email,-40} {account.Persona}");
        Console.WriteLine();
    }
}
