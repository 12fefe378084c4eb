using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Provision;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Provision;

/// <summary>The sixth-day rule with a local authority's term dates: half-terms and holidays are not school days.</summary>
public sealed class TermDaysTests
{
    private static readonly SchoolDays Days = SchoolDays.England.WithTerms(TermDateFile.Parse(TermDateFile.Demo()).Terms);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-10-23", "2025-11-06", "2025-10-30")] // the Thursday before autumn half-term: two days, the half-term week, four more
    [InlineData("2025-10-24", "2025-11-07", "2025-10-31")] // the last day before half-term
    [InlineData("2025-10-29", "2025-11-10", "2025-11-05")] // given in half-term: day one is the first day back
    [InlineData("2025-12-17", "2026-01-07", "2025-12-24")] // over Christmas: three days, the holiday, three more
    [InlineData("2026-04-30", "2026-05-08", "2026-05-08")] // across the early May bank holiday in term
    [InlineData("2026-05-21", "2026-06-04", "2026-05-29")] // the spring bank holiday inside May half-term
    [InlineData("2026-03-26", "2026-04-16", "2026-04-02")] // over the Easter holiday, Good Friday and Easter Monday inside it
    [InlineData("2026-07-20", "2026-09-08", "2026-07-27")] // the end of the summer term: the summer holiday, then 2026 to 2027's first days
    public void SixthDay_WithTermDates_SkipsHalfTermsHolidaysAndBankHolidays(string excluded, string sixth, string withoutTerms)
    {
        Days.SixthDay(D(excluded)).ShouldBe(D(sixth));
        SchoolDays.England.SixthDay(D(excluded)).ShouldBe(D(withoutTerms), "without term dates only weekends and bank holidays are skipped");
    }

    [Fact]
    public void SixthDay_YearWithoutTermDates_HolidaysCountAsSchoolDays()
    {
        // 2024 to 2025 is not in the file: its October half-term counts.
        Days.HasTermDates(D("2024-10-28")).ShouldBeFalse();
        Days.SixthDay(D("2024-10-24")).ShouldBe(D("2024-10-31"));
    }

    [Fact]
    public void Assess_Unplaced_DaysMissedStopOverHalfTerm()
    {
        // Sixth day Thursday 6 November 2025 (the half-term week skipped); on Monday 10 November two days have passed.
        var a = SixthDayRule.Assess(Days, D("2025-10-23"), null, [], D("2025-11-10"));
        a.SixthDay.ShouldBe(D("2025-11-06"));
        a.DaysMissed.ShouldBe(2);
        // Over Christmas the holiday is not missed: 17, 18 and 19 December, then 5 January.
        SixthDayRule.Assess(Days, D("2025-12-10"), null, [], D("2026-01-06")).DaysMissed.ShouldBe(4);
    }

    [Fact]
    public void Assess_SuspensionOverHalfTerm_LastDayAfterTheHoliday()
    {
        // Twelve sessions (six days) from Wednesday 22 October 2025: 22, 23, 24, then 3, 4, 5 November.
        var a = SixthDayRule.Assess(Days, D("2025-10-22"), 12, [], D("2025-12-01"));
        a.SixthDay.ShouldBe(D("2025-11-05"));
        a.LastDay.ShouldBe(D("2025-11-05"));
        a.DaysMissed.ShouldBe(1);
    }

    [Fact]
    public void DemoFile_TwoYearsOfSixTermsEach_AllWeekdayBoundaries()
    {
        var parsed = TermDateFile.Parse(TermDateFile.Demo());
        parsed.Problems.ShouldBeEmpty();
        parsed.Terms.Count.ShouldBe(12);
        parsed.Years.Select(y => y.StartYear).ShouldBe([2025, 2026]);
        parsed.Terms.ShouldAllBe(t => t.Start.DayOfWeek != DayOfWeek.Saturday && t.Start.DayOfWeek != DayOfWeek.Sunday
            && t.End.DayOfWeek != DayOfWeek.Saturday && t.End.DayOfWeek != DayOfWeek.Sunday);
        // About 190 school days a year, as in England.
        Days.CountBetween(D("2025-09-01"), D("2026-09-01")).ShouldBeInRange(185, 195);
        Days.CountBetween(D("2026-09-01"), D("2027-09-01")).ShouldBeInRange(185, 195);
    }

    [Theory]
    [InlineData("Autumn 1,2025-09-03", "Line 1: expected three fields")]
    [InlineData(",2025-09-03,2025-10-24", "Line 1, name:")]
    [InlineData("Autumn 1,2025-13-03,2025-10-24", "Line 1, first day: “2025-13-03” is not a date")]
    [InlineData("Autumn 1,2025-09-03,", "Line 1, last day: enter the date")]
    [InlineData("name,first day,last day\nAutumn 1,2025-09-03,2025-08-24", "Line 2, last day: 24 August 2025 is before the first day")]
    [InlineData("Autumn 1,2025-09-03,2026-09-04", "Line 1, last day: a term ends in the academic year it starts in")]
    [InlineData("Autumn,2025-09-03,2026-07-20", "Line 1, last day: a term of 321 days is longer than any term")]
    [InlineData("Autumn 1,2025-09-03,2025-10-24\nAutumn 2,2025-10-20,2025-12-19", "Line 2, first day: Autumn 2 overlaps Autumn 1 on line 1")]
    [InlineData("Autumn 2,2025-11-03,2025-12-19\nSummer 2,2026-06-01,2026-07-21", "Line 1, first day: the first term of 2025 to 2026 starts on 3 November 2025")]
    [InlineData("Autumn 1,2025-09-03,2025-10-24", "Line 1, last day: the last term of 2025 to 2026 ends on 24 October 2025")]
    [InlineData("Autumn 1,1999-09-03,1999-10-24", "Line 1, first day: the date must be between")]
    [InlineData("   ", "Enter the term dates")]
    [InlineData("   \n# only a comment\n", "The file holds no term dates")]
    [InlineData("# a comment\nname,first day,last day\n", "The file holds no term dates")]
    public void Parse_BadLine_RefusedNamingTheLineAndField(string text, string problem)
    {
        var parsed = TermDateFile.Parse(text);
        parsed.Terms.ShouldBeEmpty();
        parsed.Problems.ShouldContain(p => p.StartsWith(problem, StringComparison.Ordinal), string.Join(" | ", parsed.Problems));
    }

    [Fact]
    public void Parse_WrittenFile_ReadsBackTheSame()
    {
        var terms = TermDateFile.Parse(TermDateFile.Demo()).Terms;
        TermDateFile.Parse(TermDateFile.Write(terms)).Terms.ShouldBe(terms);
        TermDateFile.Parse("Autumn 1,03/09/2025,24/10/2025\nSummer,13/04/2026,21/07/2026").Terms.Count.ShouldBe(2);
    }
}

/// <summary>The term-dates page over HTTP on both databases, and the sixth-day dashboard counting from the dates it keeps.</summary>
public abstract class TermDatesTests(WaypointApp app)
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private const string Year2025 = """
        name,first day,last day
        Autumn 1,2025-09-03,2025-10-24
        Autumn 2,2025-11-03,2025-12-19
        Spring 1,2026-01-05,2026-02-13
        Spring 2,2026-02-23,2026-03-27
        Summer 1,2026-04-13,2026-05-22
        Summer 2,2026-06-01,2026-07-21
        """;

    private static Dictionary<string, string> Fields(TestPartnership p, string text) => new() { ["Area"] = p.County.Id.ToString(), ["Text"] = text };

    private Task<List<TermDate>> HeldAsync(TestPartnership p) =>
        app.AsSystemAsync((db, _) => db.Set<TermDate>().Where(t => t.AuthorityId == p.County.Id).OrderBy(t => t.StartDate).ToListAsync());

    [Fact]
    public async Task SaveTermDates_PartnershipAdmin_CheckedConfirmedStoredAuditedAndSixthDayCountsThem()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var pupil = await p.YoungPersonAsync("Rhys", $"Halfterm{p.Suffix}", new DateOnly(2011, 5, 1), enrolledAt: p.School);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.PermanentExclusion,
                StartDate = D("2025-10-23"),
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var check = await admin.PostFormAsync("/provision/term-dates?handler=Check", Fields(p, Year2025), formPage: $"/provision/term-dates?area={p.County.Id}");

        check.StatusCode.ShouldBe(HttpStatusCode.OK);
        var preview = await check.DocumentAsync();
        preview.QuerySelectorAll("#checked-terms tbody tr").Length.ShouldBe(6);
        preview.QuerySelector("#replaces")!.TextContent.ShouldContain("None are held");
        (await HeldAsync(p)).ShouldBeEmpty("checking saves nothing");

        var saved = await admin.PostFormAsync("/provision/term-dates?handler=Save", Fields(p, Year2025), formPage: $"/provision/term-dates?area={p.County.Id}");

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var held = await HeldAsync(p);
        held.Select(t => (t.Name, t.StartDate, t.EndDate)).First().ShouldBe(("Autumn 1", D("2025-09-03"), D("2025-10-24")));
        held.Count.ShouldBe(6);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject.StartsWith($"provision:term-dates {p.County.Id}") && a.Action == AuditAction.Update))).ShouldBe(1);
        var page = await admin.GetDocumentAsync($"/provision/term-dates?area={p.County.Id}");
        page.QuerySelector("#terms-2025")!.TextContent.ShouldContain("Fri 24 October 2025");
        var csv = await (await admin.GetAsync($"/provision/term-dates?handler=Export&area={p.County.Id}")).Content.ReadAsStringAsync();
        TermDateFile.Parse(csv).Terms.Count.ShouldBe(6);

        // The Thursday before half-term: the sixth school day is after the half-term week.
        var officer = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));
        var board = await officer.GetDocumentAsync("/provision/sixth-day?From=2025-10-01");
        var row = board.QuerySelectorAll("#sixth-day-rows tbody tr").Single(r => r.TextContent.Contains(pupil.FamilyName));
        row.TextContent.ShouldContain("Thu 6 Nov 2025");
    }

    [Fact]
    public async Task SaveTermDates_AnotherYear_ReplacesOnlyTheYearsSent()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await admin.PostFormAsync("/provision/term-dates?handler=Save", Fields(p, TermDateFile.Demo()), formPage: "/provision/term-dates");
        (await HeldAsync(p)).Count.ShouldBe(12);

        var changed = Year2025.Replace("Summer 2,2026-06-01,2026-07-21", "Summer 2,2026-06-01,2026-07-22", StringComparison.Ordinal);
        var check = await admin.PostFormAsync("/provision/term-dates?handler=Check", Fields(p, changed), formPage: "/provision/term-dates");
        (await check.DocumentAsync()).QuerySelector("#replaces")!.TextContent.ShouldContain("replace the 6 term dates held");
        await admin.PostFormAsync("/provision/term-dates?handler=Save", Fields(p, changed), formPage: "/provision/term-dates");

        var held = await HeldAsync(p);
        held.Count.ShouldBe(12);
        held.Single(t => t.StartDate == D("2026-06-01")).EndDate.ShouldBe(D("2026-07-22"));
        held.Count(t => t.StartDate >= D("2026-09-01")).ShouldBe(6, "2026 to 2027 kept");
    }

    [Fact]
    public async Task SaveTermDates_BadLine_RefusedNamingLineAndFieldNothingChanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await admin.PostFormAsync("/provision/term-dates?handler=Save", Fields(p, Year2025), formPage: "/provision/term-dates");
        var bad = Year2025.Replace("Spring 1,2026-01-05,2026-02-13", "Spring 1,2026-01-05,2026-02-31", StringComparison.Ordinal);

        foreach (var handler in new[] { "Check", "Save" })
        {
            var response = await admin.PostFormAsync($"/provision/term-dates?handler={handler}", Fields(p, bad), formPage: "/provision/term-dates");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var summary = (await response.DocumentAsync()).ErrorSummary().ShouldHaveSingleItem();
            summary.ShouldContain("Line 4, last day");
            summary.ShouldContain("2026-02-31");
        }
        (await HeldAsync(p)).Single(t => t.Name == "Spring 1").EndDate.ShouldBe(D("2026-02-13"));
    }

    [Fact]
    public async Task TermDatesPage_NotPartnershipAdmin_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));

        (await officer.GetAsync("/provision/term-dates")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var post = await officer.PostFormAsync("/provision/term-dates?handler=Save", Fields(p, Year2025), formPage: "/account");
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await HeldAsync(p)).ShouldBeEmpty();
    }
}

public sealed class TermDatesTestsOnSqlite(SqliteApp app) : TermDatesTests(app), IClassFixture<SqliteApp>;

public sealed class TermDatesTestsOnPostgres(PostgresApp app) : TermDatesTests(app), IClassFixture<PostgresApp>;
