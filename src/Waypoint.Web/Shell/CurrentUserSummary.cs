using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Shell;

public sealed record UserSummary(Guid Id, string DisplayName, string Email, Guid OrganisationId, string OrganisationName, IReadOnlySet<string> Roles)
{
    public bool IsPartnershipAdmin => Roles.Contains(Identity.Roles.PartnershipAdmin);
    public bool IsOrganisationAdmin => Roles.Contains(Identity.Roles.OrganisationAdmin);
    public bool IsDataProtectionOfficer => Roles.Contains(Identity.Roles.DataProtectionOfficer);
}

/// <summary>The signed-in user's name, organisation and roles for the page shell, loaded once per request.</summary>
public sealed class CurrentUserSummary(ReaderContext reader, WaypointDbContext db, TimeProvider clock)
{
    private UserSummary? loaded;

    /// <summary>What the request's sign-in check already read (ReaderMiddleware), so it is not read twice.</summary>
    public void Use(UserSummary summary) => loaded = summary;

    public async Task<UserSummary?> GetAsync()
    {
        var current = reader.Current;
        if (current.IsSystem || current.UserId == Guid.Empty)
            return null;
        if (loaded is not null && loaded.Id == current.UserId)
            return loaded;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == current.UserId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.OrganisationId, Organisation = u.Organisation!.Name })
            .FirstAsync();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == current.UserId select r.Name!).ToListAsync();
        loaded = new UserSummary(user.Id, user.DisplayName, user.Email ?? "", user.OrganisationId, user.Organisation, roles.ToHashSet());
        return loaded;
    }

    /// <summary>The reader's unread notices, for the badge in the menu (the query filter keeps it to their own).</summary>
    public Task<int> UnreadNoticesAsync() => db.Notifications.CountAsync(n => n.ReadAt == null);

    /// <summary>
    /// The menu's two badges in one statement, compiled once (issue 18: every page paid two statements and two query
    /// trees for them): the reader's unread notices and the open alerts the reader may see, up to <paramref name="alertsUpTo"/>
    /// (0: not counted), each through its query filter, as <see cref="UnreadNoticesAsync"/> and AlertInbox.OpenCountAsync count them.
    /// </summary>
    public async Task<(int UnreadNotices, int OpenAlerts)> MenuCountsAsync(int alertsUpTo)
    {
        var counts = await Badges.GetAsync(Key(alertsUpTo, narrowed: false), clock,
            () => MenuCountsQuery.For(db)(db, reader.Current.UserId, alertsUpTo), Keeps);
        return counts is null ? (0, 0) : (counts.UnreadNotices, counts.OpenAlerts);
    }

    /// <summary>
    /// The same two badges, the open alerts counted only among those about <paramref name="narrowTo"/>: the people the
    /// reader's own relationships name (Features/Shared/ReaderPeople), where the page has read them. They narrow, never
    /// widen: the Alert filter still decides. One statement where the narrowed count and the notices were two (issue 18).
    /// </summary>
    public async Task<(int UnreadNotices, int OpenAlerts)> MenuCountsAsync(int alertsUpTo, IReadOnlyList<Guid> narrowTo)
    {
        var counts = await Badges.GetAsync(Key(alertsUpTo, narrowed: true), clock,
            () => NarrowedMenuCountsQuery.For(db)(db, reader.Current.UserId, alertsUpTo, narrowTo as Guid[] ?? [.. narrowTo]), Keeps);
        return counts is null ? (0, 0) : (counts.UnreadNotices, counts.OpenAlerts);
    }

    /// <summary>
    /// The menu's badges are on every page; for a county hub the open alerts counted through the Alert filter were 0.5–1.2 ms
    /// of PostgreSQL a page under load, always to "99+" (issue 18). So each reader's two counts are kept, for the same reader
    /// (user, organisation and its type, the provider) and bound, until the next write this process makes through EF (an alert
    /// raised, closed or reassigned, a notice read, a grant, enrolment or agreement changed: <see cref="WriteStamp"/>), and
    /// never longer than <see cref="BadgesKept"/> (what a write elsewhere, or a day ending a grant, leaves behind). Two counts,
    /// no one's record: nothing to audit. Each is one reader's alone, never served to another.
    /// </summary>
    private (Guid User, Guid Organisation, Domain.OrganisationType Type, bool Postgres, int UpTo, bool Narrowed) Key(int alertsUpTo, bool narrowed) =>
        (reader.Current.UserId, reader.Current.OrganisationId, reader.Current.OrganisationType, db.IsPostgres, alertsUpTo, narrowed);

    /// <summary>Counts are kept only for a signed-in reader, and only when the reader's row was found.</summary>
    private bool Keeps(MenuCounts? counts) => counts is not null && !reader.Current.IsSystem && reader.Current.UserId != Guid.Empty;

    /// <summary>How long a reader's badges are kept when nothing is written.</summary>
    public static readonly TimeSpan BadgesKept = TimeSpan.FromSeconds(30);

    /// <summary>Each reader's badges; past 10,000 readers all are forgotten (each is one statement to count again).</summary>
    private static readonly KeptUntilWrite<(Guid, Guid, Domain.OrganisationType, bool, int, bool), MenuCounts?> Badges = new(BadgesKept, most: 10_000);

    private sealed record MenuCounts(int UnreadNotices, int OpenAlerts);

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, int, Task<MenuCounts?>>> MenuCountsQuery =
        new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, int, MenuCounts?>>((db, userId, alertsUpTo) =>
            db.Users.Where(u => u.Id == userId)
                .Select(u => new MenuCounts(
                    db.Notifications.Count(n => n.ReadAt == null),
                    db.Alerts.Where(a => a.Status != Domain.AlertStatus.Closed).Take(alertsUpTo).Count()))
                .FirstOrDefault())));

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, int, Guid[], Task<MenuCounts?>>> NarrowedMenuCountsQuery =
        new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, int, Guid[], MenuCounts?>>((db, userId, alertsUpTo, people) =>
            db.Users.Where(u => u.Id == userId)
                .Select(u => new MenuCounts(
                    db.Notifications.Count(n => n.ReadAt == null),
                    db.Alerts.Where(a => a.Status != Domain.AlertStatus.Closed && people.Contains(a.PersonId)).Take(alertsUpTo).Count()))
                .FirstOrDefault())));
}
