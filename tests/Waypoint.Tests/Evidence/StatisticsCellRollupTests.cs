using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The statistics' cell rollup (<see cref="StatisticsCellCount"/>, wave 23d) equals the schools' rows joined and
/// grouped as the statistics read them before it (<see cref="ExclusionStatistics.JoinedCellsAsync"/>), whole and per
/// county, after its rebuild and after every kind of write that moves a cell: suspensions added and withdrawn,
/// an enrolment on census day, a school moved to another district and phase, a school added, a district renamed,
/// a ward moved to another district, the to-date rollup rolled forward from an earlier day, the census roll-forward;
/// a write of an earlier year's rows alone counts no cell again. The cells as served (<see cref="ExclusionStatistics.CellsAsync"/>) are read from it and equal the join.
/// </summary>
public abstract class StatisticsCellRollupTests(WaypointApp app)
{
    private static string Key(StatisticsCell c) => $"{c.District}|{c.Phase}";

    private static List<string> Sorted(IEnumerable<StatisticsCell> cells) =>
        cells.GroupBy(Key).Select(g => g.Aggregate((a, b) => a + b)).OrderBy(Key, StringComparer.Ordinal).Select(c => c.ToString()).ToList();

    /// <summary>The rollup holds for the as-of day and equals the join, whole and for the county given; the cells as served too.</summary>
    private async Task ShouldEqualTheJoinAsync(Area county, string after)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (stamps, rollup, joined, countyRollup, countyJoined, served) = await app.AsSystemAsync(async (db, _) =>
        {
            var ct = CancellationToken.None;
            var stamps = await StatisticsCellRollup.StampsAsync(db, ct);
            var year = AcademicYear.Of(stamps.AsOf!.Value).StartYear;
            var schools = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School);
            var areas = (await EvidenceStamps.CountyOfEveryAreaAsync(db, ct)).Where(a => a.County == county.Id).Select(a => a.Id).ToList();
            return (stamps,
                await StatisticsCellRollup.ReadAsync(db, null, ct),
                (await ExclusionStatistics.JoinedCellsAsync(db, schools, year, ct)).Values.ToList(),
                await StatisticsCellRollup.ReadAsync(db, areas, ct),
                (await ExclusionStatistics.JoinedCellsAsync(db, schools.Where(o => areas.Contains(o.AreaId)), year, ct)).Values.ToList(),
                await ExclusionStatistics.CellsAsync(db, AcademicYear.Of(today).StartYear, today, null, ct));
        });
        stamps.Cells.ShouldBe(stamps.AsOf, $"the cells hold for the to-date rollup's as-of day, after {after}");
        Sorted(rollup).ShouldBe(Sorted(joined), $"the cell rollup equals the join, after {after}");
        Sorted(countyRollup).ShouldBe(Sorted(countyJoined), $"one county's cells equal the join of its schools, after {after}");
        joined.Sum(c => c.Schools).ShouldBeGreaterThan(0);
        if (AcademicYear.Of(stamps.AsOf!.Value) == AcademicYear.Of(today) && Math.Abs(stamps.AsOf.Value.DayNumber - today.DayNumber) <= 7 && stamps.AsOf == today)
            Sorted(served.ShouldNotBeNull()).ShouldBe(Sorted(joined), $"the cells as served, after {after}");
    }

    [Fact]
    public async Task CellRollup_AfterRebuildAndEveryWriterThatMovesACell_EqualsTheJoinedRead()
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
            School("Ward secondary", p.Ward, SchoolPhase.Secondary), School("District primary", p.District, SchoolPhase.Primary),
            School("Other ward special", p.OtherWard, SchoolPhase.Special), School("Other district none", p.OtherDistrict, null),
            School("County secondary", p.County, SchoolPhase.Secondary), School("Q's county secondary", q.County, SchoolPhase.Secondary),
            School("Q's ward AP", q.Ward, SchoolPhase.AlternativeProvision),
        ];
        var every = schools.Concat([p.School, p.OtherSchool, q.School, q.OtherSchool]).ToList();
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.AddRange(schools);
            for (var i = 0; i < every.Count; i++)
                if (i != 2)
                    db.CensusHeadcounts.Add(new CensusHeadcount { SchoolId = every[i].Id, AcademicYear = year.StartYear, Headcount = i == 5 ? 0 : 100 + 37 * i });
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        await ShouldEqualTheJoinAsync(p.County, "the rebuild");

        // Suspensions written through the change tracker (the upkeep by difference).
        var pupils = new List<Person>();
        for (var i = 0; i < 4; i++)
            pupils.Add(await p.YoungPersonAsync("Cellroll", $"Pupil{i}{p.Suffix}", new DateOnly(2012, 1 + i, 3)));
        string[] reasons = ["PA", "DA", "VP", "BU"];
        var written = new List<Suspension>();
        await app.AsSystemAsync(async db =>
        {
            var taken = new HashSet<(Guid, DateOnly)>();
            for (var i = 0; i < 40; i++)
            {
                var start = i % 3 == 0 ? year.Previous.Start.AddDays(i * 5 % 300) : year.Start.AddDays(i * 7 % 90);
                if (start > today)
                    start = today;
                var pupil = pupils[i % pupils.Count];
                if (!taken.Add((pupil.Id, start)))
                    continue;
                var s = new Suspension
                {
                    PersonId = pupil.Id, SchoolId = every[i * 5 % every.Count].Id, StartDate = start, Sessions = 2, RecordedAt = DateTimeOffset.UtcNow,
                    Kind = i % 9 == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension, ReasonCode1 = reasons[i % reasons.Length],
                };
                written.Add(s);
                db.Suspensions.Add(s);
            }
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "suspensions written");

        // One withdrawn, one moved to another school.
        await app.AsSystemAsync(async db =>
        {
            var thisYear = written.Where(s => s.StartDate >= year.Start).ToList();
            var first = await db.Suspensions.SingleAsync(s => s.Id == thisYear[0].Id);
            first.Outcome = ExclusionOutcome.Withdrawn;
            var second = await db.Suspensions.SingleAsync(s => s.Id == thisYear[1].Id);
            second.SchoolId = schools[4].Id;
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "a suspension withdrawn and one moved to another school");

        // An enrolment open on census day: the school's headcount.
        await app.AsSystemAsync(async db =>
        {
            db.Enrolments.Add(new Enrolment { PersonId = pupils[0].Id, SchoolId = schools[2].Id, StartDate = year.Start });
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "an enrolment on census day");

        // A school moved to another district and phase; a school added.
        await app.AsSystemAsync(async db =>
        {
            var moved = await db.Organisations.SingleAsync(o => o.Id == schools[0].Id);
            moved.AreaId = p.OtherWard.Id;
            moved.Phase = SchoolPhase.Special;
            db.Organisations.Add(School("Added primary", p.OtherWard, SchoolPhase.Primary));
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "a school moved to another district and phase, and one added");

        // A district renamed; a ward moved to the other district.
        await app.AsSystemAsync(async db =>
        {
            var district = await db.Areas.SingleAsync(a => a.Id == p.District.Id);
            district.Name = $"District A renamed {p.Suffix}";
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "a district renamed");
        await app.AsSystemAsync(async db =>
        {
            var ward = await db.Areas.SingleAsync(a => a.Id == p.Ward.Id);
            ward.ParentId = p.OtherDistrict.Id;
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "a ward moved to the other district");

        // The to-date rollup counted as of an earlier day of the year, then rolled forward to today.
        var earlier = today.AddDays(-10) >= year.Start ? today.AddDays(-10) : year.Start;
        await app.AsSystemAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Exclusions, CancellationToken.None);
            await ExclusionToDate.RebuildAsync(db, earlier, CancellationToken.None);
            await tx.CommitAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "the to-date rollup counted as of an earlier day");
        await app.AsSystemAsync(db => ExclusionToDate.RollForwardAsync(db, today, CancellationToken.None));
        await ShouldEqualTheJoinAsync(p.County, "the to-date roll-forward");

        // The census roll-forward (every school's headcount counted again from the enrolments).
        await app.AsSystemAsync(db => ExclusionRollups.RollForwardCensusAsync(db, today, CancellationToken.None));
        await ShouldEqualTheJoinAsync(p.County, "the census roll-forward");
    }

    /// <summary>Cell rows of the areas given, as stored (by key, ward or not, and phase): what a rebuild or refresh would rewrite.</summary>
    private Task<List<string>> StoredAsync(IReadOnlyCollection<Guid> areas) =>
        app.AsSystemAsync(async (db, _) => (await db.StatisticsCellCounts.AsNoTracking().Where(c => areas.Contains(c.AreaId)).ToListAsync())
            .Select(c => $"{c.AreaId}|{c.ViaWard}|{c.Phase}|{c.Schools}|{c.Suspensions}|{c.Exclusions}|{c.PupilsSuspended}|{c.Headcount}|{c.SchoolsWithHeadcount}")
            .Order(StringComparer.Ordinal).ToList());

    [Fact]
    public async Task CellRollup_OnlyASchoolOrAnAreaChange_CountsCellsAgain_AndASchoolsMoveOnlyItsDistricts()
    {
        var p = await TestPartnership.CreateAsync(app);
        var q = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var moving = new Organisation { Name = $"Moving primary {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary };
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.AddRange(moving,
                new Organisation { Name = $"Staying primary {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary });
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        await ShouldEqualTheJoinAsync(p.County, "the rebuild");

        // The other partnership's county cells marked, so that any count of them (a rebuild) shows: 1,000 schools more.
        await app.AsSystemAsync(db => db.StatisticsCellCounts.Where(c => c.AreaId == q.County.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Schools, c => c.Schools + 1000)));
        var marked = await StoredAsync([q.County.Id]);
        marked.ShouldNotBeEmpty();

        // A charity added and one renamed, a team moved to another area, a school renamed: no cell changes, none is counted.
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(new Organisation { Name = $"New charity {p.Suffix}", Type = OrganisationType.Charity, AreaId = p.District.Id });
            (await db.Organisations.SingleAsync(o => o.Id == p.Charity.Id)).Name = $"Charity renamed {p.Suffix}";
            (await db.Organisations.SingleAsync(o => o.Id == p.Hub.Id)).AreaId = p.Ward.Id;
            (await db.Organisations.SingleAsync(o => o.Id == p.School.Id)).Name = $"School A renamed {p.Suffix}";
            await db.SaveChangesAsync();
        });
        (await StoredAsync([q.County.Id])).ShouldBe(marked, "a save that moves no school counts no cell again");

        // A school moved to another district and phase: its two districts counted again, exactly; the others untouched.
        await app.AsSystemAsync(async db =>
        {
            var school = await db.Organisations.SingleAsync(o => o.Id == moving.Id);
            school.AreaId = p.OtherWard.Id;
            school.Phase = SchoolPhase.Secondary;
            await db.SaveChangesAsync();
        });
        (await StoredAsync([q.County.Id])).ShouldBe(marked, "a school's move counts only its districts again");
        var (rollup, joined) = await app.AsSystemAsync(async (db, _) =>
        {
            var ct = CancellationToken.None;
            var areas = (await EvidenceStamps.CountyOfEveryAreaAsync(db, ct)).Where(a => a.County == p.County.Id).Select(a => a.Id).ToList();
            var year = AcademicYear.Of((await StatisticsCellRollup.StampsAsync(db, ct)).AsOf!.Value).StartYear;
            return (await StatisticsCellRollup.ReadAsync(db, areas, ct),
                (await ExclusionStatistics.JoinedCellsAsync(db, db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && areas.Contains(o.AreaId)), year, ct)).Values.ToList());
        });
        Sorted(rollup).ShouldBe(Sorted(joined), "the moved school's county equals the join");
        rollup.ShouldContain(c => c.District == p.OtherDistrict.Name && c.Phase == SchoolPhase.Secondary && c.Schools == 1);
        rollup.ShouldContain(c => c.District == p.District.Name && c.Phase == SchoolPhase.Primary && c.Schools == 1);

        // An area moved (a ward to the other district): every cell counted again, the marked ones too.
        await app.AsSystemAsync(async db =>
        {
            (await db.Areas.SingleAsync(a => a.Id == p.Ward.Id)).ParentId = p.OtherDistrict.Id;
            await db.SaveChangesAsync();
        });
        (await StoredAsync([q.County.Id])).ShouldNotBe(marked, "an area's move counts every cell again");
        await ShouldEqualTheJoinAsync(p.County, "a ward moved");
    }

    [Fact]
    public async Task CellRollup_AWriteOfAnEarlierYearsRowsOnly_CountsNoCell_AThisYearsWriteOnlyItsDistrict()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = AcademicYear.Of(today);
        var wardSchool = new Organisation { Name = $"Ward primary {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary };
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(wardSchool);
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        await ShouldEqualTheJoinAsync(p.County, "the rebuild");

        // The cells of both districts the schools are keyed to (the county's own, the ward's district) marked: 1,000 schools more.
        Guid[] keys = [p.County.Id, p.District.Id];
        await app.AsSystemAsync(db => db.StatisticsCellCounts.Where(c => keys.Contains(c.AreaId))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Schools, c => c.Schools + 1000)));
        var marked = await StoredAsync(keys);
        var county = p.County.Id.ToString();
        marked.Count(c => c.StartsWith(county, StringComparison.Ordinal)).ShouldBe(2); // the county's secondary and primary
        marked.Count.ShouldBe(3); // and the ward's primary, keyed to its district
        var pupil = await p.YoungPersonAsync("Cellyear", $"Pupil{p.Suffix}", new DateOnly(2012, 3, 3));
        Suspension At(Organisation school, DateOnly start) => new()
        {
            PersonId = pupil.Id, SchoolId = school.Id, StartDate = start, Sessions = 2, RecordedAt = DateTimeOffset.UtcNow,
            Kind = ExclusionKind.Suspension, ReasonCode1 = "PA",
        };

        // Last year's suspensions at both schools (their day, pupil and to-date rows change, none a cell reads): no cell counted.
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.AddRange(At(p.School, year.Previous.Start.AddDays(20)), At(wardSchool, year.Previous.Start.AddDays(21)));
            await db.SaveChangesAsync();
        });
        (await StoredAsync(keys)).ShouldBe(marked, "a write of an earlier year's rows counts no cell again");

        // This year's at the county's school: its district (the county's cells) counted again, the ward's district left.
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(At(p.School, year.Start));
            await db.SaveChangesAsync();
        });
        var stored = await StoredAsync(keys);
        stored.Where(c => c.StartsWith(county, StringComparison.Ordinal)).ShouldNotContain(c => marked.Contains(c), "this year's write counts its school's district again");
        stored.ShouldContain(marked.Single(c => !c.StartsWith(county, StringComparison.Ordinal)), "and no other district");

        // This year's at the ward's school too: every cell of the county equals the join again.
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(At(wardSchool, year.Start.AddDays(1)));
            await db.SaveChangesAsync();
        });
        await ShouldEqualTheJoinAsync(p.County, "this year's suspensions at both schools");
    }

    [Fact]
    public async Task CellRollup_CountedAgainstAnotherAsOfDay_IsNotRead_TheJoinAnswersInstead()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = AcademicYear.Of(today);
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        // The rollup's rows emptied and its day left behind (as a rollup moved by a writer that did not count the cells).
        await app.AsSystemAsync(async db =>
        {
            await db.StatisticsCellCounts.ExecuteDeleteAsync();
            await db.Set<EvidenceStamp>().Where(s => s.Name == StatisticsCellRollup.AsOfStamp)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Stamp, today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
        });
        var (served, joined) = await app.AsSystemAsync(async (db, _) => (
            await ExclusionStatistics.CellsAsync(db, year.StartYear, today, null, CancellationToken.None),
            (await ExclusionStatistics.JoinedCellsAsync(db, db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School), year.StartYear, CancellationToken.None)).Values.ToList()));
        joined.Sum(c => c.Schools).ShouldBeGreaterThan(0);
        Sorted(served.ShouldNotBeNull()).ShouldBe(Sorted(joined), "a stale rollup is not read");
        await app.AsSystemAsync(db => StatisticsCellRollup.RebuildIfStaleAsync(db, CancellationToken.None));
        await ShouldEqualTheJoinAsync(p.County, "start-up's count of a stale rollup");
    }
}

public sealed class StatisticsCellRollupTestsOnSqlite(SqliteApp app) : StatisticsCellRollupTests(app), IClassFixture<SqliteApp>;

public sealed class StatisticsCellRollupTestsOnPostgres(PostgresApp app) : StatisticsCellRollupTests(app), IClassFixture<PostgresApp>;
