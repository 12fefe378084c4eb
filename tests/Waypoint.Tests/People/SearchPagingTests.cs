using System.Text;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// The search page tells the truth about how many it found (it used to stop at 25 and say "25
/// people found"), pages through them, and says of each their age, school and why they matched;
/// the export holds every result and audits each person listed.
/// </summary>
public abstract class SearchPagingTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, TestUser User, string Family, List<Person> Pupils);

    /// <summary>30 pupils of one family name at School A, and 3 more at School B whom School A's user may not see.</summary>
    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = $"Paging{p.Suffix}";
        var pupils = new List<Person>();
        for (var i = 0; i < 30; i++)
            pupils.Add(await p.YoungPersonAsync($"Child{i:00}", family, Today.AddYears(-12).AddDays(-i), enrolledAt: p.School));
        for (var i = 0; i < 3; i++)
            await p.YoungPersonAsync($"Hidden{i}", family, Today.AddYears(-12), enrolledAt: p.OtherSchool);
        return new World(p, await p.UserAsync(p.School), family, pupils);
    }

    [Fact]
    public async Task Search_MoreThanOnePage_TrueCountAndPages()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.User);

        var first = await client.GetDocumentAsync($"/people?Name={w.Family}");

        first.QuerySelector("#results")!.TextContent.ShouldBe("30 people found");
        first.QuerySelector("#results-range")!.TextContent.ShouldBe("Showing 1 to 25 of 30, best match first.");
        first.QuerySelectorAll("#search-results tbody tr").Length.ShouldBe(25);
        var next = first.QuerySelector(".govuk-pagination__next a")!.GetAttribute("href")!;
        var second = await client.GetDocumentAsync(next);
        second.QuerySelectorAll("#search-results tbody tr").Length.ShouldBe(5);
        second.QuerySelector(".govuk-pagination__item--current a")!.TextContent.ShouldBe("2");
        var names = first.QuerySelectorAll("#search-results tbody tr td:first-child a").Concat(second.QuerySelectorAll("#search-results tbody tr td:first-child a"))
            .Select(a => a.TextContent).ToList();
        names.Distinct().Count().ShouldBe(30);
        names.ShouldAllBe(n => n.StartsWith("Child"));
    }

    [Fact]
    public async Task Search_EachResult_ShowsAgeSchoolAndWhyItMatched()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.User);

        var page = await client.GetDocumentAsync($"/people?Name=Child00%20{w.Family}");

        var cells = page.QuerySelector("#search-results tbody tr")!.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        cells[0].ShouldBe($"Child00 {w.Family}");
        cells[1].ShouldBe($"{Today.AddYears(-12):d MMMM yyyy} (12)");
        cells[2].ShouldBe($"School A {w.P.Suffix}");
        cells[4].ShouldBe("Name");
        var misspelt = await client.GetDocumentAsync($"/people?Name=Chidl00%20{w.Family}");
        misspelt.QuerySelector("#search-results tbody tr td:last-child")!.TextContent.ShouldBe("Name spelled similarly");
    }

    [Fact]
    public async Task SearchExport_EveryResultNotOnlyThePage_AuditedAsListed()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.User);

        var page = await client.GetDocumentAsync($"/people?Name={w.Family}");
        var csv = page.QuerySelector("#search-exports a[href*='format=csv']")!.GetAttribute("href")!;
        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync(csv));

        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("\uFEFFName,Date of birth,Age,School now,Ward,Type,Open case,Open alerts,Why it matched");
        lines.Length.ShouldBe(31);
        text.ShouldNotContain("Hidden");
        var listed = await app.AsSystemAsync((db, _) => db.AuditEntries
            .Where(a => a.UserId == w.User.Id && a.Action == AuditAction.Export && a.Subject == "people.search.export").Select(a => a.PersonId).ToListAsync());
        listed.ShouldBe(w.Pupils.Select(p => (Guid?)p.Id), ignoreOrder: true);
    }
}

public sealed class SearchPagingTestsOnSqlite(SqliteApp app) : SearchPagingTests(app), IClassFixture<SqliteApp>;

public sealed class SearchPagingTestsOnPostgres(PostgresApp app) : SearchPagingTests(app), IClassFixture<PostgresApp>;
