using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Waypoint.Identity;

namespace Waypoint.Features.SignIn;

/// <summary>Step one of sign-in: the password. Nobody is signed in until the authenticator code is checked too.</summary>
[EnableRateLimiting(SignInLimits.PerAddressPolicy)]
public sealed class IndexModel(PasswordCheck passwords, SignInThrottle throttle, PendingSignIn pending) : PageModel
{
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public const string RefusedMessage =
        "The email address or password is not right. After 5 wrong attempts an account is locked for 15 minutes";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email))
            Errors["Email"] = "Enter your email address";
        else if (Email.Length > 256)
            Errors["Email"] = "Email address must be 256 characters or fewer";
        if (string.IsNullOrEmpty(Password))
            Errors["Password"] = "Enter your password";
        if (Errors.Count > 0)
            return Page();

        if (throttle.TryAttempt(Email!) is { } wait)
        {
            SignInLimits.SetRetryAfter(HttpContext, wait);
            Errors["Email"] = SignInLimits.Message(wait);
            return Page();
        }
        if (await passwords.CheckAsync(Email!, Password!) is { } user)
        {
            pending.Start(HttpContext, user.Id);
            var next = user.TwoFactorEnabled ? "/sign-in/code" : "/sign-in/enrol";
            return LocalRedirect(next + (Url.IsLocalUrl(ReturnUrl) ? $"?returnUrl={Uri.EscapeDataString(ReturnUrl!)}" : ""));
        }
        // One message for every refusal: a distinct "locked" message would tell a stranger which
        // email addresses have accounts (only a real account can be locked).
        Errors["Email"] = RefusedMessage;
        return Page();
    }
}
