using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Meetings;

/// <summary>The meeting as an .ics download, for anyone who may see the meeting.</summary>
public sealed class CalendarModel(MeetingWork meetings, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await meetings.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        var page = new Uri($"{Request.Scheme}://{Request.Host}/meetings/{meeting.Id}");
        var ics = MeetingCalendar.Write(meeting, meeting.Series!.Name, page, clock.GetUtcNow());
        return File(Encoding.UTF8.GetBytes(ics), "text/calendar", $"meeting-{meeting.Date:yyyy-MM-dd}.ics");
    }
}
