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

    /// <summary>The reporter's lawful basis for disclosing what they know to the hub (absent on reports made before it was asked).</summary>
    public LawfulBasis? LawfulBasis { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public DateTimeOffset DecisionDueBy { get; set; }
    public ReferralStatus Status { get; set; }

    public TriageOutcome? Outcome { get; set; }
    public string? Rationale { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? CaseId { get; set; }

    public IReadOnlyList<ConcernCategory> ConcernCategories => ParseCategories(Categories);

    /// <summary>The categories as stored (for queries that read the column rather than the report).</summary>
    public static IReadOnlyList<ConcernCategory> ParseCategories(string categories) =>
        categories.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<ConcernCategory>).ToList();
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
    public DateTimeOffset? ClosedAt { get; set; }
    public CaseClosureReason? ClosureReason { get; set; }

    /// <summary>The date the team next reviews the case.</summary>
    public DateOnly? NextReviewOn { get; set; }

    /// <summary>The children's social care organisation the case was stepped up to, which may step it down again.</summary>
    public Guid? SteppedUpToOrganisationId { get; set; }
}

public enum CaseClosureReason
{
    OutcomesMet,
    FamilyDisengaged,
    SingleAgencyNowLeads,
    MovedAway,
    SteppedUp,
}

/// <summary>
/// An organisation in the team around the family. Membership gives the organisation an involvement
/// with the child for as long as it lasts; leaving ends it, and the access with it.
/// </summary>
public sealed class CaseMember
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public Guid OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public Guid InvolvementId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
}

public enum CaseActionStatus
{
    Open,
    Done,
}

/// <summary>Something one organisation of the team has agreed to do, by a date.</summary>
public sealed class CaseAction
{
    public const int MaxDescriptionLength = 1000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public required string Description { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public DateOnly DueOn { get; set; }

    /// <summary>The goal of the plan the action serves, if any.</summary>
    public Guid? GoalId { get; set; }
    public CaseActionStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
}

/// <summary>The case's history: what happened, when and by whom, in words for the chronology.</summary>
public sealed class CaseEvent
{
    /// <summary>How history lines for notes began before notes stopped leaving one (they named the note's category).</summary>
    public const string LegacyNotePrefix = "Note added (";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public required string Text { get; set; }
    public Guid ByUserId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>The partnership's rules for its hub: how long it has to decide on a report. One row.</summary>
public sealed class TriageSettings
{
    public const int DefaultDecisionWorkingDays = 1;
    public const int MaxDecisionWorkingDays = 10;

    public int Id { get; set; } = 1;
    public int DecisionWorkingDays { get; set; } = DefaultDecisionWorkingDays;

    /// <summary>
    /// Days after a case closes for which its team keeps its access (to reopen it, to finish the
    /// record): then the access the case gave ends, unless the case is reopened first.
    /// </summary>
    public int CaseAccessDaysAfterClosure { get; set; } = DefaultCaseAccessDaysAfterClosure;

    public const int DefaultCaseAccessDaysAfterClosure = 90;
    public const int MaxCaseAccessDaysAfterClosure = 365;

    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }
}
