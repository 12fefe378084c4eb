namespace Waypoint.Domain;

/// <summary>What a child-concern report is about; a report may name several.</summary>
public enum ConcernCategory
{
    RiskOfExclusion,
    GangInvolvementOrExploitation,
    DomesticAbuseAtHome,
    MissingEpisodes,
    MentalHealth,
    Neglect,
    Other,
}

public enum ReferralStatus
{
    AwaitingTriage,
    Decided,
}

/// <summary>The hub's threshold decision on a report.</summary>
public enum TriageOutcome
{
    NoFurtherAction,
    AdviceOrSignposting,
    /// <summary>Opens a case, led by the agency the hub names.</summary>
    EarlyHelp,
    /// <summary>Opens a case, led by the agency the hub names.</summary>
    TargetedSupport,
    StepUpToChildrensSocialCare,
    SingleAgencyResponse,
}

/// <summary>
/// A child-concern report from any partner to the early-intervention hub of the child's area. The
/// reporter's organisation gains an involvement with the child by reporting; the hub decides on
/// every report, with a rationale, even where it does not meet the threshold for early help.
/// </summary>
public sealed class Referral
{
    public const int MaxWhatIsKnownLength = 4000;
    public const int MaxRationaleLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid ReporterUserId { get; set; }
    public Guid ReporterOrganisationId { get; set; }
    public Organisation? ReporterOrganisation { get; set; }

    /// <summary>The child's area when reported: it decides which hub's queue the report is in.</summary>
    public Guid AreaId { get; set; }

    /// <summary>The categories, by name, comma-separated (see <see cref="ConcernCategories"/>).</summary>
    public required string Categories { get; set; }
    public required string WhatIsKnown { get; set; }
    public bool ImmediateRisk { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public DateTimeOffset DecisionDueBy { get; set; }
    public ReferralStatus Status { get; set; }

    public TriageOutcome? Outcome { get; set; }
    public string? Rationale { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? CaseId { get; set; }

    public IReadOnlyList<ConcernCategory> ConcernCategories =>
        Categories.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<ConcernCategory>).ToList();
}

public enum CaseStatus
{
    Open,
    Closed,
}

/// <summary>
/// Early help or targeted support for a child, opened by the hub's decision and led by one agency.
/// The lead organisation gains an involvement with the child for as long as it leads.
/// </summary>
public sealed class Case
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid LeadOrganisationId { get; set; }
    public Organisation? LeadOrganisation { get; set; }
    public Guid? LeadPractitionerId { get; set; }
    public TriageOutcome Level { get; set; }
    public CaseStatus Status { get; set; }
    public Guid? ReferralId { get; set; }
    public DateTimeOffset OpenedAt { get; set; }
    public Guid OpenedByUserId { get; set; }
}
