using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Audit;

namespace Waypoint.Data;

// The audit log's archived months (issue 16, item 6). Both tables are append-only in the database
// (triggers in the AuditArchiveProtection migration); only a sealed month's own rows may leave.

internal sealed class ArchivedAuditEntryConfiguration : IEntityTypeConfiguration<ArchivedAuditEntry>
{
    public void Configure(EntityTypeBuilder<ArchivedAuditEntry> b)
    {
        b.ToTable("AuditArchive");
        // The id is the live entry's, kept so that the chain's order survives the move.
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Subject).HasMaxLength(200);
        b.Property(x => x.Basis).HasMaxLength(200);
        b.Property(x => x.Channel).HasMaxLength(10);
        b.Property(x => x.PreviousHash).HasMaxLength(64);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.HasIndex(x => new { x.PersonId, x.OccurredAt });
        b.HasIndex(x => new { x.UserId, x.OccurredAt });
    }
}

internal sealed class AuditPeriodConfiguration : IEntityTypeConfiguration<AuditPeriod>
{
    public void Configure(EntityTypeBuilder<AuditPeriod> b)
    {
        b.Ignore(x => x.Label);
        b.Ignore(x => x.Canonical);
        b.Ignore(x => x.DisposalSubject);
        b.Property(x => x.PreviousHash).HasMaxLength(64);
        b.Property(x => x.LastHash).HasMaxLength(64);
        b.Property(x => x.Seal).HasMaxLength(64);
        b.HasIndex(x => x.Month).IsUnique();
        b.HasIndex(x => x.FirstId).IsUnique();
    }
}
