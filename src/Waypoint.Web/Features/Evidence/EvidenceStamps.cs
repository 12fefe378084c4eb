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
