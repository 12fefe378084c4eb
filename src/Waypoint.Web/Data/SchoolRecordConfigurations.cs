using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal static class SchoolRecordMapping
{
    /// <summary>What every school record shares: the pupil (gone with the person), the owning school (never deleted under it) and no stored category.</summary>
    public static void MapSchoolRecord<T>(this EntityTypeBuilder<T> b) where T : class, ISchoolRecord
    {
        // By name: the members are the interface's, which EF cannot follow through an expression on T.
        b.Ignore(nameof(ISchoolRecord.OwnerOrganisationId));
        b.Ignore(nameof(ISchoolRecord.CategoryCode));
        b.HasOne<Person>(nameof(ISchoolRecord.Person)).WithMany().HasForeignKey(nameof(ISchoolRecord.PersonId)).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organisation>(nameof(ISchoolRecord.School)).WithMany().HasForeignKey(nameof(ISchoolRecord.SchoolId)).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AttendanceRecordConfiguration : IEntityTypeConfiguration<AttendanceRecord>
{
    public void Configure(EntityTypeBuilder<AttendanceRecord> b)
    {
        b.MapSchoolRecord();
        b.Ignore(x => x.Absence);
        b.HasIndex(x => new { x.PersonId, x.PeriodStart });
        b.HasIndex(x => new { x.SchoolId, x.PeriodStart });
        // Owned: the counts have no life or access rule of their own, and read with their record.
        // One row per code in a period, so the code is part of the key.
        b.OwnsMany(x => x.CodeCounts, c =>
        {
            c.ToTable("AttendanceCodeCounts");
            c.WithOwner().HasForeignKey("AttendanceRecordId");
            c.Property(x => x.Code).HasMaxLength(2);
            c.HasKey("AttendanceRecordId", nameof(AttendanceCodeCount.Code));
        });
    }
}

internal sealed class SuspensionConfiguration : IEntityTypeConfiguration<Suspension>
{
    public void Configure(EntityTypeBuilder<Suspension> b)
    {
        b.MapSchoolRecord();
        b.Ignore(x => x.ReasonCodes);
        b.Property(x => x.ReasonCode1).HasMaxLength(2);
        b.Property(x => x.ReasonCode2).HasMaxLength(2);
        b.Property(x => x.ReasonCode3).HasMaxLength(2);
        b.HasIndex(x => new { x.PersonId, x.StartDate });
        b.HasIndex(x => new { x.SchoolId, x.StartDate });
        b.HasOne<Identity.WaypointUser>().WithMany().HasForeignKey(x => x.RecordedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class BehaviourIncidentConfiguration : IEntityTypeConfiguration<BehaviourIncident>
{
    public void Configure(EntityTypeBuilder<BehaviourIncident> b)
    {
        b.MapSchoolRecord();
        b.Property(x => x.Description).HasMaxLength(BehaviourIncident.MaxDescriptionLength);
        b.HasIndex(x => new { x.PersonId, x.OccurredOn });
        b.HasIndex(x => new { x.SchoolId, x.OccurredOn });
        b.HasOne<Identity.WaypointUser>().WithMany().HasForeignKey(x => x.RecordedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ManagedMoveConfiguration : IEntityTypeConfiguration<ManagedMove>
{
    public void Configure(EntityTypeBuilder<ManagedMove> b)
    {
        b.MapSchoolRecord();
        b.HasIndex(x => new { x.PersonId, x.StartDate });
        b.HasIndex(x => x.SchoolId);
        b.HasIndex(x => x.ReceivingSchoolId);
        b.HasOne(x => x.ReceivingSchool).WithMany().HasForeignKey(x => x.ReceivingSchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PartTimeTimetableConfiguration : IEntityTypeConfiguration<PartTimeTimetable>
{
    public void Configure(EntityTypeBuilder<PartTimeTimetable> b)
    {
        b.MapSchoolRecord();
        b.Property(x => x.Reason).HasMaxLength(PartTimeTimetable.MaxReasonLength);
        b.HasIndex(x => new { x.PersonId, x.StartDate });
        b.HasIndex(x => x.SchoolId);
    }
}

internal sealed class TopTenNominationConfiguration : IEntityTypeConfiguration<TopTenNomination>
{
    public void Configure(EntityTypeBuilder<TopTenNomination> b)
    {
        b.MapSchoolRecord();
        b.Property(x => x.Reason).HasMaxLength(TopTenNomination.MaxReasonLength);
        b.Property(x => x.WithdrawalReason).HasMaxLength(TopTenNomination.MaxReasonLength);
        b.HasIndex(x => new { x.SchoolId, x.WithdrawnAt });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.Stage).HasMaxLength(100);
        b.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SchoolId, x.QueuedAt });
        b.HasIndex(x => new { x.Status, x.QueuedAt });
    }
}
