namespace Waypoint.Domain;

/// <summary>A pupil's registration at a school: while current, the school may see the pupil.</summary>
public static class EnrolmentLimits
{
    public const int LeavingReasonLength = 100;
}

public sealed class Enrolment : ICategorisedRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public int? YearGroup { get; set; }
    public bool IsDualRegistration { get; set; }

    /// <summary>The census enrolment status the school gave: C (single registration), M or S (main or subsidiary dual registration), G (guest); null where no file said.</summary>
    public string? EnrolStatus { get; set; }

    /// <summary>Why the pupil left, as the school's file gave it (a CTF's leaving reason or an enrolments file's column); null while on roll or where not given.</summary>
    public string? LeavingReason { get; set; }

    /// <summary>The primary type of special educational need (census code, e.g. SEMH), where there is one.</summary>
    public string? SenPrimaryNeed { get; set; }

    // Sex, ethnicity, SEN provision and free-school meals are PupilCharacteristics: a category of their own.

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.Education;
}

/// <summary>
/// Why an organisation is involved with a person. Later capabilities (referrals, cases, team
/// around the family, meetings) grant access by adding an involvement with their own source.
/// </summary>
public enum InvolvementSource
{
    Explicit,
    Referral,
    TeamAroundFamily,
    ServiceReferral,
    Meeting,

    /// <summary>An agency offered the lead of a case, while it decides.</summary>
    CaseTransfer,

    /// <summary>Children's social care, for a case stepped up to it.</summary>
    StepUp,
}

public sealed class Involvement
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public InvolvementSource Source { get; set; }
    public Guid? SourceId { get; set; }
    public required string Reason { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }

    /// <summary>
    /// For a grant that lasts while a process does (a place in a case's team): the date by which
    /// someone must confirm it is still needed (the case's next review moves it). Every grant has
    /// an end date or a review date, never neither: a database check holds it.
    /// </summary>
    public DateOnly? ReviewOn { get; set; }

    public Guid AddedByUserId { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>Time-limited access without a relationship, given with a reason and raised to the data-protection officer.</summary>
public sealed class BreakGlassGrant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid PersonId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset GrantedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public string? ReviewNote { get; set; }
}
