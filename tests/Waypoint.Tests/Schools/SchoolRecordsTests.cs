using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>
/// Suspensions, exclusions and behaviour recorded by hand on the pupil's page, and who sees them:
/// through the one access policy, with the default information-sharing agreement.
/// </summary>
public abstract class SchoolRecordsTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static Dictionary<string, string> Date(string prefix, DateOnly date) => new()
    {
        [$"{prefix}.Day"] = date.Day.ToString(),
        [$"{prefix}.Month"] = date.Month.ToString(),
        [$"{prefix}.Year"] = date.Year.ToString(),
    };

    private static Dictionary<string, string> SuspensionForm(string sessions, params string[] reasons)
    {
        var form = Date("Start", Today);
        form["Sessions"] = sessions;
        form["Outcome"] = "NotReviewed";
        for (var i = 0; i < reasons.Length; i++)
            form[$"Reasons[{i}]"] = reasons[i];
        return form;
    }

    private static Dictionary<string, string> BehaviourForm(string description, string severity = "3", DateOnly? occurred = null)
    {
        var form = Date("Occurred", occurred ?? Today);
        form["Category"] = "VerbalAbuseOrThreats";
        form["Severity"] = severity;
        form["Description"] = description;
        return form;
    }

    private static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => Clients.Parse(await response.Content.ReadAsStringAsync());

    [Fact]
    public async Task RecordSuspension_BySchool_InclusionOfficerSeesItAndHousingDoesNot()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Amir", "Khan", new DateOnly(2011, 5, 5), enrolledAt: p.School);
        var teacher = await p.UserAsync(p.School);
        var school = await app.SignInAsync(teacher);
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District));
        await p.InvolveAsync(pupil, p.Housing, "Tenancy support");
        var housing = await app.SignInAsync(await p.UserAsync(p.Housing));

        var recorded = await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", SuspensionForm("6", "PA", "VA"));

        recorded.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        recorded.Headers.Location!.OriginalString.ShouldBe($"/people/{pupil.Id}/school#school-records");
        (await school.GetDocumentAsync($"/people/{pupil.Id}/school")).QuerySelector(".govuk-notification-banner--success")!.TextContent
            .ShouldContain($"The suspension from {Today:d MMMM yyyy} was recorded");
        var stored = await app.AsSystemAsync((db, _) => db.Suspensions.SingleAsync(s => s.PersonId == pupil.Id));
        stored.SchoolId.ShouldBe(p.School.Id);
        stored.Kind.ShouldBe(ExclusionKind.Suspension);
        stored.Sessions.ShouldBe(6);
        stored.ReasonCodes.ShouldBe(["PA", "VA"]);
        stored.RecordedByUserId.ShouldBe(teacher.Id);
        var writes = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == teacher.Id && a.PersonId == pupil.Id
            && a.Subject == "person.school.suspension" && a.Action == AuditAction.Create));
        writes.ShouldBe(1);

        var inclusionPage = await inclusion.GetDocumentAsync($"/people/{pupil.Id}/school");
        var row = inclusionPage.QuerySelector("#suspension-list tbody tr")!.TextContent;
        row.ShouldContain("Physical assault against an adult");
        row.ShouldContain("3 days");
        inclusionPage.QuerySelector("#suspension-summary")!.TextContent.ShouldContain("3 days of the 45-school-day limit");

        var housingResponse = await housing.GetAsync($"/people/{pupil.Id}/school");
        housingResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        var housingPage = await ParseAsync(housingResponse);
        housingPage.QuerySelector("#suspension-list").ShouldBeNull();
        housingPage.QuerySelector("#school-records")!.ShouldNotBeNull();
        housingPage.Body!.TextContent.ShouldNotContain("Physical assault");
        housingPage.Body.TextContent.ShouldContain("No school records your organisation may see");
        (await Waypoint.Tests.People.PersonSections.AllTextAsync(housing, pupil.Id)).ShouldNotContain("Physical assault");
    }

    [Fact]
    public async Task PersonPage_PoliceWithInvolvement_SeesSuspensionsButNotBehaviourDetail()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Bella", "Lowe", new DateOnly(2011, 6, 6), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        await p.InvolveAsync(pupil, p.Police, "Missing episodes");
        var officer = await p.UserAsync(p.Police);
        var police = await app.SignInAsync(officer);
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));
        const string detail = "Swore at the supply teacher and threw a chair towards the door";

        (await school.PostFormAsync($"/people/{pupil.Id}/school/behaviour/new", BehaviourForm(detail))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", SuspensionForm("2", "VA"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var policePage = await police.GetDocumentAsync($"/people/{pupil.Id}/school");
        policePage.QuerySelector("#suspension-list")!.TextContent.ShouldContain("Verbal abuse or threatening behaviour against an adult");
        policePage.QuerySelector("#behaviour").ShouldBeNull();
        policePage.Body!.TextContent.ShouldNotContain(detail);
        (await Waypoint.Tests.People.PersonSections.AllTextAsync(police, pupil.Id)).ShouldNotContain(detail);
        var schoolPage = await school.GetDocumentAsync($"/people/{pupil.Id}/school");
        schoolPage.QuerySelector("#behaviour-list")!.TextContent.ShouldContain(detail);
        var inclusionPage = await inclusion.GetDocumentAsync($"/people/{pupil.Id}/school");
        inclusionPage.QuerySelector("#behaviour-list")!.TextContent.ShouldContain(detail);

        // The filter itself, not just the page: the police reader's queries never return behaviour detail.
        var (suspensions, incidents) = await app.AsUserAsync(officer, async (db, _) =>
            (await db.Suspensions.CountAsync(s => s.PersonId == pupil.Id), await db.BehaviourIncidents.CountAsync(b => b.PersonId == pupil.Id)));
        suspensions.ShouldBe(1);
        incidents.ShouldBe(0);
    }

    [Fact]
    public async Task RecordSuspension_InvalidInput_NamesEachFieldAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Cody", "Marsh", new DateOnly(2011, 7, 7), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var form = SuspensionForm("0", "PA", "VA", "BU", "DM");
        form["Start.Day"] = "";
        form["Outcome"] = "Forgiven";

        var response = await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", form);
        var unknownCode = await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", SuspensionForm("4", "ZZ"));
        var retiredCode = await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", SuspensionForm("4", "DB"));
        var beforeEnrolment = SuspensionForm("4", "PA");
        foreach (var (key, value) in Date("Start", Today.AddYears(-2)))
            beforeEnrolment[key] = value;
        var early = await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", beforeEnrolment);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await ParseAsync(response);
        var links = page.QuerySelectorAll(".govuk-error-summary a").Select(a => a.GetAttribute("href")).ToList();
        links.ShouldBe(["#StartDate", "#Sessions", "#Reasons", "#Outcome"], ignoreOrder: true);
        page.QuerySelector("#StartDate-error")!.TextContent.ShouldContain("must include a day");
        page.QuerySelector("#Sessions-error")!.TextContent.ShouldContain("at least 1 session");
        page.QuerySelector("#Reasons-error")!.TextContent.ShouldContain("no more than 3 reasons");
        page.QuerySelector("#Outcome-error")!.TextContent.ShouldContain("Select the outcome");
        (await ParseAsync(unknownCode)).QuerySelector("#Reasons-error")!.TextContent.ShouldContain("from the list");
        (await ParseAsync(retiredCode)).QuerySelector("#Reasons-error")!.TextContent.ShouldContain("from the list");
        (await ParseAsync(early)).QuerySelector("#StartDate-error")!.TextContent.ShouldContain("when the pupil joined your school");
        (await app.AsSystemAsync((db, _) => db.Suspensions.CountAsync(s => s.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task RecordBehaviour_InvalidInput_NamesEachFieldAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Dana", "Pike", new DateOnly(2011, 8, 8), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var form = BehaviourForm(new string('x', 2001), severity: "6", occurred: Today.AddDays(2));
        form["Category"] = "";

        var response = await school.PostFormAsync($"/people/{pupil.Id}/school/behaviour/new", form);

        var page = await ParseAsync(response);
        page.QuerySelector("#OccurredOn-error")!.TextContent.ShouldContain("today or in the past");
        page.QuerySelector("#Category-error")!.TextContent.ShouldContain("Select the category");
        page.QuerySelector("#Severity-error")!.TextContent.ShouldContain("from 1 to 5");
        page.QuerySelector("#Description-error")!.TextContent.ShouldContain("2,000 characters or fewer");
        (await app.AsSystemAsync((db, _) => db.BehaviourIncidents.CountAsync(b => b.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task RecordBehaviour_SameIncidentTwice_SaidSoAndStoredOnce()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Dana", "Pike", new DateOnly(2011, 8, 8), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var form = BehaviourForm("Threw a chair in science", severity: "3", occurred: Today);

        (await school.PostFormAsync($"/people/{pupil.Id}/school/behaviour/new", form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var again = await school.PostFormAsync($"/people/{pupil.Id}/school/behaviour/new", form);

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ParseAsync(again)).QuerySelector("#Description-error")!.TextContent.ShouldContain("already recorded");
        (await app.AsSystemAsync((db, _) => db.BehaviourIncidents.CountAsync(b => b.PersonId == pupil.Id))).ShouldBe(1);
    }

    [Fact]
    public async Task RecordPages_ReaderWhoMayNotRecord_403WhenVisibleAnd404WhenNot()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Eli", "Ford", new DateOnly(2011, 9, 9), enrolledAt: p.School);
        await p.InvolveAsync(pupil, p.Police);
        var police = await app.SignInAsync(await p.UserAsync(p.Police));
        var otherSchool = await app.SignInAsync(await p.UserAsync(p.OtherSchool));
        var schoolLinks = await (await app.SignInAsync(await p.UserAsync(p.School))).GetDocumentAsync($"/people/{pupil.Id}/school");

        foreach (var path in new[] { "suspensions/new", "exclusions/new", "behaviour/new" })
        {
            (await police.GetAsync($"/people/{pupil.Id}/school/{path}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, path);
            (await otherSchool.GetAsync($"/people/{pupil.Id}/school/{path}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
            schoolLinks.QuerySelector($"a[href='/people/{pupil.Id}/school/{path}']").ShouldNotBeNull(path);
        }
        var posted = await police.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", SuspensionForm("2", "PA"), formPage: $"/people/{pupil.Id}");
        posted.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await police.GetDocumentAsync($"/people/{pupil.Id}/school")).QuerySelector($"a[href='/people/{pupil.Id}/school/suspensions/new']").ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.Suspensions.CountAsync(s => s.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task RecordPermanentExclusion_BySchool_ShownAsToBeToldToTheAuthorityAtOnce()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Fern", "Gale", new DateOnly(2010, 1, 1), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var form = Date("Start", Today);
        form["Reasons[0]"] = "OW";
        form["Outcome"] = "Pending";
        form["Sessions"] = "12"; // not asked for a permanent exclusion, so not kept

        var response = await school.PostFormAsync($"/people/{pupil.Id}/school/exclusions/new", form);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = await app.AsSystemAsync((db, _) => db.Suspensions.SingleAsync(s => s.PersonId == pupil.Id));
        stored.Kind.ShouldBe(ExclusionKind.PermanentExclusion);
        stored.Sessions.ShouldBeNull();
        var row = (await school.GetDocumentAsync($"/people/{pupil.Id}/school")).QuerySelector("#suspension-list tbody tr")!.TextContent;
        row.ShouldContain("Permanent exclusion");
        row.ShouldContain("At once: a permanent exclusion");
    }

    [Fact]
    public async Task PersonPage_AttendanceAndSuspensionsAcrossSchools_ShowsAbsenceFlagAndFortyFiveDayCount()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Gina", "Holt", new DateOnly(2011, 2, 2), enrolledAt: p.School);
        var year = AcademicYear.Of(Today);
        await app.AsSystemAsync(async db =>
        {
            db.AttendanceRecords.Add(new AttendanceRecord
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                PeriodStart = year.Start,
                PeriodEnd = year.Start.AddDays(48),
                SessionsPossible = 100,
                SessionsPresent = 90,
                AuthorisedAbsence = 6,
                UnauthorisedAbsence = 4,
                RecordedAt = DateTimeOffset.UtcNow,
                CodeCounts = [new() { Code = "/", Sessions = 45 }, new() { Code = "\\", Sessions = 45 }, new() { Code = "I", Sessions = 6 }, new() { Code = "O", Sessions = 4 }],
            });
            db.Suspensions.AddRange(
                new Suspension { PersonId = pupil.Id, SchoolId = p.OtherSchool.Id, StartDate = year.Start.AddDays(20), Sessions = 40, ReasonCode1 = "PP" },
                new Suspension { PersonId = pupil.Id, SchoolId = p.School.Id, StartDate = year.Start.AddDays(120), Sessions = 51, ReasonCode1 = "LD" });
            await db.SaveChangesAsync();
        });
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var page = await school.GetDocumentAsync($"/people/{pupil.Id}/school");

        var attendance = page.QuerySelector("#attendance-summary")!.TextContent;
        attendance.ShouldContain("10.0% absence");
        attendance.ShouldContain("Persistent absence");
        var suspensions = page.QuerySelector("#suspension-summary")!.TextContent;
        suspensions.ShouldContain("45.5 days of the 45-school-day limit, across 2 schools");
        suspensions.ShouldContain("Over the 45-day limit");
        page.QuerySelectorAll("table caption").Select(c => c.TextContent).ShouldContain("Attendance by period");
    }

    [Fact]
    public async Task PersonPage_PeriodsAtTwoSchoolsOverlap_WarnsWhichDaysTheCombinedFigureCountsTwice()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Hana", "Lodge", new DateOnly(2012, 5, 5), enrolledAt: p.School);
        var year = AcademicYear.Of(Today);
        AttendanceRecord Period(Guid school, int fromDay, int toDay) => new()
        {
            PersonId = pupil.Id,
            SchoolId = school,
            PeriodStart = year.Start.AddDays(fromDay),
            PeriodEnd = year.Start.AddDays(toDay),
            SessionsPossible = 40,
            SessionsPresent = 36,
            AuthorisedAbsence = 2,
            UnauthorisedAbsence = 2,
            RecordedAt = DateTimeOffset.UtcNow,
        };
        await app.AsSystemAsync(async db =>
        {
            db.AttendanceRecords.AddRange(Period(p.School.Id, 0, 30), Period(p.OtherSchool.Id, 20, 50));
            await db.SaveChangesAsync();
        });
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var page = await school.GetDocumentAsync($"/people/{pupil.Id}/school");

        var warning = page.QuerySelector("#attendance-overlaps").ShouldNotBeNull().TextContent;
        warning.ShouldContain($"{p.School.Name} and {p.OtherSchool.Name} overlap from {year.Start.AddDays(20):d MMMM yyyy} to {year.Start.AddDays(30):d MMMM yyyy}");
        warning.ShouldContain("dual registration");
    }

    [Fact]
    public async Task PersonPage_FourYearOldMissingHalf_NotShownAsSevereAbsence()
    {
        var p = await TestPartnership.CreateAsync(app);
        var year = AcademicYear.Of(Today);
        // Four on the 31 August before the year: recorded, but outside the DfE's measures.
        var pupil = await p.YoungPersonAsync("Ivy", "Nash", new DateOnly(year.StartYear - 4, 3, 3), enrolledAt: p.School);
        await app.AsSystemAsync(async db =>
        {
            db.AttendanceRecords.Add(new AttendanceRecord
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                PeriodStart = year.Start,
                PeriodEnd = year.Start.AddDays(48),
                SessionsPossible = 100,
                SessionsPresent = 40,
                AuthorisedAbsence = 60,
                UnauthorisedAbsence = 0,
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var page = await school.GetDocumentAsync($"/people/{pupil.Id}/school");

        var attendance = page.QuerySelector("#attendance-summary")!.TextContent;
        attendance.ShouldContain("60.0% absence");
        page.QuerySelector("#attendance-summary .govuk-tag").ShouldBeNull();
        attendance.ShouldContain("the DfE measures count pupils aged 5 to 15 at the start of the year");
    }
}

public sealed class SchoolRecordsTestsOnSqlite(SqliteApp app) : SchoolRecordsTests(app), IClassFixture<SqliteApp>;

public sealed class SchoolRecordsTestsOnPostgres(PostgresApp app) : SchoolRecordsTests(app), IClassFixture<PostgresApp>;
