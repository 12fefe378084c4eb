using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>
/// Pupils' names as schools send them (Polish, Danish, German, French) are searched with their
/// letters folded as well as exactly; the keys stored before the folding are brought into step.
/// </summary>
public sealed class NameFoldingTests
{
    [Theory]
    [InlineData("Łukasiewicz", "lukasiewicz")]
    [InlineData("Ødegård", "odegard")]
    [InlineData("Strauß", "strauss")]
    [InlineData("STRAUẞ", "strauss")]
    [InlineData("Ærø", "aero")]
    [InlineData("Œuvray", "oeuvray")]
    [InlineData("Đorđević", "dordevic")]
    [InlineData("Þórdís", "thordis")]
    [InlineData("Yıldız", "yildiz")]
    [InlineData("Zoë Héloïse", "zoe heloise")]
    public void Normalise_LettersWithoutDecomposition_FoldedAsWellAsAccents(string name, string expected) =>
        NameKeys.Normalise(name).ShouldBe(expected);

    [Theory]
    [InlineData("Łukasiewicz", "Lukasiewicz")]
    [InlineData("Søren", "Soren")]
    [InlineData("Strauß", "Strauss")]
    public void Key_FoldedAndPlainSpellings_ShareAKey(string a, string b) =>
        NameKeys.Key(a).ShouldBe(NameKeys.Key(b));
}

public abstract class DiacriticSearchTests(WaypointApp app)
{
    private static async Task<List<Guid>> SearchAsync(HttpClient client, string name)
    {
        var response = await client.GetAsync($"/api/v1/people?name={Uri.EscapeDataString(name)}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("id").GetGuid()).ToList();
    }

    [Theory]
    [InlineData("Jakub Lukasiewicz")]
    [InlineData("Jakub Łukasiewicz")]
    [InlineData("Lukasiewicz")]
    public async Task Search_PlainOrExactSpelling_FindsTheNameWithŁ(string query)
    {
        var p = await TestPartnership.CreateAsync(app);
        var jakub = await p.YoungPersonAsync("Jakub", "Łukasiewicz", new DateOnly(2015, 2, 11), enrolledAt: p.School);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));

        (await SearchAsync(client, query)).ShouldContain(jakub.Id);
    }

    [Fact]
    public async Task Search_PlainSpellings_FindStraussAndOdegard()
    {
        var p = await TestPartnership.CreateAsync(app);
        var lena = await p.YoungPersonAsync("Lena", "Strauß", new DateOnly(2013, 4, 19), enrolledAt: p.School);
        var astrid = await p.YoungPersonAsync("Astrid", "Ødegård", new DateOnly(2015, 6, 30), enrolledAt: p.School);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));

        (await SearchAsync(client, "Lena Strauss")).ShouldContain(lena.Id);
        (await SearchAsync(client, "Astrid Odegard")).ShouldContain(astrid.Id);
    }

    [Fact]
    public async Task Backfill_KeysStoredBeforeFolding_BroughtIntoStepAndFound()
    {
        var p = await TestPartnership.CreateAsync(app);
        var jakub = await p.YoungPersonAsync("Jakub", "Łukasiewicz", new DateOnly(2015, 2, 11), enrolledAt: p.School);
        // As the register stored it before the folding: the accent-stripped name kept its Ł.
        await app.AsSystemAsync(db => db.People.Where(x => x.Id == jakub.Id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.SearchFamilyName, "łukasiewicz").SetProperty(x => x.FamilyNameKey, "ŁKSS").SetProperty(x => x.SearchFamilyPrefix, "łuk")));
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));
        (await SearchAsync(client, "Jakub Lukasiewicz")).ShouldNotContain(jakub.Id);

        var fixedCount = await app.AsSystemAsync((db, _) => SearchKeyBackfill.RunAsync(db, CancellationToken.None));

        fixedCount.ShouldBeGreaterThanOrEqualTo(1);
        var stored = await app.AsSystemAsync((db, _) => db.People.SingleAsync(x => x.Id == jakub.Id));
        (stored.SearchFamilyName, stored.FamilyNameKey, stored.SearchFamilyPrefix).ShouldBe(("lukasiewicz", NameKeys.Key("Lukasiewicz"), "luk"));
        (await SearchAsync(client, "Jakub Lukasiewicz")).ShouldContain(jakub.Id);
        (await app.AsSystemAsync((db, _) => SearchKeyBackfill.RunAsync(db, CancellationToken.None))).ShouldBe(0);
    }
}

public sealed class DiacriticSearchTestsOnSqlite(SqliteApp app) : DiacriticSearchTests(app), IClassFixture<SqliteApp>;

public sealed class DiacriticSearchTestsOnPostgres(PostgresApp app) : DiacriticSearchTests(app), IClassFixture<PostgresApp>;
