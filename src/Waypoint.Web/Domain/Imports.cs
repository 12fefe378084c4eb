namespace Waypoint.Domain;

public enum ImportKind
{
    CommonTransferFile,
    Enrolments,
    Attendance,
    Suspensions,
    Behaviour,

    /// <summary>A police force's occurrences file (docs/police-and-risk.md): sent by the force, never by a school.</summary>
    PoliceOccurrences,
}

public enum ImportStatus
{
    Queued,
    Running,
    /// <summary>Applied: the summary says what changed.</summary>
    Succeeded,
    /// <summary>The file had problems and nothing was applied.</summary>
    Rejected,
    /// <summary>Something went wrong on our side; nothing was applied and the file may be sent again.</summary>
    Failed,
}

/// <summary>
/// A heading a school's MIS writes that Waypoint's alias table does not know, and the documented
/// column the school says it is (or none: pass it over). Saved once, it is used for every later
/// file of that kind the school sends, by the page, the API and the command line alike.
/// </summary>
public sealed class ImportColumnMapping
{
    public const int MaxHeadingLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public ImportKind Kind { get; set; }

    /// <summary>The heading as the school typed it, for showing back.</summary>
    public required string Heading { get; set; }

    /// <summary>The heading reduced as headings are compared (case, spaces and punctuation ignored): the key.</summary>
    public required string NormalisedHeading { get; set; }

    /// <summary>The documented column it is read as; null to pass the column over without a warning.</summary>
    public string? Column { get; set; }

    public Guid SetByUserId { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

/// <summary>
/// One file a school (or a police force: its occurrences) sent, and what became of it. The file waits in the database (not on one
/// instance's disk) until a background worker on any instance claims and applies it; it is
/// dropped once the import has finished, keeping only the outcome.
/// </summary>
public sealed class ImportJob
{
    public const int MaxFileBytes = 64 * 1024 * 1024;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>
    /// The organisation that sent the file, whose files are applied one at a time in the order
    /// sent: a school, or for <see cref="ImportKind.PoliceOccurrences"/> the police force.
    /// </summary>
    public Guid SenderOrganisationId { get; set; }
    public Organisation? SenderOrganisation { get; set; }
    public Guid UploadedByUserId { get; set; }
    public required string FileName { get; set; }
    public ImportKind Kind { get; set; }
    public ImportStatus Status { get; set; }
    public byte[]? Content { get; set; }
    public int FileBytes { get; set; }

    /// <summary>Progress out of 100 while running.</summary>
    public int Percent { get; set; }
    public string? Stage { get; set; }

    /// <summary>What was added, changed and left as it was, as JSON (see ImportSummary).</summary>
    public string? SummaryJson { get; set; }

    /// <summary>Every problem, as JSON (see ImportProblem); file contents they quote stay here, never in logs.</summary>
    public string? ProblemsJson { get; set; }
    public int ProblemCount { get; set; }

    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>A worker's hold on a running job; a hold that lapses (the worker died) lets another take it.</summary>
    public DateTimeOffset? HeldUntil { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>Where a pupil held for review stands.</summary>
public enum PupilMatchReviewStatus
{
    /// <summary>With the school, which may register the pupil as new or send the match to the inclusion team.</summary>
    Waiting,

    /// <summary>With the inclusion team, who can see the register's record and confirm or reject the match.</summary>
    WithInclusionTeam,

    /// <summary>The inclusion team confirmed the match: the pupil was enrolled.</summary>
    Confirmed,

    /// <summary>The inclusion team found another child; the school may register the pupil as new.</summary>
    Rejected,

    /// <summary>The school registered the pupil as a new person and enrolled them.</summary>
    RegisteredAsNew,
}

/// <summary>
/// A pupil an import could not match by UPN to a child the school cannot see, where the register's
/// duplicate rules found someone like them (the same birthday and a likely name, or their UPN with
/// another birthday). It grants nothing: the school sees only what its own file said and may
/// register the pupil as new, or send the match to the inclusion team, who see the register's
/// record and alone can confirm it (which enrols the child). Every decision is audited against the person.
/// </summary>
public sealed class PupilMatchReview
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }

    /// <summary>The background job that sent the file; none when applied from the command line.</summary>
    public Guid? ImportJobId { get; set; }
    public required string FileName { get; set; }
    public int Line { get; set; }

    // What the file said, as sent: never the register's own record.
    public string? Upn { get; set; }
    public required string Surname { get; set; }
    public required string Forename { get; set; }
    public DateOnly DateOfBirth { get; set; }

    // The enrolment the file asked for, made on confirmation or registration.
    public DateOnly EnrolmentStart { get; set; }
    public DateOnly? EnrolmentEnd { get; set; }
    public int? YearGroup { get; set; }
    public bool IsDualRegistration { get; set; }

    /// <summary>The register's likely match; shown only to the inclusion team, never to the school.</summary>
    public Guid CandidatePersonId { get; set; }
    public Person? CandidatePerson { get; set; }

    public PupilMatchReviewStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? SentByUserId { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    /// <summary>The person enrolled by the decision: the candidate (confirmed) or the pupil registered as new.</summary>
    public Guid? EnrolledPersonId { get; set; }

    public bool IsOpen => Status is PupilMatchReviewStatus.Waiting or PupilMatchReviewStatus.WithInclusionTeam or PupilMatchReviewStatus.Rejected;
}
