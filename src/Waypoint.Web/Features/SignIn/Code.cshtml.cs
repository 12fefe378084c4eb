using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Waypoint.Identity;

namespace Waypoint.Features.SignIn;

/// <summary>Step two: the TOTP code. Wrong codes count towards lockout like wrong passwords.</summary>
[EnableRateLimiting(SignInLimits.PerAddressPolicy)]
public sealed class CodeModel(UserManager<WaypointUser> users, SignInManager<WaypointUser> signIn, PendingSignIn pending, SignInThrottle throttle) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public IActionResult OnGet() => pending.Read(HttpContext) is null ? RedirectToPage("/SignIn/Index") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = pending.Read(HttpContext) is { } id ? await users.FindByIdAsync(id.ToString()) : null;
        if (user is null || !user.IsActive || !user.TwoFactorEnabled)
            return RedirectToPage("/SignIn/Index");
        if (await users.IsLockedOutAsync(user))
        {
            pending.End(HttpContext);
            return RedirectToPage("/SignIn/Index");
        }
        if (throttle.TryAttempt(user.Email ?? user.Id.ToString()) is { } wait)
        {
            SignInLimits.SetRetryAfter(HttpContext, wait);
            Errors["Code"] = SignInLimits.Message(wait);
            return Page();
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit))
        {
            Errors["Code"] = "Enter the 6-digit code from your authenticator app";
            return Page();
        }
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await users.AccessFailedAsync(user);
            Errors["Code"] = "The security code is not right. Check the app and enter the code shown now";
            return Page();
        }
        await users.ResetAccessFailedCountAsync(user);
        pending.End(HttpContext);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: "mfa");
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
