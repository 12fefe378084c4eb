using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.Meetings;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Meetings;

/// <summary>
/// The access a meeting's agenda gives, through the one policy: it starts when the agenda is
/// issued, ends the partnership's set number of days after the meeting, and ends at once when the
/// child is taken off the agenda or the organisation is uninvited; another grant (a service
/// referral, a case) is left alone. Each checked by reading the child's page as the invitee.
/// </summary>
public abstract class AgendaGrantTests(WaypointApp app)
{
    private static DateOnly Today => MeetingWorld.Today;

    private async Task<HttpStatusCode> PersonPageAsync(HttpClient client, Person person) =>
        (await client.GetAsync($"/people/{person.Id}")).StatusCode;

    private Task<List<Involvement>> MeetingGrantsAsync(Person person) =>
        app.AsSystemAsync((db, _) => db.Involvements.AsNoTracking().Where(i => i.PersonId == person.Id && i.Source == InvolvementSource.Meeting).ToListAsync());

    private static Task AddPupilAsync(MeetingWorld w, Guid meetingId) =>
        w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.TopTen, "Number 1 on School A's top 10", CancellationToken.None)).ShouldBeEmpty();
            return true;
        });

    private static Task IssueAsync(MeetingWorld w, Guid meetingId) =>
        w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.IssueAgendaAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return true;
        });

    [Fact]
    public async Task IssueAgenda_InvitedOrganisations_SeeTheChildUntilTheMeetingPlus28Days()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(10));
        var police = await app.SignInAsync(w.Officer);
        var housing = await app.SignInAsync(await w.P.UserAsync(w.P.Housing));

        await AddPupilAsync(w, meetingId);
        (await PersonPageAsync(police, w.Pupil)).ShouldBe(HttpStatusCode.NotFound, "an agenda not yet issued gives nothing");
        await IssueAsync(w, meetingId);

        (await PersonPageAsync(police, w.Pupil)).ShouldBe(HttpStatusCode.OK);
        (await PersonPageAsync(housing, w.Pupil)).ShouldBe(HttpStatusCode.NotFound, "an organisation not invited sees nothing");
        var why = (await police.GetDocumentAsync($"/people/{w.Pupil.Id}")).QuerySelector("#why-visible")!.TextContent;
        why.ShouldContain($"Cluster {w.P.Suffix}, monthly");
        why.ShouldContain("meeting agenda");
        var grants = await MeetingGrantsAsync(w.Pupil);
        grants.Select(g => g.OrganisationId).ShouldBe([w.P.Police.Id, w.P.Youth.Id, w.P.School.Id], ignoreOrder: true);
        grants.ShouldAllBe(g => g.StartDate == Today && g.EndDate == Today.AddDays(10 + MeetingSettings.DefaultAccessDaysAfterMeeting));
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.Subject.StartsWith("grant:Meeting")))).ShouldBe(3);
    }

    [Fact]
    public async Task IssueAgenda_PartnershipSetsSevenDays_GrantEndsSevenDaysAfterTheMeeting()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var admin = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Waypoint.Identity.Roles.PartnershipAdmin));
        (await (await app.SignInAsync(w.Chair)).GetAsync("/admin/meetings")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var refused = await admin.PostFormAsync("/admin/meetings", new() { ["AccessDaysAfterMeeting"] = "0" });
        Clients.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("from 1 to 180");
        (await app.AsSystemAsync((db, _) => db.Set<MeetingSettings>().AnyAsync())).ShouldBeFalse("a refused value changes nothing");
        (await admin.PostFormAsync("/admin/meetings", new() { ["AccessDaysAfterMeeting"] = "7" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetDocumentAsync("/admin/meetings")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("until 7 days after the meeting");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject == "admin.meetings access days after a meeting: 28 to 7"))).ShouldBe(1);
        try
        {
            var meetingId = await w.ScheduleAsync(Today.AddDays(3));
            await AddPupilAsync(w, meetingId);
            await IssueAsync(w, meetingId);

            (await MeetingGrantsAsync(w.Pupil)).ShouldAllBe(g => g.EndDate == Today.AddDays(10));
        }
        finally
        {
            await app.AsSystemAsync(db => db.Set<MeetingSettings>().ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task RemoveItem_AfterIssue_EndsTheAgendaGrantButNotAServiceReferralsGrant()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(5));
        await AddPupilAsync(w, meetingId);
        await IssueAsync(w, meetingId);
        // The youth service also has the child through a referral of its own.
        await app.AsSystemAsync(async (db, services) =>
        {
            services.GetRequiredService<GrantRules>().GrantByProcess(w.Pupil.Id, w.P.Youth.Id, InvolvementSource.ServiceReferral, Guid.NewGuid(), "referral to a service");
            await db.SaveChangesAsync();
            return true;
        });
        var police = await app.SignInAsync(w.Officer);
        var youth = await app.SignInAsync(w.YouthWorker);
        var itemId = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId).Select(i => i.Id).SingleAsync());

        var refused = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.RemoveItemAsync(meeting, itemId, " ", CancellationToken.None));
        refused.Keys.ShouldBe(["Reason"]);
        (await PersonPageAsync(police, w.Pupil)).ShouldBe(HttpStatusCode.OK, "a refused removal changes nothing");
        var removed = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.RemoveItemAsync(meeting, itemId, "Moved out of the area", CancellationToken.None));

        removed.ShouldBeEmpty();
        (await PersonPageAsync(police, w.Pupil)).ShouldBe(HttpStatusCode.NotFound);
        (await PersonPageAsync(youth, w.Pupil)).ShouldBe(HttpStatusCode.OK, "the service referral's own grant stays");
        (await MeetingGrantsAsync(w.Pupil)).ShouldAllBe(g => g.EndDate == Today.AddDays(-1));
        var item = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().AsNoTracking().SingleAsync(i => i.Id == itemId));
        (item.RemovedReason, item.Why).ShouldBe(("Moved out of the area", "Number 1 on School A's top 10"));
    }

    [Fact]
    public async Task RemoveInvitee_AfterIssue_EndsOnlyThatOrganisationsGrant()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(5));
        await AddPupilAsync(w, meetingId);
        await IssueAsync(w, meetingId);
        var police = await app.SignInAsync(w.Officer);
        var youth = await app.SignInAsync(w.YouthWorker);
        var inviteeId = await app.AsSystemAsync((db, _) => db.Set<MeetingInvitee>().Where(i => i.MeetingId == meetingId && i.OrganisationId == w.P.Police.Id).Select(i => i.Id).SingleAsync());

        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.RemoveInviteeAsync(meeting, inviteeId, "Not needed this month", CancellationToken.None))).ShouldBeEmpty();

        (await PersonPageAsync(police, w.Pupil)).ShouldBe(HttpStatusCode.NotFound);
        (await PersonPageAsync(youth, w.Pupil)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InviteAndAddAfterIssue_NewInviteeAndNewChild_GrantedAtOnce()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(5));
        await AddPupilAsync(w, meetingId);
        await IssueAsync(w, meetingId);
        var second = await w.P.YoungPersonAsync("Ada", $"Late{w.P.Suffix}", Today.AddYears(-12), enrolledAt: w.P.School);
        var health = await app.SignInAsync(await w.P.UserAsync(w.P.Health));

        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.InviteAsync(meeting, w.P.Health.Id, null, CancellationToken.None))).ShouldBeEmpty();
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.AddItemAsync(meeting, second.Id, AgendaItemSource.Added, "Raised by the school", CancellationToken.None))).ShouldBeEmpty();

        (await PersonPageAsync(health, w.Pupil)).ShouldBe(HttpStatusCode.OK);
        (await PersonPageAsync(health, second)).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BadInput_PastDateOutsiderOrUnseenChild_RefusedNamingTheFieldNothingStored()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today);
        var stranger = await w.P.YoungPersonAsync("Zed", $"Far{w.P.Suffix}", Today.AddYears(-12), ward: w.P.OtherWard);

        var past = await app.AsUserAsync(w.Chair, async (_, services) =>
        {
            var meetings = services.GetRequiredService<MeetingWork>();
            var series = await meetings.VisibleSeries().Include(s => s.Members).FirstAsync(s => s.Id == w.SeriesId);
            return (await meetings.ScheduleAsync(series, new ScheduleInput(Today.AddDays(-1), new TimeOnly(9, 30), 60, "Hall", null), CancellationToken.None)).Errors;
        });
        var outsider = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.InviteAsync(meeting, Guid.NewGuid(), null, CancellationToken.None));
        var wrongPerson = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.InviteAsync(meeting, w.P.Health.Id, w.Officer.Id, CancellationToken.None));
        var unseen = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.AddItemAsync(meeting, stranger.Id, AgendaItemSource.Added, "Because", CancellationToken.None));
        var empty = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.IssueAgendaAsync(meeting, CancellationToken.None));

        past.Keys.ShouldBe(["Date"]);
        outsider.Keys.ShouldBe(["OrganisationId"]);
        wrongPerson.Keys.ShouldBe(["UserId"]);
        unseen.Keys.ShouldBe(["PersonId"]);
        empty.Keys.ShouldBe(["Agenda"]);
        var (meetings, invitees, items) = await app.AsSystemAsync(async (db, _) => (
            await db.Set<Meeting>().CountAsync(m => m.SeriesId == w.SeriesId),
            await db.Set<MeetingInvitee>().CountAsync(i => i.MeetingId == meetingId),
            await db.Set<AgendaItem>().CountAsync(i => i.MeetingId == meetingId)));
        (meetings, invitees, items).ShouldBe((1, 3, 0));
    }
}

public sealed class AgendaGrantTestsOnSqlite(SqliteApp app) : AgendaGrantTests(app), IClassFixture<SqliteApp>;

public sealed class AgendaGrantTestsOnPostgres(PostgresApp app) : AgendaGrantTests(app), IClassFixture<PostgresApp>;
