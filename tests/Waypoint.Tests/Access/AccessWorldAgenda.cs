using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.Meetings;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>The app's clock moved by whole days: a process's own code run as on an earlier day (a meeting held weeks ago, a referral sent long since).</summary>
internal sealed class ShiftedClock(int days) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddDays(days);
}

/// <summary>
/// The meeting-invitee persona (issue 12): an organisation invited to the meetings of a series,
/// which has no other relationship with the children. Every grant it holds is made by the app's
/// own meeting work (<see cref="MeetingWork"/>: agendas issued, a child put on or taken off, the
/// organisation uninvited), some of it on earlier days through a shifted clock, so the matrix
/// sees exactly what the real processes leave behind.
/// </summary>
public abstract partial class AccessWorld
{
    private const int AgendaDays = MeetingSettings.DefaultAccessDaysAfterMeeting;

    /// <summary>How long ago the long-past meeting was held: more than the agenda's access lasts.</summary>
    private const int LongPastDays = AgendaDays + 17;

    private readonly Dictionary<Guid, string[]> expectedWhy = [];
    private readonly List<string> processMismatches = [];

    /// <summary>What "why you can see this" must say for a person whose access a process gave (the meeting, the service referral), by person.</summary>
    public IReadOnlyDictionary<Guid, string[]> ExpectedWhy => expectedWhy;

    /// <summary>Where the grants the processes made differ from the periods the world declares (empty when the processes did as the issues say).</summary>
    public IReadOnlyList<string> ProcessMismatches => processMismatches;

    private string SeriesName => $"Agenda matrix cluster {Partnership.Suffix}";

    /// <summary>The invited organisation, and the chair: an inclusion officer whose role reaches the children (who live where no persona's does).</summary>
    private async Task<(Organisation Invitee, TestUser Chair)> AgendaOrganisationsAsync(TestPartnership p)
    {
        var invitee = new Organisation { Name = $"Agenda invitee {p.Suffix}", Type = OrganisationType.YouthService, AreaId = p.County.Id };
        var office = new Organisation { Name = $"Early-intervention office {p.Suffix}", Type = OrganisationType.LocalAuthorityTeam, AreaId = p.County.Id };
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.AddRange(invitee, office);
            await db.SaveChangesAsync();
        });
        var chair = await p.PartnershipUserAsync(office, PartnershipFunction.InclusionOfficer, ElsewhereWard);
        return (invitee, chair);
    }

    private (string, bool, Area?, (Organisation, WorldPeriod)[], (Organisation, WorldPeriod)[])[] AgendaCases(Organisation invitee)
    {
        (Organisation, WorldPeriod)[] Grant(int start, int? end) => [(invitee, new WorldPeriod(Guid.Empty, Today.AddDays(start), end is { } e ? Today.AddDays(e) : null))];
        return
        [
            ("on the issued agenda of today's meeting", true, ElsewhereWard, [], Grant(0, AgendaDays)),
            ("put on today's agenda after it was issued", true, ElsewhereWard, [], Grant(0, AgendaDays)),
            ("on the agenda of a meeting the set days ago (its access's last day)", true, ElsewhereWard, [], Grant(-AgendaDays, 0)),
            ("taken off today's issued agenda, with a reason", false, ElsewhereWard, [], Grant(0, -1)),
            ("on the agenda of a meeting more than the set days past", false, ElsewhereWard, [], Grant(-LongPastDays, AgendaDays - LongPastDays)),
            ("on the agenda of a coming meeting, not yet issued", false, ElsewhereWard, [], []),
            ("on an issued agenda of a meeting the organisation was then removed from", false, ElsewhereWard, [], Grant(0, -1)),
            ("on a long-past meeting's agenda, then a case opened with the organisation in its team", true, ElsewhereWard, [],
                [.. Grant(-LongPastDays, AgendaDays - LongPastDays), .. Grant(-LongPastDays, null)]),
        ];
    }

    private async Task RunTheMeetingsAsync(Persona persona, TestUser chair)
    {
        var child = persona.Cases.Select(c => c.Person.Id).ToArray();
        var org = persona.Organisation.Id;
        var seriesId = await AsOnDayAsync(chair, 0, async (services, clock) =>
        {
            var (series, errors) = await Meetings(services, clock).CreateSeriesAsync(new SeriesInput(SeriesName, ElsewhereWard.Id, chair.Id, [org]), CancellationToken.None);
            return series?.Id ?? throw WorldError("set up the series", errors);
        });

        // Today's meeting: two children when the agenda is issued, one put on after, one taken off.
        var today = await ScheduleAsync(chair, seriesId, 0, 0);
        await OnMeetingAsync(chair, today, 0, "put two children on today's agenda", async (m, meeting) =>
            Merge(await m.AddItemAsync(meeting, child[0], AgendaItemSource.Added, "Raised by the school", CancellationToken.None),
                await m.AddItemAsync(meeting, child[3], AgendaItemSource.Added, "Raised by the police", CancellationToken.None)));
        await OnMeetingAsync(chair, today, 0, "issue today's agenda", (m, meeting) => m.IssueAgendaAsync(meeting, CancellationToken.None));
        await OnMeetingAsync(chair, today, 0, "add a child after the issue", (m, meeting) =>
            m.AddItemAsync(meeting, child[1], AgendaItemSource.Added, "Raised on the day", CancellationToken.None));
        var removed = await AgendaItemAsync(today, child[3]);
        await OnMeetingAsync(chair, today, 0, "take a child off", (m, meeting) => m.RemoveItemAsync(meeting, removed, "Moved out of the area", CancellationToken.None));

        // Held the set number of days ago, its agenda issued that day: today is its access's last day.
        var lastDay = await ScheduleAsync(chair, seriesId, -AgendaDays, 0);
        await OnMeetingAsync(chair, lastDay, -AgendaDays, "put a child on the agenda", (m, meeting) =>
            m.AddItemAsync(meeting, child[2], AgendaItemSource.Added, "Top 10 of the school", CancellationToken.None));
        await OnMeetingAsync(chair, lastDay, -AgendaDays, "issue the agenda", (m, meeting) => m.IssueAgendaAsync(meeting, CancellationToken.None));

        // Held longer ago: its access has run out, except where a case opened from it keeps the organisation in the team.
        var longPast = await ScheduleAsync(chair, seriesId, -LongPastDays, 0);
        await OnMeetingAsync(chair, longPast, -LongPastDays, "put two children on the agenda", async (m, meeting) =>
            Merge(await m.AddItemAsync(meeting, child[4], AgendaItemSource.Added, "Open alert", CancellationToken.None),
                await m.AddItemAsync(meeting, child[7], AgendaItemSource.Added, "Open alert", CancellationToken.None)));
        await OnMeetingAsync(chair, longPast, -LongPastDays, "issue the agenda", (m, meeting) => m.IssueAgendaAsync(meeting, CancellationToken.None));
        await OpenCaseWithTeamAsync(chair, child[7], org, -LongPastDays);

        // Coming, its agenda not issued yet: nothing granted.
        var coming = await ScheduleAsync(chair, seriesId, 0, 7);
        await OnMeetingAsync(chair, coming, 0, "put a child on the coming agenda", (m, meeting) =>
            m.AddItemAsync(meeting, child[5], AgendaItemSource.Added, "Carried over", CancellationToken.None));

        // Issued, then the organisation uninvited: its access through the agenda ends.
        var uninvited = await ScheduleAsync(chair, seriesId, 0, 3);
        await OnMeetingAsync(chair, uninvited, 0, "put a child on the agenda", (m, meeting) =>
            m.AddItemAsync(meeting, child[6], AgendaItemSource.Added, "Raised by the school", CancellationToken.None));
        await OnMeetingAsync(chair, uninvited, 0, "issue the agenda", (m, meeting) => m.IssueAgendaAsync(meeting, CancellationToken.None));
        await OnMeetingAsync(chair, uninvited, 0, "remove the invitee", (m, meeting) =>
            m.RemoveInviteeAsync(meeting, meeting.Invitees.Single(i => i.IsCurrent && i.OrganisationId == org).Id, "Not needed this month", CancellationToken.None));

        foreach (var id in child[..3])
            expectedWhy[id] = [SeriesName, "meeting agenda"];
        expectedWhy[child[7]] = ["team around the family", "Early help agreed at the meeting"];
        await CheckProcessGrantsAsync(persona);
    }

    /// <summary>
    /// Runs work as the user on a day <paramref name="clockDays"/> from today. On an earlier day the
    /// policy would have read as of that day, which today's filters cannot: the world reads past them
    /// there (a system reader in the user's name), and the process's own rules stamp that day.
    /// </summary>
    private async Task<T> AsOnDayAsync<T>(TestUser user, int clockDays, Func<IServiceProvider, TimeProvider, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = new Reader(user.Id, user.OrganisationId, user.OrganisationType, IsSystem: clockDays != 0);
        return await work(scope.ServiceProvider, new ShiftedClock(clockDays));
    }

    private static GrantRules Grants(IServiceProvider services, TimeProvider clock) => ActivatorUtilities.CreateInstance<GrantRules>(services, clock);

    private static MeetingWork Meetings(IServiceProvider services, TimeProvider clock) =>
        ActivatorUtilities.CreateInstance<MeetingWork>(services, clock, Grants(services, clock));

    private Task<Guid> ScheduleAsync(TestUser chair, Guid seriesId, int clockDays, int daysAfterClock) =>
        AsOnDayAsync(chair, clockDays, async (services, clock) =>
        {
            var meetings = Meetings(services, clock);
            var series = await meetings.VisibleSeries().Include(s => s.Members).FirstAsync(s => s.Id == seriesId);
            var (meeting, errors) = await meetings.ScheduleAsync(series,
                new ScheduleInput(Today.AddDays(clockDays + daysAfterClock), new TimeOnly(10, 0), 90, "Matrix hall", null), CancellationToken.None);
            return meeting?.Id ?? throw WorldError("schedule a meeting", errors);
        });

    private Task OnMeetingAsync(TestUser chair, Guid meetingId, int clockDays, string what, Func<MeetingWork, Meeting, Task<Dictionary<string, string>>> step) =>
        AsOnDayAsync(chair, clockDays, async (services, clock) =>
        {
            var meetings = Meetings(services, clock);
            var meeting = await meetings.FindMeetingAsync(meetingId, CancellationToken.None)
                ?? throw new InvalidOperationException($"World error: the chair cannot see the meeting to {what}.");
            var errors = await step(meetings, meeting);
            return errors.Count == 0 ? true : throw WorldError(what, errors);
        });

    private Task<Guid> AgendaItemAsync(Guid meetingId, Guid personId) =>
        app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId && i.PersonId == personId).Select(i => i.Id).SingleAsync());

    /// <summary>A case opened from the meeting's decision, the organisation in its team: the place is the team's grant, made by its process on that day.</summary>
    private Task OpenCaseWithTeamAsync(TestUser chair, Guid personId, Guid organisationId, int clockDays) =>
        AsOnDayAsync(chair, clockDays, async (services, clock) =>
        {
            var db = services.GetRequiredService<Waypoint.Data.WaypointDbContext>();
            var openedAt = clock.GetUtcNow();
            var theCase = new Case
            {
                PersonId = personId,
                LeadOrganisationId = chair.OrganisationId,
                Level = TriageOutcome.EarlyHelp,
                Status = CaseStatus.Open,
                OpenedAt = openedAt,
                OpenedByUserId = chair.Id,
            };
            db.Cases.Add(theCase);
            var place = Grants(services, clock).GrantByProcess(personId, organisationId, InvolvementSource.TeamAroundFamily, theCase.Id, "Early help agreed at the meeting");
            db.CaseMembers.Add(new CaseMember { CaseId = theCase.Id, OrganisationId = organisationId, InvolvementId = place.Id, JoinedAt = openedAt });
            await db.SaveChangesAsync();
            return true;
        });

    /// <summary>Compares the grants the processes made to the persona's organisation with the periods the world declares, case by case.</summary>
    private async Task CheckProcessGrantsAsync(Persona persona)
    {
        var ids = persona.Cases.Select(c => c.Person.Id).ToList();
        var made = await app.AsSystemAsync((db, _) => db.Involvements.AsNoTracking()
            .Where(i => i.OrganisationId == persona.Organisation.Id && ids.Contains(i.PersonId))
            .Select(i => new { i.PersonId, i.StartDate, i.EndDate }).ToListAsync());
        foreach (var c in persona.Cases)
        {
            var declared = c.Person.Involvements.Select(i => (i.Start, i.End)).Order().ToList();
            var actual = made.Where(m => m.PersonId == c.Person.Id).Select(m => (m.StartDate, m.EndDate)).Order().ToList();
            if (!declared.SequenceEqual(actual))
                processMismatches.Add($"{persona.Key} / {c.Description}: the app made [{Show(actual)}], the world declares [{Show(declared)}]");
        }

        static string Show(IEnumerable<(DateOnly Start, DateOnly? End)> periods) =>
            string.Join("; ", periods.Select(p => $"{p.Start:yyyy-MM-dd}..{p.End?.ToString("yyyy-MM-dd") ?? "open"}"));
    }

    private static Dictionary<string, string> Merge(params Dictionary<string, string>[] errors) =>
        errors.SelectMany(e => e).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Value);

    private static InvalidOperationException WorldError(string what, IReadOnlyDictionary<string, string> errors) =>
        new($"World error: could not {what}: {string.Join("; ", errors.Select(e => $"{e.Key}: {e.Value}"))}");
}
