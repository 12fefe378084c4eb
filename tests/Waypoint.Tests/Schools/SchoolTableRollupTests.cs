using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Dashboard;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>
/// The school table read from the to-date rollup alone (wave 23b: every school's row, named, with its URN and area)
/// gives what the join of the register with the rollup's counts and a sort of every school gives, after every kind
/// of write that can change it: the rollup counted again, rolled forward, a suspension written, a new school, and a
/// school renamed, given another URN, moved to another district, closed and opened, and made something other than a school.
/// </summary>
public abstract class SchoolTableRollupTests(WaypointApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly AcademicYear Year = AcademicYear.Of(Today);

    /// <summary>
    /// The reference: the page as it was read before wave 23b, the county's schools in the register left-joined to the
    /// rollup's counts, filtered, counted, sorted and cut in the database; the names shared labelled as the table labels them.
    /// </summary>
    private static async Task<(List<FigureRow> Rows, int Total)> ReferenceAsync(WaypointDbContext db, ExclusionFigures.CountyPart part, SchoolQuery query)
    {
        query = query.Tidy();
        // As the table: a district the county's schools do not fall in is no filter.
        if (query.District is { } asked && !SchoolTable.Districts(part).Contains(asked, StringComparer.Ordinal))
            query = query with { District = null };
        var areas = query.District is { } district ? part.AreaIds.Where(a => part.DistrictOfArea[a] == district).ToList() : part.AreaIds.ToList();
        var schools = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && areas.Contains(o.AreaId));
        if (query.Name is { } name)
        {
            var lowered = name.ToLower();
            schools = schools.Where(o => o.Name.ToLower().Contains(lowered));
        }
        var rows = schools.LeftJoin(db.ExclusionSchoolToDates.AsNoTracking(), o => o.Id, t => t.SchoolId, (o, t) => new
        {
            o.Id, o.Name, o.Urn,
            SuspensionsThisYear = t == null ? 0 : t.SuspensionsThisYear, SuspensionsLastYear = t == null ? 0 : t.SuspensionsLastYear,
            ExclusionsThisYear = t == null ? 0 : t.ExclusionsThisYear, ExclusionsLastYear = t == null ? 0 : t.ExclusionsLastYear,
        });
        var sorted = (query.Sort, query.Descending) switch
        {
            (SchoolSort.SuspensionsThisYear, false) => rows.OrderBy(r => r.SuspensionsThisYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.SuspensionsThisYear, true) => rows.OrderByDescending(r => r.SuspensionsThisYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.SuspensionsLastYear, false) => rows.OrderBy(r => r.SuspensionsLastYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.SuspensionsLastYear, true) => rows.OrderByDescending(r => r.SuspensionsLastYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.ExclusionsThisYear, false) => rows.OrderBy(r => r.ExclusionsThisYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.ExclusionsThisYear, true) => rows.OrderByDescending(r => r.ExclusionsThisYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.ExclusionsLastYear, false) => rows.OrderBy(r => r.ExclusionsLastYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (SchoolSort.ExclusionsLastYear, true) => rows.OrderByDescending(r => r.ExclusionsLastYear).ThenBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
            (_, true) => rows.OrderByDescending(r => r.Name).ThenByDescending(r => r.Urn).ThenByDescending(r => r.Id),
            _ => rows.OrderBy(r => r.Name).ThenBy(r => r.Urn).ThenBy(r => r.Id),
        };
        var total = await schools.CountAsync();
        var pageCount = Math.Max(1, (total + SchoolQuery.PageSize - 1) / SchoolQuery.PageSize);
        var page = await sorted.Skip((Math.Min(query.Page, pageCount) - 1) * SchoolQuery.PageSize).Take(SchoolQuery.PageSize).ToListAsync();
        var county = await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && part.AreaIds.Contains(o.AreaId)).Select(o => o.Name).ToListAsync();
        var shared = county.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (page.Select(r => new FigureRow(ExclusionFigures.SchoolLabel(r.Name, r.Urn, shared.Contains(r.Name)),
            r.SuspensionsThisYear, r.SuspensionsLastYear, r.ExclusionsThisYear, r.ExclusionsLastYear)).ToList(), total);
    }

    /// <summary>Every sort both ways, on several pages and filters: the page read from the rollup equals the reference.</summary>
    private async Task ShouldEqualReferenceAsync(TestPartnership p, string after, int pages = 3)
    {
        await app.AsSystemAsync(async (db, _) =>
        {
            var part = await ExclusionFigures.CountyAsync(db, p.Hub.AreaId, Today, CancellationToken.None);
            (await ExclusionToDate.AsOfAsync(db, CancellationToken.None)).ShouldBe(Today, "the rollup holds today's counts, so the page is read from it");
            var queries = new List<SchoolQuery>();
            foreach (var sort in Enum.GetValues<SchoolSort>())
                foreach (var descending in new[] { false, true })
                {
                    for (var page = 1; page <= pages; page++)
                        queries.Add(new SchoolQuery(sort, descending, page));
                    queries.Add(new SchoolQuery(sort, descending, 1, null, p.OtherDistrict.Name));
                    queries.Add(new SchoolQuery(sort, descending, 1, "renamed", null));
                }
            queries.Add(new SchoolQuery(SchoolSort.Name, false, 1, "extra 1", p.District.Name));
            foreach (var query in queries)
            {
                var read = await SchoolTable.ReadAsync(db, part, Today, query, CancellationToken.None);
                var (rows, total) = await ReferenceAsync(db, part, query);
                read.Total.ShouldBe(total, $"after {after}: {query}");
                read.Rows.ShouldBe(rows, $"after {after}: {query}");
            }
            return true;
        });
    }

    private static Suspension SuspensionOf(Person pupil, Organisation school, DateOnly start, ExclusionKind kind = ExclusionKind.Suspension) => new()
    {
        PersonId = pupil.Id, SchoolId = school.Id, Kind = kind, StartDate = start, Sessions = kind == ExclusionKind.Suspension ? 2 : null,
        ReasonCode1 = "PP", Outcome = ExclusionOutcome.NotReviewed, RecordedAt = DateTimeOffset.UtcNow,
    };

    private Task ChangeAsync(Guid organisation, Action<Organisation> change) => app.AsSystemAsync(async db =>
    {
        change(await db.Organisations.SingleAsync(o => o.Id == organisation));
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task SchoolTable_FromTheRollupAlone_EqualsTheJoinAndSort_AfterEveryKindOfWrite()
    {
        var p = await TestPartnership.CreateAsync(app);
        await ExclusionDashboardTests.AddSchoolsAsync(app, p, 60);
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(new Organisation { Name = $"Other Extra 1 {p.Suffix}", Type = OrganisationType.School, AreaId = p.OtherWard.Id, Phase = SchoolPhase.Primary });
            db.Organisations.Add(new Organisation { Name = $"Other Extra 2 {p.Suffix}", Type = OrganisationType.School, AreaId = p.OtherDistrict.Id, Phase = SchoolPhase.Primary });
            await db.SaveChangesAsync();
        });
        var pupils = new List<Person>();
        for (var i = 0; i < 4; i++)
            pupils.Add(await p.YoungPersonAsync($"Tab{i}", $"Roll{p.Suffix}", new DateOnly(2012, 2, 1).AddDays(i), enrolledAt: p.School));
        var extras = await app.AsSystemAsync((db, _) => db.Organisations.AsNoTracking().Where(o => o.Name.StartsWith("Extra ") && o.Name.EndsWith(p.Suffix)).OrderBy(o => o.Name).ToListAsync());
        extras.Count.ShouldBe(60);
        // Ties on every count: a few schools with suspensions this year and last, the rest zero rows.
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < 12; i++)
            {
                var school = extras[i * 5];
                db.Suspensions.Add(SuspensionOf(pupils[i % 4], school, Year.Start.AddDays(i % 3)));
                if (i % 2 == 0)
                    db.Suspensions.Add(SuspensionOf(pupils[(i + 1) % 4], school, Year.Previous.Start.AddDays(i), i % 4 == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension));
            }
            await db.SaveChangesAsync();
        });
        await ShouldEqualReferenceAsync(p, "suspensions written (the upkeep's upsert)");

        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, Today, CancellationToken.None));
        await ShouldEqualReferenceAsync(p, "the rebuild");
        await app.AsSystemAsync(async db =>
        {
            // Held as of yesterday, then rolled forward to today (the days since added).
            await using var tx = await db.Database.BeginTransactionAsync();
            await ExclusionToDate.RebuildAsync(db, Today.AddDays(-1) >= Year.Start ? Today.AddDays(-1) : Today, CancellationToken.None);
            await tx.CommitAsync();
        });
        await app.AsSystemAsync(db => ExclusionToDate.RollForwardAsync(db, Today, CancellationToken.None));
        await ShouldEqualReferenceAsync(p, "the roll-forward");

        // A new school: its zero row, in every order.
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(new Organisation { Name = $"Aardvark New {p.Suffix}", Type = OrganisationType.School, AreaId = p.OtherWard.Id, Phase = SchoolPhase.Secondary, Urn = "987650" });
            await db.SaveChangesAsync();
        });
        await ShouldEqualReferenceAsync(p, "a new school");

        // Renamed (to the end of the name order, and to a name another school has: shown with URNs).
        await ChangeAsync(extras[5].Id, o => o.Name = $"Zz Renamed {p.Suffix}");
        await ChangeAsync(extras[6].Id, o => o.Name = extras[7].Name);
        await ShouldEqualReferenceAsync(p, "schools renamed");

        // Another URN (a tie-break of the shared name), and one taken away.
        await ChangeAsync(extras[6].Id, o => o.Urn = "987651");
        await ChangeAsync(extras[7].Id, o => o.Urn = "987649");
        await ShouldEqualReferenceAsync(p, "URNs changed");
        await ChangeAsync(extras[7].Id, o => o.Urn = null);
        await ShouldEqualReferenceAsync(p, "a URN taken away");

        // Moved to a ward of the other district, and to that district itself.
        await ChangeAsync(extras[10].Id, o => o.AreaId = p.OtherWard.Id);
        await ChangeAsync(extras[11].Id, o => o.AreaId = p.OtherDistrict.Id);
        await ShouldEqualReferenceAsync(p, "schools moved to the other district");

        // Closed and opened again (the table lists schools whether open or not: nothing moves, but nothing breaks).
        await ChangeAsync(extras[15].Id, o => o.IsActive = false);
        await ShouldEqualReferenceAsync(p, "a school closed");
        await ChangeAsync(extras[15].Id, o => o.IsActive = true);
        await ShouldEqualReferenceAsync(p, "a school opened again");

        // No longer a school: out of the table, its counts kept while it has any; a school again: back in.
        await ChangeAsync(extras[20].Id, o => o.Type = OrganisationType.Charity);
        await ChangeAsync(extras[21].Id, o => o.Type = OrganisationType.Charity);
        await ShouldEqualReferenceAsync(p, "two schools made charities");
        await app.AsSystemAsync(async (db, _) =>
        {
            (await db.ExclusionSchoolToDates.AsNoTracking().AnyAsync(t => t.SchoolId == extras[21].Id)).ShouldBeFalse("a zero row of an organisation that is not a school is removed");
            (await db.ExclusionSchoolToDates.AsNoTracking().SingleAsync(t => t.SchoolId == extras[20].Id)).IsSchool.ShouldBeFalse("its counts kept, out of the table");
            return true;
        });
        await ChangeAsync(extras[20].Id, o => o.Type = OrganisationType.School);
        await ChangeAsync(extras[21].Id, o => o.Type = OrganisationType.School);
        await ShouldEqualReferenceAsync(p, "made schools again");

        // A suspension written to a renamed, moved school; then the whole rollup counted again: the same answers.
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(SuspensionOf(pupils[3], extras[10], Today >= Year.Start.AddDays(3) ? Today : Year.Start));
            db.Suspensions.Add(SuspensionOf(pupils[2], extras[5], Year.Start.AddDays(1), ExclusionKind.PermanentExclusion));
            await db.SaveChangesAsync();
        });
        await ShouldEqualReferenceAsync(p, "suspensions of moved and renamed schools");
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, Today, CancellationToken.None));
        await ShouldEqualReferenceAsync(p, "the rebuild after every write");
    }

    [Fact]
    public async Task Schema_SchoolTableOrders_Indexed()
    {
        // Each order the table offers is an index of the rollup (migration Wave23bToDateNamesAndZeroRows).
        await app.AsSystemAsync(async db =>
        {
            var sql = db.Database.IsNpgsql()
                ? """SELECT indexname AS "Value" FROM pg_indexes WHERE tablename = 'ExclusionSchoolToDates'"""
                : """SELECT name AS "Value" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ExclusionSchoolToDates'""";
            var names = await db.Database.SqlQueryRaw<string>(sql).ToListAsync();
            foreach (var column in new[] { "SuspensionsThisYear", "SuspensionsLastYear", "ExclusionsThisYear", "ExclusionsLastYear" })
            {
                names.ShouldContain($"IX_ExclusionSchoolToDates_{column}");
                names.ShouldContain($"IX_ExclusionSchoolToDates_{column}_Desc");
            }
            names.ShouldContain("IX_ExclusionSchoolToDates_Name");
        });
    }
}

public sealed class SchoolTableRollupTestsOnSqlite(SqliteApp app) : SchoolTableRollupTests(app), IClassFixture<SqliteApp>;

public sealed class SchoolTableRollupTestsOnPostgres(PostgresApp app) : SchoolTableRollupTests(app), IClassFixture<PostgresApp>;
