using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Meetings;

/// <summary>The reader's copy of the approved minutes as a PDF (audited, recorded in the distribution list).</summary>
public sealed class MinutesModel(MeetingWork meetings) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await meetings.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        if (await meetings.MinutesPdfAsync(meeting, ct) is not { } pdf)
            return NotFound();
        Response.Headers.CacheControl = "no-store";
        return File(pdf, "application/pdf", $"minutes-{meeting.Date:yyyy-MM-dd}.pdf");
    }
}
