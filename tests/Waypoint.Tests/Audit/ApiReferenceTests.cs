using System.Net;
using System.Text.Json;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>The readable API reference, generated from the running app's endpoints.</summary>
public abstract class ApiReferenceTests(WaypointApp app)
{
    [Fact]
    public async Task ApiReference_Anonymous_ListsEveryOperationWithParametersAndTheTokenSteps()
    {
        var client = app.Anonymous();

        var response = await client.GetAsync("/api-reference");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector("a[href='/openapi/v1.json']").ShouldNotBeNull();
        page.QuerySelector("#token")!.NextElementSibling!.TextContent.ShouldContain("POST");
        var person = page.QuerySelector("#get-api-v1-people-id")!;
        person.QuerySelector("h3")!.TextContent.ShouldContain("/api/v1/people/{id}");
        var idRow = person.QuerySelectorAll("table")[0].QuerySelectorAll("tbody tr").Single(tr => tr.QuerySelector("th")!.TextContent == "id");
        idRow.TextContent.ShouldContain("path");
        idRow.TextContent.ShouldContain("uuid");
        idRow.TextContent.ShouldContain("Yes");
        var statuses = person.QuerySelectorAll("table")[^1].QuerySelectorAll("tbody tr th").Select(th => th.TextContent).ToList();
        statuses.ShouldBe(["200", "401", "404"]);
        var token = page.QuerySelector("#post-api-v1-token")!;
        token.QuerySelector("h3")!.TextContent.ShouldContain("/api/v1/token");
        var fields = token.QuerySelectorAll("table")[0].QuerySelectorAll("tbody tr th").Select(th => th.TextContent).ToList();
        fields.ShouldBe(["email", "password", "code"]);
        page.QuerySelector("#get-api-v1-audit-verify")!.TextContent.ShouldContain("data-protection officer role");
    }

    [Fact]
    public async Task ApiReference_EveryOpenApiOperation_HasASection()
    {
        var client = app.Anonymous();
        var openApi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var page = Clients.Parse(await client.GetStringAsync("/api-reference"));

        var operations = openApi.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .Where(op => op.Contains(" /api/v1/"))
            .ToList();

        operations.ShouldNotBeEmpty();
        var sections = page.QuerySelectorAll("section h3").Select(h => string.Join(' ', h.TextContent.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        sections.ShouldBe(operations, ignoreOrder: true);
    }
}

public sealed class ApiReferenceTestsOnSqlite(SqliteApp app) : ApiReferenceTests(app), IClassFixture<SqliteApp>;

public sealed class ApiReferenceTestsOnPostgres(PostgresApp app) : ApiReferenceTests(app), IClassFixture<PostgresApp>;
