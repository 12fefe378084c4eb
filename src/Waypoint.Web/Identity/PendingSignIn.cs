using Microsoft.AspNetCore.DataProtection;

namespace Waypoint.Identity;

/// <summary>
/// Between the password step and the authenticator-code step the user is not signed in; this
/// carries who they are in a short-lived, encrypted cookie.
/// </summary>
public sealed class PendingSignIn(IDataProtectionProvider protection, TimeProvider clock)
{
    private const string CookieName = "waypoint.pending";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private readonly ITimeLimitedDataProtector protector = protection.CreateProtector("Waypoint.PendingSignIn").ToTimeLimitedDataProtector();

    public void Start(HttpContext http, Guid userId) =>
        http.Response.Cookies.Append(CookieName, protector.Protect(userId.ToString("N"), clock.GetUtcNow().Add(Lifetime)),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, MaxAge = Lifetime, Path = "/" });

    public Guid? Read(HttpContext http)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var value))
            return null;
        try
        {
            return Guid.Parse(protector.Unprotect(value));
        }
        catch (Exception ex) when (ex is System.Security.Cryptography.CryptographicException or FormatException)
        {
            return null;
        }
    }

    public void End(HttpContext http) => http.Response.Cookies.Delete(CookieName);
}
