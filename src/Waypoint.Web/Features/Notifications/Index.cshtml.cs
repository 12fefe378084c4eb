using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Notifications;

/// <summary>Whether a notice has been read: the list's status filter.</summary>
public enum NoticeStatus
{
    Unread,
    Read,
}

/// <summary>
/// The signed-in user's notices, newest first, grouped by UK day and kind with counts so that 150
/// alerts read as one line; filtered by kind, status and the UK days they were sent, counted over
/// every page, and downloadable as CSV or XLSX. The query filter keeps them to the reader's own;
/// notices name no child (the notifier's rule), so neither the page nor its export audits anyone.
/// </summary>
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 200;
    public const int ExportLimit = 5000;

    public sealed record Group(DateOnly Day, string Kind, IReadOnlyList<Notification> Notices)
    {
        public int Unread => Notices.Count(n => n.ReadAt is null);
    }

    public IReadOnlyList<IGrouping<DateOnly, Group>> Days { get; private set; } = [];
    public IReadOnlyList<(string Kind, int Count)> Kinds { get; private set; } = [];
    public int Unread { get; private set; }
    public int Total { get; private set; }
    public int Shown { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int ShownFrom => Shown == 0 ? 0 : (PageNumber - 1) * PageSize + 1;
    public int ShownTo => (PageNumber - 1) * PageSize + Shown;
    public DateOnly Today { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public NoticeStatus? Status { get; set; }
    // Named outright so that a form field without the prefix (the group form's "day") never binds to a box:
    // MVC falls back to unprefixed names for a property whose name it was not told.
    [BindProperty(SupportsGet = true, Name = "SentFrom")] public DateInput SentFrom { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "SentTo")] public DateInput SentTo { get; set; } = new();
    [TempData] public string? Confirmation { get; set; }

    public bool AnyFilter => Kind is not null || Status is not null || !SentFrom.IsEmpty || !SentTo.IsEmpty;

    public static IReadOnlyList<(string Value, string Text)> Statuses { get; } = [(nameof(NoticeStatus.Unread), "Unread"), (nameof(NoticeStatus.Read), "Read")];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = NoticeDays.DayOf(clock.GetUtcNow());
        var kinds = await db.Notifications.GroupBy(n => n.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Kinds = kinds.OrderBy(k => NoticeDays.Label(k.Key), StringComparer.Ordinal).Select(k => (k.Key, k.Count)).ToList();
        if (Kind is not null && !kinds.Any(k => k.Key == Kind))
            Kind = null;
        Unread = await db.Notifications.CountAsync(n => n.ReadAt == null, ct);
        if (Filtered() is not { } query)
            return;
        Total = await query.CountAsync(ct);
        // A page past the end shows the last page, so the range said is always the range shown.
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var shown = await query
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        Shown = shown.Count;
        Days = shown
            .GroupBy(n => (Day: NoticeDays.DayOf(n.CreatedAt), n.Kind))
            .Select(g => new Group(g.Key.Day, g.Key.Kind, g.ToList()))
            .GroupBy(g => g.Day)
            .OrderByDescending(d => d.Key)
            .ToList();
    }

    /// <summary>Every notice the filters choose (up to <see cref="ExportLimit"/>), newest first, as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        Today = NoticeDays.DayOf(clock.GetUtcNow());
        if (Filtered() is not { } query)
            return BadRequest();
        var notices = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(ExportLimit)
            .Select(n => new { n.CreatedAt, n.Kind, n.Subject, n.Body, n.ReadAt })
            .ToListAsync(ct);
        var table = new ExportTable("Notifications", ["Sent (UTC)", "Type", "Subject", "What it says", "Status", "Read (UTC)"],
            notices.Select(n => (IReadOnlyList<object?>)[n.CreatedAt, NoticeDays.Label(n.Kind), n.Subject, n.Body, n.ReadAt is null ? "Unread" : "Read", n.ReadAt]).ToList());
        return ExportFile.Of(table, format, "notifications", Today);
    }

    /// <summary>The notices the filters choose; null when a date typed is refused (its message is in <see cref="Errors"/>).</summary>
    private IQueryable<Notification>? Filtered()
    {
        var (from, to, errors) = DateInput.ReadRange(SentFrom, SentTo, "Sent from", "Sent to", "Sent to must be the same as or after sent from");
        if (errors.TryGetValue("From", out var fromError))
            Errors["SentFrom"] = fromError;
        if (errors.TryGetValue("To", out var toError))
            Errors["SentTo"] = toError;
        if (Errors.Count > 0)
            return null;
        var q = db.Notifications.AsNoTracking();
        if (Kind is not null)
            q = q.Where(n => n.Kind == Kind);
        if (Status == NoticeStatus.Unread)
            q = q.Where(n => n.ReadAt == null);
        else if (Status == NoticeStatus.Read)
            q = q.Where(n => n.ReadAt != null);
        // Days as the page shows them: UK days, so "sent on 30 March" means what the heading says.
        if (from is { } f)
        {
            var start = NoticeDays.StartOf(f);
            q = q.Where(n => n.CreatedAt >= start);
        }
        if (to is { } t)
        {
            var end = NoticeDays.StartOf(t.AddDays(1));
            q = q.Where(n => n.CreatedAt < end);
        }
        return q;
    }

    public string DayName(DateOnly day) =>
        day == Today ? "Today" : day == Today.AddDays(-1) ? "Yesterday" : day.ToString("dddd d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));

    /// <summary>This list's address with the filters kept and one thing changed: a page or an export.</summary>
    public string Link(int? page = null, ExportFormat? export = null)
    {
        var parts = new List<string>();
        if (export is { } format)
            parts.Add($"handler=Export&format={format.ToString().ToLowerInvariant()}");
        if (Kind is not null)
            parts.Add($"Kind={Uri.EscapeDataString(Kind)}");
        if (Status is { } status)
            parts.Add($"Status={status}");
        SentFrom.AddToQuery(parts, "SentFrom");
        SentTo.AddToQuery(parts, "SentTo");
        if (page is { } p && p > 1 && export is null)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"p={p}"));
        return parts.Count == 0 ? "/notifications" : "/notifications?" + string.Join("&", parts);
    }

    public async Task<IActionResult> OnPostMarkAllReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var marked = await db.Notifications.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        Confirmation = marked == 1 ? "1 notification marked as read" : $"{marked} notifications marked as read";
        return RedirectToPage();
    }

    /// <summary>Marks one day's notices of one kind read: "these 40 alerts from yesterday, seen".</summary>
    public async Task<IActionResult> OnPostMarkGroupReadAsync(string? groupKind, DateOnly? day, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(groupKind) || day is not { } d || d.Year < 2000 || d.Year > 9000)
            return RedirectToPage();
        var from = NoticeDays.StartOf(d);
        var to = NoticeDays.StartOf(d.AddDays(1));
        var now = clock.GetUtcNow();
        var marked = await db.Notifications
            .Where(n => n.ReadAt == null && n.Kind == groupKind && n.CreatedAt >= from && n.CreatedAt < to)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        Confirmation = $"{NoticeDays.Count(groupKind, marked)} marked as read";
        // Back to the list as it was filtered (the filters ride along as the form's own fields).
        Errors.Clear();
        return LocalRedirect(Link(PageNumber));
    }
}
