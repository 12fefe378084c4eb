using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Alerts;

/// <summary>
/// One group of people an alert goes to. This is the extension point for recipients: the school's
/// safeguarding lead and the council inclusion team are here; the lead of the child's open case
/// joins as one more implementation registered beside these when case work lands, with nothing
/// else to change. Sources run as the system; <see cref="AlertRecipients"/> then keeps only those
/// the access policy lets see the alert.
/// </summary>
public interface IAlertRecipientSource
{
    Task<IReadOnlyCollection<Guid>> UserIdsAsync(Alert alert, CancellationToken ct);
}

/// <summary>The designated safeguarding lead of the school whose records raised the alert, where its administrator has named one.</summary>
public sealed class SchoolSafeguardingLeadRecipients(WaypointDbContext db) : IAlertRecipientSource
{
    public async Task<IReadOnlyCollection<Guid>> UserIdsAsync(Alert alert, CancellationToken ct)
    {
        var lead = await db.Organisations.AsNoTracking().Where(o => o.Id == alert.SchoolId)
            .Select(o => o.SafeguardingLeadUserId).FirstOrDefaultAsync(ct);
        return lead is { } id ? [id] : [];
    }
}

/// <summary>The council inclusion team: users with a current inclusion-officer grant covering the pupil's ward (the ward, its district or its county).</summary>
public sealed class InclusionTeamRecipients(WaypointDbContext db, TimeProvider clock) : IAlertRecipientSource
{
    public async Task<IReadOnlyCollection<Guid>> UserIdsAsync(Alert alert, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var areas = await db.Unfiltered<Person>("an alert's inclusion-team recipients are found from the pupil's ward").AsNoTracking().Where(p => p.Id == alert.PersonId)
            .Select(p => new { Ward = p.AreaId, District = p.Area!.ParentId, County = p.Area.Parent!.ParentId })
            .FirstOrDefaultAsync(ct);
        if (areas is null)
            return [];
        var covering = new[] { areas.Ward, areas.District, areas.County }.OfType<Guid>().ToList();
        return await db.PartnershipRoleGrants.AsNoTracking()
            .Where(g => g.Function == PartnershipFunction.InclusionOfficer && covering.Contains(g.AreaId)
                && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => g.UserId).Distinct().ToListAsync(ct);
    }
}

/// <summary>The lead practitioner of each open case about the pupil, where the case has one.</summary>
public sealed class CaseLeadRecipients(WaypointDbContext db) : IAlertRecipientSource
{
    public async Task<IReadOnlyCollection<Guid>> UserIdsAsync(Alert alert, CancellationToken ct) =>
        await db.Unfiltered<Case>("the lead practitioners of the pupil's open cases receive its alerts").AsNoTracking()
            .Where(c => c.PersonId == alert.PersonId && c.Status == CaseStatus.Open && c.LeadPractitionerId != null)
            .Select(c => c.LeadPractitionerId!.Value).Distinct().ToListAsync(ct);
}

/// <summary>Everyone the sources name who may see the alert, so nobody is sent to a page that would be a 404 to them.</summary>
public sealed class AlertRecipients(IEnumerable<IAlertRecipientSource> sources, AlertVisibility visibility)
{
    public async Task<IReadOnlyCollection<Guid>> ForAsync(Alert alert, CancellationToken ct)
    {
        var named = new HashSet<Guid>();
        foreach (var source in sources)
            named.UnionWith(await source.UserIdsAsync(alert, ct));
        return await visibility.WhoMaySeeAsync(alert.Id, named, ct);
    }
}

/// <summary>
/// Whether given users may see an alert, asked of the access policy itself: each user's own
/// reader in a scope of its own, as their next request would be. Used for recipients and for
/// choosing whom an alert may be assigned to.
/// </summary>
public sealed class AlertVisibility(IServiceScopeFactory scopes)
{
    public async Task<IReadOnlyCollection<Guid>> WhoMaySeeAsync(Guid alertId, IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        if (userIds.Count == 0)
            return [];
        var readers = await ReadersAsync(userIds, ct);
        var visible = new List<Guid>();
        foreach (var reader in readers)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = reader;
            var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
            if (await db.Alerts.AnyAsync(a => a.Id == alertId, ct))
                visible.Add(reader.UserId);
        }
        return visible;
    }

    /// <summary>Readers for the active users of active organisations among the ids, as ReaderMiddleware would make them.</summary>
    private async Task<IReadOnlyList<Reader>> ReadersAsync(IReadOnlyCollection<Guid> userIds, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem("alert recipients are found by the system, then kept only where the policy lets them see the alert");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var ids = userIds.ToList();
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id) && u.IsActive && u.Organisation!.IsActive)
            .Select(u => new { u.Id, u.OrganisationId, u.Organisation!.Type }).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name })
            .ToListAsync(ct);
        return users.Select(u => new Reader(u.Id, u.OrganisationId, u.Type, IsSystem: false,
                Roles.SeeAggregatesOnly(roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList())))
            .ToList();
    }
}
