using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Keeps the statistics' cell rollup (<see cref="StatisticsCellCount"/>) equal to the schools' rows
/// joined and grouped as <see cref="ExclusionStatistics.CellsAsync"/> read them before it: the to-date
/// rollup, this academic year's pupils suspended and census headcounts, by the school's district key
/// and phase. Every writer runs with the exclusion stamp held or moved (<see cref="EvidenceStamps"/>),
/// so writers take turns and a count made inside a writer's transaction sees every earlier writer's
/// rows. Three ways in: counted again whole (<see cref="RebuildAsync"/>: the rebuild, the roll-forwards,
/// a register change), or the cells of the schools a write touched counted again (<see cref="RefreshAsync"/>).
/// The rows hold for the as-of day written with them (<see cref="AsOfStamp"/>): a reader uses them only
/// while that day is the to-date rollup's, so a rollup moved without them is never read through them.
/// </summary>
public static class StatisticsCellRollup
{
    /// <summary>Not a random stamp: the to-date as-of day (yyyy-MM-dd) the cells were counted against.</summary>
    public const string AsOfStamp = "statistics-cells-as-of";

    /// <summary>The name of the cells of schools whose area is neither a district nor a ward: the county as a whole.</summary>
    public const string Countywide = "Countywide";

    /// <summary>A school keyed by the district rule (<see cref="Keyed"/>): its id, phase, district key and whether it sits in a ward.</summary>
    internal sealed class KeyedSchool
    {
        public Guid Id { get; init; }
        public SchoolPhase? Phase { get; init; }
        public Guid Key { get; init; }
        public bool ViaWard { get; init; }
    }

    /// <summary>An area's district key by the district rule (<see cref="AreaKeys"/>).</summary>
    internal sealed class AreaKey
    {
        public Guid AreaId { get; init; }
        public Guid Key { get; init; }
        public bool ViaWard { get; init; }
    }

    /// <summary>
    /// The one district rule, by id: a ward is keyed to its parent (or itself, with none), any other area to itself;
    /// a school takes its area's key (<see cref="Keyed"/>). The cells are counted by it, and the statistics name a
    /// school's district from it (<see cref="DistrictName"/> of the key's area): the rollup and the join cannot disagree.
    /// </summary>
    internal static IQueryable<AreaKey> AreaKeys(WaypointDbContext db) =>
        db.Areas.AsNoTracking().Select(a => new AreaKey
        {
            AreaId = a.Id,
            Key = a.Kind == AreaKind.Ward ? a.ParentId ?? a.Id : a.Id,
            ViaWard = a.Kind == AreaKind.Ward,
        });

    /// <summary>The schools given keyed by their area's district key (<see cref="AreaKeys"/>).</summary>
    internal static IQueryable<KeyedSchool> Keyed(WaypointDbContext db, IQueryable<Organisation> schools) =>
        schools.Join(AreaKeys(db), o => o.AreaId, k => k.AreaId, (o, k) => new KeyedSchool { Id = o.Id, Phase = o.Phase, Key = k.Key, ViaWard = k.ViaWard });

    private static IQueryable<KeyedSchool> Keyed(WaypointDbContext db) =>
        Keyed(db, db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School));

    /// <summary>The district a key's area names: the area itself when the key came from a ward or is a district, else the county as a whole.</summary>
    internal static string DistrictName(bool viaWard, AreaKind kind, string name) => viaWard || kind == AreaKind.District ? name : Countywide;

    /// <summary>The schools given with the name of their district (<see cref="Keyed"/>, then <see cref="DistrictName"/>), in one statement.</summary>
    internal static Task<List<StatisticsSchool>> NamedAsync(WaypointDbContext db, IQueryable<Organisation> schools, CancellationToken ct) =>
        Keyed(db, schools).Join(db.Areas.AsNoTracking(), s => s.Key, a => a.Id, (s, a) => new { s.Id, s.Phase, s.ViaWard, a.Kind, a.Name })
            .Select(x => new StatisticsSchool(x.Id, DistrictName(x.ViaWard, x.Kind, x.Name), x.Phase))
            .ToListAsync(ct);

    /// <summary>The to-date as-of day and the day the cells were counted against (null where never written), in one statement.</summary>
    public static async Task<(DateOnly? AsOf, DateOnly? Cells)> StampsAsync(WaypointDbContext db, CancellationToken ct)
    {
        var rows = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == EvidenceStamps.ExclusionToDateAsOf || s.Name == AsOfStamp)
            .Select(s => new { s.Name, s.Stamp }).ToListAsync(ct);
        DateOnly? Day(string name) => rows.FirstOrDefault(r => r.Name == name) is { } r ? DateOnly.ParseExact(r.Stamp, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        return (Day(EvidenceStamps.ExclusionToDateAsOf), Day(AsOfStamp));
    }

    /// <summary>One cell as counted, by district key, ward or not, and phase.</summary>
    private sealed class CountedCell
    {
        public Guid Key { get; init; }
        public bool ViaWard { get; init; }
        public SchoolPhase? Phase { get; init; }
        public int Schools { get; init; }
        public int Suspensions { get; init; }
        public int Exclusions { get; init; }
        public int Pupils { get; init; }
        public int Headcount { get; init; }
        public int WithHeadcount { get; init; }
    }

    /// <summary>The cells of the keyed schools given, counted from the rollups of <paramref name="academicYear"/> (a query, not run).</summary>
    private static IQueryable<CountedCell> Counted(WaypointDbContext db, IQueryable<KeyedSchool> schools, int academicYear)
    {
        var pupils = db.ExclusionPupilCounts.AsNoTracking().Where(p => p.AcademicYear == academicYear && p.Term == ExclusionPupilCount.WholeYear);
        var headcounts = db.CensusHeadcounts.AsNoTracking().Where(h => h.AcademicYear == academicYear);
        return schools
            .LeftJoin(pupils, o => o.Id, p => p.SchoolId, (o, p) => new { o, Pupils = p == null ? 0 : p.PupilsSuspended })
            .LeftJoin(headcounts, x => x.o.Id, h => h.SchoolId, (x, h) => new { x.o, x.Pupils, Headcount = h == null ? 0 : h.Headcount })
            .LeftJoin(db.ExclusionSchoolToDates.AsNoTracking(), x => x.o.Id, t => t.SchoolId, (x, t) => new
            {
                x.o.Key, x.o.ViaWard, x.o.Phase, x.Pupils, x.Headcount,
                St = t == null ? 0 : t.SuspensionsThisYear, Et = t == null ? 0 : t.ExclusionsThisYear,
            })
            .GroupBy(x => new { x.Key, x.ViaWard, x.Phase })
            .Select(g => new CountedCell
            {
                Key = g.Key.Key, ViaWard = g.Key.ViaWard, Phase = g.Key.Phase, Schools = g.Count(), Suspensions = g.Sum(x => x.St), Exclusions = g.Sum(x => x.Et),
                Pupils = g.Sum(x => x.Pupils), Headcount = g.Sum(x => x.Headcount > 0 ? x.Headcount : 0), WithHeadcount = g.Sum(x => x.Headcount > 0 ? 1 : 0),
            });
    }

    private static StatisticsCellCount Row(CountedCell r) => new()
    {
        AreaId = r.Key, ViaWard = r.ViaWard, Phase = ExclusionAreaMonthCount.PhaseKey(r.Phase), Schools = r.Schools, Suspensions = r.Suspensions,
        Exclusions = r.Exclusions, PupilsSuspended = r.Pupils, Headcount = r.Headcount, SchoolsWithHeadcount = r.WithHeadcount,
    };

    private static async Task<List<StatisticsCellCount>> CountAsync(WaypointDbContext db, IQueryable<KeyedSchool> schools, int academicYear, CancellationToken ct) =>
        (await Counted(db, schools, academicYear).ToListAsync(ct)).Select(Row).ToList();

    /// <summary>
    /// The cells of the schools given counted from their rows now and named, in one statement, without the rollup:
    /// the read before the rollup holds for the as-of day, and the reference the rollup must equal.
    /// </summary>
    internal static async Task<List<StatisticsCell>> CountNamedAsync(WaypointDbContext db, IQueryable<Organisation> schools, int academicYear, CancellationToken ct)
    {
        var rows = await Counted(db, Keyed(db, schools), academicYear)
            .Join(db.Areas.AsNoTracking(), c => c.Key, a => a.Id, (c, a) => new { c, a.Kind, a.Name })
            .ToListAsync(ct);
        return Named(rows.Select(r => (Row(r.c), r.Kind, r.Name)));
    }

    /// <summary>
    /// Every cell counted again, as of the to-date rollup's as-of day (none when it was never counted), in the
    /// caller's transaction with the exclusion stamp held or moved.
    /// </summary>
    public static async Task RebuildAsync(WaypointDbContext db, CancellationToken ct)
    {
        await db.Set<StatisticsCellCount>().ExecuteDeleteAsync(ct);
        await db.Set<EvidenceStamp>().Where(s => s.Name == AsOfStamp).ExecuteDeleteAsync(ct);
        if (await ExclusionToDate.AsOfAsync(db, ct) is not { } asOf)
            return;
        var rows = await CountAsync(db, Keyed(db), AcademicYear.Of(asOf).StartYear, ct);
        await ExclusionRollups.InsertRowsAsync(db, rows, ct);
        var value = asOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "EvidenceStamps" ("Name", "Stamp") VALUES ({AsOfStamp}, {value})
            ON CONFLICT ("Name") DO UPDATE SET "Stamp" = excluded."Stamp"
            """, ct);
    }

    /// <summary>
    /// Start-up, for a database whose cells were never counted (or counted against another as-of day): counted
    /// once, in a transaction of its own with the exclusion stamp moved (writers wait).
    /// </summary>
    public static async Task RebuildIfStaleAsync(WaypointDbContext db, CancellationToken ct)
    {
        var (asOf, cells) = await StampsAsync(db, ct);
        if (asOf is null || asOf == cells)
            return;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Exclusions, ct);
            await RebuildAsync(db, ct);
            await tx.CommitAsync(ct);
        });
    }

    /// <summary>
    /// After a write of pupils' rows (the school-day, pupil and headcount rollups and the to-date rows already
    /// changed, in the caller's transaction): the cells of the districts of the schools it touched counted again.
    /// Nothing when the cells do not hold for the current as-of day (a reader then joins the schools, and the next
    /// rebuild counts them).
    /// </summary>
    public static Task RefreshAsync(WaypointDbContext db, IEnumerable<Guid> touched, CancellationToken ct)
    {
        var ids = touched.Distinct().ToList();
        return ids.Count == 0 ? Task.CompletedTask
            : RefreshKeysAsync(db, null, Keyed(db, db.Organisations.AsNoTracking().Where(o => ids.Contains(o.Id))).Select(o => o.Key), ct);
    }

    /// <summary>
    /// After a write of pupils' rows by difference (<see cref="ExclusionRollupDelta"/>): the schools given with the
    /// academic year of each row that changed (a day's, a pupil count's over the whole year, a headcount's). A cell
    /// counts only the year of its as-of day (the to-date rollup's this-year figures, that year's pupils and census),
    /// so only the schools with a row of that year have their districts counted again: a write of earlier years' rows
    /// (a county's import of last year's files) counts none.
    /// </summary>
    public static async Task RefreshYearsAsync(WaypointDbContext db, IEnumerable<(Guid School, int Year)> touched, CancellationToken ct)
    {
        var rows = touched.ToList();
        if (rows.Count == 0)
            return;
        var (asOf, cells) = await StampsAsync(db, ct);
        if (asOf is not { } day || day != cells)
            return;
        var year = AcademicYear.Of(day).StartYear;
        var ids = rows.Where(r => r.Year == year).Select(r => r.School).Distinct().ToList();
        if (ids.Count > 0)
            await RefreshKeysAsync(db, day, Keyed(db, db.Organisations.AsNoTracking().Where(o => ids.Contains(o.Id))).Select(o => o.Key), ct);
    }

    /// <summary>
    /// After a register write that moved schools, added or removed them or changed their phase or type (the areas
    /// themselves unchanged): the cells of the districts of the areas given (where they were and where they are)
    /// counted again, as <see cref="RefreshAsync"/>.
    /// </summary>
    public static Task RefreshAreasAsync(WaypointDbContext db, IReadOnlyCollection<Guid> areas, CancellationToken ct)
    {
        var ids = areas.Distinct().ToList();
        return ids.Count == 0 ? Task.CompletedTask : RefreshKeysAsync(db, null, AreaKeys(db).Where(k => ids.Contains(k.AreaId)).Select(k => k.Key), ct);
    }

    /// <summary>
    /// The cells of the district keys given counted again: the keys' areas (each area whose key is one of them), then
    /// their schools read by area (the (AreaId, Phase, Type) index) and counted, and the counts written in one statement
    /// (<see cref="WriteKeysAsync"/>). Four statements with the stamps (three when the caller read them: <paramref name="day"/>);
    /// nothing written when the cells do not hold for the as-of day.
    /// </summary>
    private static async Task RefreshKeysAsync(WaypointDbContext db, DateOnly? day, IQueryable<Guid> keysOf, CancellationToken ct)
    {
        if (day is null)
        {
            var (asOf, cells) = await StampsAsync(db, ct);
            if (asOf is null || asOf != cells)
                return;
            day = asOf;
        }
        var areas = await AreaKeys(db).Where(k => keysOf.Contains(k.Key)).Select(k => new { k.AreaId, k.Key }).ToListAsync(ct);
        if (areas.Count == 0)
            return;
        var keys = areas.Select(a => a.Key).Distinct().ToList();
        var areaIds = areas.Select(a => a.AreaId).ToList();
        // Both filters: the areas' for the index, the keys' so that a generic plan expects one district's schools (by
        // the areas alone it expects ten districts' and hashes whole rollups instead of reading them by index).
        var schools = Keyed(db, db.Organisations.AsNoTracking().Where(o => areaIds.Contains(o.AreaId) && o.Type == OrganisationType.School)).Where(o => keys.Contains(o.Key));
        var rows = await CountAsync(db, schools, AcademicYear.Of(day.Value).StartYear, ct);
        await WriteKeysAsync(db, keys, rows, ct);
    }

    /// <summary>
    /// The keys' cells made equal to the rows counted, in one statement: a cell counted is inserted, or updated only where
    /// a figure changed (a count unchanged writes nothing: no new row version, no index entries); a cell of the keys no
    /// longer counted (its schools gone) is deleted. On PostgreSQL one statement (the rows as arrays, a data-modifying
    /// CTE for the delete: the deleted and the written cells are apart); on SQLite the delete and the upsert of one
    /// JSON array (EF's forms: a Guid as upper-case text, a bool as 0 or 1).
    /// </summary>
    private static async Task WriteKeysAsync(WaypointDbContext db, List<Guid> keys, List<StatisticsCellCount> rows, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            var keyArray = keys.ToArray();
            var areas = rows.Select(r => r.AreaId).ToArray();
            var viaWard = rows.Select(r => r.ViaWard).ToArray();
            var phases = rows.Select(r => r.Phase).ToArray();
            var schools = rows.Select(r => r.Schools).ToArray();
            var suspensions = rows.Select(r => r.Suspensions).ToArray();
            var exclusions = rows.Select(r => r.Exclusions).ToArray();
            var pupils = rows.Select(r => r.PupilsSuspended).ToArray();
            var headcount = rows.Select(r => r.Headcount).ToArray();
            var withHeadcount = rows.Select(r => r.SchoolsWithHeadcount).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                WITH counted AS (
                    SELECT * FROM unnest({areas}, {viaWard}, {phases}, {schools}, {suspensions}, {exclusions}, {pupils}, {headcount}, {withHeadcount})
                        AS n("AreaId", "ViaWard", "Phase", "Schools", "Suspensions", "Exclusions", "PupilsSuspended", "Headcount", "SchoolsWithHeadcount")
                ), gone AS (
                    DELETE FROM "StatisticsCellCounts" c WHERE c."AreaId" = ANY({keyArray})
                      AND NOT EXISTS (SELECT 1 FROM counted n WHERE n."AreaId" = c."AreaId" AND n."ViaWard" = c."ViaWard" AND n."Phase" = c."Phase")
                )
                INSERT INTO "StatisticsCellCounts" ("AreaId", "ViaWard", "Phase", "Schools", "Suspensions", "Exclusions", "PupilsSuspended", "Headcount", "SchoolsWithHeadcount")
                SELECT * FROM counted
                ON CONFLICT ("AreaId", "ViaWard", "Phase") DO UPDATE SET
                    "Schools" = EXCLUDED."Schools", "Suspensions" = EXCLUDED."Suspensions", "Exclusions" = EXCLUDED."Exclusions",
                    "PupilsSuspended" = EXCLUDED."PupilsSuspended", "Headcount" = EXCLUDED."Headcount", "SchoolsWithHeadcount" = EXCLUDED."SchoolsWithHeadcount"
                WHERE ("StatisticsCellCounts"."Schools", "StatisticsCellCounts"."Suspensions", "StatisticsCellCounts"."Exclusions",
                       "StatisticsCellCounts"."PupilsSuspended", "StatisticsCellCounts"."Headcount", "StatisticsCellCounts"."SchoolsWithHeadcount")
                    IS DISTINCT FROM (EXCLUDED."Schools", EXCLUDED."Suspensions", EXCLUDED."Exclusions", EXCLUDED."PupilsSuspended", EXCLUDED."Headcount", EXCLUDED."SchoolsWithHeadcount")
                """, ct);
            return;
        }
        static string G(Guid g) => g.ToString("D").ToUpperInvariant();
        var keysJson = System.Text.Json.JsonSerializer.Serialize(keys.Select(G));
        var json = System.Text.Json.JsonSerializer.Serialize(rows.Select(r => new object[]
            { G(r.AreaId), r.ViaWard ? 1 : 0, r.Phase, r.Schools, r.Suspensions, r.Exclusions, r.PupilsSuspended, r.Headcount, r.SchoolsWithHeadcount }));
        await db.Database.ExecuteSqlAsync($"""
            DELETE FROM "StatisticsCellCounts" WHERE "AreaId" IN (SELECT value FROM json_each({keysJson}))
              AND ("AreaId", "ViaWard", "Phase") NOT IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each({json}))
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "StatisticsCellCounts" ("AreaId", "ViaWard", "Phase", "Schools", "Suspensions", "Exclusions", "PupilsSuspended", "Headcount", "SchoolsWithHeadcount")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8 FROM json_each({json}) WHERE true
            ON CONFLICT ("AreaId", "ViaWard", "Phase") DO UPDATE SET
                "Schools" = excluded."Schools", "Suspensions" = excluded."Suspensions", "Exclusions" = excluded."Exclusions",
                "PupilsSuspended" = excluded."PupilsSuspended", "Headcount" = excluded."Headcount", "SchoolsWithHeadcount" = excluded."SchoolsWithHeadcount"
            WHERE ("Schools", "Suspensions", "Exclusions", "PupilsSuspended", "Headcount", "SchoolsWithHeadcount")
                IS NOT (excluded."Schools", excluded."Suspensions", excluded."Exclusions", excluded."PupilsSuspended", excluded."Headcount", excluded."SchoolsWithHeadcount")
            """, ct);
    }

    /// <summary>
    /// The cells as <see cref="ExclusionStatistics.CellsAsync"/> returns them (by district name and phase, two
    /// keys of one name added), for the areas given (null: every one). Only the cells' rows and their areas' names.
    /// </summary>
    public static async Task<List<StatisticsCell>> ReadAsync(WaypointDbContext db, IReadOnlyCollection<Guid>? areas, CancellationToken ct)
    {
        var cells = db.StatisticsCellCounts.AsNoTracking();
        if (areas is not null)
            cells = cells.Where(c => areas.Contains(c.AreaId));
        var rows = await cells.Join(db.Areas.AsNoTracking(), c => c.AreaId, a => a.Id, (c, a) => new { c, a.Kind, a.Name }).ToListAsync(ct);
        return Named(rows.Select(r => (r.c, r.Kind, r.Name)));
    }

    /// <summary>Cell rows by key, named (<see cref="DistrictName"/>) and added where two keys name one district.</summary>
    internal static List<StatisticsCell> Named(IEnumerable<(StatisticsCellCount Cell, AreaKind Kind, string Name)> rows)
    {
        var byCell = new Dictionary<(string District, SchoolPhase? Phase), StatisticsCell>();
        foreach (var (c, kind, name) in rows)
        {
            var district = DistrictName(c.ViaWard, kind, name);
            var phase = ExclusionAreaMonthCount.PhaseOf(c.Phase);
            var cell = new StatisticsCell(district, phase, c.Schools, c.Suspensions, c.Exclusions, c.PupilsSuspended, c.Headcount, c.SchoolsWithHeadcount);
            byCell[(district, phase)] = byCell.TryGetValue((district, phase), out var held) ? held + cell : cell;
        }
        return byCell.Values.ToList();
    }
}
