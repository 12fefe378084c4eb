using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Meetings;

/// <summary>
/// The chair's path through the pages: a series set up, a meeting scheduled (never in the past),
/// the agenda drawn from the area's top 10 and open alerts with why each child is on it, issued
/// (the police then see the child), a child taken off after a confirmation step with a reason,
/// and the calendar invitation. Each change shows its banner.
/// </summary>
public abstract class MeetingPageTests(WaypointApp app)
{
    private static DateOnly Today => MeetingWorld.Today;

    private static void SetDate(List<KeyValuePair<string, string>> f, string prefix, DateOnly date)
    {
        f.Set($"{prefix}.Day", date.Day.ToString());
        f.Set($"{prefix}.Month", date.Month.ToString());
        f.Set($"{prefix}.Year", date.Year.ToString());
    }

    private static string Banner(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelector(".govuk-notification-banner--success")?.TextContent ?? "";

    [Fact]
    public async Task ChairRunsTheAgenda_ThroughThePages_FromTopTenAndAlertsToIssuedAndTrimmed()
    {
        var p = await TestPartnership.CreateAsync(app);
        var chairUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        var nominated = await p.YoungPersonAsync("Rae", $"Top{p.Suffix}", Today.AddYears(-14), enrolledAt: p.School);
        var alerted = await p.YoungPersonAsync("Kit", $"Alert{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var elsewhere = await p.YoungPersonAsync("Lou", $"Away{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School, ward: p.OtherWard);
        await app.AsSystemAsync(async db =>
        {
            db.TopTenNominations.Add(new TopTenNomination { PersonId = nominated.Id, SchoolId = p.School.Id, Rank = 2, Reason = "Fixed-term suspensions", NominatedAt = DateTimeOffset.UtcNow });
            db.TopTenNominations.Add(new TopTenNomination { PersonId = elsewhere.Id, SchoolId = p.School.Id, Rank = 3, Reason = "Outside the area", NominatedAt = DateTimeOffset.UtcNow });
            db.Alerts.Add(new Alert
            {
                PersonId = alerted.Id,
                SchoolId = p.School.Id,
                Rule = AlertRule.PersistentAbsence,
                TriggerKey = $"test:{alerted.Id}",
                TriggeredOn = Today.AddDays(-2),
                Figures = "Attendance 84%",
                ThresholdValue = 90,
                Status = AlertStatus.New,
                RaisedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var officer = await p.UserAsync(p.Police);
        // The police, invited without a name, hear of the meeting through their safeguarding lead.
        await app.AsSystemAsync(async db =>
        {
            (await db.Organisations.FindAsync(p.Police.Id))!.SafeguardingLeadUserId = officer.Id;
            await db.SaveChangesAsync();
        });
        var chair = await app.SignInAsync(chairUser);
        var police = await app.SignInAsync(officer);

        var created = await chair.SubmitAsync("/meetings/series/new", "#series-form", f =>
        {
            f.Set("Name", $"Brackton cluster {p.Suffix}");
            f.Set("AreaId", p.District.Id.ToString());
            f.Add(new("MemberOrganisationIds", p.Police.Id.ToString()));
            f.Add(new("MemberOrganisationIds", p.School.Id.ToString()));
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var seriesUrl = created.Headers.Location!.OriginalString;
        Banner(await chair.GetDocumentAsync(seriesUrl)).ShouldContain("set up");

        var past = await chair.SubmitAsync(seriesUrl, "#schedule-form", f =>
        {
            SetDate(f, "Date", Today.AddDays(-1));
            f.Set("StartTime", "14:00");
            f.Set("Place", "Brackton library");
        });
        past.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await past.DocumentAsync()).ErrorSummary().ShouldBe(["The date of the meeting must be today or in the future"]);
        var scheduled = await chair.SubmitAsync(seriesUrl, "#schedule-form", f =>
        {
            SetDate(f, "Date", Today.AddDays(7));
            f.Set("StartTime", "14:00");
            f.Set("Place", "Brackton library");
        });
        scheduled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var meetingUrl = scheduled.Headers.Location!.OriginalString;
        var page = await chair.GetDocumentAsync(meetingUrl);
        Banner(page).ShouldContain("Meeting scheduled");
        var candidates = page.QuerySelector("#candidates")!.TextContent;
        candidates.ShouldContain($"Rae Top{p.Suffix}");
        candidates.ShouldContain($"Number 2 on School A {p.Suffix}'s top 10");
        candidates.ShouldContain($"Kit Alert{p.Suffix}");
        candidates.ShouldContain("Open early-warning alert");
        candidates.ShouldNotContain($"Away{p.Suffix}");
        (await police.GetAsync(meetingUrl)).StatusCode.ShouldBe(HttpStatusCode.OK, "a standing member sees the meeting");
        (await police.GetDocumentAsync(meetingUrl)).QuerySelector("#candidates").ShouldBeNull("only those who run it build the agenda");

        for (var added = 0; added < 2; added++)
            (await chair.SubmitAsync(meetingUrl, "form.add-form")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page = await chair.GetDocumentAsync(meetingUrl);
        Banner(page).ShouldContain("added to the agenda");
        page.QuerySelectorAll("#agenda tbody tr").Length.ShouldBe(2);
        (await police.GetDocumentAsync(meetingUrl)).QuerySelector("#agenda-hidden")!.TextContent.ShouldContain("2 children on the agenda you cannot see until the agenda is issued");
        (await police.GetAsync($"/people/{nominated.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var issued = await chair.SubmitAsync(meetingUrl, "#issue-form");
        issued.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Banner(await chair.GetDocumentAsync(meetingUrl)).ShouldContain("Agenda issued");
        (await police.GetAsync($"/people/{nominated.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var policeView = await police.GetDocumentAsync(meetingUrl);
        policeView.QuerySelectorAll("#agenda tbody tr").Length.ShouldBe(2);
        policeView.QuerySelector("#agenda")!.TextContent.ShouldContain("School's top 10");

        var removeUrl = page.QuerySelectorAll("#agenda a").Select(a => a.GetAttribute("href")!).First(h => h.EndsWith("/remove"));
        (await police.GetAsync(removeUrl)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await chair.GetDocumentAsync(removeUrl)).QuerySelector("#step-heading")!.TextContent.ShouldStartWith("Take ");
        var noReason = await chair.SubmitAsync(removeUrl, "#remove-form");
        (await noReason.DocumentAsync()).ErrorSummary().ShouldBe(["Say why the child is taken off the agenda"]);
        (await chair.SubmitAsync(removeUrl, "#remove-form", f => f.Set("Reason", "Support already in place"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page = await chair.GetDocumentAsync(meetingUrl);
        Banner(page).ShouldContain("taken off the agenda");
        page.QuerySelectorAll("#agenda tbody tr").Length.ShouldBe(1);
        var remaining = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.RemovedAt == null && (i.PersonId == nominated.Id || i.PersonId == alerted.Id)).Select(i => i.PersonId).SingleAsync());
        var removedChild = remaining == nominated.Id ? alerted : nominated;
        (await police.GetAsync($"/people/{removedChild.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var ics = await police.GetAsync($"{meetingUrl}/calendar.ics");
        ics.StatusCode.ShouldBe(HttpStatusCode.OK);
        ics.Content.Headers.ContentType!.MediaType.ShouldBe("text/calendar");
        var calendar = await ics.Content.ReadAsStringAsync();
        calendar.ShouldContain("BEGIN:VEVENT");
        calendar.ShouldContain($"SUMMARY:Brackton cluster {p.Suffix}: early-intervention meeting");
        calendar.ShouldContain($"DTSTART:{Today.AddDays(7):yyyyMMdd}T");
        calendar.ShouldNotContain($"Top{p.Suffix}");
        calendar.ShouldNotContain($"Alert{p.Suffix}");
        var notices = await app.AsSystemAsync((db, _) => db.Notifications.AsNoTracking().Where(n => n.Link == meetingUrl && n.UserId == officer.Id).Select(n => n.Subject + " " + n.Body).ToListAsync());
        notices.Count.ShouldBe(2, "the invitation and the agenda's issue");
        notices.ShouldAllBe(n => !n.Contains("Rae") && !n.Contains("Kit"));
    }

    [Fact]
    public async Task MeetingPages_ReaderWithNoPart_404AndSchoolCannotSetUpASeries()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(2));
        var housing = await app.SignInAsync(await w.P.UserAsync(w.P.Housing));
        var school = await app.SignInAsync(await w.P.UserAsync(w.P.School));

        (await housing.GetAsync($"/meetings/{meetingId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await housing.GetAsync($"/meetings/series/{w.SeriesId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await housing.GetAsync($"/meetings/{meetingId}/calendar.ics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await housing.GetDocumentAsync("/meetings")).QuerySelector("#no-series").ShouldNotBeNull();
        (await school.GetAsync("/meetings/series/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await school.GetAsync($"/meetings/{meetingId}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the school is a standing member");
        (await school.PostFormAsync($"/meetings/{meetingId}?handler=issue", new(), $"/meetings/{meetingId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class MeetingPageTestsOnSqlite(SqliteApp app) : MeetingPageTests(app), IClassFixture<SqliteApp>;

public sealed class MeetingPageTestsOnPostgres(PostgresApp app) : MeetingPageTests(app), IClassFixture<PostgresApp>;
