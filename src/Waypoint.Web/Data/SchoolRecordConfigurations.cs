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
        b.Property(x => x.Marks).HasMaxLength(2 * Features.Schools.Imports.CommonTransferFile.MaxSessionsInYear);
        b.HasIndex(x => new { x.PersonId, x.PeriodStart });
        b.HasIndex(x => new { x.SchoolId, x.PeriodStart });
        // The natural key (docs/imports.md): the backstop that keeps two imports of one file run at once from adding a period twice.
        b.HasIndex(x => new { x.PersonId, x.SchoolId, x.PeriodStart, x.PeriodEnd }).IsUnique().HasDatabaseName("UX_AttendanceRecords_NaturalKey");
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
        // The natural key: pupil, school, start date and kind (suspension, lunchtime suspension, permanent exclusion).
        b.HasIndex(x => new { x.PersonId, x.SchoolId, x.StartDate, x.Kind, x.IsLunchtime }).IsUnique().HasDatabaseName("UX_Suspensions_NaturalKey");
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
        // The natural key: pupil, school, day, category and description. On PostgreSQL the migration builds
        // this index over md5("Description") under the same name, since a 2,000-character description can
        // be larger than a B-tree entry may be; SQLite has no such limit and indexes the text itself.
        b.HasIndex(x => new { x.PersonId, x.SchoolId, x.OccurredOn, x.Category, x.Description }).IsUnique().HasDatabaseName("UX_BehaviourIncidents_NaturalKey");
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

internal sealed class ImportColumnMappingConfiguration : IEntityTypeConfiguration<ImportColumnMapping>
{
    public void Configure(EntityTypeBuilder<ImportColumnMapping> b)
    {
        b.Property(x => x.Heading).HasMaxLength(ImportColumnMapping.MaxHeadingLength);
        b.Property(x => x.NormalisedHeading).HasMaxLength(ImportColumnMapping.MaxHeadingLength);
        b.Property(x => x.Column).HasMaxLength(40);
        b.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SchoolId, x.Kind, x.NormalisedHeading }).IsUnique();
    }
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.Stage).HasMaxLength(100);
        b.HasOne(x => x.SenderOrganisation).WithMany().HasForeignKey(x => x.SenderOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.SenderOrganisationId, x.QueuedAt });
        b.HasIndex(x => new { x.Status, x.QueuedAt });
    }
}

/// <summary>
/// The enrolment's natural key (pupil, school, start date; docs/imports.md), kept with the other
/// imported records' keys: the backstop behind the per-school lock for two imports run at once.
/// </summary>
internal sealed class EnrolmentNaturalKeyConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> b) =>
        b.HasIndex(x => new { x.PersonId, x.SchoolId, x.StartDate }).IsUnique().HasDatabaseName("UX_Enrolments_NaturalKey");
}

internal sealed class PupilMatchReviewConfiguration : IEntityTypeConfiguration<PupilMatchReview>
{
    public void Configure(EntityTypeBuilder<PupilMatchReview> b)
    {
        b.ToTable("PupilMatchReviews");
        b.Ignore(x => x.IsOpen);
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.Upn).HasMaxLength(13);
        b.Property(x => x.Surname).HasMaxLength(100);
        b.Property(x => x.Forename).HasMaxLength(100);
        b.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.CandidatePerson).WithMany().HasForeignKey(x => x.CandidatePersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<ImportJob>().WithMany().HasForeignKey(x => x.ImportJobId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.SchoolId, x.Status });
        b.HasIndex(x => new { x.Status, x.CandidatePersonId });
        b.HasIndex(x => x.CandidatePersonId);
    }
}
