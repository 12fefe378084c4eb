using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Police;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Police;

/// <summary>The public street-level crime CSV (shared/data/police, as data.police.uk publishes it) as area crime context by ward and month.</summary>
public static class StreetCrimeFile
{
    /// <summary>The City of London file of January 2019, copied unchanged from the shared data into Police/Files.</summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Police", "Files", "2019-01-city-of-london-street.csv");
}

public sealed class StreetCrimeParseTests
{
    [Fact]
    public void Parse_RealCityOfLondonFile_CountsEveryRowKeepingNoLocationRowsApart()
    {
        using var file = File.OpenRead(StreetCrimeFile.Path);

        var (counts, rows, withoutLocation, problems) = StreetCrimeImport.Parse(file, "street.csv");

        problems.ShouldBeEmpty();
        rows.ShouldBe(617);
        withoutLocation.ShouldBe(31);
        counts.Values.Sum(c => c.Count).ShouldBe(617);
        counts.Keys.Select(k => k.Category).Distinct().Count().ShouldBe(14);
        counts.Keys.ShouldAllBe(k => k.Force == "City of London Police" && k.Month == new DateOnly(2019, 1, 1));
    }

    [Fact]
    public void Parse_WrongHeaderBadMonthUnknownCategory_NamesEachProblem()
    {
        var header = string.Join(",", StreetCrimeImport.Columns);
        var text = $"{header}\n,2019-13,Force,Force,,,No Location,,,Burglary,,\n,2019-01,Force,Force,,,No Location,,,Knife crime,,\n";

        var (_, _, _, problems) = StreetCrimeImport.Parse(new MemoryStream(Encoding.UTF8.GetBytes(text)), "bad.csv");

        problems.ShouldContain(p => p.Line == 2 && p.Field == "column Month");
        problems.ShouldContain(p => p.Line == 3 && p.Message.Contains("Knife crime"));
        var (_, _, _, wrongHeader) = StreetCrimeImport.Parse(new MemoryStream(Encoding.UTF8.GetBytes("Crime ID,Month\n")), "bad.csv");
        wrongHeader.ShouldHaveSingleItem().Field.ShouldBe("header");
    }
}

public abstract class StreetCrimeTests(WaypointApp app)
{
    [Fact]
    public async Task Import_RealFileTwice_ShowsCountsByWardToPartnershipRolesOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        await app.AsSystemAsync(async db =>
        {
            // A synthetic lookup for the test: two of the file's LSOAs placed in this partnership's ward.
            (await db.Areas.SingleAsync(a => a.Id == p.Ward.Id)).Code = $"E05{p.Suffix[..6]}";
            await db.LsoaWards.Where(l => l.LsoaCode == "E01000001" || l.LsoaCode == "E01000002").ExecuteDeleteAsync();
            db.LsoaWards.AddRange(new LsoaWard { LsoaCode = "E01000001", AreaId = p.Ward.Id }, new LsoaWard { LsoaCode = "E01000002", AreaId = p.Ward.Id });
            await db.SaveChangesAsync();
        });
        var expected = File.ReadLines(StreetCrimeFile.Path).Count(l => l.Contains(",E01000001,", StringComparison.Ordinal) || l.Contains(",E01000002,", StringComparison.Ordinal));

        for (var i = 0; i < 2; i++)
        {
            var code = await app.AsSystemAsync(async (_, services) =>
                await PoliceCommands.StreetCrimeAsync(services, [StreetCrimeFile.Path], TextWriter.Null, TextWriter.Null, CancellationToken.None));
            code.ShouldBe(0);
        }
        (await app.AsSystemAsync((db, _) => db.StreetCrimeCounts.Where(c => c.Month == new DateOnly(2019, 1, 1) && c.Force == "City of London Police").SumAsync(c => c.Count))).ShouldBe(617);

        var hub = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District));
        var page = await hub.GetDocumentAsync("/police/area-crime?Month=2019-01");
        var rows = page.QuerySelectorAll("#area-crime tbody tr").ToDictionary(r => r.QuerySelector("th")!.TextContent.Trim(), r => r.QuerySelectorAll("td").Last().TextContent.Trim());
        rows[p.Ward.Name].ShouldBe(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        rows[AreaCrimeModel.NotPublished].ShouldBe("31");

        var school = await app.SignInAsync(await p.UserAsync(p.School));
        (await school.GetAsync("/police/area-crime")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        (await analyst.GetAsync("/police/area-crime")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class StreetCrimeTestsOnSqlite(SqliteApp app) : StreetCrimeTests(app), IClassFixture<SqliteApp>;

public sealed class StreetCrimeTestsOnPostgres(PostgresApp app) : StreetCrimeTests(app), IClassFixture<PostgresApp>;
