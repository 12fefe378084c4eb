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

    /// <summary>A school keyed as the rollup keys it: a ward's parent (or the ward, with none), else its own area.</summary>
    private sealed class KeyedSchool
    {
        public Guid Id { get; init; }
        public SchoolPhase? Phase { get; init; }
        public Guid Key { get; init; }
        public bool ViaWard { get; init; }
    }

    private static IQueryable<KeyedSchool> Keyed(WaypointDbContext db) =>
        db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School).Select(o => new KeyedSchool
        {
            Id = o.Id,
            Phase = o.Phase,
            Key = o.Area!.Kind == AreaKind.Ward ? o.Area.ParentId ?? o.AreaId : o.AreaId,
            ViaWard = o.Area.Kind == AreaKind.Ward,
        });

    /// <summary>The to-date as-of day and the day the cells were counted against (null where never written), in one statement.</summary>
    public static async Task<(DateOnly? AsOf, DateOnly? Cells)> StampsAsync(WaypointDbContext db, CancellationToken ct)
    {
        var rows = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == EvidenceStamps.ExclusionToDateAsOf || s.Name == AsOfStamp)
            .Select(s => new { s.Name, s.Stamp }).ToListAsync(ct);
        DateOnly? Day(string name) => rows.FirstOrDefault(r => r.Name == name) is { } r ? DateOnly.ParseExact(r.Stamp, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        return (Day(EvidenceStamps.ExclusionToDateAsOf), Day(AsOfStamp));
    }

    /// <summary>The cells of the keyed schools given, counted from the rollups of <paramref name="academicYear"/>.</summary>
    private static async Task<List<StatisticsCellCount>> CountAsync(WaypointDbContext db, IQueryable<KeyedSchool> schools, int academicYear, CancellationToken ct)
    {
        var pupils = db.ExclusionPupilCounts.AsNoTracking().Where(p => p.AcademicYear == academicYear && p.Term == ExclusionPupilCount.WholeYear);
        var headcounts = db.CensusHeadcounts.AsNoTracking().Where(h => h.AcademicYear == academicYear);
        var rows = await schools
            .LeftJoin(pupils, o => o.Id, p => p.SchoolId, (o, p) => new { o, Pupils = p == null ? 0 : p.PupilsSuspended })
            .LeftJoin(headcounts, x => x.o.Id, h => h.SchoolId, (x, h) => new { x.o, x.Pupils, Headcount = h == null ? 0 : h.Headcount })
            .LeftJoin(db.ExclusionSchoolToDates.AsNoTracking(), x => x.o.Id, t => t.SchoolId, (x, t) => new
            {
                x.o.Key, x.o.ViaWard, x.o.Phase, x.Pupils, x.Headcount,
                St = t == null ? 0 : t.SuspensionsThisYear, Et = t == null ? 0 : t.ExclusionsThisYear,
            })
            .GroupBy(x => new { x.Key, x.ViaWard, x.Phase })
            .Select(g => new
            {
                g.Key.Key, g.Key.ViaWard, g.Key.Phase, Schools = g.Count(), Suspensions = g.Sum(x => x.St), Exclusions = g.Sum(x => x.Et), Pupils = g.Sum(x => x.Pupils),
                Headcount = g.Sum(x => x.Headcount > 0 ? x.Headcount : 0), WithHeadcount = g.Sum(x => x.Headcount > 0 ? 1 : 0),
            })
            .ToListAsync(ct);
        return rows.Select(r => new StatisticsCellCount
        {
            AreaId = r.Key, ViaWard = r.ViaWard, Phase = ExclusionAreaMonthCount.PhaseKey(r.Phase), Schools = r.Schools, Suspensions = r.Suspensions,
            Exclusions = r.Exclusions, PupilsSuspended = r.Pupils, Headcount = r.Headcount, SchoolsWithHeadcount = r.WithHeadcount,
        }).ToList();
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
    /// changed, in the caller's transaction): the cells of the schools it touched counted again, every school
    /// of those cells' keys read. Nothing when the cells do not hold for the current as-of day (a reader then
    /// joins the schools, and the next rebuild counts them).
    /// </summary>
    public static async Task RefreshAsync(WaypointDbContext db, IEnumerable<Guid> touched, CancellationToken ct)
    {
        var ids = touched.Distinct().ToList();
        if (ids.Count == 0)
            return;
        var (asOf, cells) = await StampsAsync(db, ct);
        if (asOf is not { } day || day != cells)
            return;
        var keys = await Keyed(db).Where(o => ids.Contains(o.Id)).Select(o => o.Key).Distinct().ToListAsync(ct);
        if (keys.Count == 0)
            return;
        var rows = await CountAsync(db, Keyed(db).Where(o => keys.Contains(o.Key)), AcademicYear.Of(day).StartYear, ct);
        await db.Set<StatisticsCellCount>().Where(c => keys.Contains(c.AreaId)).ExecuteDeleteAsync(ct);
        await ExclusionRollups.InsertRowsAsync(db, rows, ct);
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
        var rows = await cells.Join(db.Areas.AsNoTracking(), c => c.AreaId, a => a.Id, (c, a) => new
            {
                District = c.ViaWard || a.Kind == AreaKind.District ? a.Name : "Countywide",
                c.Phase, c.Schools, c.Suspensions, c.Exclusions, c.PupilsSuspended, c.Headcount, c.SchoolsWithHeadcount,
            })
            .ToListAsync(ct);
        var byCell = new Dictionary<(string District, SchoolPhase? Phase), StatisticsCell>();
        foreach (var r in rows)
        {
            var phase = ExclusionAreaMonthCount.PhaseOf(r.Phase);
            var cell = new StatisticsCell(r.District, phase, r.Schools, r.Suspensions, r.Exclusions, r.PupilsSuspended, r.Headcount, r.SchoolsWithHeadcount);
            byCell[(r.District, phase)] = byCell.TryGetValue((r.District, phase), out var held) ? held + cell : cell;
        }
        return byCell.Values.ToList();
    }
}
