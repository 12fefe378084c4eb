using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Meetings;

/// <summary>
/// In the meeting: attendance, a decision per child with actions that must each have an owner,
/// the actions in the owner organisation's My work (done from there), a decision to seek consent
/// giving the named agency the visit, and the same over the API.
/// </summary>
public abstract class MeetingDecisionTests(WaypointApp app)
{
    private static DateOnly Today => MeetingWorld.Today;

    private static async Task<(MeetingWorld World, Guid MeetingId, Guid ItemId)> HeldTodayAsync(WaypointApp app)
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today);
        await w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.TopTen, "Number 1 on School A's top 10", CancellationToken.None)).ShouldBeEmpty();
            (await meetings.IssueAgendaAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return true;
        });
        var itemId = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId).Select(i => i.Id).SingleAsync());
        return (w, meetingId, itemId);
    }

    [Fact]
    public async Task Decide_ThroughThePage_ActionsNeedOwnersAppearInMyWorkAndAreDoneThere()
    {
        var (w, meetingId, itemId) = await HeldTodayAsync(app);
        var chair = await app.SignInAsync(w.Chair);
        var police = await app.SignInAsync(w.Officer);
        var youth = await app.SignInAsync(w.YouthWorker);
        var decisionUrl = $"/meetings/agenda-items/{itemId}/decision";
        var due = Today.AddDays(10);

        var names = (await chair.GetDocumentAsync($"/meetings/{meetingId}")).QuerySelectorAll("#attendance-form input[type=radio]").Select(r => r.GetAttribute("name")).Distinct().ToList();
        names.Count.ShouldBe(3);
        var marked = await chair.SubmitAsync($"/meetings/{meetingId}", "#attendance-form", f =>
        {
            foreach (var name in names)
                f.Set(name!, "Present");
            f.Set(names[0]!, "Apologies");
        });
        marked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Set<MeetingInvitee>().Where(i => i.MeetingId == meetingId).Select(i => i.Attendance).ToListAsync()))
            .ShouldBe([Attendance.Apologies, Attendance.Present, Attendance.Present], ignoreOrder: true);

        var ownerless = await chair.SubmitAsync(decisionUrl, "#decision-form", f =>
        {
            f.Set("Decision", "SingleAgencySupport");
            f.Set("Actions[0].Description", "Weekly mentoring session");
            f.Set("Actions[0].DueOn.Day", due.Day.ToString());
            f.Set("Actions[0].DueOn.Month", due.Month.ToString());
            f.Set("Actions[0].DueOn.Year", due.Year.ToString());
        });
        ownerless.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ownerless.DocumentAsync()).ErrorSummary().ShouldBe(["Select the invited organisation that owns action 1"]);
        (await app.AsSystemAsync((db, _) => db.Set<MeetingAction>().CountAsync(a => a.AgendaItemId == itemId))).ShouldBe(0);

        var decided = await chair.SubmitAsync(decisionUrl, "#decision-form", f =>
        {
            f.Set("Discussion", "Attendance falling; school and youth service to work together");
            f.Set("Decision", "SeekConsentForEarlyHelp");
            f.Set("ConsentAgencyId", w.P.Police.Id.ToString());
            f.Set("Actions[0].Description", "Weekly mentoring session");
            f.Set("Actions[0].OwnerOrganisationId", w.P.Youth.Id.ToString());
            f.Set("Actions[0].DueOn.Day", due.Day.ToString());
            f.Set("Actions[0].DueOn.Month", due.Month.ToString());
            f.Set("Actions[0].DueOn.Year", due.Year.ToString());
        });
        decided.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await chair.GetDocumentAsync($"/meetings/{meetingId}")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Decision recorded");

        var youthWork = await youth.GetDocumentAsync("/my-work");
        youthWork.QuerySelector("#my-meeting-actions")!.TextContent.ShouldContain("Weekly mentoring session");
        youthWork.QuerySelector("#my-meeting-actions")!.TextContent.ShouldContain(w.Pupil.GivenName);
        var policeWork = (await police.GetDocumentAsync("/my-work")).QuerySelector("#my-meeting-actions")!.TextContent;
        policeWork.ShouldContain("Visit the family to ask for consent");
        policeWork.ShouldNotContain("Weekly mentoring session");

        var seriesUrl = $"/meetings/series/{w.SeriesId}";
        var before = (await chair.GetDocumentAsync(seriesUrl)).QuerySelector("#outcomes")!.TextContent;
        before.ShouldContain($"Police {w.P.Suffix}: 0 of 1 given");
        before.ShouldContain("Seek consent and open an early-help case: 1");
        before.ShouldNotContain(w.Pupil.GivenName);
        var policeApi = await app.ApiClientAsync(w.Officer);
        (await policeApi.PostAsJsonAsync($"/api/v1/people/{w.Pupil.Id}/consent", new
        {
            forOrganisationId = w.P.Youth.Id,
            method = "HomeVisit",
            askedOn = Today.ToString("yyyy-MM-dd"),
            answeredBy = "Parent",
            outcome = "Given",
            scope = "Early help with the youth service",
            expiresOn = (string?)null,
            caseId = (Guid?)null,
        })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await chair.GetDocumentAsync(seriesUrl)).QuerySelector("#outcomes")!.TextContent.ShouldContain($"Police {w.P.Suffix}: 1 of 1 given");

        var done = await youth.SubmitAsync("/my-work", "#my-meeting-actions form");
        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await youth.GetDocumentAsync("/my-work");
        after.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Action marked done");
        after.QuerySelector("#no-meeting-actions").ShouldNotBeNull();
        (await police.PostFormAsync($"/meetings/actions/{Guid.NewGuid()}/done", new(), "/my-work")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Minutes_ApprovedByTheChairOnce_LockedAndEachCopyFollowsTheRecipientsAccess()
    {
        var (w, meetingId, itemId) = await HeldTodayAsync(app);
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.DecideAsync(meeting, itemId,
            new Features.Meetings.DecisionInput("Mentoring agreed", MeetingDecisionKind.SingleAgencySupport, null,
                [new Features.Meetings.ActionInput("Weekly mentoring", w.P.Youth.Id, null, Today.AddDays(14))]), CancellationToken.None))).ShouldBeEmpty();
        var policeInvitee = await app.AsSystemAsync((db, _) => db.Set<MeetingInvitee>().Where(i => i.MeetingId == meetingId && i.OrganisationId == w.P.Police.Id).Select(i => i.Id).SingleAsync());
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.RemoveInviteeAsync(meeting, policeInvitee, "Could not attend", CancellationToken.None))).ShouldBeEmpty();
        var chair = await app.SignInAsync(w.Chair);
        var youth = await app.SignInAsync(w.YouthWorker);
        var police = await app.SignInAsync(w.Officer);
        var meetingUrl = $"/meetings/{meetingId}";

        (await youth.GetAsync($"{meetingUrl}/minutes.pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "not approved yet");
        (await youth.PostFormAsync($"{meetingUrl}?handler=approve", new(), meetingUrl)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await chair.SubmitAsync(meetingUrl, "#approve-form")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await chair.GetDocumentAsync(meetingUrl)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Minutes approved");
        var twice = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.ApproveMinutesAsync(meeting, CancellationToken.None));
        twice.Keys.ShouldBe(["Minutes"]);
        twice["Minutes"].ShouldStartWith("The minutes were already approved");
        var locked = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.DecideAsync(meeting, itemId,
            new Features.Meetings.DecisionInput(null, MeetingDecisionKind.NoFurtherAction, null, []), CancellationToken.None));
        locked.Keys.ShouldBe(["Decision"]);

        var youthPdf = await youth.GetAsync($"{meetingUrl}/minutes.pdf");
        youthPdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        youthPdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var youthText = PdfText(await youthPdf.Content.ReadAsByteArrayAsync());
        youthText.ShouldContain("OFFICIAL-SENSITIVE");
        youthText.ShouldContain($"{w.Pupil.GivenName} {w.Pupil.FamilyName}");
        youthText.ShouldContain("Single-agency support");
        youthText.ShouldContain("Weekly mentoring");
        var policeText = PdfText(await (await police.GetAsync($"{meetingUrl}/minutes.pdf")).Content.ReadAsByteArrayAsync());
        policeText.ShouldContain("OFFICIAL-SENSITIVE");
        policeText.ShouldContain("1 further child was discussed");
        policeText.ShouldNotContain(w.Pupil.FamilyName);
        var (downloads, audited) = await app.AsSystemAsync(async (db, _) => (
            await db.Set<MinutesDownload>().Where(d => d.MeetingId == meetingId).Select(d => new { d.OrganisationId, d.Children }).ToListAsync(),
            await db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.Subject == $"meeting.minutes {meetingId}")));
        downloads.Select(d => (d.OrganisationId, d.Children)).ShouldBe([(w.P.Youth.Id, 1), (w.P.Police.Id, 0)], ignoreOrder: true);
        audited.ShouldBe(1);
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
    }

    [Fact]
    public async Task Decide_MeetingNotYetHeldOrConsentWithoutAgency_RefusedNamingTheField()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var futureId = await w.ScheduleAsync(Today.AddDays(3));
        await w.AsAsync(w.Chair, futureId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.Added, "Raised by the school", CancellationToken.None)).ShouldBeEmpty();
            return true;
        });
        var futureItem = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == futureId).Select(i => i.Id).SingleAsync());
        var (held, heldId, heldItem) = await HeldTodayAsync(app);

        var early = await w.AsAsync(w.Chair, futureId, (meetings, meeting) =>
            meetings.DecideAsync(meeting, futureItem, new Features.Meetings.DecisionInput(null, MeetingDecisionKind.NoFurtherAction, null, []), CancellationToken.None));
        var noAgency = await held.AsAsync(held.Chair, heldId, (meetings, meeting) =>
            meetings.DecideAsync(meeting, heldItem, new Features.Meetings.DecisionInput(null, MeetingDecisionKind.SeekConsentForEarlyHelp, null, []), CancellationToken.None));
        var noDecision = await held.AsAsync(held.Chair, heldId, (meetings, meeting) =>
            meetings.DecideAsync(meeting, heldItem, new Features.Meetings.DecisionInput("Talked", null, null, []), CancellationToken.None));

        early.Keys.ShouldBe(["Decision"]);
        noAgency.Keys.ShouldBe(["ConsentAgencyId"]);
        noDecision.Keys.ShouldBe(["Decision"]);
        (await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.Id == heldItem || i.Id == futureItem).Select(i => i.Decision).ToListAsync()))
            .ShouldAllBe(d => d == null);
    }

    [Fact]
    public async Task Api_MeetingAgendaAndDecision_UnderTheSamePolicy()
    {
        var (w, meetingId, itemId) = await HeldTodayAsync(app);
        var chair = await app.ApiClientAsync(w.Chair);
        var police = await app.ApiClientAsync(w.Officer);
        var housing = await app.ApiClientAsync(await w.P.UserAsync(w.P.Housing));

        var meeting = await chair.GetFromJsonAsync<JsonElement>($"/api/v1/meetings/{meetingId}");
        meeting.GetProperty("agenda")[0].GetProperty("personId").GetGuid().ShouldBe(w.Pupil.Id);
        meeting.GetProperty("agenda")[0].GetProperty("why").GetString().ShouldBe("Number 1 on School A's top 10");
        (await police.GetFromJsonAsync<JsonElement>($"/api/v1/meetings/{meetingId}")).GetProperty("agenda").GetArrayLength().ShouldBe(1);
        (await housing.GetAsync($"/api/v1/meetings/{meetingId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await police.PostAsJsonAsync($"/api/v1/meetings/{meetingId}/issue", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var bad = await chair.PostAsJsonAsync($"/api/v1/meetings/agenda-items/{itemId}/decision",
            new { decision = "SingleAgencySupport", actions = new[] { new { description = "Mentoring", ownerOrganisationId = (Guid?)null, dueOn = Today.AddDays(5).ToString("yyyy-MM-dd") } } });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("actions[0].OwnerOrganisationId", out _).ShouldBeTrue();
        var good = await chair.PostAsJsonAsync($"/api/v1/meetings/agenda-items/{itemId}/decision",
            new { decision = "SingleAgencySupport", actions = new[] { new { description = "Mentoring", ownerOrganisationId = (Guid?)w.P.Youth.Id, dueOn = Today.AddDays(5).ToString("yyyy-MM-dd") } } });
        good.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var decided = await chair.GetFromJsonAsync<JsonElement>($"/api/v1/meetings/{meetingId}");
        decided.GetProperty("agenda")[0].GetProperty("decision").GetString().ShouldBe("SingleAgencySupport");
        decided.GetProperty("agenda")[0].GetProperty("actions")[0].GetProperty("ownerOrganisationId").GetGuid().ShouldBe(w.P.Youth.Id);
        var openApi = await app.Anonymous().GetStringAsync("/openapi/v1.json");
        openApi.ShouldContain("/api/v1/meetings/{id}");
        openApi.ShouldContain("/api/v1/meetings/agenda-items/{itemId}/decision");
    }
}

public sealed class MeetingDecisionTestsOnSqlite(SqliteApp app) : MeetingDecisionTests(app), IClassFixture<SqliteApp>;

public sealed class MeetingDecisionTestsOnPostgres(PostgresApp app) : MeetingDecisionTests(app), IClassFixture<PostgresApp>;
