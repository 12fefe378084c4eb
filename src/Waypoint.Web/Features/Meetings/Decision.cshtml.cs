using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Meetings;

/// <summary>One action's boxes on the decision form.</summary>
public sealed class ActionForm
{
    public string? Description { get; set; }
    public Guid? OwnerOrganisationId { get; set; }
    public DateInput DueOn { get; set; } = new();
}

/// <summary>
/// What the meeting decided for one child on its agenda: a summary of the discussion, the
/// decision and up to three actions (owner organisation, due date). Run by those who run the
/// meeting, on the day or after; the child is read through the policy's filter (404 when hidden).
/// </summary>
public sealed class DecisionModel(WaypointDbContext db, MeetingWork meetings) : PageModel
{
    public const int ActionRows = 3;

    [BindProperty] public string? Discussion { get; set; }
    [BindProperty] public MeetingDecisionKind? Decision { get; set; }
    [BindProperty] public Guid? ConsentAgencyId { get; set; }
    [BindProperty] public Guid? ConsentUserId { get; set; }

    /// <summary>The people of the invited organisations, one of whom may be named to ask the family.</summary>
    public IReadOnlyList<(string Value, string Text)> InvitedPeople { get; private set; } = [];
    [BindProperty] public List<ActionForm> Actions { get; set; } = [];

    public Dictionary<string, string> Errors { get; } = [];
    public Meeting Meeting { get; private set; } = null!;
    public string Child { get; private set; } = "";
    public Guid PersonId { get; private set; }
    public Guid ItemId { get; private set; }
    public IReadOnlyList<(Guid Id, string Name)> Invited { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid itemId, CancellationToken ct)
    {
        if (await LoadAsync(itemId, ct) is { } refused)
            return refused;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid itemId, CancellationToken ct)
    {
        if (await LoadAsync(itemId, ct) is { } refused)
            return refused;
        var actions = new List<ActionInput>();
        for (var n = 0; n < Actions.Count && n < ActionRows; n++)
        {
            var row = Actions[n];
            var (due, dueError) = row.DueOn.Read($"The due date of action {n + 1}");
            if (dueError is not null)
                Errors[$"Actions[{n}].DueOn"] = dueError;
            actions.Add(new ActionInput(row.Description, row.OwnerOrganisationId, null, due));
        }
        if (Errors.Count == 0)
        {
            var errors = await meetings.DecideAsync(Meeting, itemId, new DecisionInput(Discussion, Decision, ConsentAgencyId, actions, ConsentUserId), ct);
            if (errors.Count == 0)
            {
                TempData["Confirmation"] = $"Decision recorded for {Child}: {MeetingLabels.Of(Decision!.Value)}";
                return Redirect($"/meetings/{Meeting.Id}");
            }
            foreach (var (k, v) in errors)
                Errors[k] = v;
        }
        Pad();
        return Page();
    }

    private void Pad()
    {
        while (Actions.Count < ActionRows)
            Actions.Add(new ActionForm());
    }

    private async Task<IActionResult?> LoadAsync(Guid itemId, CancellationToken ct)
    {
        var item = await db.Set<AgendaItem>().AsNoTracking().Where(i => i.Id == itemId && i.RemovedAt == null)
            .Select(i => new { i.MeetingId, i.PersonId, Child = i.Person!.GivenName + " " + i.Person.FamilyName, i.Discussion, i.Decision, i.ConsentAgencyId }).FirstOrDefaultAsync(ct);
        if (item is null || await meetings.FindMeetingAsync(item.MeetingId, ct) is not { } meeting)
            return NotFound();
        if (!meetings.MayManage(meeting.Series!))
            return Forbid();
        Meeting = meeting;
        Child = item.Child;
        PersonId = item.PersonId;
        ItemId = itemId;
        if (Request.Method == HttpMethods.Get)
        {
            Discussion = item.Discussion;
            Decision = item.Decision;
            ConsentAgencyId = item.ConsentAgencyId;
        }
        var invited = meeting.Invitees.Where(i => i.IsCurrent).Select(i => i.OrganisationId).Distinct().ToList();
        Invited = (await db.Organisations.AsNoTracking().Where(o => invited.Contains(o.Id)).OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
            .Select(o => (o.Id, o.Name)).ToList();
        InvitedPeople = (await db.Users.AsNoTracking().Where(u => invited.Contains(u.OrganisationId) && u.IsActive)
                .OrderBy(u => u.Organisation!.Name).ThenBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, Organisation = u.Organisation!.Name }).Take(500).ToListAsync(ct))
            .Select(u => (u.Id.ToString(), $"{u.DisplayName} ({u.Organisation})")).ToList();
        Pad();
        return null;
    }
}
