using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>
/// The chair corrects approved minutes: what was recorded of one child, with a reason, as a new
/// version (the replaced wording kept). Children are offered through the policy's filter.
/// </summary>
public sealed class CorrectMinutesModel(WaypointDbContext db, MeetingWork meetings, MinutesVersions versions, PersonAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? ItemId { get; set; }
    [BindProperty] public string? Discussion { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public Meeting Meeting { get; private set; } = null!;
    public int Version { get; private set; }
    public IReadOnlyList<(string Value, string Text)> Children { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        if (ItemId is { } itemId)
            Discussion = await db.Set<AgendaItem>().Where(i => i.Id == itemId && i.MeetingId == id).Select(i => i.Discussion).FirstOrDefaultAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        var (version, errors) = await versions.CorrectAsync(Meeting, ItemId, Discussion, Reason, ct);
        if (errors.Count > 0)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            return Page();
        }
        TempData["Confirmation"] = $"Minutes corrected: they are now version {version}, and the earlier versions are kept";
        return Redirect($"/meetings/{id}#minutes-versions");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await meetings.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        if (!meetings.IsChair(meeting))
            return Forbid();
        if (meeting.MinutesApprovedAt is null)
            return NotFound();
        Meeting = meeting;
        Version = (await versions.CurrentAsync(id, ct)).Version;
        var items = await db.Set<AgendaItem>().AsNoTracking().Where(i => i.MeetingId == id && i.RemovedAt == null).OrderBy(i => i.Position)
            .Select(i => new { i.Id, i.PersonId, Child = i.Person!.GivenName + " " + i.Person.FamilyName }).ToListAsync(ct);
        await access.AuditListedAsync(items.Select(i => i.PersonId).ToList(), $"meeting.minutes-correct {id}", ct);
        Children = items.Select(i => (i.Id.ToString(), i.Child)).ToList();
        return null;
    }
}
