using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>The public statistics page: published by the partnership, open without signing in, the CSV holding the page's figures, revisions marked.</summary>
public abstract class StatisticsPageTests(WaypointApp app)
{
    [Fact]
    public async Task Publish_ThenAnyoneReadsPageAndCsv_SameFiguresAndRevisionMarked()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Stat", $"Page{p.Suffix}", new DateOnly(2012, 3, 3), enrolledAt: p.School);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = pupil.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = AcademicYear.Of(today).Start, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        (await admin.GetAsync("/statistics/exclusions/publish")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var first = await admin.PostFormAsync("/statistics/exclusions/publish", new() { ["Threshold"] = "5" }, "/statistics/exclusions/publish");
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var refused = await admin.PostFormAsync("/statistics/exclusions/publish", new() { ["Threshold"] = "5" }, "/statistics/exclusions/publish");
        Clients.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector("#RevisionNote-error")!.TextContent.ShouldContain("Say why");
        (await admin.PostFormAsync("/statistics/exclusions/publish", new() { ["Threshold"] = "5", ["RevisionNote"] = "A school's late return" }, "/statistics/exclusions/publish"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });
        var page = await anonymous.GetAsync("/statistics/exclusions");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var doc = Clients.Parse(await page.Content.ReadAsStringAsync());
        doc.QuerySelector("#revision")!.TextContent.ShouldContain("A school's late return");
        doc.Body!.TextContent.ShouldNotContain(p.School.Name);
        var rows = doc.QuerySelectorAll("table[data-table]").SelectMany(t => t.QuerySelectorAll("tbody tr")
            .Select(r => string.Join(',', new[] { t.GetAttribute("data-table")! }.Concat(r.Children.Select(c => c.TextContent.Trim()))))).ToList();
        var csvLink = doc.QuerySelector("a[download]")!.GetAttribute("href")!.Replace("&amp;", "&", StringComparison.Ordinal);
        var csv = await anonymous.GetStringAsync(csvLink);
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // Reasons hold commas (the CSV quotes them): compared without quotes and with ", " read as ",".
        static string Plain(string line) => line.Replace("\"", "", StringComparison.Ordinal).Replace(", ", ",", StringComparison.Ordinal);
        lines.Skip(1).Take(rows.Count).Select(Plain).ShouldBe(rows.Select(Plain), "the CSV holds the page's rows");
        csv.ShouldNotContain(p.School.Name);
        var stored = await app.AsSystemAsync((db, _) => db.StatisticsPublications.Where(x => x.AcademicYear == AcademicYear.Of(today).StartYear).Select(x => x.Version).ToListAsync());
        stored.Max().ShouldBeGreaterThanOrEqualTo(2);
    }
}

public sealed class StatisticsPageTestsOnSqlite(SqliteApp app) : StatisticsPageTests(app), IClassFixture<SqliteApp>;

public sealed class StatisticsPageTestsOnPostgres(PostgresApp app) : StatisticsPageTests(app), IClassFixture<PostgresApp>;
