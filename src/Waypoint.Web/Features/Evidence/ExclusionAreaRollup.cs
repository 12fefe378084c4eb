using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>Where a school's counts sit in the area rollup: its area and phase, or nowhere (not a school, or removed).</summary>
public readonly record struct AreaCell(Guid AreaId, string Phase);

/// <summary>A school whose area, phase or type changes (or which is removed) in a write: its counts move from one cell to the other.</summary>
public sealed record SchoolMove(Guid SchoolId, AreaCell? From, AreaCell? To);

/// <summary>
/// Keeps the rollup by the school's area and phase (<see cref="ExclusionAreaMonthCount"/>,
/// <see cref="ExclusionAreaDayCount"/>) equal to the school-day rollup summed by the schools'
/// current area and phase. Two ways in, both in the writer's transaction: the school-day difference
/// of a write (<see cref="ExclusionRollupDelta"/>) added at each school's area and phase as they
/// stand, and a school moved (area, phase or type edited, or the school removed) taking its day
/// rows from the old cell to the new one.
/// </summary>
public static class ExclusionAreaRollup
{
    /// <summary>The organisations an unsaved change moves between cells (type, area or phase changed, or removed).</summary>
    public static List<SchoolMove> Collect(ChangeTracker tracker)
    {
        var moves = new List<SchoolMove>();
        foreach (var entry in tracker.Entries<Organisation>())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Deleted))
                continue;
            var o = entry.Entity;
            var from = Cell(entry.OriginalValues.GetValue<OrganisationType>(nameof(Organisation.Type)),
                entry.OriginalValues.GetValue<Guid>(nameof(Organisation.AreaId)), entry.OriginalValues.GetValue<SchoolPhase?>(nameof(Organisation.Phase)));
            var to = entry.State == EntityState.Deleted ? null : Cell(o.Type, o.AreaId, o.Phase);
            if (from != to)
                moves.Add(new SchoolMove(o.Id, from, to));
        }
        return moves;
    }

    private static AreaCell? Cell(OrganisationType type, Guid areaId, SchoolPhase? phase) =>
        type == OrganisationType.School ? new AreaCell(areaId, ExclusionAreaMonthCount.PhaseKey(phase)) : null;

    /// <summary>Before the write: the moving schools' day rows as they stand (the day rows of a removed school go by cascade in the write).</summary>
    public static async Task<List<(Guid School, DateOnly Date, ExclusionKind Kind, int Count)>> DaysOfAsync(WaypointDbContext db, IReadOnlyCollection<SchoolMove> moves, CancellationToken ct)
    {
        if (moves.Count == 0)
            return [];
        var ids = moves.Select(m => m.SchoolId).Distinct().ToList();
        return (await db.ExclusionDayCounts.AsNoTracking().Where(d => ids.Contains(d.SchoolId))
                .GroupBy(d => new { d.SchoolId, d.Date, d.Kind })
                .Select(g => new { g.Key.SchoolId, g.Key.Date, g.Key.Kind, Count = g.Sum(d => d.Count) })
                .ToListAsync(ct))
            .Select(r => (r.SchoolId, r.Date, r.Kind, r.Count)).ToList();
    }

    /// <summary>After the write: the moved schools' day rows (read before it) taken from their old cell and added to their new one.</summary>
    public static async Task MoveAsync(WaypointDbContext db, IReadOnlyCollection<SchoolMove> moves, IReadOnlyList<(Guid School, DateOnly Date, ExclusionKind Kind, int Count)> days, CancellationToken ct)
    {
        var bySchool = moves.ToDictionary(m => m.SchoolId);
        var cells = new Dictionary<(AreaCell Cell, DateOnly Date, ExclusionKind Kind), int>();
        void Add(AreaCell cell, DateOnly date, ExclusionKind kind, int count) => cells[(cell, date, kind)] = cells.GetValueOrDefault((cell, date, kind)) + count;
        foreach (var (school, date, kind, count) in days)
        {
            var move = bySchool[school];
            if (move.From is { } from)
                Add(from, date, kind, -count);
            if (move.To is { } to)
                Add(to, date, kind, count);
        }
        await UpsertAsync(db, cells, ct);
    }

    /// <summary>
    /// A write's school-day difference (<see cref="ExclusionRollupDelta"/>) added at each school's
    /// area and phase as they stand in the database now (after any move in the same write).
    /// </summary>
    public static async Task AddAsync(WaypointDbContext db, IReadOnlyDictionary<(Guid School, DateOnly Date, ExclusionKind Kind, string Reason), int> days, CancellationToken ct)
    {
        var ids = days.Where(d => d.Value != 0).Select(d => d.Key.School).Distinct().ToList();
        if (ids.Count == 0)
            return;
        var schools = new Dictionary<Guid, AreaCell>();
        foreach (var chunk in ids.Chunk(5_000))
            foreach (var o in await db.Organisations.AsNoTracking().Where(o => chunk.Contains(o.Id) && o.Type == OrganisationType.School)
                         .Select(o => new { o.Id, o.AreaId, o.Phase }).ToListAsync(ct))
                schools[o.Id] = new AreaCell(o.AreaId, ExclusionAreaMonthCount.PhaseKey(o.Phase));
        var cells = new Dictionary<(AreaCell Cell, DateOnly Date, ExclusionKind Kind), int>();
        foreach (var ((school, date, kind, _), count) in days)
            if (count != 0 && schools.TryGetValue(school, out var cell))
                cells[(cell, date, kind)] = cells.GetValueOrDefault((cell, date, kind)) + count;
        await UpsertAsync(db, cells, ct);
    }

    /// <summary>Counted again from the school-day rollup and the schools' area and phase: the reference the upkeep must equal.</summary>
    public static async Task RebuildAsync(WaypointDbContext db, CancellationToken ct)
    {
        await db.Set<ExclusionAreaMonthCount>().ExecuteDeleteAsync(ct);
        await db.Set<ExclusionAreaDayCount>().ExecuteDeleteAsync(ct);
        var rows = await (from d in db.ExclusionDayCounts.AsNoTracking()
                          join o in db.Organisations on d.SchoolId equals o.Id
                          where o.Type == OrganisationType.School
                          group d by new { o.AreaId, o.Phase, d.Date, d.Kind } into g
                          select new { g.Key.AreaId, g.Key.Phase, g.Key.Date, g.Key.Kind, Count = g.Sum(x => x.Count) })
            .ToListAsync(ct);
        var dayRows = rows.Where(r => r.Count != 0).Select(r => new ExclusionAreaDayCount
        {
            Date = r.Date,
            AreaId = r.AreaId,
            Phase = ExclusionAreaMonthCount.PhaseKey(r.Phase),
            Kind = r.Kind,
            Count = r.Count,
        }).ToList();
        var monthRows = dayRows.GroupBy(d => (Month: new DateOnly(d.Date.Year, d.Date.Month, 1), d.AreaId, d.Phase, d.Kind))
            .Select(g => new ExclusionAreaMonthCount { Month = g.Key.Month, AreaId = g.Key.AreaId, Phase = g.Key.Phase, Kind = g.Key.Kind, Count = g.Sum(d => d.Count) })
            .Where(m => m.Count != 0).ToList();
        await ExclusionRollups.InsertRowsAsync(db, dayRows, ct);
        await ExclusionRollups.InsertRowsAsync(db, monthRows, ct);
    }

    private static async Task UpsertAsync(WaypointDbContext db, Dictionary<(AreaCell Cell, DateOnly Date, ExclusionKind Kind), int> cells, CancellationToken ct)
    {
        var months = new Dictionary<(AreaCell Cell, DateOnly Month, ExclusionKind Kind), int>();
        foreach (var ((cell, date, kind), count) in cells)
            if (count != 0)
            {
                var key = (cell, new DateOnly(date.Year, date.Month, 1), kind);
                months[key] = months.GetValueOrDefault(key) + count;
            }
        // In key order, as the other summaries: two writers meeting in an area's rows lock them in one order.
        var dayRows = cells.Where(c => c.Value != 0).OrderBy(c => c.Key.Date).ThenBy(c => c.Key.Cell.AreaId).ThenBy(c => c.Key.Cell.Phase, StringComparer.Ordinal).ThenBy(c => c.Key.Kind)
            .Select(c => (Date: c.Key.Date, Area: c.Key.Cell.AreaId, c.Key.Cell.Phase, c.Key.Kind, Count: c.Value)).ToList();
        var monthRows = months.Where(c => c.Value != 0).OrderBy(c => c.Key.Month).ThenBy(c => c.Key.Cell.AreaId).ThenBy(c => c.Key.Cell.Phase, StringComparer.Ordinal).ThenBy(c => c.Key.Kind)
            .Select(c => (Date: c.Key.Month, Area: c.Key.Cell.AreaId, c.Key.Cell.Phase, c.Key.Kind, Count: c.Value)).ToList();
        if (db.IsPostgres)
        {
            if (monthRows.Count > 0)
            {
                var (firsts, areas, phases, kinds, counts) = Columns(monthRows);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "ExclusionAreaMonthCounts" ("Month", "AreaId", "Phase", "Kind", "Count")
                    SELECT * FROM unnest({firsts}, {areas}, {phases}, {kinds}, {counts})
                    ON CONFLICT ("Month", "AreaId", "Phase", "Kind") DO UPDATE SET "Count" = "ExclusionAreaMonthCounts"."Count" + EXCLUDED."Count"
                    """, ct);
                if (counts.Any(c => c < 0))
                    await db.Database.ExecuteSqlAsync($"""
                        DELETE FROM "ExclusionAreaMonthCounts" m USING unnest({firsts}, {areas}, {phases}, {kinds}) AS k(mo, a, p, kd)
                        WHERE m."Month" = k.mo AND m."AreaId" = k.a AND m."Phase" = k.p AND m."Kind" = k.kd AND m."Count" = 0
                        """, ct);
            }
            if (dayRows.Count > 0)
            {
                var (dates, areas, phases, kinds, counts) = Columns(dayRows);
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "ExclusionAreaDayCounts" ("Date", "AreaId", "Phase", "Kind", "Count")
                    SELECT * FROM unnest({dates}, {areas}, {phases}, {kinds}, {counts})
                    ON CONFLICT ("Date", "AreaId", "Phase", "Kind") DO UPDATE SET "Count" = "ExclusionAreaDayCounts"."Count" + EXCLUDED."Count"
                    """, ct);
                if (counts.Any(c => c < 0))
                    await db.Database.ExecuteSqlAsync($"""
                        DELETE FROM "ExclusionAreaDayCounts" d USING unnest({dates}, {areas}, {phases}, {kinds}) AS k(dt, a, p, kd)
                        WHERE d."Date" = k.dt AND d."AreaId" = k.a AND d."Phase" = k.p AND d."Kind" = k.kd AND d."Count" = 0
                        """, ct);
            }
            return;
        }
        // SQLite: a Guid as upper-case text, a date as yyyy-MM-dd (EF's mapping), one JSON array a table.
        static string Json(List<(DateOnly Date, Guid Area, string Phase, ExclusionKind Kind, int Count)> rows) =>
            System.Text.Json.JsonSerializer.Serialize(rows.Select(r => new object[]
            {
                r.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Area.ToString("D").ToUpperInvariant(), r.Phase, r.Kind.ToString(), r.Count,
            }));
        if (monthRows.Count > 0)
        {
            var json = Json(monthRows);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionAreaMonthCounts" ("Month", "AreaId", "Phase", "Kind", "Count")
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each({json}) WHERE true
                ON CONFLICT ("Month", "AreaId", "Phase", "Kind") DO UPDATE SET "Count" = "Count" + excluded."Count"
                """, ct);
            if (monthRows.Any(m => m.Count < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionAreaMonthCounts" WHERE "Count" = 0
                      AND ("Month", "AreaId", "Phase", "Kind") IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each({json}))
                    """, ct);
        }
        if (dayRows.Count > 0)
        {
            var json = Json(dayRows);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionAreaDayCounts" ("Date", "AreaId", "Phase", "Kind", "Count")
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each({json}) WHERE true
                ON CONFLICT ("Date", "AreaId", "Phase", "Kind") DO UPDATE SET "Count" = "Count" + excluded."Count"
                """, ct);
            if (dayRows.Any(d => d.Count < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionAreaDayCounts" WHERE "Count" = 0
                      AND ("Date", "AreaId", "Phase", "Kind") IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each({json}))
                    """, ct);
        }
    }

    private static (DateOnly[] Dates, Guid[] Areas, string[] Phases, string[] Kinds, int[] Counts) Columns(List<(DateOnly Date, Guid Area, string Phase, ExclusionKind Kind, int Count)> rows) =>
        (rows.Select(r => r.Date).ToArray(), rows.Select(r => r.Area).ToArray(), rows.Select(r => r.Phase).ToArray(), rows.Select(r => r.Kind.ToString()).ToArray(), rows.Select(r => r.Count).ToArray());
}
