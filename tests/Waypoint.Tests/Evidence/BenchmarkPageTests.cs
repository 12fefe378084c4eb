using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>Neighbour benchmarking over HTTP: DfE's real file imported all or nothing and idempotently, neighbours chosen, and the rates and rank shown.</summary>
public abstract class BenchmarkPageTests(WaypointApp app)
{
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, byte[] file, string name)
    {
        var form = await client.GetDocumentAsync("/statistics/benchmarking/manage");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Clients.AntiforgeryToken(form.DocumentElement.OuterHtml)!), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "Upload", name },
        };
        return await client.PostAsync("/statistics/benchmarking/manage?handler=Import", content);
    }

    [Fact]
    public async Task Benchmarking_ImportTwiceBadFileAndNeighbours_AllOrNothingAndRatesWithRank()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var real = await File.ReadAllBytesAsync(DfeImportTests.Path);

        var first = await UploadAsync(admin, real, "la_exclusions_200607_201617.csv");
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var count = await app.AsSystemAsync((db, _) => db.DfeExclusionFigures.CountAsync());
        count.ShouldBe(7120);

        var again = await UploadAsync(admin, real, "la_exclusions_200607_201617.csv");
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetStringAsync("/statistics/benchmarking/manage")).ShouldContain("nothing changed");
        (await app.AsSystemAsync((db, _) => db.DfeExclusionFigures.CountAsync())).ShouldBe(7120);

        var broken = Encoding.UTF8.GetString(real).Replace("\"Barnsley\",\"Total\",\"91\",\"33470\"", "\"Barnsley\",\"Total\",\"91\",\"lots\"", StringComparison.Ordinal);
        var refused = await UploadAsync(admin, Encoding.UTF8.GetBytes(broken), "broken.csv");
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var refusedPage = Clients.Parse(await refused.Content.ReadAsStringAsync());
        refusedPage.QuerySelector("#Upload-error")!.TextContent.ShouldContain("Nothing stored was changed");
        refusedPage.QuerySelector("#line-errors")!.TextContent.ShouldContain("Line 264: headcount 'lots' is not a whole number");
        (await app.AsSystemAsync((db, _) => db.DfeExclusionFigures.CountAsync(f => f.Name == "Barnsley" && f.AcademicYear == 2016 && f.Headcount == 33470))).ShouldBe(1, "the Total row stands as before");

        var unknown = await admin.PostFormAsync("/statistics/benchmarking/manage?handler=Comparators",
            new() { ["Home"] = "Barnsley", ["Neighbours"] = "Rotherham\nAtlantis" }, "/statistics/benchmarking/manage");
        Clients.Parse(await unknown.Content.ReadAsStringAsync()).QuerySelector("#Neighbours-error")!.TextContent.ShouldContain("'Atlantis'");
        var saved = await admin.PostFormAsync("/statistics/benchmarking/manage?handler=Comparators",
            new() { ["Home"] = "E08000016", ["Neighbours"] = "Rotherham\nDoncaster\nYorkshire and the Humber" }, "/statistics/benchmarking/manage");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var practitioner = await app.SignInAsync(await p.UserAsync(p.School));
        (await practitioner.GetAsync("/statistics/benchmarking")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await practitioner.GetAsync("/statistics/benchmarking/manage")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var analyst = await app.SignInAsync(await p.UserAsync(p.Police, Roles.Analyst));
        var doc = await analyst.GetDocumentAsync("/statistics/benchmarking");
        var table = doc.QuerySelector("table[data-table='suspension']")!;
        var years = table.QuerySelectorAll("thead th").Select(h => h.TextContent.Trim()).ToList();
        var column = years.IndexOf("2016/17");
        column.ShouldBeGreaterThan(0);
        string Cell(string area) => table.QuerySelector($"tr[data-area='{area}']")!.Children[column].TextContent.Trim();
        Cell("Barnsley").ShouldBe("16.82");
        Cell("Doncaster").ShouldBe("20.42");
        Cell("Rotherham").ShouldBe("8.03");
        Cell("Yorkshire and the Humber").ShouldBe("7.22");
        Cell("England").ShouldBe("4.76");
        table.QuerySelector("tr[data-area='Yorkshire and the Humber']")!.GetAttribute("data-role").ShouldBe("Region");
        table.QuerySelector("tr[data-rank]")!.Children[column].TextContent.Trim().ShouldBe("2 of 3");
        doc.QuerySelector("#source")!.TextContent.ShouldContain("la_exclusions_200607_201617.csv");
    }
}

public sealed class BenchmarkPageTestsOnSqlite(SqliteApp app) : BenchmarkPageTests(app), IClassFixture<SqliteApp>;

public sealed class BenchmarkPageTestsOnPostgres(PostgresApp app) : BenchmarkPageTests(app), IClassFixture<PostgresApp>;
