namespace Waypoint.Domain;

/// <summary>The kinds of record the partnership keeps for a set time (issue 16).</summary>
public enum RetentionRecordType
{
    /// <summary>A child-concern report the hub decided on without opening a case.</summary>
    ConcernNotTakenFurther,
    /// <summary>An early-help or targeted-support case, with its plan, notes, history and the report that opened it.</summary>
    EarlyHelpCase,
    MeetingItem,
    /// <summary>A pupil's records from one school (see <see cref="SchoolRecordUnit"/>).</summary>
    SchoolRecord,
    PoliceOccurrence,
    PoliceFlag,
    Consent,
    Audit,
    /// <summary>A subject-access copy as issued: the PDF, the ZIP of CSVs and the redactions applied.</summary>
    SubjectAccessCopy,
}

/// <summary>The event a retention period runs from.</summary>
public enum RetentionTrigger
{
    /// <summary>The record was closed or decided (a case closed, a report decided, a flag removed).</summary>
    Closure,
    /// <summary>The child's 25th birthday.</summary>
    TwentyFifthBirthday,
    /// <summary>The last time anything was done on the record.</summary>
    LastActivity,
}

public enum RetentionUnit
{
    Months,
    Years,
}

/// <summary>How long one kind of record is kept, and from which event. One row per record type, set by the partnership.</summary>
public sealed class RetentionSchedule
{
    public const int MaxPeriod = 100;
    public const int MaxBasisLength = 500;

    public RetentionRecordType RecordType { get; set; }
    public int Period { get; set; }
    public RetentionUnit Unit { get; set; }
    public RetentionTrigger Trigger { get; set; }

    /// <summary>Why this period (the law or guidance it follows), shown to the DPO and the ICO.</summary>
    public string? Basis { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }

    /// <summary>The day a record whose trigger event fell on <paramref name="triggeredOn"/> reaches the end of its period.</summary>
    public DateOnly DueOn(DateOnly triggeredOn) => Unit == RetentionUnit.Years ? triggeredOn.AddYears(Period) : triggeredOn.AddMonths(Period);

    /// <summary>The latest trigger date that makes a record due by <paramref name="today"/>.</summary>
    public DateOnly LatestTriggerDueBy(DateOnly today) => Unit == RetentionUnit.Years ? today.AddYears(-Period) : today.AddMonths(-Period);
}

public enum RetentionReviewStatus
{
    /// <summary>In the DPO's queue, awaiting a decision.</summary>
    Due,
    /// <summary>Kept until <see cref="RetentionReview.ExtendedUntil"/>, when it returns to the queue.</summary>
    Extended,
    /// <summary>Removed; the row is kept as the register of what kind of record went, and when.</summary>
    Disposed,
}

/// <summary>
/// A record that reached the end of its retention period, in the data-protection officer's queue.
/// Holds the record's kind, id and dates, never its content or its person's name, so the row can
/// outlive the record as the register of disposals.
/// </summary>
public sealed class RetentionReview
{
    public const int MaxReasonLength = 1000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public RetentionRecordType RecordType { get; set; }
    public Guid RecordId { get; set; }

    /// <summary>The organisation that owns the record (who to ask before disposing).</summary>
    public Guid? OwnerOrganisationId { get; set; }
    public RetentionTrigger Trigger { get; set; }
    public DateOnly TriggeredOn { get; set; }
    public DateOnly DueOn { get; set; }

    /// <summary>Why it is due, in words: "closed 2019-03-04; kept 6 years from closure".</summary>
    public required string Why { get; set; }
    public DateTimeOffset FoundAt { get; set; }
    public RetentionReviewStatus Status { get; set; }
    public DateOnly? ExtendedUntil { get; set; }
    public string? ExtensionReason { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>A legal hold: the record is needed for proceedings or an inquiry and may not be disposed of until it is lifted.</summary>
public sealed class LegalHold
{
    public const int MaxReasonLength = 1000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public RetentionRecordType RecordType { get; set; }
    public Guid RecordId { get; set; }
    public required string Reason { get; set; }
    public Guid PlacedByUserId { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public Guid? LiftedByUserId { get; set; }
}

/// <summary>
/// The unit the schedule disposes of for school records: one pupil's records from one school
/// (enrolment, attendance, suspensions and exclusions, behaviour, managed moves, part-time
/// timetables, nominations, alerts). Its id is what the retention queue and a legal hold name, so
/// that neither holds the pupil's id; the row goes with the disposal, leaving nothing that says
/// whose records they were (docs/retention.md).
/// </summary>
public sealed class SchoolRecordUnit
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Guid SchoolId { get; set; }
    public DateTimeOffset FoundAt { get; set; }
}
