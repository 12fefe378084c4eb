using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>A school tells Waypoint once what a heading its MIS writes means; later files of that kind are read with it.</summary>
public abstract class ImportHeadingsTests(WaypointApp app)
{
    private const string Page = "/schools/imports/headings";

    private static string AttendanceFile(TestPartnership p, string surnameHeading, string extraHeading) =>
        $"UPN,{surnameHeading},Forename,DateOfBirth,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,{extraHeading}\n" +
        $",Quill,Ada,2012-04-04,2026-09-07,2026-10-23,60,55,3,2,Late twice\n";

    private Task<ImportOutcome> ApplyAsync(TestUser user, ImportKind kind, string content) =>
        app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(content)), "report.csv", user.OrganisationId, null, CancellationToken.None));

    [Fact]
    public async Task SavedHeadings_FileRefusedBefore_ReadAfter_ForThatSchoolOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        await p.YoungPersonAsync("Ada", "Quill", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var file = AttendanceFile(p, "Pupil Surname", "Register Comments");
        var refused = await ApplyAsync(user, ImportKind.Attendance, file);
        refused.Problems.Select(x => x.Message).ShouldBe([
            "The column \"Pupil Surname\" is not one of the columns of an attendance file: remove it, correct its name, or tell Waypoint what it is under Imports, your MIS's headings.",
            "The column \"Register Comments\" is not one of the columns of an attendance file: remove it, correct its name, or tell Waypoint what it is under Imports, your MIS's headings.",
            "The column \"Surname\" is missing: an attendance file must have it, even where it is left blank.",
        ], ignoreOrder: true);
        var school = await app.SignInAsync(user);

        var saved = await school.PostFormAsync(Page, new() { ["Kind"] = "Attendance", ["Heading"] = " Pupil Surname ", ["Column"] = "Surname" });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await school.GetDocumentAsync(Page)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("\"Pupil Surname\" will be read as Surname in attendance files");
        (await school.PostFormAsync(Page, new() { ["Kind"] = "Attendance", ["Heading"] = "register comments", ["Column"] = ImportHeadings.PassOver }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var applied = await ApplyAsync(user, ImportKind.Attendance, file);
        applied.Problems.ShouldBeEmpty();
        applied.Summary!.Added.ShouldBe(1);
        (applied.Summary.Notes ?? []).ShouldNotContain(n => n.Contains("Register Comments", StringComparison.Ordinal));
        // Another school's files are not read with them.
        var other = await p.UserAsync(p.OtherSchool);
        (await ApplyAsync(other, ImportKind.Attendance, file)).Problems.ShouldNotBeEmpty();
        // Nor are another kind's.
        (await app.AsSystemAsync((db, _) => db.ImportColumnMappings.Where(m => m.SchoolId == p.School.Id).Select(m => m.Kind).Distinct().ToListAsync()))
            .ShouldBe([ImportKind.Attendance]);
    }

    [Fact]
    public async Task SaveHeading_AlreadyKnownOrNotAColumnOfTheKind_RefusedNamingTheField()
    {
        var p = await TestPartnership.CreateAsync(app);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var known = await school.PostFormAsync(Page, new() { ["Kind"] = "Enrolments", ["Heading"] = "Legal Surname", ["Column"] = "Surname" });
        var wrongColumn = await school.PostFormAsync(Page, new() { ["Kind"] = "Behaviour", ["Heading"] = "Possible Sessions Count", ["Column"] = "SessionsPossible" });
        var blank = await school.PostFormAsync(Page, new() { ["Kind"] = "Behaviour", ["Heading"] = "", ["Column"] = "" });

        known.StatusCode.ShouldBe(HttpStatusCode.OK);
        Parse(known).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("\"Legal Surname\" is already read as Surname: there is nothing to save");
        Parse(wrongColumn).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Select one of the columns of behaviour files");
        var errors = Parse(blank).QuerySelector(".govuk-error-summary")!.TextContent;
        errors.ShouldContain("Enter the heading as your system writes it");
        errors.ShouldContain("Select what the column is, or that it should be passed over");
        (await app.AsSystemAsync((db, _) => db.ImportColumnMappings.CountAsync(m => m.SchoolId == p.School.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task ForgetHeading_AsksFirst_ThenRemovesWithABanner_OtherSchoolsHeadingNotFound()
    {
        var p = await TestPartnership.CreateAsync(app);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        await school.PostFormAsync(Page, new() { ["Kind"] = "Suspensions", ["Heading"] = "Exclusion Comment", ["Column"] = ImportHeadings.PassOver });
        var id = await app.AsSystemAsync((db, _) => db.ImportColumnMappings.Where(m => m.SchoolId == p.School.Id).Select(m => m.Id).SingleAsync());
        var otherSchool = await app.SignInAsync(await p.UserAsync(p.OtherSchool));

        var asked = await school.PostFormAsync($"{Page}?handler=Remove&mappingId={id}", [], Page);
        var stranger = await otherSchool.PostFormAsync($"{Page}?handler=Remove&mappingId={id}", new() { ["Confirmed"] = "true" }, Page);
        (await app.AsSystemAsync((db, _) => db.ImportColumnMappings.CountAsync(m => m.Id == id))).ShouldBe(1);
        var removed = await school.PostFormAsync($"{Page}?handler=Remove&mappingId={id}", new() { ["Confirmed"] = "true" }, Page);

        Parse(asked).QuerySelector("h1")!.TextContent.ShouldBe("Forget the heading \"Exclusion Comment\"?");
        stranger.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await school.GetDocumentAsync(Page)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("\"Exclusion Comment\" is forgotten");
        (await app.AsSystemAsync((db, _) => db.ImportColumnMappings.CountAsync(m => m.Id == id))).ShouldBe(0);
    }

    [Fact]
    public async Task HeadingsPage_NotASchool_NotFound()
    {
        var p = await TestPartnership.CreateAsync(app);
        var hub = await app.SignInAsync(await p.UserAsync(p.Hub));

        (await hub.GetAsync(Page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static AngleSharp.Html.Dom.IHtmlDocument Parse(HttpResponseMessage response) => Clients.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
}

public sealed class ImportHeadingsTestsOnSqlite(SqliteApp app) : ImportHeadingsTests(app), IClassFixture<SqliteApp>;

public sealed class ImportHeadingsTestsOnPostgres(PostgresApp app) : ImportHeadingsTests(app), IClassFixture<PostgresApp>;
