using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>The inclusion team's dashboard: this year against last, by month, district and phase; schools named only to the inclusion team and the school itself.</summary>
public abstract class ExclusionDashboardTests(WaypointApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly AcademicYear Year = AcademicYear.Of(Today);

    /// <summary>
    /// School A (secondary, district A): this year 2 suspensions and 1 permanent exclusion, last year 3 suspensions (and one
    /// after this date last year, outside "to date"). School B (primary, district B): this year 1 suspension and 1 the
    /// headteacher withdrew, last year 1 permanent exclusion. All on 1 September, so the September rows hold them.
    /// </summary>
    private async Task<TestPartnership> PartnershipWithSuspensionsAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var a = await p.YoungPersonAsync("Ari", $"Dash{p.Suffix}", new DateOnly(2012, 3, 3), enrolledAt: p.School);
        var b = await p.YoungPersonAsync("Bea", $"Dash{p.Suffix}", new DateOnly(2016, 3, 3), enrolledAt: p.OtherSchool, ward: p.OtherWard);
        await app.AsSystemAsync(async db =>
        {
            await db.Organisations.Where(o => o.Id == p.School.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.AreaId, p.Ward.Id));
            await db.Organisations.Where(o => o.Id == p.OtherSchool.Id).ExecuteUpdateAsync(u => u.SetProperty(o => o.AreaId, p.OtherWard.Id));
            Suspension S(Person pupil, Organisation school, DateOnly start, ExclusionKind kind = ExclusionKind.Suspension, ExclusionOutcome outcome = ExclusionOutcome.NotReviewed) => new()
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                Kind = kind,
                StartDate = start,
                Sessions = kind == ExclusionKind.Suspension ? 2 : null,
                ReasonCode1 = "PP",
                Outcome = outcome,
                RecordedAt = DateTimeOffset.UtcNow,
            };
            var last = Year.Previous;
            db.Suspensions.AddRange(
                // One record per pupil, school, day and kind (the natural key): repeats fall on the next days of the same month.
                S(a, p.School, Year.Start), S(a, p.School, Year.Start.AddDays(1)), S(a, p.School, Year.Start, ExclusionKind.PermanentExclusion),
                S(a, p.School, last.Start), S(a, p.School, last.Start.AddDays(1)), S(a, p.School, last.Start.AddDays(2)),
                S(b, p.OtherSchool, Year.Start), S(b, p.OtherSchool, Year.Start.AddDays(1), outcome: ExclusionOutcome.Withdrawn),
                S(b, p.OtherSchool, last.Start, ExclusionKind.PermanentExclusion));
            if (Today.AddYears(-1) < last.End)
                db.Suspensions.Add(S(a, p.School, Today.AddYears(-1).AddDays(1)));
            await db.SaveChangesAsync();
        });
        return p;
    }

    private static List<string[]> TableRows(IHtmlDocument page) =>
        page.QuerySelectorAll("table[data-breakdown]").SelectMany(t => t.QuerySelectorAll("tbody tr")
            .Select(r => new[] { t.GetAttribute("data-breakdown")! }.Concat(r.Children.Select(c => c.TextContent.Trim())).ToArray())).ToList();

    private static string[] Row(List<string[]> rows, string breakdown, string group) =>
        rows.Single(r => r[0] == breakdown && r[1] == group)[2..];

    [Fact]
    public async Task Dashboard_KnownSuspensions_ThisYearAgainstLastByMonthDistrictAndPhase()
    {
        var p = await PartnershipWithSuspensionsAsync();
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));

        var page = await inclusion.GetDocumentAsync("/schools/dashboard");
        var rows = TableRows(page);

        page.QuerySelector("#headline")!.TextContent.ShouldContain("3 suspensions");
        page.QuerySelector("svg[role=img] title")!.TextContent.ShouldContain("by month");
        page.QuerySelectorAll("svg rect").Length.ShouldBeGreaterThanOrEqualTo(2);
        Row(rows, "Month", "September").ShouldBe(["3", "3", "1", "1"]);
        Row(rows, "Total", "Total").ShouldBe(["3", "3", "1", "1"]);
        Row(rows, "District", p.District.Name).ShouldBe(["2", "3", "1", "0"]);
        Row(rows, "District", p.OtherDistrict.Name).ShouldBe(["1", "0", "0", "1"]);
        Row(rows, "Phase", "Secondary").ShouldBe(["2", "3", "1", "0"]);
        Row(rows, "Phase", "Primary").ShouldBe(["1", "0", "0", "1"]);
        Row(rows, "School", p.School.Name).ShouldBe(["2", "3", "1", "0"]);
        Row(rows, "School", p.OtherSchool.Name).ShouldBe(["1", "0", "0", "1"]);
    }

    [Fact]
    public async Task Csv_InclusionOfficer_HoldsExactlyTheTablesRows()
    {
        var p = await PartnershipWithSuspensionsAsync();
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));

        var rows = TableRows(await inclusion.GetDocumentAsync("/schools/dashboard"));
        var csv = await inclusion.GetAsync("/schools/dashboard?handler=Csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        lines[0].ShouldStartWith("Breakdown,Group,");
        lines.Skip(1).ShouldBe(rows.Select(r => string.Join(',', r)));
    }

    [Fact]
    public async Task Dashboard_AnalystOrAnotherSchool_NeverSeesTheSchoolsName()
    {
        var p = await PartnershipWithSuspensionsAsync();
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        var otherSchool = await app.SignInAsync(await p.UserAsync(p.OtherSchool));

        var analystPage = await analyst.GetDocumentAsync("/schools/dashboard");
        var analystCsv = await analyst.GetStringAsync("/schools/dashboard?handler=Csv");
        var schoolPage = await otherSchool.GetDocumentAsync("/schools/dashboard");
        var schoolCsv = await otherSchool.GetStringAsync("/schools/dashboard?handler=Csv");

        Row(TableRows(analystPage), "District", p.District.Name).ShouldBe(["2", "3", "1", "0"]);
        analystPage.QuerySelector("table[data-breakdown=School]").ShouldBeNull();
        foreach (var text in new[] { analystPage.Body!.TextContent, analystCsv, schoolPage.Body!.TextContent, schoolCsv })
            text.ShouldNotContain(p.School.Name);
        analystCsv.ShouldNotContain(p.OtherSchool.Name);
        Row(TableRows(schoolPage), "School", p.OtherSchool.Name).ShouldBe(["1", "0", "0", "1"]);
        schoolCsv.ShouldContain(p.OtherSchool.Name);
    }

    [Fact]
    public async Task Dashboard_HousingPractitioner_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var housing = await app.SignInAsync(await p.UserAsync(p.Housing));

        (await housing.GetAsync("/schools/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await housing.GetAsync("/schools/dashboard?handler=Csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class ExclusionDashboardTestsOnSqlite(SqliteApp app) : ExclusionDashboardTests(app), IClassFixture<SqliteApp>;

public sealed class ExclusionDashboardTestsOnPostgres(PostgresApp app) : ExclusionDashboardTests(app), IClassFixture<PostgresApp>;
