using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The statistics are built from the schools summed in the database to district-and-phase cells
/// (<see cref="ExclusionStatistics.CellsAsync"/>), not from a row a school. The cells equal the school
/// rows read one read at a time and summed in memory, and the tables built from them equal the tables
/// built from the school rows: schools in a ward (district by the ward's parent), in a district and
/// at the county (two counties' "Countywide" one district), every phase and none, headcounts missing
/// and zero, to today and to a day the to-date rollup's as-of day is rolled back from.
/// </summary>
public abstract class StatisticsCellsTests(WaypointApp app)
{
    [Fact]
    public async Task Cells_SummedInTheDatabase_EqualTheSchoolRows_AndPublishTheSameTables()
    {
        var p = await TestPartnership.CreateAsync(app);
        var q = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = AcademicYear.Of(today);
        Organisation School(string name, Area area, SchoolPhase? phase) =>
            new() { Name = $"{name} {p.Suffix}", Type = OrganisationType.School, AreaId = area.Id, Phase = phase };
        List<Organisation> schools =
        [
            School("Ward primary 1", p.Ward, SchoolPhase.Primary), School("Ward primary 2", p.Ward, SchoolPhase.Primary),
            School("Ward primary 3", p.Ward, SchoolPhase.Primary), School("Ward secondary", p.Ward, SchoolPhase.Secondary),
            School("District primary", p.District, SchoolPhase.Primary), School("Other ward special", p.OtherWard, SchoolPhase.Special),
            School("Other district none", p.OtherDistrict, null), School("Other district none 2", p.OtherDistrict, null),
            School("Other district none 3", p.OtherDistrict, null), School("Q's ward AP", q.Ward, SchoolPhase.AlternativeProvision),
        ];
        var every = schools.Concat([p.School, p.OtherSchool, q.School, q.OtherSchool]).ToList();
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.AddRange(schools);
            // Headcounts for most: one school none, one zero (no rate for their groups).
            for (var i = 0; i < every.Count; i++)
                if (i != 3)
                    db.CensusHeadcounts.Add(new CensusHeadcount { SchoolId = every[i].Id, AcademicYear = year.StartYear, Headcount = i == 6 ? 0 : 100 + 37 * i });
            await db.SaveChangesAsync();
        });
        var pupils = new List<Person>();
        for (var i = 0; i < 5; i++)
            pupils.Add(await p.YoungPersonAsync("Cell", $"Pupil{i}{p.Suffix}", new DateOnly(2012, 1 + i, 3)));
        string[] reasons = ["PA", "DA", "VP", "BU"];
        await app.AsSystemAsync(async db =>
        {
            var taken = new HashSet<(Guid, DateOnly)>();
            for (var i = 0; i < 60; i++)
            {
                // Both years, most schools, two kinds; some days in the last week (between the as-of day rolled back and today).
                var start = i % 3 == 0 ? year.Previous.Start.AddDays(i * 5 % 300) : i % 4 == 0 ? today.AddDays(-(i % 5)) : year.Start.AddDays(i * 7 % 90);
                if (start > today || start < year.Previous.Start)
                    start = today;
                var pupil = pupils[i % pupils.Count];
                if (!taken.Add((pupil.Id, start)))
                    continue;
                db.Suspensions.Add(new Suspension
                {
                    PersonId = pupil.Id, SchoolId = every[i * 7 % every.Count].Id, StartDate = start, Sessions = 2, RecordedAt = DateTimeOffset.UtcNow,
                    Kind = i % 9 == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension, ReasonCode1 = reasons[i % reasons.Length],
                });
            }
            await db.SaveChangesAsync();
        });

        static string Key(StatisticsCell c) => $"{c.District}|{c.Phase}";
        static List<string> Sorted(IEnumerable<StatisticsCell> cells) =>
            cells.GroupBy(Key).Select(g => g.Aggregate((a, b) => a + b)).OrderBy(Key, StringComparer.Ordinal).Select(c => c.ToString()).ToList();
        var threeDaysBack = today.AddDays(-3) >= year.Start ? today.AddDays(-3) : today;
        foreach (var through in new[] { today, threeDaysBack })
        {
            var cells = await app.AsSystemAsync((db, _) => ExclusionStatistics.CellsAsync(db, year.StartYear, through, null, CancellationToken.None));
            cells.ShouldNotBeNull($"the to-date rollup answers for {through}");
            var (rows, sums, prior, name) = await app.AsSystemAsync(async (db, _) =>
                (new StatisticsInput(year.StartYear, through, 5, await ExclusionStatistics.AreaNameAsync(db, CancellationToken.None), await ExclusionStatistics.SchoolsAsync(db, CancellationToken.None), [],
                    await ExclusionStatistics.PupilsAsync(db, year.StartYear, CancellationToken.None), await ExclusionStatistics.HeadcountsAsync(db, year.StartYear, CancellationToken.None), []),
                 await ExclusionStatistics.SumsAsync(db, year, through, CancellationToken.None),
                 await ExclusionStatistics.PriorAsync(db, year.StartYear, CancellationToken.None),
                 await ExclusionStatistics.AreaNameAsync(db, CancellationToken.None)));
            var fromRows = rows.ToCells(sums);
            Sorted(cells).ShouldBe(Sorted(fromRows.Cells), $"the cells summed in the database, to {through}");
            cells.Count.ShouldBeLessThan(rows.Schools.Count, "a cell a district and phase, not a row a school");
            cells.ShouldContain(c => c.District == "Countywide" && c.Phase == SchoolPhase.Secondary && c.Schools >= 2, "two counties' schools at the county: one district");
            cells.ShouldContain(c => c.District == p.District.Name && c.Phase == SchoolPhase.Primary && c.Schools == 4, "a ward's schools counted in its district, with the district's own");
            cells.ShouldContain(c => c.SchoolsWithHeadcount < c.Schools, "a school with no headcount");
            cells.Sum(c => c.Suspensions).ShouldBeGreaterThan(0);

            // Per county (kept parts), merged, the same cells.
            var byCounty = await app.AsSystemAsync((db, _) => StatisticsByCounty.CellsAsync(db, year.StartYear, through, CancellationToken.None));
            Sorted(byCounty.ShouldNotBeNull()).ShouldBe(Sorted(cells));

            foreach (var threshold in new[] { 0, 5 })
            {
                var fromCells = ExclusionStatistics.Build(new StatisticsCells(year.StartYear, through, threshold, name, cells), sums, prior).ToCsv();
                var fromSchools = ExclusionStatistics.Build(rows with { Threshold = threshold }, sums, prior).ToCsv();
                fromCells.ShouldBe(fromSchools, $"the tables from the cells and from the school rows, to {through}, threshold {threshold}");
                var loaded = await app.AsSystemAsync((db, _) => ExclusionStatistics.LoadAsync(db, year.StartYear, through, threshold, CancellationToken.None));
                loaded.ToCsv().ShouldBe(fromSchools, $"the tables as served, to {through}, threshold {threshold}");
            }
        }
    }
}

public sealed class StatisticsCellsTestsOnSqlite(SqliteApp app) : StatisticsCellsTests(app), IClassFixture<SqliteApp>;

public sealed class StatisticsCellsTestsOnPostgres(PostgresApp app) : StatisticsCellsTests(app), IClassFixture<PostgresApp>;
