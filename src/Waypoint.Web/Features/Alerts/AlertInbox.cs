using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;

namespace Waypoint.Features.Alerts;

public enum AlertListFilter
{
    Open,
    Closed,
    All,
}

/// <summary>The inbox's narrowing beyond open/closed: one rule, one school, one status, the days the alerts were raised (set off) between.</summary>
public sealed record AlertFilters(AlertRule? Rule = null, Guid? School = null, AlertStatus? Status = null, DateOnly? RaisedFrom = null, DateOnly? RaisedTo = null)
{
    public static readonly AlertFilters None = new();
}

public sealed record AlertListItem(Guid Id, AlertRule Rule, AlertStatus Status, Guid PersonId, string PupilName, string School,
    DateOnly TriggeredOn, DateTimeOffset RaisedAt, string? AssignedTo, string Figures)
{
    public string RuleName => AlertRules.Of(Rule).Name;
}

/// <summary>One page of the inbox: its alerts, how many the list holds (and of each status), whether more follow, the schools to filter by.</summary>
public sealed record AlertInboxPage(IReadOnlyList<AlertListItem> Items, int Total, bool More, IReadOnlyDictionary<AlertStatus, int> ByStatus,
    IReadOnlyList<(Guid Id, string Name)> Schools);

public sealed record AlertHistoryItem(AlertEventKind Kind, DateTimeOffset At, string? By, string? AssignedTo, string? Note);

public sealed record AlertDetails(AlertListItem Alert, Guid SchoolId, int ThresholdValue, Guid? AssignedToUserId, IReadOnlyList<AlertHistoryItem> History)
{
    public string Threshold => AlertRules.Of(Alert.Rule) is { HasValue: true } d ? d.Describe(ThresholdValue) : AlertRules.Of(Alert.Rule).Name;
}

/// <summary>The outcome of a change to an alert: not found (an audited 404), refused with reasons per field, or done.</summary>
public sealed record AlertChange(bool Found, IReadOnlyDictionary<string, string> Errors, bool Forbidden = false)
{
    public static readonly AlertChange NotFound = new(false, new Dictionary<string, string>());

    /// <summary>The reader may see the alert but it is not addressed to their organisation.</summary>
    public static readonly AlertChange NotAddressed = new(true, new Dictionary<string, string> { ["Alert"] = "This alert is not addressed to your organisation" }, Forbidden: true);
    public static readonly AlertChange Done = new(true, new Dictionary<string, string>());

    public static AlertChange Refused(string field, string message) => new(true, new Dictionary<string, string> { [field] = message });

    public bool Succeeded => Found && Errors.Count == 0;
}

/// <summary>
/// The alerts a reader may see and what they may do with them: the policy's query filter decides
/// which (an alert flows like the school records that raised it); every list is audited as a
/// listing of its pupils, every page as a read, every change as a write, and an alert the reader
/// may not see is refused exactly like a person they may not see: not found, and an audited denial.
/// </summary>
public sealed class AlertInbox(WaypointDbContext db, PersonAccess access, AlertVisibility visibility, INotifier notifier, Shared.ReaderPeople readerPeople, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>
    /// Open alerts the reader may see (the menu's badge), counted up to one more than the badge
    /// shows: it is on every page, and counting every open alert in a county through the policy
    /// took most of a page's time (issue 18). Where the page has already read the people the reader's own relationships name (home, the
    /// inbox), the count is narrowed to their alerts (the filter still decides); other pages do not
    /// read them for the badge alone. The layout counts the badge with the notices in one statement
    /// (CurrentUserSummary.MenuCountsAsync, narrowed by <see cref="BadgeNarrowing"/>); this is the same count on its own.
    /// </summary>
    public Task<int> OpenCountAsync(CancellationToken ct = default)
    {
        // The inbox's own page has just counted every open alert the reader may see (no narrowing but the policy's).
        if (openCounted is { } known)
            return Task.FromResult(Math.Min(known, Shell.NavItem.MaxShown + 1));
        var open = db.Alerts.Where(a => a.Status != AlertStatus.Closed);
        if (readerPeople.CandidatesIfRead is { } candidates)
            open = open.Where(a => candidates.Contains(a.PersonId));
        return open.Take(Shell.NavItem.MaxShown + 1).CountAsync(ct);
    }

    /// <summary>The open alerts the menu's badge shows, when this request's inbox page counted them all (null otherwise).</summary>
    public int? OpenCounted => openCounted is { } known ? Math.Min(known, Shell.NavItem.MaxShown + 1) : null;

    /// <summary>The people the badge's count may be narrowed to (their alerts only, the filter still deciding), when this request has read them.</summary>
    public IReadOnlyList<Guid>? BadgeNarrowing => readerPeople.CandidatesIfRead;

    /// <summary>Every open alert the reader may see, when this request's inbox page counted them all (no filter but open or all).</summary>
    private int? openCounted;

    /// <summary>Open alerts per pupil among the given ones (the top 10's column).</summary>
    public async Task<IReadOnlyDictionary<Guid, int>> OpenCountsAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct = default)
    {
        var ids = personIds.ToList();
        return await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.PersonId) && a.Status != AlertStatus.Closed)
            .GroupBy(a => a.PersonId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, ct);
    }

    /// <summary>The most alerts one export holds; the page says so when a list is longer.</summary>
    public const int ExportLimit = 5000;

    /// <summary>One page of alerts, open before closed and new before acknowledged, newest first; the pupils listed are audited.</summary>
    public async Task<(IReadOnlyList<AlertListItem> Items, bool More)> ListAsync(AlertListFilter filter, Guid? personId, int skip, string subject, CancellationToken ct,
        AlertFilters? filters = null)
    {
        var rows = await Project(Ordered(await FilteredAsync(filter, personId, filters, ct)).Skip(Math.Max(0, skip)).Take(PageSize + 1)).ToListAsync(ct);
        var page = rows.Take(PageSize).ToList();
        await access.AuditListedAsync(page.Select(a => a.PersonId).Distinct().ToList(), subject, ct);
        return (page, rows.Count > PageSize);
    }

    /// <summary>Every alert the list shows (up to <see cref="ExportLimit"/>), in its order, for an export; each pupil in it audited as exported.</summary>
    public async Task<IReadOnlyList<AlertListItem>> ExportAsync(AlertListFilter filter, Guid? personId, string subject, CancellationToken ct,
        AlertFilters? filters = null)
    {
        var rows = await Project(Ordered(await FilteredAsync(filter, personId, filters, ct)).Take(ExportLimit)).ToListAsync(ct);
        await access.AuditShownAsync(rows.Select(a => a.PersonId).Distinct().ToList(), AuditAction.Export, subject, ct);
        return rows;
    }

    /// <summary>
    /// The inbox's page: how many alerts the list holds by status, one page of them in the list's
    /// order, and the schools to filter by. The pupils listed are audited.
    /// For a reader whose own relationships name everyone it may see (a school, an agency: the list is
    /// narrowed to their alerts, <see cref="FilteredAsync"/>), the list's alerts are read once, a few
    /// columns each and in the list's order (one statement: the policy asked of each alert once), counted
    /// here, and the page's rows read by id (the policy asked again of those alone). The policy was asked
    /// of each of a large school's ~570 open alerts twice before, in a grouped count and again in the page
    /// (~40 ms of PostgreSQL a request; issue 18). For any other reader (a county's alerts, thousands when
    /// closed ones are shown) the counts are one grouped statement and the page is read a status at a time
    /// (new, acknowledged, closed: the list's order) along the (Status, RaisedAt, Id) index, so the policy is
    /// asked of the rows up to the page's end, not of every alert sorted.
    /// </summary>
    public async Task<AlertInboxPage> PageAsync(AlertListFilter filter, Guid? personId, int skip, string subject, CancellationToken ct, AlertFilters? filters = null)
    {
        skip = Math.Max(0, skip);
        var listed = await FilteredAsync(filter, personId, filters, ct);
        List<SchoolCount> counts;
        var items = new List<AlertListItem>();
        var narrowed = readerPeople.CandidatesIfRead is not null;
        if (narrowed)
        {
            var rows = await Ordered(listed).Select(a => new ListedAlert(a.Id, a.Status, a.SchoolId, a.School!.Name, a.School.Urn)).ToListAsync(ct);
            counts = rows.GroupBy(r => (r.Status, r.SchoolId, r.Name, r.Urn))
                .Select(g => new SchoolCount(g.Key.Status, g.Key.SchoolId, g.Key.Name, g.Key.Urn, g.Count())).ToList();
            var ids = rows.Skip(skip).Take(PageSize).Select(r => r.Id).ToList();
            if (ids.Count > 0)
            {
                // Through the filter again (an alert closed or out of sight since is simply not on the page), in the list's order.
                var read = await Project(db.Alerts.AsNoTracking().Where(a => ids.Contains(a.Id))).ToDictionaryAsync(a => a.Id, ct);
                items.AddRange(ids.Where(read.ContainsKey).Select(id => read[id]));
            }
        }
        else
        {
            // The schools' names come with their counts: the filter's list needs no statement of its own when they are every school it offers.
            counts = await listed.GroupBy(a => new { a.Status, a.SchoolId, a.School!.Name, a.School.Urn })
                .Select(g => new SchoolCount(g.Key.Status, g.Key.SchoolId, g.Key.Name, g.Key.Urn, g.Count())).ToListAsync(ct);
        }
        var byStatus = counts.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));
        // The menu's badge is this list's open count when nothing but the policy narrows it: one statement fewer on the inbox.
        if (filter != AlertListFilter.Closed && personId is null && (filters is null || filters == AlertFilters.None))
            openCounted = byStatus.GetValueOrDefault(AlertStatus.New) + byStatus.GetValueOrDefault(AlertStatus.Acknowledged);
        var start = 0;
        foreach (var status in ListOrder)
        {
            var inStatus = byStatus.GetValueOrDefault(status);
            var from = Math.Max(skip, start);
            var to = Math.Min(skip + PageSize, start + inStatus);
            if (from < to && !narrowed)
                items.AddRange(await Project(listed.Where(a => a.Status == status)
                    .OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Skip(from - start).Take(to - from)).ToListAsync(ct));
            start += inStatus;
        }
        await access.AuditListedAsync(items.Select(a => a.PersonId).Distinct().ToList(), subject, ct);
        var counted = counts.Select(c => c.SchoolId).ToHashSet();
        var reader = db.Reader;
        // The filter offers the counted alerts' schools, the reader's own school and the schools in the areas its current grants
        // cover (SchoolsAsync). A reader holding no current grant whose own school (and the school chosen) is among the counted
        // ones is offered exactly the counted schools, named above; any other reads them (one statement).
        var schools = !reader.IsSystem && (await readerPeople.FunctionsAsync(ct)).Count == 0
                && (reader.OrganisationType != OrganisationType.School || counted.Contains(reader.OrganisationId))
                && (filters?.School is not { } chosen || counted.Contains(chosen))
            ? Named(counts.DistinctBy(c => c.SchoolId).Select(c => (c.SchoolId, c.Name, c.Urn)))
            : await SchoolsAsync(filters?.School is { } school ? [.. counted, school] : counted, ct);
        return new AlertInboxPage(items, start, skip + items.Count < start, byStatus, schools);
    }

    /// <summary>An alert of the list as the inbox counts it: its status and school (named, for the filter's list).</summary>
    private sealed record ListedAlert(Guid Id, AlertStatus Status, Guid SchoolId, string Name, string? Urn);

    /// <summary>How many of the list's alerts have one status at one school.</summary>
    private sealed record SchoolCount(AlertStatus Status, Guid SchoolId, string Name, string? Urn, int Count);

    /// <summary>The order of the list's statuses: new before acknowledged, open before closed.</summary>
    private static readonly AlertStatus[] ListOrder = [AlertStatus.New, AlertStatus.Acknowledged, AlertStatus.Closed];

    /// <summary>
    /// The schools for the filter, named with their URN (two schools can share a name): the reader's
    /// own school, the schools in the areas the reader's current grants cover, and the schools of the
    /// alerts the list holds (from its counts, so no second pass over the alerts). Schools are
    /// organisations, not anyone's record; choosing one still filters through the policy.
    /// </summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> SchoolsAsync(IReadOnlyCollection<Guid> counted, CancellationToken ct)
    {
        var reader = db.Reader;
        var ids = counted.ToList();
        if (reader.OrganisationType == OrganisationType.School)
            ids.Add(reader.OrganisationId);
        var userId = reader.UserId;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var schools = await db.Organisations.AsNoTracking()
            .Where(o => o.Type == OrganisationType.School && (ids.Contains(o.Id)
                || db.Areas.Any(a => a.Id == o.AreaId && db.PartnershipRoleGrants.Any(g => g.UserId == userId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)
                    && (g.AreaId == a.Id || g.AreaId == a.ParentId || g.AreaId == a.Parent!.ParentId)))))
            .Select(o => new { o.Id, o.Name, o.Urn }).ToListAsync(ct);
        return Named(schools.Select(s => (s.Id, s.Name, s.Urn)));
    }

    /// <summary>The schools in the filter's order (name, then URN), each named with its URN.</summary>
    private static List<(Guid Id, string Name)> Named(IEnumerable<(Guid Id, string Name, string? Urn)> schools) =>
        schools.OrderBy(s => s.Name).ThenBy(s => s.Urn)
            .Select(s => (s.Id, s.Urn is null ? s.Name : $"{s.Name} (URN {s.Urn})")).ToList();

    /// <summary>
    /// The list's alerts through the policy. For a reader whose own relationships name everyone it may
    /// see (a school, an agency: <see cref="Shared.ReaderPeople"/>), narrowed first to the alerts about
    /// those people, so that the count and the page ask the policy of the alerts about the reader's own
    /// pupils rather than of every alert in the county (the grouped count took 182 ms for a DSL; issue 18).
    /// The narrowing never widens: the Alert filter still decides, so the list is exactly the filtered one.
    /// </summary>
    private async Task<IQueryable<Alert>> FilteredAsync(AlertListFilter filter, Guid? personId, AlertFilters? filters, CancellationToken ct)
    {
        var query = db.Alerts.AsNoTracking();
        if (await readerPeople.CandidatesAsync(ct) is { } candidates)
            query = query.Where(a => candidates.Contains(a.PersonId));
        query = filter switch
        {
            AlertListFilter.Open => query.Where(a => a.Status != AlertStatus.Closed),
            AlertListFilter.Closed => query.Where(a => a.Status == AlertStatus.Closed),
            _ => query,
        };
        if (personId is { } pid)
            query = query.Where(a => a.PersonId == pid);
        if (filters?.Rule is { } rule)
            query = query.Where(a => a.Rule == rule);
        if (filters?.School is { } school)
            query = query.Where(a => a.SchoolId == school);
        if (filters?.Status is { } status)
            query = query.Where(a => a.Status == status);
        // The day an alert was raised is the day it was set off, as the list shows it.
        if (filters?.RaisedFrom is { } from)
            query = query.Where(a => a.TriggeredOn >= from);
        if (filters?.RaisedTo is { } to)
            query = query.Where(a => a.TriggeredOn <= to);
        return query;
    }

    private static IQueryable<Alert> Ordered(IQueryable<Alert> alerts) =>
        alerts.OrderBy(a => a.Status == AlertStatus.Closed ? 1 : 0).ThenBy(a => a.Status == AlertStatus.New ? 0 : 1)
            .ThenByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id);

    /// <summary>An opened alert with its history and what its figures were measured against.</summary>
    public async Task<AlertDetails> DetailsAsync(OpenedAlert alert, CancellationToken ct)
    {
        var item = await Project(db.Alerts.AsNoTracking().Where(a => a.Id == alert.Id)).FirstAsync(ct);
        var history = await db.AlertEvents.AsNoTracking().Where(e => e.AlertId == alert.Id).OrderBy(e => e.At).ThenBy(e => e.Id)
            .Select(e => new AlertHistoryItem(e.Kind, e.At,
                db.Users.Where(u => u.Id == e.UserId).Select(u => u.DisplayName).FirstOrDefault(),
                db.Users.Where(u => u.Id == e.AssignedToUserId).Select(u => u.DisplayName).FirstOrDefault(),
                e.Note))
            .ToListAsync(ct);
        return new AlertDetails(item, alert.Alert.SchoolId, alert.Alert.ThresholdValue, alert.Alert.AssignedToUserId, history);
    }

    /// <summary>Users of the reader's organisation who may see the alert, and so may have it assigned to them.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> AssigneesAsync(Guid alertId, CancellationToken ct)
    {
        var organisation = db.Reader.OrganisationId;
        var colleagues = await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisation && u.IsActive)
            .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct);
        var allowed = (await visibility.WhoMaySeeAsync(alertId, colleagues.Select(c => c.Id).ToList(), ct)).ToHashSet();
        return colleagues.Where(c => allowed.Contains(c.Id)).Select(c => (c.Id, c.DisplayName)).ToList();
    }

    public Task<AlertChange> AcknowledgeAsync(OpenedAlert opened, string subject, CancellationToken ct) =>
        ChangeAsync(opened, subject, ct, (alert, now) =>
        {
            if (alert.Status == AlertStatus.Closed)
                return Task.FromResult(AlertChange.Refused("Acknowledge", "This alert is closed"));
            if (alert.Status == AlertStatus.New)
            {
                alert.Status = AlertStatus.Acknowledged;
                db.AlertEvents.Add(new AlertEvent { AlertId = alert.Id, Kind = AlertEventKind.Acknowledged, At = now, UserId = db.Reader.UserId });
            }
            return Task.FromResult(AlertChange.Done);
        });

    public Task<AlertChange> AssignAsync(OpenedAlert opened, Guid? userId, string subject, CancellationToken ct) =>
        ChangeAsync(opened, subject, ct, async (alert, now) =>
        {
            if (alert.Status == AlertStatus.Closed)
                return AlertChange.Refused("AssignTo", "This alert is closed");
            if (userId is not { } assignee)
                return AlertChange.Refused("AssignTo", "Choose who to assign the alert to");
            if ((await AssigneesAsync(alert.Id, ct)).All(a => a.Id != assignee))
                return AlertChange.Refused("AssignTo", "Choose someone in your organisation who may see this alert");
            if (alert.AssignedToUserId == assignee)
                return AlertChange.Done;
            alert.AssignedToUserId = assignee;
            db.AlertEvents.Add(new AlertEvent { AlertId = alert.Id, Kind = AlertEventKind.Assigned, At = now, UserId = db.Reader.UserId, AssignedToUserId = assignee });
            return AlertChange.Done;
        }, async alert =>
        {
            if (alert.AssignedToUserId is { } assignee && assignee != db.Reader.UserId)
            {
                var school = await db.Organisations.AsNoTracking().Where(o => o.Id == alert.SchoolId).Select(o => o.Name).FirstAsync(ct);
                await notifier.NotifyAsync(new Notice([assignee], "An alert has been assigned to you",
                    $"An alert about a pupil at {school} ({AlertRules.Of(alert.Rule).Name.ToLowerInvariant()}) has been assigned to you.", $"/alerts/{alert.Id}", "alert-assigned"), ct);
            }
        });

    public Task<AlertChange> AddNoteAsync(OpenedAlert opened, string? note, string subject, CancellationToken ct) =>
        ChangeAsync(opened, subject, ct, (alert, now) =>
        {
            if (alert.Status == AlertStatus.Closed)
                return Task.FromResult(AlertChange.Refused("Note", "This alert is closed"));
            if (ValidateNote("Note", note, "Enter the note") is { } refused)
                return Task.FromResult(refused);
            db.AlertEvents.Add(new AlertEvent { AlertId = alert.Id, Kind = AlertEventKind.NoteAdded, At = now, UserId = db.Reader.UserId, Note = note!.Trim() });
            return Task.FromResult(AlertChange.Done);
        });

    public Task<AlertChange> CloseAsync(OpenedAlert opened, string? note, string subject, CancellationToken ct) =>
        ChangeAsync(opened, subject, ct, (alert, now) =>
        {
            if (alert.Status == AlertStatus.Closed)
                return Task.FromResult(AlertChange.Refused("CloseNote", "This alert is already closed"));
            if (ValidateNote("CloseNote", note, "Say why the alert is being closed") is { } refused)
                return Task.FromResult(refused);
            alert.Status = AlertStatus.Closed;
            alert.ClosedAt = now;
            db.AlertEvents.Add(new AlertEvent { AlertId = alert.Id, Kind = AlertEventKind.Closed, At = now, UserId = db.Reader.UserId, Note = note!.Trim() });
            return Task.FromResult(AlertChange.Done);
        });

    private static AlertChange? ValidateNote(string field, string? note, string missing)
    {
        if (string.IsNullOrWhiteSpace(note))
            return AlertChange.Refused(field, missing);
        if (note.Trim().Length > AlertEvent.MaxNoteLength)
            return AlertChange.Refused(field, $"The note must be {AlertEvent.MaxNoteLength:N0} characters or fewer");
        return null;
    }

    /// <summary>Loads the alert through the policy, applies the change, saves, audits the write; then anything to do once saved.</summary>
    private async Task<AlertChange> ChangeAsync(OpenedAlert opened, string subject, CancellationToken ct, Func<Alert, DateTimeOffset, Task<AlertChange>> change, Func<Alert, Task>? afterSave = null)
    {
        if (!opened.Allows(RecordOperationKind.Write))
        {
            await access.AuditDeniedAsync(opened.PersonId, $"{subject} {opened.Id} not addressed to the reader", ct);
            return AlertChange.NotAddressed;
        }
        var alert = await db.Alerts.FirstAsync(a => a.Id == opened.Id, ct);
        var outcome = await change(alert, clock.GetUtcNow());
        if (!outcome.Succeeded || !db.ChangeTracker.HasChanges())
            return outcome; // refused, or nothing to record (acknowledging twice, assigning to the same person)
        await access.AuditWriteAsync(alert.PersonId, AuditAction.Update, subject, ct);
        await db.SaveChangesAsync(ct);
        if (afterSave is not null)
            await afterSave(alert);
        return outcome;
    }

    private IQueryable<AlertListItem> Project(IQueryable<Alert> alerts) =>
        alerts.Select(a => new AlertListItem(a.Id, a.Rule, a.Status, a.PersonId, a.Person!.GivenName + " " + a.Person.FamilyName,
            a.School!.Urn == null ? a.School.Name : a.School.Name + " (URN " + a.School.Urn + ")",
            a.TriggeredOn, a.RaisedAt, db.Users.Where(u => u.Id == a.AssignedToUserId).Select(u => u.DisplayName).FirstOrDefault(), a.Figures));
}
