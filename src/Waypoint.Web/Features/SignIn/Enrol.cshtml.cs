using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Identity;

namespace Waypoint.Features.SignIn;

/// <summary>Enrolment in TOTP is part of the first sign-in: an account cannot be used without it.</summary>
[Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(SignInLimits.PerAddressPolicy)]
public sealed class EnrolModel(UserManager<WaypointUser> users, SignInManager<WaypointUser> signIn, PendingSignIn pending) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public string FormattedKey { get; private set; } = "";
    public string OtpAuthUri { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await PendingUserAsync();
        if (user is null)
            return RedirectToPage("/SignIn/Index");
        await LoadKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await PendingUserAsync();
        if (user is null)
            return RedirectToPage("/SignIn/Index");
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit) || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            Errors["Code"] = "Enter the 6-digit code your authenticator app shows for Waypoint";
            await LoadKeyAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        pending.End(HttpContext);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "mfa");
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private async Task<WaypointUser?> PendingUserAsync()
    {
        var user = pending.Read(HttpContext) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        // Only an account without an authenticator may enrol here; replacing one needs the old one.
        return user is { IsActive: true, TwoFactorEnabled: false } ? user : null;
    }

    private async Task LoadKeyAsync(WaypointUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user) ?? "";
        }
        var sb = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
            sb.Append(key.AsSpan(i, Math.Min(4, key.Length - i))).Append(' ');
        FormattedKey = sb.ToString().TrimEnd().ToLowerInvariant();
        OtpAuthUri = $"otpauth://totp/Waypoint:{Uri.EscapeDataString(user.Email ?? "")}?secret={key}&issuer=Waypoint&digits=6";
    }
}
