using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Notifications;

/// <summary>
/// The signed-in user's notices, newest first, grouped by UK day and kind with counts so that 150
/// alerts read as one line; filtered by kind and unread. The query filter keeps them to their own.
/// </summary>
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 200;

    public sealed record Group(DateOnly Day, string Kind, IReadOnlyList<Notification> Notices)
    {
        public int Unread => Notices.Count(n => n.ReadAt is null);
    }

    public IReadOnlyList<IGrouping<DateOnly, Group>> Days { get; private set; } = [];
    public IReadOnlyList<(string Kind, int Count)> Kinds { get; private set; } = [];
    public int Unread { get; private set; }
    public int Shown { get; private set; }
    public DateOnly Today { get; private set; }
    [BindProperty(SupportsGet = true)] public int Skip { get; set; }
    [BindProperty(SupportsGet = true)] public string? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public bool UnreadOnly { get; set; }
    public bool More { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Skip = Math.Max(0, Skip);
        Today = NoticeDays.DayOf(clock.GetUtcNow());
        var kinds = await db.Notifications.GroupBy(n => n.Kind).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Kinds = kinds.OrderBy(k => NoticeDays.Label(k.Key), StringComparer.Ordinal).Select(k => (k.Key, k.Count)).ToList();
        if (Kind is not null && !kinds.Any(k => k.Key == Kind))
            Kind = null;
        var page = await Filtered()
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip(Skip).Take(PageSize + 1)
            .ToListAsync(ct);
        More = page.Count > PageSize;
        var shown = page.Take(PageSize).ToList();
        Shown = shown.Count;
        Days = shown
            .GroupBy(n => (Day: NoticeDays.DayOf(n.CreatedAt), n.Kind))
            .Select(g => new Group(g.Key.Day, g.Key.Kind, g.ToList()))
            .GroupBy(g => g.Day)
            .OrderByDescending(d => d.Key)
            .ToList();
        Unread = await db.Notifications.CountAsync(n => n.ReadAt == null, ct);
    }

    private IQueryable<Notification> Filtered()
    {
        var q = db.Notifications.AsNoTracking();
        if (Kind is not null)
            q = q.Where(n => n.Kind == Kind);
        if (UnreadOnly)
            q = q.Where(n => n.ReadAt == null);
        return q;
    }

    public string DayName(DateOnly day) =>
        day == Today ? "Today" : day == Today.AddDays(-1) ? "Yesterday" : day.ToString("dddd d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

    public string Link(int skip) =>
        $"/notifications?skip={skip}{(Kind is null ? "" : $"&kind={Uri.EscapeDataString(Kind)}")}{(UnreadOnly ? "&unreadonly=true" : "")}";

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
        return RedirectToPage(new { kind = Kind, unreadonly = UnreadOnly ? "true" : null });
    }
}
