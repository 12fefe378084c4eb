using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

public sealed record InviteeRow(Guid Id, string Organisation, string? Person, Attendance? Attendance);

public sealed record AgendaRow(Guid Id, int Number, Guid PersonId, string Child, AgendaItemSource Source, string Why, MeetingDecisionKind? Decision);

/// <summary>
/// A meeting: when and where, who is invited, and its agenda. Those who run it invite, build the
/// agenda from the area's lists (each child with why) and issue it, which is what lets the
/// invitees see the children on it. Every child the page names is audited as listed.
/// </summary>
public sealed class MeetingModel(WaypointDbContext db, MeetingWork meetings, PersonAccess access, TimeProvider clock, MinutesVersions versions) : PageModel
{
    [TempData] public string? Confirmation { get; set; }
    [BindProperty] public Guid? OrganisationId { get; set; }
    [BindProperty] public Guid? PersonId { get; set; }
    [BindProperty] public AgendaItemSource? Source { get; set; }
    [BindProperty] public string? Why { get; set; }
    [BindProperty] public Dictionary<Guid, Attendance?> AttendanceOf { get; set; } = [];
    [BindProperty] public Guid? UserId { get; set; }
    [BindProperty] public Guid? ItemId { get; set; }
    [BindProperty] public string? Direction { get; set; }

    /// <summary>A name to find a child by, to add someone the lists do not offer.</summary>
    [BindProperty(SupportsGet = true, Name = "find")] public string? Find { get; set; }

    public IReadOnlyList<People.PersonSearchHit> Found { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> People { get; private set; } = [];

    public Dictionary<string, string> Errors { get; } = [];
    public Meeting Meeting { get; private set; } = null!;
    public bool MayManage { get; private set; }
    public bool HasStarted { get; private set; }
    public bool IsChair { get; private set; }
    public int Downloads { get; private set; }
    public DateOnly AccessEndsOn { get; private set; }
    public IReadOnlyList<InviteeRow> Invitees { get; private set; } = [];
    public IReadOnlyList<AgendaRow> Agenda { get; private set; } = [];
    public int HiddenItems { get; private set; }
    public IReadOnlyList<AgendaCandidate> Candidates { get; private set; } = [];

    /// <summary>The corrections to the approved minutes, newest first (each a version).</summary>
    public IReadOnlyList<MinutesVersionRow> MinutesHistory { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is { } refused)
            return refused;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostInviteAsync(Guid id, CancellationToken ct) =>
        await ChangeAsync(id, async () =>
        {
            // A person named without their organisation is invited with it.
            var organisationId = OrganisationId ?? (UserId is { } user
                ? await db.Users.Where(u => u.Id == user && u.IsActive).Select(u => (Guid?)u.OrganisationId).FirstOrDefaultAsync(ct)
                : null);
            return await meetings.InviteAsync(Meeting, organisationId, UserId, ct);
        }, UserId is null ? "Organisation invited" : "Person invited", ct);

    public async Task<IActionResult> OnPostMoveAsync(Guid id, CancellationToken ct) =>
        await ChangeAsync(id, () => meetings.MoveItemAsync(Meeting, ItemId ?? Guid.Empty, Direction != "down", ct),
            Direction == "down" ? "Child moved down the agenda" : "Child moved up the agenda", ct);

    public async Task<IActionResult> OnPostAddAsync(Guid id, CancellationToken ct) =>
        await ChangeAsync(id, () => meetings.AddItemAsync(Meeting, PersonId, Source is { } s && Enum.IsDefined(s) ? s : AgendaItemSource.Added, Why, ct), "Child added to the agenda", ct);

    public async Task<IActionResult> OnPostAttendanceAsync(Guid id, CancellationToken ct) =>
        await ChangeAsync(id, () => meetings.RecordAttendanceAsync(Meeting, AttendanceOf, ct), "Attendance recorded", ct);

    public async Task<IActionResult> OnPostApproveAsync(Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is { } refused)
            return refused;
        if (!meetings.IsChair(Meeting))
            return Forbid();
        return await ChangeAsync(id, () => meetings.ApproveMinutesAsync(Meeting, ct), "Minutes approved: they are locked and can be downloaded", ct);
    }

    public async Task<IActionResult> OnPostIssueAsync(Guid id, CancellationToken ct) =>
        await ChangeAsync(id, () => meetings.IssueAgendaAsync(Meeting, ct), "Agenda issued: the invited organisations can now see the children on it", ct);

    private async Task<IActionResult> ChangeAsync(Guid id, Func<Task<Dictionary<string, string>>> change, string confirmation, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is { } refused)
            return refused;
        if (!MayManage)
            return Forbid();
        var errors = await change();
        if (errors.Count == 0)
        {
            TempData["Confirmation"] = confirmation;
            return Redirect($"/meetings/{id}");
        }
        foreach (var (k, v) in errors)
            Errors[k] = v;
        await LoadAsync(ct);
        return Page();
    }

    private async Task<IActionResult?> FindAsync(Guid id, CancellationToken ct)
    {
        var meeting = await meetings.FindMeetingAsync(id, ct);
        if (meeting is null)
            return NotFound();
        Meeting = meeting;
        MayManage = meetings.MayManage(meeting.Series!);
        HasStarted = meeting.Date <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        IsChair = meetings.IsChair(meeting);
        return null;
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        AccessEndsOn = await meetings.AccessEndsOnAsync(Meeting, ct);
        Downloads = await db.Set<MinutesDownload>().CountAsync(d => d.MeetingId == Meeting.Id, ct);
        if (Meeting.MinutesApprovedAt is not null)
            MinutesHistory = await versions.HistoryAsync(Meeting.Id, ct);
        var invitees = await db.Set<MeetingInvitee>().AsNoTracking().Where(i => i.MeetingId == Meeting.Id && i.RemovedAt == null)
            .OrderBy(i => i.Organisation!.Name)
            .Select(i => new { i.Id, i.OrganisationId, Organisation = i.Organisation!.Name, i.UserId, i.Attendance }).ToListAsync(ct);
        var userIds = invitees.Where(i => i.UserId != null).Select(i => i.UserId!.Value).ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        Invitees = invitees.Select(i => new InviteeRow(i.Id, i.Organisation, i.UserId is { } u ? names.GetValueOrDefault(u) : null, i.Attendance)).ToList();
        var items = await db.Set<AgendaItem>().AsNoTracking().Where(i => i.MeetingId == Meeting.Id && i.RemovedAt == null).OrderBy(i => i.Position)
            .Select(i => new { i.Id, i.PersonId, i.Person!.GivenName, i.Person.FamilyName, i.Source, i.Why, i.Decision }).ToListAsync(ct);
        Agenda = items.Select((i, n) => new AgendaRow(i.Id, n + 1, i.PersonId, $"{i.GivenName} {i.FamilyName}", i.Source, i.Why, i.Decision)).ToList();
        // How many children are on it that the reader cannot see (yet): a number, never who.
        HiddenItems = await MeetingWork.AgendaSizeAsync(db, Meeting.Id, ct) - items.Count;
        await access.AuditListedAsync(items.Select(i => i.PersonId).ToList(), $"meeting {Meeting.Id}", ct);
        if (MayManage)
        {
            if (!string.IsNullOrWhiteSpace(Find))
            {
                if (Find.Trim().Length > 100)
                    Errors["find"] = "Enter a name of 100 characters or fewer";
                else
                {
                    var onAgenda = items.Select(i => i.PersonId).ToHashSet();
                    Found = (await Waypoint.Features.People.PersonSearch.SearchAsync(db, new(Find.Trim(), null, null, Limit: 10), ct))
                        .Where(h => h.Kind == PersonKind.YoungPerson && !onAgenda.Contains(h.Id)).ToList();
                    await access.AuditListedAsync(Found.Select(h => h.Id).ToList(), $"meeting.agenda-search {Meeting.Id}", ct);
                }
            }
            Candidates = await meetings.CandidatesAsync(Meeting, ct);
            var invited = invitees.Select(i => i.OrganisationId).ToHashSet();
            Organisations = (await db.Organisations.AsNoTracking().Where(o => o.IsActive).OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).Take(1000).ToListAsync(ct))
                .Where(o => !invited.Contains(o.Id)).Select(o => (o.Id, o.Name)).ToList();
            People = (await db.Users.AsNoTracking().Where(u => u.IsActive && u.Organisation!.IsActive).OrderBy(u => u.Organisation!.Name).ThenBy(u => u.DisplayName)
                    .Select(u => new { u.Id, u.DisplayName, Organisation = u.Organisation!.Name }).Take(1000).ToListAsync(ct))
                .Select(u => (u.Id, $"{u.DisplayName} ({u.Organisation})")).ToList();
        }
    }
}
