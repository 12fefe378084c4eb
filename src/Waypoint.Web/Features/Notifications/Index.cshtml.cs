using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Notifications;

/// <summary>The signed-in user's notices, newest first; the query filter keeps them to their own.</summary>
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<Notification> Notices { get; private set; } = [];
    public int Unread { get; private set; }
    [BindProperty(SupportsGet = true)] public int Skip { get; set; }
    public bool More { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Skip = Math.Max(0, Skip);
        var page = await db.Notifications.AsNoTracking()
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
            .Skip(Skip).Take(PageSize + 1)
            .ToListAsync(ct);
        More = page.Count > PageSize;
        Notices = page.Take(PageSize).ToList();
        Unread = await db.Notifications.CountAsync(n => n.ReadAt == null, ct);
    }

    public async Task<IActionResult> OnPostMarkAllReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return RedirectToPage();
    }
}
