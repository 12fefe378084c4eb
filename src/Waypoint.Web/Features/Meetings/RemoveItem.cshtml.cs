using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>Asks before taking a child off the agenda (with a reason): the access the item gave the invitees ends.</summary>
public sealed class RemoveItemModel(WaypointDbContext db, MeetingWork meetings) : PageModel
{
    [BindProperty] public string? Reason { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public Meeting Meeting { get; private set; } = null!;
    public string Child { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid itemId, CancellationToken ct) => await LoadAsync(itemId, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid itemId, CancellationToken ct)
    {
        if (await LoadAsync(itemId, ct) is { } refused)
            return refused;
        var errors = await meetings.RemoveItemAsync(Meeting, itemId, Reason, ct);
        if (errors.Count > 0)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            return Page();
        }
        TempData["Confirmation"] = $"{Child} taken off the agenda";
        return Redirect($"/meetings/{Meeting.Id}");
    }

    // The item through the policy's filter: a child the reader cannot see is a 404, as if not there.
    private async Task<IActionResult?> LoadAsync(Guid itemId, CancellationToken ct)
    {
        var item = await db.Set<AgendaItem>().AsNoTracking().Where(i => i.Id == itemId && i.RemovedAt == null)
            .Select(i => new { i.MeetingId, Child = i.Person!.GivenName + " " + i.Person.FamilyName }).FirstOrDefaultAsync(ct);
        if (item is null || await meetings.FindMeetingAsync(item.MeetingId, ct) is not { } meeting)
            return NotFound();
        if (!meetings.MayManage(meeting.Series!))
            return Forbid();
        Meeting = meeting;
        Child = item.Child;
        return null;
    }
}
