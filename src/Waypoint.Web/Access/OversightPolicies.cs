using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Access;

/// <summary>Named policies for the partnership's aggregate views, in place of role checks written into pages.</summary>
public static class OversightPolicies
{
    /// <summary>Partnership-wide figures (consent rates): partnership administrators, analysts and anyone holding a current partnership function.</summary>
    public const string PartnershipFigures = "PartnershipFigures";

    /// <summary>The suspensions and exclusions dashboard: the partnership's figures, and each school's own staff.</summary>
    public const string ExclusionDashboard = "ExclusionDashboard";

    public static void Add(AuthorizationBuilder builder) => builder
        .AddPolicy(PartnershipFigures, p => p.RequireAuthenticatedUser().AddRequirements(new PartnershipFiguresRequirement(SchoolsToo: false)))
        .AddPolicy(ExclusionDashboard, p => p.RequireAuthenticatedUser().AddRequirements(new PartnershipFiguresRequirement(SchoolsToo: true)));
}

public sealed record PartnershipFiguresRequirement(bool SchoolsToo) : IAuthorizationRequirement;

/// <summary>Decides <see cref="PartnershipFiguresRequirement"/> from the reader's roles, organisation and current partnership functions.</summary>
public sealed class PartnershipFiguresHandler(WaypointDbContext db, TimeProvider clock) : AuthorizationHandler<PartnershipFiguresRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PartnershipFiguresRequirement requirement)
    {
        var reader = db.Reader;
        if (reader.IsSystem || reader.UserId == Guid.Empty)
            return;
        if (context.User.IsInRole(Roles.PartnershipAdmin) || context.User.IsInRole(Roles.Analyst)
            || (requirement.SchoolsToo && reader.OrganisationType == OrganisationType.School && !reader.AggregatesOnly))
        {
            context.Succeed(requirement);
            return;
        }
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (await db.PartnershipRoleGrants.AsNoTracking().AnyAsync(g => g.UserId == reader.UserId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)))
            context.Succeed(requirement);
    }
}
