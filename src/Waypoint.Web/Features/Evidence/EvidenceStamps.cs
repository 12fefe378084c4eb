using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Data;

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
