namespace Waypoint.Audit;

public enum AuditAction
{
    Read,
    ListedInSearch,
    Create,
    Update,
    Delete,
    Denied,
    BreakGlass,
    Export,

    /// <summary>A duplicate check matched someone the reader was not shown (nothing of them was).</summary>
    DuplicateCheck,
}

/// <summary>
/// One row of the append-only, hash-chained audit log. Holds ids and the relationship used, never
/// names or other personal details, so the log itself is not a second copy of the register.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? UserId { get; set; }
    public Guid? OrganisationId { get; set; }
    public Guid? PersonId { get; set; }
    public AuditAction Action { get; set; }

    /// <summary>What was touched: "person", "person.identifiers", "api:GET /api/v1/people/{id}".</summary>
    public required string Subject { get; set; }

    /// <summary>The relationship that allowed it ("enrolment", "involvement", "partnership role", "break-glass"), or why it was refused.</summary>
    public required string Basis { get; set; }

    public string? Channel { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }
}
