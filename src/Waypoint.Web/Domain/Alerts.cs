namespace Waypoint.Domain;

/// <summary>The early-warning rules the partnership can switch on and tune (see <see cref="AlertThreshold"/>).</summary>
public enum AlertRule
{
    RepeatedSuspensions,
    SuspensionDaysInTerm,
    PersistentAbsence,
    AttendanceFall,
    PermanentExclusion,
}

/// <summary>
/// The partnership's setting of one rule. A rule with no row uses its default (see
/// Features/Alerts/AlertThresholds.cs); the admin page writes a row the first time it is changed.
/// </summary>
public sealed class AlertThreshold
{
    public AlertRule Rule { get; set; }
    public bool Enabled { get; set; }

    /// <summary>The rule's number: suspensions, days, a percentage or percentage points (unused by the permanent-exclusion rule).</summary>
    public int Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }
}

public enum AlertStatus
{
    /// <summary>Raised and not yet looked at.</summary>
    New,
    Acknowledged,
    Closed,
}

/// <summary>
/// An early warning about one pupil, raised once per trigger: <see cref="TriggerKey"/> names the
/// rule, the pupil and the period or record that set it off, and is unique, so re-imports, re-runs
/// and evaluations racing each other never raise it twice. An alert is education data about the
/// pupil, owned by the school whose records set it off, so it flows exactly as the school's own
/// records do (the access policy filters it like a suspension).
/// </summary>
public sealed class Alert : ISchoolRecord
{
    public const int MaxTriggerKeyLength = 200;
    public const int MaxFiguresLength = 600;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public AlertRule Rule { get; set; }
    public required string TriggerKey { get; set; }

    /// <summary>The date of the record or the end of the period that set it off.</summary>
    public DateOnly TriggeredOn { get; set; }

    /// <summary>What set it off, in figures and dates only (no names): shown on the alert page.</summary>
    public required string Figures { get; set; }

    /// <summary>The rule's number when the alert was raised (thresholds can change later).</summary>
    public int ThresholdValue { get; set; }

    public AlertStatus Status { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public Guid? AssignedToUserId { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }

    public List<AlertEvent> Events { get; set; } = [];

    public bool IsOpen => Status != AlertStatus.Closed;
    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}

public enum AlertEventKind
{
    Raised,
    Acknowledged,
    Assigned,
    NoteAdded,
    Closed,
}

/// <summary>One step in an alert's history: never changed or removed, so the history is the whole story.</summary>
public sealed class AlertEvent
{
    public const int MaxNoteLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AlertId { get; set; }
    public AlertEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Who did it; null when the system raised the alert.</summary>
    public Guid? UserId { get; set; }

    public Guid? AssignedToUserId { get; set; }
    public string? Note { get; set; }
}
