using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>Asks before uninviting an organisation or person (with a reason): the organisation's access through the agenda ends.</summary>
public sealed class RemoveInviteeModel(WaypointDbContext db, MeetingWork meetings) : PageModel
{
    [BindProperty] public string? Reason { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public Meeting Meeting { get; private set; } = null!;
    public string Invitee { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid inviteeId, CancellationToken ct) => await LoadAsync(inviteeId, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid inviteeId, CancellationToken ct)
    {
        if (await LoadAsync(inviteeId, ct) is { } refused)
            return refused;
        var errors = await meetings.RemoveInviteeAsync(Meeting, inviteeId, Reason, ct);
        if (errors.Count > 0)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            return Page();
        }
        TempData["Confirmation"] = $"{Invitee} removed from the meeting";
        return Redirect($"/meetings/{Meeting.Id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid inviteeId, CancellationToken ct)
    {
        var meetingId = await db.Set<MeetingInvitee>().Where(i => i.Id == inviteeId).Select(i => (Guid?)i.MeetingId).FirstOrDefaultAsync(ct);
        if (meetingId is null || await meetings.FindMeetingAsync(meetingId.Value, ct) is not { } meeting)
            return NotFound();
        if (!meetings.MayManage(meeting.Series!))
            return Forbid();
        if (meeting.Invitees.FirstOrDefault(i => i.Id == inviteeId && i.IsCurrent) is not { } invitee)
            return NotFound();
        Meeting = meeting;
        Invitee = (await db.Organisations.FindAsync([invitee.OrganisationId], ct))?.Name ?? "The invitee";
        return null;
    }
}
