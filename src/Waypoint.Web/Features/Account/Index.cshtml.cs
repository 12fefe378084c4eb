using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Account;

public sealed class IndexModel(CurrentUserSummary current, UserManager<WaypointUser> users, SignInManager<WaypointUser> signIn) : PageModel
{
    public UserSummary? Summary { get; private set; }

    public async Task OnGetAsync() => Summary = await current.GetAsync();

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
