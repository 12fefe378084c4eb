using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Account;

public sealed class IndexModel(CurrentUserSummary current, UserManager<WaypointUser> users, SignInManager<WaypointUser> signIn) : PageModel
{
    public UserSummary? Summary { get; private set; }
    [BindProperty] public string? CurrentPassword { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty(SupportsGet = true)] public bool PasswordChanged { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync() => Summary = await current.GetAsync();

    /// <summary>Changing the password also changes the security stamp: other sessions end, this one is renewed.</summary>
    public async Task<IActionResult> OnPostChangePasswordAsync()
    {
        Summary = await current.GetAsync();
        var user = Summary is null ? null : await users.FindByIdAsync(Summary.Id.ToString());
        if (user is null)
            return Challenge();
        if (string.IsNullOrEmpty(CurrentPassword))
            Errors["CurrentPassword"] = "Enter your current password";
        if (string.IsNullOrEmpty(NewPassword))
            Errors["NewPassword"] = "Enter a new password";
        if (Errors.Count > 0)
            return Page();
        var result = await users.ChangePasswordAsync(user, CurrentPassword!, NewPassword!);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                var field = error.Code == "PasswordMismatch" ? "CurrentPassword" : "NewPassword";
                var message = error.Code == "PasswordMismatch" ? "Your current password is not right" : error.Description;
                Errors[field] = Errors.TryGetValue(field, out var earlier) ? $"{earlier} {message}" : message;
            }
            return Page();
        }
        await signIn.RefreshSignInAsync(user);
        return RedirectToPage(new { PasswordChanged = true });
    }

    /// <summary>A new security stamp invalidates every cookie and bearer token issued before it (checked on each request).</summary>
    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        var summary = await current.GetAsync();
        var user = summary is null ? null : await users.FindByIdAsync(summary.Id.ToString());
        if (user is not null)
            await users.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return Redirect("/sign-out");
    }
}
