using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class RetentionScheduleConfiguration : IEntityTypeConfiguration<RetentionSchedule>
{
    public void Configure(EntityTypeBuilder<RetentionSchedule> b)
    {
        b.HasKey(x => x.RecordType);
        b.Property(x => x.Basis).HasMaxLength(RetentionSchedule.MaxBasisLength);
        b.ToTable("RetentionSchedules", t => t.HasCheckConstraint("CK_RetentionSchedules_PeriodPositive", "\"Period\" > 0"));
        // The partnership starts from these and changes them on /retention/schedules.
        b.HasData(RetentionDefaults.All);
    }
}

/// <summary>The periods a new partnership starts from (common practice in English local authorities; each can be changed).</summary>
public static class RetentionDefaults
{
    private static readonly DateTimeOffset Seeded = new(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);

    public static RetentionSchedule[] All =>
    [
        new() { RecordType = RetentionRecordType.ConcernNotTakenFurther, Period = 2, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.Closure, Basis = "A report that did not meet the threshold: kept long enough to see a pattern of later reports", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.EarlyHelpCase, Period = 6, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.Closure, Basis = "Early-help records: six years after the case closes", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.MeetingItem, Period = 2, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.LastActivity, Basis = "Minutes of multi-agency meetings about a child", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.SchoolRecord, Period = 1, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.TwentyFifthBirthday, Basis = "A pupil's records from one school: kept to the 25th birthday (IRMS schools toolkit: date of birth + 25 years), and a year more to answer late queries; never before the pupil has left that school", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.PoliceOccurrence, Period = 6, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.LastActivity, Basis = "Police information shared with the partnership, as the force's own review and disposal", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.PoliceFlag, Period = 12, Unit = RetentionUnit.Months, Trigger = RetentionTrigger.Closure, Basis = "A flag removed or lapsed is kept a year for the review's own record", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.Consent, Period = 6, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.LastActivity, Basis = "What the family agreed, as long as the work it allowed", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.Audit, Period = 7, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.LastActivity, Basis = "Who looked at a child's record: kept beyond the records themselves", UpdatedAt = Seeded },
        new() { RecordType = RetentionRecordType.SubjectAccessCopy, Period = 2, Unit = RetentionUnit.Years, Trigger = RetentionTrigger.Closure, Basis = "The copy issued and its redactions, to show the ICO or a court what was disclosed: the ICO sets no period and says keep no longer than needed; two years from issue covers a complaint (the ICO asks for one within three months of the response) and its investigation", UpdatedAt = Seeded },
    ];
}

internal sealed class RetentionReviewConfiguration : IEntityTypeConfiguration<RetentionReview>
{
    public void Configure(EntityTypeBuilder<RetentionReview> b)
    {
        b.Property(x => x.Why).HasMaxLength(300);
        b.Property(x => x.ExtensionReason).HasMaxLength(RetentionReview.MaxReasonLength);
        // A record is in the queue once; an extension that runs out puts the same row back.
        b.HasIndex(x => new { x.RecordType, x.RecordId }).IsUnique();
        b.HasIndex(x => new { x.Status, x.DueOn });
    }
}

internal sealed class SchoolRecordUnitConfiguration : IEntityTypeConfiguration<SchoolRecordUnit>
{
    public void Configure(EntityTypeBuilder<SchoolRecordUnit> b)
    {
        b.ToTable("SchoolRecordUnits");
        // A pupil's records at a school are one unit; the foreign key to the person lets a merge move (or collapse) it.
        b.HasIndex(x => new { x.PersonId, x.SchoolId }).IsUnique();
        b.HasIndex(x => x.SchoolId);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class LegalHoldConfiguration : IEntityTypeConfiguration<LegalHold>
{
    public void Configure(EntityTypeBuilder<LegalHold> b)
    {
        b.Property(x => x.Reason).HasMaxLength(LegalHold.MaxReasonLength);
        b.HasIndex(x => new { x.RecordType, x.RecordId });
    }
}
