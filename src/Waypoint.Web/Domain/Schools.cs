namespace Waypoint.Domain;

/// <summary>
/// A record a school keeps about one of its pupils. The school owns it; its category decides
/// where the sharing agreement lets it flow.
/// </summary>
public interface ISchoolRecord : ICategorisedRecord
{
    Person? Person { get; }
    Guid SchoolId { get; }
    Organisation? School { get; }
}

/// <summary>
/// Attendance at one school over one period (a week, half term or term), in sessions: a school
/// day has two, morning and afternoon. Present includes approved educational activity (codes K,
/// V, P, W, B), which counts as attendance; possible = present + authorised + unauthorised.
/// </summary>
public sealed class AttendanceRecord : ISchoolRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public int SessionsPossible { get; set; }
    public int SessionsPresent { get; set; }
    public int AuthorisedAbsence { get; set; }
    public int UnauthorisedAbsence { get; set; }

    /// <summary>Sessions per DfE attendance code, where the school gave them.</summary>
    public List<AttendanceCodeCount> CodeCounts { get; set; } = [];

    /// <summary>The academic year (2024 for 2024/25) of a year of attendance from a Common Transfer File; null for a period from an attendance file.</summary>
    public int? AcademicYear { get; set; }

    /// <summary>
    /// The day of the first of <see cref="Marks"/>: two marks a day (morning, afternoon), every day
    /// from it, "-" where there was no session, as the Common Transfer File gives them.
    /// </summary>
    public DateOnly? MarksStartDate { get; set; }

    /// <summary>The attendance marks as the file gave them, one code per session (C1, C2, J1 and Y1 to Y7 are two characters).</summary>
    public string? Marks { get; set; }

    /// <summary>Each session's day, whether it was the morning, and its code, from <see cref="Marks"/>; "-" (no session) left out.</summary>
    public IEnumerable<(DateOnly Day, bool Morning, string Code)> Sessions()
    {
        if (MarksStartDate is not { } start || Marks is null)
            yield break;
        var i = 0;
        foreach (var code in Features.Schools.Imports.CommonTransferFile.SplitMarks(Marks))
        {
            if (code != "-")
                yield return (start.AddDays(i / 2), i % 2 == 0, code);
            i++;
        }
    }

    public DateTimeOffset RecordedAt { get; set; }

    public int Absence => AuthorisedAbsence + UnauthorisedAbsence;
    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}

/// <summary>Sessions recorded with one attendance code (see <see cref="AttendanceCodes"/>) in a period.</summary>
public sealed class AttendanceCodeCount
{
    public required string Code { get; set; }
    public int Sessions { get; set; }
}

public enum ExclusionKind
{
    Suspension,
    PermanentExclusion,
}

/// <summary>Where a suspension or permanent exclusion stands after any review by the governing board or an independent review panel.</summary>
public enum ExclusionOutcome
{
    /// <summary>Stands as given; no review was needed or asked for.</summary>
    NotReviewed,

    /// <summary>A review is awaited.</summary>
    Pending,
    Upheld,
    Reinstated,

    /// <summary>The headteacher withdrew it before it took effect; it does not count towards any limit.</summary>
    Withdrawn,
}

/// <summary>
/// A suspension (fixed period) or a permanent exclusion. Lengths are kept in sessions (half
/// school days), as the school census does; a lunchtime suspension is one session per lunchtime.
/// A permanent exclusion has no length.
/// </summary>
public sealed class Suspension : ISchoolRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public ExclusionKind Kind { get; set; }
    public DateOnly StartDate { get; set; }
    public int? Sessions { get; set; }
    public bool IsLunchtime { get; set; }

    /// <summary>The first DfE reason code (see <see cref="ExclusionReasons"/>); the census allows up to three.</summary>
    public required string ReasonCode1 { get; set; }
    public string? ReasonCode2 { get; set; }
    public string? ReasonCode3 { get; set; }
    public ExclusionOutcome Outcome { get; set; }
    public bool AlternativeProvisionArranged { get; set; }

    /// <summary>The pupil will miss a public examination or national curriculum test because of it.</summary>
    public bool MissesPublicExamination { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
    public Guid? RecordedByUserId { get; set; }

    public IReadOnlyList<string> ReasonCodes => new[] { ReasonCode1, ReasonCode2, ReasonCode3 }.OfType<string>().ToList();
    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}

/// <summary>What a behaviour incident was about. Schools' own behaviour systems map onto these.</summary>
public enum BehaviourCategory
{
    DisruptionInLessons,
    DefianceOrRefusal,
    VerbalAbuseOrThreats,
    PhysicalAggression,
    Bullying,
    PrejudiceRelated,
    SexualHarassmentOrHarmfulSexualBehaviour,
    DamageToProperty,
    Theft,
    DrugsAlcoholOrSmoking,
    WeaponOrProhibitedItem,
    OnlineOrMobilePhone,
    TruancyOrLeavingWithoutPermission,
    Other,
}

/// <summary>
/// One behaviour incident. Its own category (<see cref="RecordCategories.Behaviour"/>), so the
/// agreement can share suspensions and exclusions without the detail of what happened.
/// </summary>
public sealed class BehaviourIncident : ISchoolRecord
{
    public const int MaxDescriptionLength = 2000;
    public const int MinSeverity = 1;
    public const int MaxSeverity = 5;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public DateOnly OccurredOn { get; set; }
    public BehaviourCategory Category { get; set; }

    /// <summary>1 (minor) to 5 (most serious).</summary>
    public int Severity { get; set; }
    public required string Description { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid? RecordedByUserId { get; set; }

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Behaviour;
}

public enum ManagedMoveOutcome
{
    InProgress,

    /// <summary>The pupil stayed: they are now on the receiving school's roll.</summary>
    Completed,
    ReturnedToHomeSchool,
}

/// <summary>A managed move: the pupil tries a place at another school instead of being excluded. The home school owns the record.</summary>
public sealed class ManagedMove : ISchoolRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>The home school, which arranged the move.</summary>
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public Guid ReceivingSchoolId { get; set; }
    public Organisation? ReceivingSchool { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public ManagedMoveOutcome Outcome { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}

/// <summary>A temporary part-time timetable (attendance code C2 for the sessions not timetabled).</summary>
public sealed class PartTimeTimetable : ISchoolRecord
{
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public DateOnly? ReviewDate { get; set; }

    /// <summary>Sessions a week the pupil is timetabled to attend, out of ten.</summary>
    public int SessionsPerWeek { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}

/// <summary>
/// A school's nomination of a pupil to its "top 10 at risk of exclusion". A nomination is never
/// edited: a new rank is a new nomination and the old one is withdrawn, so the history stays.
/// </summary>
public sealed class TopTenNomination : ISchoolRecord
{
    public const int ListSize = 10;
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public int Rank { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset NominatedAt { get; set; }
    public Guid? NominatedByUserId { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
    public Guid? WithdrawnByUserId { get; set; }
    public string? WithdrawalReason { get; set; }

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}
