namespace Waypoint.Domain;

/// <summary>Where a service stands in the partnership's quality assurance. A suspended service takes no referrals and is never published.</summary>
public enum ServiceQaStatus
{
    Approved,
    UnderReview,
    Suspended,
}

/// <summary>The level of need a service is for, on the partnership's continuum of need.</summary>
public enum ServiceThreshold
{
    Universal,
    EarlyHelp,
    Targeted,
    Statutory,
}

/// <summary>For alternative provision: a registered school (Ofsted URN) or unregistered provision; not applicable to other services.</summary>
public enum ApRegistration
{
    NotApplicable,
    Registered,
    Unregistered,
}

/// <summary>
/// A service in the partnership's directory (Open Referral UK's "service"). Holds nothing of any
/// person: the directory is partnership data, published in part (never when suspended) on the
/// public Open Referral UK feed.
/// </summary>
public sealed class Service
{
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 4000;
    public const int MaxHowToReferLength = 2000;
    public const int MaxShortTextLength = 500;
    public const int MaxAge = 25;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProviderOrganisationId { get; set; }
    public Organisation? ProviderOrganisation { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public int? MinimumAge { get; set; }
    public int? MaximumAge { get; set; }
    public ServiceThreshold Threshold { get; set; }
    public required string HowToRefer { get; set; }

    public int Places { get; set; }
    public int Occupied { get; set; }
    public int WaitingList { get; set; }

    public string? Cost { get; set; }
    public string? ContactName { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Website { get; set; }
    public string? OpeningTimes { get; set; }

    public ServiceQaStatus QaStatus { get; set; }
    public DateOnly? LastReviewedOn { get; set; }
    public DateOnly? NextReviewOn { get; set; }

    /// <summary>The review date whose passing the owner and the partnership administrators were told of, so each passed date is told once.</summary>
    public DateOnly? ReviewNoticeSentFor { get; set; }

    public ApRegistration ApRegistration { get; set; }
    public string? OfstedUrn { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }

    public List<ServiceArea> Areas { get; set; } = [];
    public List<ServiceNeed> Needs { get; set; } = [];

    public bool HasPlaces => Places > Occupied;
}

/// <summary>An area a service covers (a county, district or ward: covering one covers the areas inside it).</summary>
public sealed class ServiceArea
{
    public Guid ServiceId { get; set; }
    public Guid AreaId { get; set; }
    public Area? Area { get; set; }
}

/// <summary>A need a service addresses, as a term of the needs taxonomy.</summary>
public sealed class ServiceNeed
{
    public Guid ServiceId { get; set; }
    public Guid TaxonomyTermId { get; set; }
    public TaxonomyTerm? Term { get; set; }
}

/// <summary>A taxonomy published with the directory (Open Referral's embedded taxonomy).</summary>
public sealed class Taxonomy
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public string? Uri { get; set; }
    public string? Version { get; set; }
}

public sealed class TaxonomyTerm
{
    public Guid Id { get; set; }
    public Guid TaxonomyId { get; set; }
    public Taxonomy? Taxonomy { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public Guid? ParentId { get; set; }
    public string? TermUri { get; set; }
}

public enum ServiceReferralStatus
{
    Sent,
    Accepted,
    Waiting,
    Started,
    Declined,
    Ended,
    Withdrawn,

    /// <summary>Not answered within the provider's deciding window: its grant has ended with the window, and the referrer is told.</summary>
    Lapsed,
}

public enum ServiceReferralEndReason
{
    Completed,
    Disengaged,
    MovedAway,
    Withdrawn,
}

public enum ServiceReferralUrgency
{
    Routine,
    Urgent,
}

/// <summary>
/// A young person referred to a service of the directory, through its life: sent, accepted or
/// declined, waiting, started, ended with an outcome (or withdrawn by the referrer). While it is
/// open the provider's organisation sees the young person through a grant the referral made
/// (<see cref="InvolvementId"/>), which ends a set time after the referral does.
/// </summary>
public sealed class ServiceReferral
{
    public const int MaxTextLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid ServiceId { get; set; }
    public Service? Service { get; set; }

    /// <summary>Copied from the service when sent, so that a service changing hands does not move a referral already made.</summary>
    public Guid ProviderOrganisationId { get; set; }

    public Guid ReferrerUserId { get; set; }
    public Guid ReferrerOrganisationId { get; set; }

    /// <summary>The case it was made from, when made from a case the referrer could see (the provider does not see the case through it).</summary>
    public Guid? CaseId { get; set; }

    /// <summary>The meeting agenda item whose decision led to it, when made from a meeting decision.</summary>
    public Guid? AgendaItemId { get; set; }

    public required string Reason { get; set; }
    public ServiceReferralUrgency Urgency { get; set; }
    public LawfulBasis LawfulBasis { get; set; }
    public Guid? ConsentRecordId { get; set; }

    /// <summary>Why a manager sent it although the young person is outside the service's eligibility (null when eligible).</summary>
    public string? EligibilityOverrideReason { get; set; }

    public ServiceReferralStatus Status { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When each answer was given, kept so that every step has its own line in the young person's chronology.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? WaitingAt { get; set; }
    public DateTimeOffset? DeclinedAt { get; set; }

    /// <summary>Counts the steps taken: a step posted from a page showing an older count is refused, so two provider users cannot both answer.</summary>
    public int Version { get; set; }

    public string? DeclineReason { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public ServiceReferralEndReason? EndReason { get; set; }
    public string? Outcome { get; set; }

    /// <summary>Sessions the young person attended, as the provider records it when the service ends.</summary>
    public int? SessionsAttended { get; set; }

    public const int MaxSessionsAttended = 1000;

    /// <summary>The provider's grant to see the young person, made when the referral was sent.</summary>
    public Guid? InvolvementId { get; set; }

    public bool IsOpen => Status is ServiceReferralStatus.Sent or ServiceReferralStatus.Accepted or ServiceReferralStatus.Waiting or ServiceReferralStatus.Started;
}
