namespace Waypoint.Domain;

/// <summary>
/// A person's restriction of processing (UK GDPR article 18), recorded by the data-protection
/// officer: while it stands their data may be read but not used to score, list or alert (risk
/// scoring and early-warning alerts skip them). Lifting it keeps the row as history.
/// </summary>
public sealed class ProcessingRestriction
{
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid RecordedByUserId { get; set; }
    public DateTimeOffset? LiftedAt { get; set; }
    public Guid? LiftedByUserId { get; set; }
}

/// <summary>What a person asks of a record: that it be corrected (article 16) or that it stop being used (article 21).</summary>
public enum ChallengeKind
{
    Accuracy,
    Objection,
}

/// <summary>The kinds of record a challenge can name.</summary>
public enum ChallengedRecord
{
    /// <summary>A field of the register entry; <see cref="RecordChallenge.Field"/> says which.</summary>
    RegisterEntry,
    BehaviourIncident,
    ConcernReport,
    CaseNote,
    PoliceFlag,
}

public enum ChallengeOutcome
{
    Open,

    /// <summary>The owning organisation corrected the record; the challenge keeps what it said before.</summary>
    Corrected,

    /// <summary>The owning organisation kept the record as it is; the person's statement is shown with it from now on.</summary>
    KeptWithStatement,

    /// <summary>An objection the owning organisation upheld: the person's processing is restricted.</summary>
    ObjectionUpheld,

    /// <summary>An objection the owning organisation did not uphold, with its grounds; the person's statement is shown with the record.</summary>
    ObjectionNotUpheld,
}

/// <summary>
/// A person's challenge to one record: recorded by whoever can see the record and heard it, shown
/// to everyone who can see the record until it is resolved, and resolved by the organisation that
/// owns the record only. Removed with the record when the record is disposed of.
/// </summary>
public sealed class RecordChallenge
{
    public const int MaxRaisedByLength = 200;
    public const int MaxStatementLength = 2000;
    public const int MaxResponseLength = 2000;
    public const int MaxValueLength = 4000;
    public const int MaxFieldLength = 40;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public ChallengeKind Kind { get; set; }
    public ChallengedRecord RecordKind { get; set; }
    public Guid RecordId { get; set; }

    /// <summary>The register field challenged (GivenName, FamilyName, PreferredName, DateOfBirth); null for other records, which have one text each.</summary>
    public string? Field { get; set; }
    public Guid OwnerOrganisationId { get; set; }

    /// <summary>Who raised it, as they describe themselves ("the young person", "Mrs A, mother").</summary>
    public required string RaisedBy { get; set; }

    /// <summary>What they say is wrong, or why they object.</summary>
    public required string Statement { get; set; }
    public DateOnly RaisedOn { get; set; }
    public Guid RecordedByUserId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    public ChallengeOutcome Outcome { get; set; }

    /// <summary>The owning organisation's answer: what it corrected, or why it kept the record.</summary>
    public string? Response { get; set; }

    /// <summary>The record's value before and after a correction: the history a correction keeps.</summary>
    public string? ValueBefore { get; set; }
    public string? ValueAfter { get; set; }
    public Guid? ResolvedByUserId { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
}
