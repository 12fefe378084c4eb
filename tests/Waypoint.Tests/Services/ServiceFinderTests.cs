using System.Net;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The public finder: no sign-in, only published services, filters that combine, nothing internal on its pages.</summary>
public abstract class ServiceFinderTests(WaypointApp app)
{
    [Fact]
    public async Task Finder_Anonymous_ListsPublishedServicesByAgeAndNeed_NotSuspendedNorInternals()
    {
        var p = await TestPartnership.CreateAsync(app);
        var fits = await app.AddServiceAsync(p, "Finder fits", s => { s.ContactName = "Staffname Private"; s.Email = "team@example.org.uk"; });
        await app.AddServiceAsync(p, "Finder too young", s => { s.MinimumAge = 4; s.MaximumAge = 8; });
        await app.AddServiceAsync(p, "Finder suspended", s => s.QaStatus = ServiceQaStatus.Suspended);
        var anonymous = app.Anonymous();

        var response = await anonymous.GetAsync($"/find-a-service?Search={p.Suffix}&Age=13&Need={ServiceData.RiskOfExclusion}&Area={p.Ward.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.DocumentAsync();
        var results = page.QuerySelector("#results")!.TextContent;
        results.ShouldContain(fits.Name);
        results.ShouldNotContain("Finder too young");
        results.ShouldNotContain("Finder suspended");
        page.QuerySelector("#result-count")!.TextContent.ShouldBe("1 service");
        var details = await anonymous.GetAsync($"/find-a-service/{fits.Id}");
        details.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await details.Content.ReadAsStringAsync();
        text.ShouldContain("team@example.org.uk");
        text.ShouldNotContain("Staffname Private");
        text.ShouldNotContain("places");
    }

    [Fact]
    public async Task FinderService_SuspendedOrUnknown_404()
    {
        var p = await TestPartnership.CreateAsync(app);
        var suspended = await app.AddServiceAsync(p, "Finder hidden", s => s.QaStatus = ServiceQaStatus.Suspended);
        var anonymous = app.Anonymous();

        (await anonymous.GetAsync($"/find-a-service/{suspended.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync($"/find-a-service/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Age=old", "Age must be a whole number from 0 to 25")]
    [InlineData("Age=26", "Age must be a whole number from 0 to 25")]
    public async Task Finder_BadAge_MessageNot500(string query, string message)
    {
        var response = await app.Anonymous().GetAsync($"/find-a-service?{query}&pageNumber=-4");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.DocumentAsync()).ErrorSummary().ShouldContain(message);
    }

    [Fact]
    public async Task Finder_MoreThanAPage_PagesWithoutOverlap()
    {
        var p = await TestPartnership.CreateAsync(app);
        for (var i = 0; i < 21; i++)
            await app.AddServiceAsync(p, $"Paged {i:00}");
        var anonymous = app.Anonymous();

        var firstPage = await anonymous.GetDocumentAsync($"/find-a-service?Search={p.Suffix}");
        var second = await anonymous.GetDocumentAsync($"/find-a-service?Search={p.Suffix}&pageNumber=2");

        firstPage.QuerySelectorAll("#results li").Length.ShouldBe(20);
        second.QuerySelectorAll("#results li").Length.ShouldBe(1);
        firstPage.QuerySelector("#pagination a[rel=next]")!.GetAttribute("href").ShouldBe($"/find-a-service?Search={p.Suffix}&pageNumber=2");
        second.QuerySelector("#results")!.TextContent.ShouldContain("Paged 20");
    }
}

public sealed class ServiceFinderTestsOnSqlite(SqliteApp app) : ServiceFinderTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceFinderTestsOnPostgres(PostgresApp app) : ServiceFinderTests(app), IClassFixture<PostgresApp>;
