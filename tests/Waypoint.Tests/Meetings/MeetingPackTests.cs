using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Meetings;

/// <summary>
/// The pre-meeting pack (issue 12, item 4): per child, a page built from what the reader may see,
/// police flags for police only, as a page and a PDF, every child named audited; and the agenda's
/// order, additions by name and named invitees.
/// </summary>
public abstract class MeetingPackTests(WaypointApp app)
{
    private static DateOnly Today => MeetingWorld.Today;

    private static async Task<(MeetingWorld World, Guid MeetingId)> IssuedAsync(WaypointApp app)
    {
        var w = await MeetingWorld.CreateAsync(app);
        var year = AcademicYear.Of(Today);
        await app.AsSystemAsync(async (db, _) =>
        {
            db.AttendanceRecords.Add(new AttendanceRecord
            {
                PersonId = w.Pupil.Id,
                SchoolId = w.P.School.Id,
                PeriodStart = year.Start,
                PeriodEnd = Today,
                SessionsPossible = 200,
                SessionsPresent = 161,
                AuthorisedAbsence = 9,
                UnauthorisedAbsence = 30,
            });
            db.Suspensions.Add(new Suspension { PersonId = w.Pupil.Id, SchoolId = w.P.School.Id, StartDate = year.Start.AddDays(3) > Today ? Today : year.Start.AddDays(3), Sessions = 4, ReasonCode1 = "PP" });
            db.PersonFlags.Add(new PersonFlag
            {
                PersonId = w.Pupil.Id,
                Kind = FlagKind.CriminalExploitationRisk,
                Evidence = "Seen with older associates at the station on three evenings",
                OwnerOrganisationId = w.P.Police.Id,
                CategoryCode = RecordCategories.PoliceGeneral,
                SetByUserId = w.Officer.Id,
                SetAt = DateTimeOffset.UtcNow,
                ReviewOn = Today.AddMonths(3),
                Status = FlagStatus.Active,
            });
            await db.SaveChangesAsync();
            return true;
        });
        var meetingId = await w.ScheduleAsync(Today.AddDays(7));
        await w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.TopTen, "Number 1 on School A's top 10", CancellationToken.None)).ShouldBeEmpty();
            (await meetings.IssueAgendaAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return true;
        });
        return (w, meetingId);
    }

    [Fact]
    public async Task Pack_EachReadersCopy_ShowsWhatTheyMaySee_PoliceFlagsToPoliceOnly_AndIsAudited()
    {
        var (w, meetingId) = await IssuedAsync(app);
        var chair = await app.SignInAsync(w.Chair);
        var police = await app.SignInAsync(w.Officer);
        var youth = await app.SignInAsync(w.YouthWorker);
        var packUrl = $"/meetings/{meetingId}/pack";
        var name = $"{w.Pupil.GivenName} {w.Pupil.FamilyName}";

        (await chair.GetDocumentAsync($"/meetings/{meetingId}")).QuerySelector("#pack-link")!.GetAttribute("href").ShouldBe(packUrl);
        var chairPack = await chair.GetDocumentAsync(packUrl);
        var section = chairPack.QuerySelector($"#pack-{w.Pupil.Id}").ShouldNotBeNull();
        section.TextContent.ShouldContain(name);
        section.TextContent.ShouldContain("Number 1 on School A's top 10");
        section.TextContent.ShouldContain("80.5% at"); // 161 of 200, rounded as DfE rounds
        section.TextContent.ShouldContain("persistently absent");
        section.TextContent.ShouldContain("1 (4 sessions)");
        section.TextContent.ShouldNotContain("Police flags", Shouldly.Case.Insensitive);
        section.TextContent.ShouldNotContain("exploitation", Shouldly.Case.Insensitive);

        var policeSection = (await police.GetDocumentAsync(packUrl)).QuerySelector($"#pack-{w.Pupil.Id}").ShouldNotBeNull();
        policeSection.TextContent.ShouldContain("Police flags");
        policeSection.TextContent.ShouldContain("At risk of criminal exploitation");
        (await youth.GetDocumentAsync(packUrl)).QuerySelector($"#pack-{w.Pupil.Id}").ShouldNotBeNull().TextContent.ShouldNotContain("exploitation", Shouldly.Case.Insensitive);

        var pdf = await police.GetAsync($"{packUrl}?handler=pdf");
        pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var text = PdfText(await pdf.Content.ReadAsByteArrayAsync());
        text.ShouldContain("OFFICIAL-SENSITIVE");
        text.ShouldContain("Pre-meeting pack");
        text.ShouldContain(w.Pupil.FamilyName);
        text.ShouldContain("criminal exploitation");

        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == w.Pupil.Id && a.Subject == $"meeting.pack {meetingId}")
            .Select(a => new { a.UserId, a.Action }).ToListAsync());
        audited.Select(a => (a.UserId, a.Action)).ShouldBe(
            [(w.Chair.Id, AuditAction.Read), (w.Officer.Id, AuditAction.Read), (w.YouthWorker.Id, AuditAction.Read), (w.Officer.Id, AuditAction.Export)], ignoreOrder: true);
    }

    [Fact]
    public async Task Pack_ChildTheReaderCannotSee_CountedNeverNamed_AndNoPartIs404()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(7));
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) =>
            meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.Added, "Raised by the school", CancellationToken.None))).ShouldBeEmpty();
        var police = await app.SignInAsync(w.Officer);

        var before = await police.GetDocumentAsync($"/meetings/{meetingId}/pack");
        before.QuerySelector("#pack-not-shown")!.TextContent.ShouldContain("1 more child is on the agenda");
        before.Body!.TextContent.ShouldNotContain(w.Pupil.FamilyName);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.Subject == $"meeting.pack {meetingId}"))).ShouldBe(0);

        var outsider = await app.SignInAsync(await w.P.UserAsync(w.P.OtherSchool));
        (await outsider.GetAsync($"/meetings/{meetingId}/pack")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outsider.GetAsync($"/meetings/{meetingId}/pack?handler=pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Agenda_AddedByName_MovedUpAndDown_AndAPersonInvitedByName()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var second = await w.P.YoungPersonAsync("Ossian", $"Agenda{w.P.Suffix}", Today.AddYears(-14), enrolledAt: w.P.School);
        var meetingId = await w.ScheduleAsync(Today.AddDays(7));
        var url = $"/meetings/{meetingId}";
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) =>
            meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.Added, "Raised by the school", CancellationToken.None))).ShouldBeEmpty();
        var chair = await app.SignInAsync(w.Chair);

        var found = await chair.GetDocumentAsync($"{url}?find=Ossian+Agenda{w.P.Suffix}");
        found.QuerySelectorAll("#found tbody tr").Length.ShouldBe(1);
        var noWhy = await chair.SubmitAsync($"{url}?find=Ossian+Agenda{w.P.Suffix}", "#found .add-found-form", _ => { });
        noWhy.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await noWhy.Content.ReadAsStringAsync()).ShouldContain("Say why the child is on the agenda");
        var added = await chair.SubmitAsync($"{url}?find=Ossian+Agenda{w.P.Suffix}", "#found .add-found-form", f => f.Set("Why", "Brother of a child on last month's agenda"));
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        async Task<List<string>> OrderAsync() => (await chair.GetDocumentAsync(url)).QuerySelectorAll("#agenda tbody tr td:nth-child(2)").Select(c => c.TextContent.Trim()).ToList();
        (await OrderAsync()).ShouldBe([$"{w.Pupil.GivenName} {w.Pupil.FamilyName}", $"Ossian Agenda{w.P.Suffix}"]);
        var moved = await chair.SubmitAsync(url, "#agenda tbody tr:nth-child(2) .move-form");
        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await chair.GetDocumentAsync(url)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("moved up");
        (await OrderAsync()).ShouldBe([$"Ossian Agenda{w.P.Suffix}", $"{w.Pupil.GivenName} {w.Pupil.FamilyName}"]);
        var firstItem = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId && i.PersonId == second.Id).Select(i => i.Id).SingleAsync());
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.MoveItemAsync(meeting, firstItem, up: true, CancellationToken.None)))
            .ShouldBe(new Dictionary<string, string> { ["ItemId"] = "The child is already first on the agenda" });

        var invited = await chair.SubmitAsync(url, "#invite-person-form", f => f.Set("UserId", w.YouthWorker.Id.ToString()));
        invited.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await chair.GetDocumentAsync(url);
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Person invited");
        var youthName = await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == w.YouthWorker.Id).Select(u => u.DisplayName).SingleAsync());
        page.QuerySelector("#invitees")!.TextContent.ShouldContain(youthName);
        var twice = await chair.SubmitAsync(url, "#invite-person-form", f => f.Set("UserId", w.YouthWorker.Id.ToString()));
        (await twice.Content.ReadAsStringAsync()).ShouldContain("That person is already invited");
    }

    [Fact]
    public async Task CasePage_ShowsTheActionsMeetingsAgreedForItsChild_WithTheirMeeting()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today);
        var itemId = await w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.TopTen, "Number 1 on School A's top 10", CancellationToken.None)).ShouldBeEmpty();
            (await meetings.IssueAgendaAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return meeting.Id;
        });
        var item = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId).Select(i => i.Id).SingleAsync());
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.DecideAsync(meeting, item,
            new Features.Meetings.DecisionInput("Mentoring agreed", MeetingDecisionKind.SingleAgencySupport, null,
                [new Features.Meetings.ActionInput("Weekly mentoring with the youth service", w.P.Youth.Id, null, Today.AddDays(14))]), CancellationToken.None))).ShouldBeEmpty();
        var caseId = Guid.CreateVersion7();
        await app.AsSystemAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            db.Cases.Add(new Waypoint.Domain.Case { Id = caseId, PersonId = w.Pupil.Id, LeadOrganisationId = w.P.Youth.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = now, OpenedByUserId = w.Chair.Id, NextReviewOn = Today.AddMonths(3) });
            db.Involvements.Add(new Involvement { PersonId = w.Pupil.Id, OrganisationId = w.P.Youth.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = caseId, Reason = "Leads the child's case", StartDate = Today, ReviewOn = Today.AddMonths(3), AddedByUserId = w.Chair.Id, AddedAt = now });
            await db.SaveChangesAsync();
        });

        var table = (await (await app.SignInAsync(w.YouthWorker)).GetDocumentAsync($"/cases/{caseId}")).QuerySelector("#meeting-actions").ShouldNotBeNull();
        table.TextContent.ShouldContain("Weekly mentoring with the youth service");
        table.TextContent.ShouldContain($"Cluster {w.P.Suffix}, monthly, {Today:d MMMM yyyy}");
        table.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/meetings/{meetingId}");
        table.TextContent.ShouldContain("Open");
    }

    private static string PdfText(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        return string.Join("\n", document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(x => x.Text))));
    }
}

public sealed class MeetingPackTestsOnSqlite(SqliteApp app) : MeetingPackTests(app), IClassFixture<SqliteApp>;

public sealed class MeetingPackTestsOnPostgres(PostgresApp app) : MeetingPackTests(app), IClassFixture<PostgresApp>;
