using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace Waypoint.Identity;

/// <summary>
/// The authenticator app's codes, each accepted once (RFC 6238 section 5.2). Identity's own
/// provider accepts a code for as long as it is within the clock window, so a code seen over
/// someone's shoulder, or caught by a phishing page, can be used again within the minute. This one
/// takes codes from the same window (two 30-second steps either side, as Identity does) and records
/// the step of the last code accepted: that step and any before it are refused from then on. A
/// second request racing with the same code loses on the user's concurrency stamp.
/// </summary>
public sealed class OneTimeAuthenticatorTokenProvider(TimeProvider clock) : AuthenticatorTokenProvider<WaypointUser>
{
    public const string Name = "WaypointAuthenticator";
    private static readonly VerificationWindow Window = new(previous: 2, future: 2);

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<WaypointUser> manager, WaypointUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrWhiteSpace(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
            return false;
        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(clock.GetUtcNow().UtcDateTime, token, out var step, Window))
            return false;
        if (user.LastAuthenticatorStep is { } last && step <= last)
            return false;
        user.LastAuthenticatorStep = step;
        return (await manager.UpdateAsync(user)).Succeeded;
    }
}
