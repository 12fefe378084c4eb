using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Features.Evidence;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>Statistical neighbours from a data file: read by name or code, the home's row becomes the comparator set with its source recorded, and a file without the home or with an unknown neighbour changes nothing.</summary>
public abstract class NeighbourFileTests(WaypointApp app)
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string csv, string source)
    {
        var form = await client.GetDocumentAsync("/statistics/benchmarking/manage");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Clients.AntiforgeryToken(form.DocumentElement.OuterHtml)!), "__RequestVerificationToken" },
            { new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "NeighbourUpload", "neighbours.csv" },
            { new StringContent(source), "NeighbourSource" },
        };
        return await client.PostAsync("/statistics/benchmarking/manage?handler=NeighbourFile", content);
    }

    [Fact]
    public async Task NeighbourFile_HomeRowByCode_BecomesTheComparatorsWithItsSource()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await app.AsSystemAsync(async (db, _) =>
        {
            await DfeExclusionsImport.ImportAsync(db, "la_exclusions_200607_201617.csv", await File.ReadAllBytesAsync(DfeImportTests.Path), null, DateTimeOffset.UtcNow, CancellationToken.None);
            return true;
        });
        (await admin.PostFormAsync("/statistics/benchmarking/manage?handler=Comparators", new() { ["Home"] = "Barnsley", ["Neighbours"] = "" }, "/statistics/benchmarking/manage"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var missing = await UploadAsync(admin, "la_name,sn1,sn2\nDoncaster,Rotherham,Barnsley\n", "Test source");
        Clients.Parse(await missing.Content.ReadAsStringAsync()).QuerySelector("#NeighbourUpload-error")!.TextContent.ShouldContain("no row for Barnsley");
        var unknown = await UploadAsync(admin, "new_la_code,sn1,sn2\nE08000016,Rotherham,Atlantis\n", "Test source");
        Clients.Parse(await unknown.Content.ReadAsStringAsync()).QuerySelector("#NeighbourUpload-error")!.TextContent.ShouldContain("Line 2: not in the imported DfE tables: 'Atlantis'");
        var noSource = await UploadAsync(admin, "la_name,sn1\nBarnsley,Rotherham\n", "");
        Clients.Parse(await noSource.Content.ReadAsStringAsync()).QuerySelector("#NeighbourSource-error").ShouldNotBeNull();
        (await app.AsSystemAsync((db, _) => db.BenchmarkAuthorities.CountAsync())).ShouldBe(1, "nothing changed");

        var saved = await UploadAsync(admin, "new_la_code,la_name,sn1,sn2,sn3\nE08000017,Doncaster,Barnsley,Rotherham,\nE08000016,Barnsley,E08000018,Doncaster,Wakefield\n", "A partnership test list, 2026");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var chosen = await app.AsSystemAsync((db, _) => db.BenchmarkAuthorities.AsNoTracking().OrderBy(c => c.Name).ToListAsync());
        chosen.Select(c => c.Name).ShouldBe(["Barnsley", "Doncaster", "Rotherham", "Wakefield"]);
        chosen.Single(c => c.Name == "Rotherham").Source.ShouldBe("A partnership test list, 2026 (neighbours.csv): statistical neighbour 1");
        chosen.Single(c => c.IsHome).Source.ShouldBeNull();
        var page = await admin.GetStringAsync("/statistics/benchmarking");
        page.ShouldContain("Comparing Barnsley with its 3 statistical neighbours from neighbours.csv");
        page.ShouldContain("statistical neighbours given in A partnership test list, 2026 (neighbours.csv)");
    }
}

public sealed class NeighbourFileTestsOnSqlite(SqliteApp app) : NeighbourFileTests(app), IClassFixture<SqliteApp>;

public sealed class NeighbourFileTestsOnPostgres(PostgresApp app) : NeighbourFileTests(app), IClassFixture<PostgresApp>;
