using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>
/// The statistics' district-and-phase cells (<see cref="ExclusionStatistics.CellsAsync"/>: the schools' pupils
/// suspended, census headcounts and to-date sums, summed in the database) read and kept a county at a time, each
/// under the whole exclusion stamp and its county's own (<see cref="EvidenceStamps.CountyExclusions"/>):
/// a write of one county's pupils' records moves that county's stamp only, so the statistics read that
/// county's cells again and keep every other county's. The tables are built again from the parts (they
/// count every county together); the parts are what a cold build reads.
/// </summary>
public static class StatisticsByCounty
{
    /// <summary>One county's cells, as <see cref="ExclusionStatistics.CellsAsync"/> reads them, and the stamps they were read under.</summary>
    internal sealed record Part(Guid County, string Version, List<StatisticsCell> Cells);

    /// <summary>
    /// Every county's cells to <paramref name="through"/> (a district and phase may appear once a county), each county's
    /// kept until its stamps move; null where <see cref="ExclusionStatistics.CellsAsync"/> cannot answer (the caller then
    /// reads every school one read at a time).
    /// </summary>
    public static async Task<List<StatisticsCell>?> CellsAsync(WaypointDbContext db, int academicYear, DateOnly through, CancellationToken ct) =>
        await PartsAsync(db, academicYear, through, ct) is { } parts ? parts.SelectMany(p => p.Cells).ToList() : null;

    /// <summary>The parts, one a county, in county order: kept where the county's stamps still read the same, read afresh otherwise.</summary>
    internal static async Task<IReadOnlyList<Part>?> PartsAsync(WaypointDbContext db, int academicYear, DateOnly through, CancellationToken ct)
    {
        // The stamps first (one statement): rows read after them are at least as new, so never kept under a later stamp than their own.
        var prefix = EvidenceStamps.Exclusions + ":";
        var stamps = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == EvidenceStamps.Exclusions || s.Name.StartsWith(prefix))
            .Select(s => new { s.Name, s.Stamp }).ToDictionaryAsync(s => s.Name, s => s.Stamp, ct);
        var whole = stamps.GetValueOrDefault(EvidenceStamps.Exclusions) ?? "";
        // Which areas make up each county changes only with the register, which moves the whole stamp.
        var areas = await AreasOfCountiesAsync(db, whole, ct);
        var parts = new List<Part>();
        foreach (var (county, countyAreas) in areas.OrderBy(a => a.Key))
        {
            var version = $"{whole}|{stamps.GetValueOrDefault(EvidenceStamps.CountyExclusions(county))}";
            var key = (county, academicYear, through);
            if (Kept.TryGetValue(key, out var kept) && kept.Version == version)
            {
                parts.Add(kept);
                continue;
            }
            // One county (the usual partnership): every school, no need to name its areas.
            if (await ExclusionStatistics.CellsAsync(db, academicYear, through, areas.Count == 1 ? null : countyAreas, ct) is not { } read)
                return null;
            var part = new Part(county, version, read);
            if (Kept.Count >= KeptAtMost)
                Kept.Clear();
            Kept[key] = part;
            parts.Add(part);
        }
        return parts;
    }

    /// <summary>Each county's areas (<see cref="EvidenceStamps.CountyOfArea"/>), kept under the whole stamp they were read under.</summary>
    private static async Task<IReadOnlyDictionary<Guid, List<Guid>>> AreasOfCountiesAsync(WaypointDbContext db, string whole, CancellationToken ct)
    {
        if (keptAreas is { } kept && kept.Whole == whole && whole != "")
            return kept.Areas;
        var areas = (await EvidenceStamps.CountyOfEveryAreaAsync(db, ct))
            .GroupBy(a => a.County).ToDictionary(g => g.Key, g => g.Select(a => a.Id).ToList());
        keptAreas = new KeptAreas(whole, areas);
        return areas;
    }

    /// <summary>Drops every kept part (the bench times a cold read with it).</summary>
    public static void ForgetKept()
    {
        Kept.Clear();
        keptAreas = null;
    }

    private const int KeptAtMost = 1_000;
    private sealed record KeptAreas(string Whole, IReadOnlyDictionary<Guid, List<Guid>> Areas);
    private static volatile KeptAreas? keptAreas;
    private static readonly ConcurrentDictionary<(Guid County, int Year, DateOnly Through), Part> Kept = new();
}
