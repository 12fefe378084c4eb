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
