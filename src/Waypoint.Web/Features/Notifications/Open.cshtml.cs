using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;

namespace Waypoint.Features.Notifications;

/// <summary>Where a notice's link (in the app and in its e-mail) leads: marks it read and goes on to what it is about.</summary>
public sealed class OpenModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var notice = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id, ct);
        if (notice is null)
            return NotFound();
        notice.ReadAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        // Only ever app-relative (the notifier refuses anything else), so this cannot send anyone away.
        return LocalRedirect(notice.Link);
    }
}
