using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

public sealed record SeriesSummary(Guid Id, string Name, Guid AreaId, Guid ChairUserId, IReadOnlyList<Guid> MemberOrganisationIds);

public sealed record InviteeSummary(Guid Id, Guid OrganisationId, Guid? UserId, Attendance? Attendance);

public sealed record ActionSummary(Guid Id, string Description, Guid OwnerOrganisationId, Guid? OwnerUserId, DateOnly DueOn, DateTimeOffset? CompletedAt);

public sealed record AgendaItemSummary(Guid Id, int Position, Guid PersonId, string GivenName, string FamilyName, AgendaItemSource Source, string Why,
    string? Discussion, MeetingDecisionKind? Decision, Guid? ConsentAgencyId, IReadOnlyList<ActionSummary> Actions);

public sealed record MeetingSummary(Guid Id, Guid SeriesId, string SeriesName, DateOnly Date, TimeOnly StartTime, int DurationMinutes, string? Place, string? OnlineLink,
    DateTimeOffset? AgendaIssuedAt, DateOnly AccessEndsOn, IReadOnlyList<InviteeSummary> Invitees, IReadOnlyList<AgendaItemSummary> Agenda, int HiddenAgendaItems);

public sealed record NewAgendaItem(Guid? PersonId, string? Why);

public sealed record NewDecision(string? Discussion, MeetingDecisionKind? Decision, Guid? ConsentAgencyId, IReadOnlyList<ActionInput>? Actions);

public sealed record NewAttendance(IReadOnlyDictionary<Guid, Attendance?>? Attendance);

/// <summary>Meetings over the API, through the same service, policy and audit as the pages: series, meetings, agenda, attendance, decisions and actions.</summary>
public static class MeetingsApi
{
    public static RouteGroupBuilder MapMeetingsApi(this RouteGroupBuilder api)
    {
        var meetings = api.MapGroup("/meetings").WithTags("Meetings");
        meetings.MapGet("/series", ListSeriesAsync).WithSummary("The meeting series you run, sit on or are invited to.");
        meetings.MapGet("/{id:guid}", GetAsync).WithSummary("A meeting: invitees and attendance, and the agenda's children you may see with why, decisions and actions.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        meetings.MapPost("/{id:guid}/agenda", AddItemAsync).WithSummary("Put a child you may see on the agenda, with why (those who run the meeting).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        meetings.MapPost("/{id:guid}/issue", IssueAsync).WithSummary("Issue the agenda: the invited organisations see its children until the set number of days after the meeting.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        meetings.MapPost("/{id:guid}/attendance", AttendanceAsync).WithSummary("Record attendance per invitee: Present, Apologies or Absent.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        meetings.MapPost("/agenda-items/{itemId:guid}/decision", DecideAsync).WithSummary("Record the decision for a child on the agenda, with actions (owner organisation and due date each).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<Ok<List<SeriesSummary>>> ListSeriesAsync(MeetingWork work, CancellationToken ct) =>
        TypedResults.Ok(await work.VisibleSeries().AsNoTracking().OrderBy(s => s.Name).Take(200)
            .Select(s => new SeriesSummary(s.Id, s.Name, s.AreaId, s.ChairUserId, s.Members.Select(m => m.OrganisationId).ToList())).ToListAsync(ct));

    private static async Task<Results<Ok<MeetingSummary>, ProblemHttpResult>> GetAsync(Guid id, MeetingWork work, WaypointDbContext db, PersonAccess access, CancellationToken ct)
    {
        if (await work.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        var items = await db.Set<AgendaItem>().AsNoTracking().Where(i => i.MeetingId == id && i.RemovedAt == null).OrderBy(i => i.Position)
            .Select(i => new AgendaItemSummary(i.Id, i.Position, i.PersonId, i.Person!.GivenName, i.Person.FamilyName, i.Source, i.Why, i.Discussion, i.Decision, i.ConsentAgencyId,
                i.Actions.OrderBy(a => a.DueOn).Select(a => new ActionSummary(a.Id, a.Description, a.OwnerOrganisationId, a.OwnerUserId, a.DueOn, a.CompletedAt)).ToList()))
            .ToListAsync(ct);
        var hidden = await MeetingWork.AgendaSizeAsync(db, id, ct) - items.Count;
        await access.AuditListedAsync(items.Select(i => i.PersonId).ToList(), $"api:meeting {id}", ct);
        return TypedResults.Ok(new MeetingSummary(meeting.Id, meeting.SeriesId, meeting.Series!.Name, meeting.Date, meeting.StartTime, meeting.DurationMinutes,
            meeting.Place, meeting.OnlineLink, meeting.AgendaIssuedAt, await work.AccessEndsOnAsync(meeting, ct),
            meeting.Invitees.Where(i => i.IsCurrent).Select(i => new InviteeSummary(i.Id, i.OrganisationId, i.UserId, i.Attendance)).ToList(), items, hidden));
    }

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AddItemAsync(Guid id, NewAgendaItem input, MeetingWork work, CancellationToken ct) =>
        ChangeAsync(id, work, meeting => work.AddItemAsync(meeting, input.PersonId, AgendaItemSource.Added, input.Why, ct), ct);

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> IssueAsync(Guid id, MeetingWork work, CancellationToken ct) =>
        ChangeAsync(id, work, meeting => work.IssueAgendaAsync(meeting, ct), ct);

    private static Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> AttendanceAsync(Guid id, NewAttendance input, MeetingWork work, CancellationToken ct) =>
        ChangeAsync(id, work, meeting => work.RecordAttendanceAsync(meeting, input.Attendance ?? new Dictionary<Guid, Attendance?>(), ct), ct);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> DecideAsync(Guid itemId, NewDecision input, MeetingWork work, WaypointDbContext db, CancellationToken ct)
    {
        var meetingId = await db.Set<AgendaItem>().Where(i => i.Id == itemId && i.RemovedAt == null).Select(i => (Guid?)i.MeetingId).FirstOrDefaultAsync(ct);
        if (meetingId is null)
            return NotFound();
        return await ChangeAsync(meetingId.Value, work, meeting => work.DecideAsync(meeting, itemId,
            new DecisionInput(input.Discussion, input.Decision, input.ConsentAgencyId, input.Actions ?? []), ct), ct);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangeAsync(Guid id, MeetingWork work,
        Func<Meeting, Task<Dictionary<string, string>>> change, CancellationToken ct)
    {
        if (await work.FindMeetingAsync(id, ct) is not { } meeting)
            return NotFound();
        if (!work.MayManage(meeting.Series!))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only the chair and the organisation that runs the series may change its meetings.");
        var errors = await change(meeting);
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }));
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no meeting or agenda item with this id that you may see.");
}
