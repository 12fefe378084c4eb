using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Shell;

namespace Waypoint.Features.Audit;

/// <summary>What the data-protection officer filters the audit log by, once read and checked.</summary>
public sealed record AuditCriteria(Guid? PersonId, Guid? UserId, Guid? OrganisationId, AuditAction? Action, string? Channel, DateOnly? From, DateOnly? To,
    bool IncludeArchived = false);

/// <summary>One audit row with the names of its user and organisation, looked up when read: the log itself keeps only ids.</summary>
public sealed record AuditRow(
    long Id, DateTimeOffset OccurredAt, Guid? UserId, string? UserName, Guid? OrganisationId, string? OrganisationName,
    AuditAction Action, string Subject, string Basis, string? Channel, Guid? PersonId);

/// <summary>The search form of /audit and /audit/export, as the query string carries it.</summary>
public sealed class AuditSearchInput
{
    public string? PersonId { get; set; }
    public string? User { get; set; }
    public string? OrganisationId { get; set; }
    public string? Action { get; set; }
    public string? Channel { get; set; }
    public DateInput From { get; set; } = new();
    public DateInput To { get; set; } = new();

    /// <summary>"on" to search the archived months too (slower: the archive holds the log's older years).</summary>
    public string? Archived { get; set; }

    /// <summary>Reads the fields into criteria; any error is keyed by the id of the field it belongs to.</summary>
    public async Task<(AuditCriteria Criteria, Dictionary<string, string> Errors)> ReadAsync(WaypointDbContext db, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();

        Guid? personId = null;
        if (!string.IsNullOrWhiteSpace(PersonId))
        {
            if (Guid.TryParse(PersonId.Trim(), out var id))
                personId = id;
            else
                errors["PersonId"] = "Enter a person id in the form 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
        }

        Guid? userId = null;
        if (!string.IsNullOrWhiteSpace(User))
        {
            var email = User.Trim();
            if (email.Length > 256)
                errors["User"] = "An email address is at most 256 characters";
            else
            {
                var normalised = email.ToUpperInvariant();
                userId = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalised).Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
                if (userId is null)
                    errors["User"] = "No account has this email address";
            }
        }

        Guid? organisationId = null;
        if (!string.IsNullOrWhiteSpace(OrganisationId))
        {
            if (Guid.TryParse(OrganisationId, out var id) && await db.Organisations.AnyAsync(o => o.Id == id, ct))
                organisationId = id;
            else
                errors["OrganisationId"] = "Select an organisation from the list";
        }

        AuditAction? action = null;
        if (!string.IsNullOrWhiteSpace(Action))
        {
            if (Enum.TryParse<AuditAction>(Action, ignoreCase: true, out var a) && Enum.IsDefined(a))
                action = a;
            else
                errors["Action"] = "Select an action from the list";
        }

        string? channel = null;
        if (!string.IsNullOrWhiteSpace(Channel))
        {
            if (Channels.Contains(Channel))
                channel = Channel;
            else
                errors["Channel"] = "Select a channel from the list";
        }

        var (from, fromError) = From.Read("The start date");
        if (fromError is not null)
            errors["From"] = fromError;
        var (to, toError) = To.Read("The end date");
        if (toError is not null)
            errors["To"] = toError;
        if (from is not null && to is not null && to < from)
            errors["To"] = "The end date must be the same as or after the start date";

        return (new AuditCriteria(personId, userId, organisationId, action, channel, from, to, IncludeArchived: Archived == "on"), errors);
    }

    /// <summary>The search as a query string, for paging links and the export link.</summary>
    public string ToQueryString(params (string Name, string? Value)[] extra)
    {
        var pairs = new List<(string, string?)>
        {
            ("personId", PersonId), ("user", User), ("organisationId", OrganisationId), ("action", Action), ("channel", Channel),
            ("from.day", From.Day), ("from.month", From.Month), ("from.year", From.Year),
            ("to.day", To.Day), ("to.month", To.Month), ("to.year", To.Year), ("archived", Archived),
        };
        pairs.AddRange(extra);
        var parts = pairs.Where(p => !string.IsNullOrWhiteSpace(p.Item2))
            .Select(p => $"{Uri.EscapeDataString(p.Item1)}={Uri.EscapeDataString(p.Item2!.Trim())}");
        var query = string.Join('&', parts);
        return query.Length == 0 ? "" : "?" + query;
    }

    /// <summary>How <see cref="AuditTrail"/> names where a row came from.</summary>
    public static readonly string[] Channels = ["ui", "api", "system"];
}

/// <summary>The audit log as the data-protection officer searches and exports it: newest first, names joined at read time.</summary>
public static class AuditSearch
{
    public const int PageSize = 50;

    /// <summary>The basis recorded when the data-protection officer reads the log or the break-glass queue.</summary>
    public const string DpoBasis = "data-protection officer";

    public static IQueryable<AuditEntry> Filter(WaypointDbContext db, AuditCriteria c)
    {
        var q = c.IncludeArchived ? WithArchive(db) : db.AuditEntries.AsNoTracking();
        if (c.PersonId is { } person)
            q = q.Where(a => a.PersonId == person);
        if (c.UserId is { } user)
            q = q.Where(a => a.UserId == user);
        if (c.OrganisationId is { } organisation)
            q = q.Where(a => a.OrganisationId == organisation);
        if (c.Action is { } action)
            q = q.Where(a => a.Action == action);
        if (c.Channel is { } channel)
            q = q.Where(a => a.Channel == channel);
        // Dates are whole days in UTC, the time the log records.
        if (c.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            q = q.Where(a => a.OccurredAt >= start);
        }
        if (c.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            q = q.Where(a => a.OccurredAt < end);
        }
        return q;
    }

    /// <summary>The live log and the archived months as one sequence in the chain's order (ids never overlap).</summary>
    public static IQueryable<AuditEntry> WithArchive(WaypointDbContext db) =>
        db.AuditEntries.AsNoTracking().Select(a => new AuditEntry
        {
            Id = a.Id,
            OccurredAt = a.OccurredAt,
            UserId = a.UserId,
            OrganisationId = a.OrganisationId,
            PersonId = a.PersonId,
            Action = a.Action,
            Subject = a.Subject,
            Basis = a.Basis,
            Channel = a.Channel,
            PreviousHash = a.PreviousHash,
            Hash = a.Hash,
        }).Concat(db.AuditArchive.AsNoTracking().Select(a => new AuditEntry
        {
            Id = a.Id,
            OccurredAt = a.OccurredAt,
            UserId = a.UserId,
            OrganisationId = a.OrganisationId,
            PersonId = a.PersonId,
            Action = a.Action,
            Subject = a.Subject,
            Basis = a.Basis,
            Channel = a.Channel,
            PreviousHash = a.PreviousHash,
            Hash = a.Hash,
        }));

    public static IQueryable<AuditRow> WithNames(WaypointDbContext db, IQueryable<AuditEntry> entries) =>
        entries.Select(a => new AuditRow(
            a.Id, a.OccurredAt,
            a.UserId, db.Users.Where(u => u.Id == a.UserId).Select(u => u.DisplayName).FirstOrDefault(),
            a.OrganisationId, db.Organisations.Where(o => o.Id == a.OrganisationId).Select(o => o.Name).FirstOrDefault(),
            a.Action, a.Subject, a.Basis, a.Channel, a.PersonId));

    /// <summary>
    /// One page, keyed on the row id (the chain's order) rather than an offset, so a page deep in
    /// a log of millions costs the same as the first. <paramref name="before"/> pages to older
    /// rows, <paramref name="after"/> back to newer ones.
    /// </summary>
    public static async Task<AuditPage> PageAsync(WaypointDbContext db, AuditCriteria criteria, long? before, long? after, CancellationToken ct)
    {
        var q = Filter(db, criteria);
        if (after is { } a)
        {
            var newer = await WithNames(db, q.Where(e => e.Id > a).OrderBy(e => e.Id).Take(PageSize + 1)).ToListAsync(ct);
            var rows = newer.Take(PageSize).Reverse().ToList();
            return new AuditPage(rows, HasNewer: newer.Count > PageSize, HasOlder: true);
        }
        if (before is { } b)
            q = q.Where(e => e.Id < b);
        var older = await WithNames(db, q.OrderByDescending(e => e.Id).Take(PageSize + 1)).ToListAsync(ct);
        return new AuditPage(older.Take(PageSize).ToList(), HasNewer: before is not null, HasOlder: older.Count > PageSize);
    }

    public static string DescribeAction(AuditAction action) => action switch
    {
        AuditAction.Read => "Read",
        AuditAction.ListedInSearch => "Listed in a search",
        AuditAction.Create => "Created",
        AuditAction.Update => "Changed",
        AuditAction.Delete => "Deleted",
        AuditAction.Denied => "Refused",
        AuditAction.BreakGlass => "Break-glass",
        AuditAction.Export => "Exported",
        _ => action.ToString(),
    };

    public static string DescribeChannel(string? channel) => channel switch
    {
        "ui" => "Web pages",
        "api" => "API",
        "system" => "System",
        null => "",
        _ => channel,
    };

    public static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("d MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture);

    public static readonly string CsvHeader = "Id,OccurredAtUtc,UserId,User,OrganisationId,Organisation,Action,Subject,Basis,Channel,PersonId";

    public static string ToCsvLine(AuditRow r) => string.Join(',',
        r.Id.ToString(CultureInfo.InvariantCulture),
        r.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        r.UserId?.ToString() ?? "",
        CsvField(r.UserName),
        r.OrganisationId?.ToString() ?? "",
        CsvField(r.OrganisationName),
        r.Action.ToString(),
        CsvField(r.Subject),
        CsvField(r.Basis),
        CsvField(r.Channel),
        r.PersonId?.ToString() ?? "");

    /// <summary>
    /// Quotes a field where CSV needs it, and defuses a leading =, +, - or @ (a display name is
    /// typed by people; a spreadsheet would run it as a formula).
    /// </summary>
    public static string CsvField(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
            value = "'" + value;
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
            return value;
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
            sb.Append(ch == '"' ? "\"\"" : ch);
        return sb.Append('"').ToString();
    }
}

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, bool HasNewer, bool HasOlder);
