using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

// Data-protection rights (issue 16): merges and restrictions of processing. Distinct from DataProtectionKey.cs, which holds ASP.NET's keys.

internal sealed class PersonMergeConfiguration : IEntityTypeConfiguration<PersonMerge>
{
    public void Configure(EntityTypeBuilder<PersonMerge> b)
    {
        b.Ignore(x => x.UnmergeUntil);
        // Not foreign keys to Person on purpose: a merge's own record must not be moved by the merge
        // that reads every foreign key to Person, and it outlives neither person's disposal by design.
        b.HasIndex(x => x.SurvivorId);
        b.HasIndex(x => x.MergedId);
        b.HasMany(x => x.Steps).WithOne().HasForeignKey(x => x.MergeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonMergeStepConfiguration : IEntityTypeConfiguration<PersonMergeStep>
{
    public void Configure(EntityTypeBuilder<PersonMergeStep> b)
    {
        b.Property(x => x.TableName).HasMaxLength(128);
        b.Property(x => x.ColumnName).HasMaxLength(128);
        b.Property(x => x.RowKey).HasMaxLength(64);
        b.HasIndex(x => new { x.MergeId, x.Sequence }).IsUnique();
    }
}

internal sealed class ProcessingRestrictionConfiguration : IEntityTypeConfiguration<ProcessingRestriction>
{
    public void Configure(EntityTypeBuilder<ProcessingRestriction> b)
    {
        b.Property(x => x.Reason).HasMaxLength(ProcessingRestriction.MaxReasonLength);
        // A foreign key to the person, so that a merge moves a restriction with everything else.
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.PersonId, x.LiftedAt });
    }
}

internal sealed class RecordChallengeConfiguration : IEntityTypeConfiguration<RecordChallenge>
{
    public void Configure(EntityTypeBuilder<RecordChallenge> b)
    {
        b.Property(x => x.Field).HasMaxLength(RecordChallenge.MaxFieldLength);
        b.Property(x => x.RaisedBy).HasMaxLength(RecordChallenge.MaxRaisedByLength);
        b.Property(x => x.Statement).HasMaxLength(RecordChallenge.MaxStatementLength);
        b.Property(x => x.Response).HasMaxLength(RecordChallenge.MaxResponseLength);
        b.Property(x => x.ValueBefore).HasMaxLength(RecordChallenge.MaxValueLength);
        b.Property(x => x.ValueAfter).HasMaxLength(RecordChallenge.MaxValueLength);
        // A foreign key to the person, so that a merge moves a challenge with everything else.
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.PersonId, x.Outcome });
        b.HasIndex(x => new { x.RecordKind, x.RecordId });
        b.HasIndex(x => new { x.OwnerOrganisationId, x.Outcome });
    }
}
