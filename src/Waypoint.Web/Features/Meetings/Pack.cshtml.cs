using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;

namespace Waypoint.Features.Meetings;

/// <summary>
/// The pre-meeting pack: per child on the agenda, a one-page summary of what the reader may see,
/// to read before the meeting or print (the page prints one child per sheet; the PDF is made on
/// the server). Anyone who may see the meeting may open it; each copy holds what their
/// organisation may see, and every child named is audited.
/// </summary>
public sealed class PackModel(WaypointDbContext db, MeetingWork meetings, MeetingPack pack, TimeProvider clock) : PageModel
{
    public MeetingPackView Pack { get; private set; } = null!;
    public Guid MeetingId { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await meetings.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        MeetingId = meeting.Id;
        Pack = await pack.BuildAsync(meeting, AuditAction.Read, ct);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct)
    {
        if (await meetings.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        var view = await pack.BuildAsync(meeting, AuditAction.Export, ct);
        var reader = db.Reader;
        var printedBy = await db.Users.AsNoTracking().Where(u => u.Id == reader.UserId)
            .Select(u => u.DisplayName + ", " + u.Organisation!.Name).FirstOrDefaultAsync(ct) ?? "the system";
        var now = clock.GetUtcNow();
        Response.Headers.CacheControl = "no-store";
        return File(MeetingPack.Write(view, printedBy, now), "application/pdf", $"pack-{meeting.Date:yyyy-MM-dd}.pdf");
    }
}
