namespace Waypoint.Domain;

/// <summary>
/// A member of the child's family worked with on the case: someone in the child's household or
/// related to them in the register. The organisations of the team see them while the link and
/// their membership last.
/// </summary>
public sealed class CaseFamilyMember
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>Who they are to the child, as the register has it (for example "Mother", "Same household").</summary>
    public required string Relationship { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
}

public enum GoalStatus
{
    Working,
    Achieved,
    NotAchieved,
}

/// <summary>One goal of the plan agreed with the family; actions may serve it.</summary>
public sealed class CaseGoal
{
    public const int MaxTextLength = 1000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public required string Text { get; set; }
    public GoalStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
}

/// <summary>
/// A note on the case. Its category follows the sharing agreement: the team sees it only where the
/// agreement lets that category flow from the author's organisation type to theirs.
/// </summary>
public sealed class CaseNote : ICategorisedRecord
{
    public const int MaxTextLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public Guid PersonId { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public Guid AuthorUserId { get; set; }
    public required string CategoryCode { get; set; }
    public LawfulBasis LawfulBasis { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>A review of the case on its set date: how it is going and when the next review is.</summary>
public sealed class CaseReview
{
    public const int MaxSummaryLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public DateOnly HeldOn { get; set; }
    public required string Summary { get; set; }
    public DateOnly? NextReviewOn { get; set; }
    public Guid ByUserId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

public enum CaseTransferStatus
{
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}

/// <summary>
/// An offer to hand the lead of a case to another agency. While it is pending the receiving
/// agency may read the case to decide; accepting makes it the lead (the old lead stays in the
/// team), declining or withdrawing ends the access the offer gave.
/// </summary>
public sealed class CaseTransfer
{
    public const int MaxReasonLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CaseId { get; set; }
    public Guid FromOrganisationId { get; set; }
    public Organisation? FromOrganisation { get; set; }
    public Guid ToOrganisationId { get; set; }
    public Organisation? ToOrganisation { get; set; }
    public required string Reason { get; set; }
    public LawfulBasis LawfulBasis { get; set; }
    public Guid RequestedByUserId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public CaseTransferStatus Status { get; set; }

    /// <summary>The involvement the offer gave the receiving agency, ended if it declines.</summary>
    public Guid? InvolvementId { get; set; }
    public Guid? RespondedByUserId { get; set; }
    public DateTimeOffset? RespondedAt { get; set; }
    public string? Response { get; set; }
}
