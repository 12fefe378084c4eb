using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>
/// A stamp a rollup's upkeep moves (to a new random value) in the same transaction as every change
/// to the rollup, so that what is built from the rollup can be kept until the stamp moves: a reader
/// reads the stamp first, then the rollup, and keeps what it built under the stamp it read. The
/// stamp lives in the database, not in the app, so every instance sees a change the moment it
/// commits. Random rather than counted, so two databases never share one (a cache keyed by the stamp
/// cannot mix them up).
/// </summary>
public sealed class EvidenceStamp
{
    public string Name { get; set; } = "";
    public string Stamp { get; set; } = "";
}

internal sealed class EvidenceStampConfiguration : IEntityTypeConfiguration<EvidenceStamp>
{
    public void Configure(EntityTypeBuilder<EvidenceStamp> b)
    {
        b.ToTable("EvidenceStamps");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Stamp).HasMaxLength(32);
    }
}

public static class EvidenceStamps
{
    /// <summary>The joint outcomes summary (<see cref="OutcomeSummaryRow"/> and <see cref="DisposedOutcomeCount"/>).</summary>
    public const string Outcomes = "outcomes";

    /// <summary>
    /// The exclusion rollups (day, month, reason-day, area and phase, pupils, census headcounts, to date by
    /// school) and the register they are grouped by (schools and areas): moved by every writer of them,
    /// before its first change, so what is built from them (the inclusion dashboard, the statistics
    /// preview, the live benchmark figures) is kept until it moves.
    /// </summary>
    public const string Exclusions = "exclusions";

    /// <summary>
    /// Not a random stamp: the day (yyyy-MM-dd) the to-date-by-school rollup (<see cref="ExclusionSchoolToDate"/>)
    /// holds its counts as of. Written only with the <see cref="Exclusions"/> stamp held.
    /// </summary>
    public const string ExclusionToDateAsOf = "exclusion-to-date-as-of";

    /// <summary>
    /// Moves the stamp, in the caller's transaction (the caller holds one: moved and changed rows commit
    /// together). The row stays locked until the commit, so writers of the same rollup take turns from here:
    /// move it before the first change to the rollup, so that no writer holds rollup rows while waiting.
    /// </summary>
    public static Task MoveAsync(WaypointDbContext db, string name, CancellationToken ct)
    {
        var stamp = Guid.NewGuid().ToString("N");
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "EvidenceStamps" ("Name", "Stamp") VALUES ({name}, {stamp})
            ON CONFLICT ("Name") DO UPDATE SET "Stamp" = excluded."Stamp"
            """, ct);
    }

    /// <summary>
    /// The exclusion stamp of one county (the top of an area tree): moved, besides or instead of
    /// <see cref="Exclusions"/>, by a writer whose changes to the exclusion rollups fall only in the
    /// schools of some counties (<see cref="MoveCountiesAsync"/>), so that another county's dashboard
    /// stays kept. A writer that changes everything (rebuild, roll-forwards, the register) moves
    /// <see cref="Exclusions"/>; one confined to counties only holds it (<see cref="HoldAsync"/>), so
    /// writers still take turns from there.
    /// </summary>
    public static string CountyExclusions(Guid county) => $"{Exclusions}:{county:N}";

    /// <summary>
    /// Takes the stamp's row lock in the caller's transaction without moving it (a writer whose changes
    /// are confined to some counties: it moves their stamps, and takes its turn with every other writer here).
    /// </summary>
    public static Task HoldAsync(WaypointDbContext db, string name, CancellationToken ct)
    {
        var stamp = Guid.NewGuid().ToString("N");
        // The existing row's value written back: PostgreSQL names it by its table, SQLite bare.
        return db.IsPostgres
            ? db.Database.ExecuteSqlAsync($"""
                INSERT INTO "EvidenceStamps" ("Name", "Stamp") VALUES ({name}, {stamp})
                ON CONFLICT ("Name") DO UPDATE SET "Stamp" = "EvidenceStamps"."Stamp"
                """, ct)
            : db.Database.ExecuteSqlAsync($"""
                INSERT INTO "EvidenceStamps" ("Name", "Stamp") VALUES ({name}, {stamp})
                ON CONFLICT ("Name") DO UPDATE SET "Stamp" = "Stamp"
                """, ct);
    }

    /// <summary>
    /// Moves the county stamp of every county holding one of <paramref name="schools"/> (in the caller's
    /// transaction, after <see cref="Exclusions"/> is held or moved, so writers never wait on each other here).
    /// </summary>
    public static async Task MoveCountiesAsync(WaypointDbContext db, IEnumerable<Guid> schools, CancellationToken ct)
    {
        var ids = schools.Distinct().ToList();
        if (ids.Count == 0)
            return;
        var counties = new HashSet<Guid>();
        foreach (var chunk in ids.Chunk(10_000))
            counties.UnionWith(await db.Organisations.AsNoTracking().Where(o => chunk.Contains(o.Id))
                .Select(o => o.Area!).Select(CountyOfArea)
                .Distinct().ToListAsync(ct));
        foreach (var county in counties.Order())
            await MoveAsync(db, CountyExclusions(county), ct);
    }

    /// <summary>
    /// The county of an area: the top of its tree, up to four levels, as the dashboard counts it. One rule for the
    /// writers that move a county's stamp and the readers that read it, so that both name the same county.
    /// </summary>
    private static readonly System.Linq.Expressions.Expression<Func<Area, Guid>> CountyOfArea =
        a => a.Parent!.Parent!.ParentId ?? a.Parent!.ParentId ?? a.ParentId ?? a.Id;

    /// <summary>Every area with its county (<see cref="CountyOfArea"/>), in one statement.</summary>
    public static async Task<List<(Guid Id, Guid County)>> CountyOfEveryAreaAsync(WaypointDbContext db, CancellationToken ct)
    {
        var area = CountyOfArea.Parameters[0];
        var withCounty = System.Linq.Expressions.Expression.Lambda<Func<Area, AreaCounty>>(
            System.Linq.Expressions.Expression.MemberInit(System.Linq.Expressions.Expression.New(typeof(AreaCounty)),
                System.Linq.Expressions.Expression.Bind(typeof(AreaCounty).GetProperty(nameof(AreaCounty.Id))!, System.Linq.Expressions.Expression.Property(area, nameof(Area.Id))),
                System.Linq.Expressions.Expression.Bind(typeof(AreaCounty).GetProperty(nameof(AreaCounty.County))!, CountyOfArea.Body)),
            area);
        return (await db.Areas.AsNoTracking().Select(withCounty).ToListAsync(ct)).Select(a => (a.Id, a.County)).ToList();
    }

    private sealed class AreaCounty
    {
        public Guid Id { get; init; }
        public Guid County { get; init; }
    }

    /// <summary>The county (<see cref="CountyOfArea"/>) of an area.</summary>
    public static async Task<Guid> CountyOfAsync(WaypointDbContext db, Guid areaId, CancellationToken ct)
    {
        var county = await db.Areas.AsNoTracking().Where(a => a.Id == areaId)
            .Select(CountyOfArea)
            .FirstOrDefaultAsync(ct);
        return county == Guid.Empty ? areaId : county;
    }

    /// <summary>A county's exclusion stamp as committed now; "" when no writer has moved it yet.</summary>
    public static async Task<string> ReadCountyAsync(WaypointDbContext db, Guid county, CancellationToken ct)
    {
        var name = CountyExclusions(county);
        return await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == name).Select(s => s.Stamp).SingleOrDefaultAsync(ct) ?? "";
    }

    /// <summary>
    /// What a kept dashboard read depends on, for the county holding <paramref name="areaId"/>: the whole
    /// exclusion stamp, the county, and the county's stamp. The county of an area changes only with the
    /// register, which moves the whole stamp, so it is kept per area beside the whole stamp it was read
    /// under: while the whole stamp still reads the same, both stamps are one statement (read together, so
    /// from one snapshot). Otherwise (the first read of an area, or the register changed) the whole stamp,
    /// then the county under it, then the county's stamp, and the county is kept under the stamp read.
    /// </summary>
    public static async Task<(string Whole, Guid County, string Own)> ReadForAreaAsync(WaypointDbContext db, Guid areaId, CancellationToken ct)
    {
        if (CountyOfAreaKept.TryGetValue(areaId, out var kept))
        {
            var name = CountyExclusions(kept.County);
            var stamps = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == Exclusions || s.Name == name)
                .Select(s => new { s.Name, s.Stamp }).ToListAsync(ct);
            if (stamps.FirstOrDefault(s => s.Name == Exclusions)?.Stamp is { } whole && whole == kept.Whole)
                return (whole, kept.County, stamps.FirstOrDefault(s => s.Name == name)?.Stamp ?? "");
        }
        var read = await ReadAsync(db, Exclusions, ct);
        var county = await CountyOfAsync(db, areaId, ct);
        var own = await ReadCountyAsync(db, county, ct);
        if (CountyOfAreaKept.Count >= CountyOfAreaKeptAtMost)
            CountyOfAreaKept.Clear();
        CountyOfAreaKept[areaId] = (read, county);
        return (read, county, own);
    }

    private const int CountyOfAreaKeptAtMost = 20_000;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, (string Whole, Guid County)> CountyOfAreaKept = new();

    /// <summary>Every exclusion stamp (the whole one and each county's), in name order: what the partnership's statistics depend on.</summary>
    public static async Task<string> ReadEveryExclusionsAsync(WaypointDbContext db, CancellationToken ct)
    {
        var whole = await ReadAsync(db, Exclusions, ct);
        var prefix = Exclusions + ":";
        var counties = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name.StartsWith(prefix))
            .OrderBy(s => s.Name).Select(s => s.Name + "=" + s.Stamp).ToListAsync(ct);
        return whole + "|" + string.Join(',', counties);
    }

    /// <summary>The stamp as committed now (one is made the first time it is asked for).</summary>
    public static async Task<string> ReadAsync(WaypointDbContext db, string name, CancellationToken ct)
    {
        var stamp = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == name).Select(s => s.Stamp).SingleOrDefaultAsync(ct);
        if (stamp is not null)
            return stamp;
        var made = Guid.NewGuid().ToString("N");
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "EvidenceStamps" ("Name", "Stamp") VALUES ({name}, {made}) ON CONFLICT ("Name") DO NOTHING
            """, ct);
        return await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == name).Select(s => s.Stamp).SingleAsync(ct);
    }
}
