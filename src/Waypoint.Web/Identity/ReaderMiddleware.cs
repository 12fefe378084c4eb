using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Identity;

/// <summary>
/// Turns the signed-in principal into the <see cref="Reader"/> the access policy uses, and ends
/// the session or token at once if the account was deactivated or signed out everywhere (the
/// security stamp changed) — checked on every request, cookie or bearer alike.
/// </summary>
public sealed class ReaderMiddleware(RequestDelegate next)
{
    private sealed record AccountRow(bool IsActive, string? SecurityStamp, Guid OrganisationId, Domain.OrganisationType OrganisationType, bool OrganisationActive,
        string DisplayName, string? Email, string OrganisationName, List<string> Roles);

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, Task<AccountRow?>>> AccountQuery = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, AccountRow?>>(
        (WaypointDbContext db, Guid userId) => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new AccountRow(u.IsActive, u.SecurityStamp, u.OrganisationId, u.Organisation!.Type, u.Organisation.IsActive, u.DisplayName, u.Email,
                u.Organisation.Name, (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name!).ToList()))
            .FirstOrDefault())));

    public async Task InvokeAsync(HttpContext http, ReaderContext readerContext, Shell.CurrentUserSummary currentUser, WaypointDbContext db, IOptions<IdentityOptions> identity)
    {
        if (http.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            var stamp = http.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
            // The account, its organisation and its roles in one statement, compiled once (issue 18: on every request).
            var user = await AccountQuery.For(db)(db, userId);
            if (user is null || !user.IsActive || !user.OrganisationActive || user.SecurityStamp != stamp)
            {
                // Revoked: refuse outright rather than carry on as anonymous, so no later
                // authentication step can bring the old cookie or token back to life.
                if (http.Request.Path.StartsWithSegments("/api"))
                {
                    http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await Results.Problem(statusCode: 401, title: "Signed out", detail: "This token is no longer valid: the account was deactivated or signed out everywhere.").ExecuteAsync(http);
                    return;
                }
                await http.SignOutAsync(IdentityConstants.ApplicationScheme);
                http.Response.Redirect("/sign-in");
                return;
            }
            else
            {
                // Roles from the database, not the token's claims, so a changed role applies at once.
                var roles = user.Roles;
                readerContext.Current = new Reader(userId, user.OrganisationId, user.OrganisationType, IsSystem: false, Roles.SeeAggregatesOnly(roles));
                // The page shell shows the same facts; handing them over saves it two queries a page.
                currentUser.Use(new Shell.UserSummary(userId, user.DisplayName, user.Email ?? "", user.OrganisationId, user.OrganisationName, roles.ToHashSet()));
            }
        }
        await next(http);
    }
}
