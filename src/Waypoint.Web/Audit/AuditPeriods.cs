using System.Globalization;

namespace Waypoint.Audit;

/// <summary>
/// An audit entry of a month moved out of the live log (<see cref="AuditEntry"/>) by
/// <see cref="AuditArchiver"/>: the same columns, id and hashes, so the chain verifies across the
/// move. The live table stays the size of the months still in use; reads of recent activity never
/// touch the archive.
/// </summary>
public sealed class ArchivedAuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? UserId { get; set; }
    public Guid? OrganisationId { get; set; }
    public Guid? PersonId { get; set; }
    public AuditAction Action { get; set; }
    public required string Subject { get; set; }
    public required string Basis { get; set; }
    public string? Channel { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }

    public AuditEntry ToEntry() => new()
    {
        Id = Id,
        OccurredAt = OccurredAt,
        UserId = UserId,
        OrganisationId = OrganisationId,
        PersonId = PersonId,
        Action = Action,
        Subject = Subject,
        Basis = Basis,
        Channel = Channel,
        PreviousHash = PreviousHash,
        Hash = Hash,
    };
}

/// <summary>
/// One archived month of the audit chain, sealed with the audit key: the ids it covers, how many
/// entries, the hash it follows and the hash it ends on. The verifier walks archived months, then
/// the live log; a month disposed of under the retention schedule keeps its seal (and the
/// disposal's own entry in the chain), so the chain still verifies from the first entry kept.
/// </summary>
public sealed class AuditPeriod
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The first day of the month (UTC) the entries were written in.</summary>
    public DateOnly Month { get; set; }
    public long FirstId { get; set; }
    public long LastId { get; set; }
    public long Count { get; set; }

    /// <summary>The hash of the entry before <see cref="FirstId"/> (the genesis for the log's first month).</summary>
    public required string PreviousHash { get; set; }
    public required string LastHash { get; set; }
    public DateTimeOffset ArchivedAt { get; set; }

    /// <summary>When the month's entries were removed under the retention schedule; the seal remains.</summary>
    public DateTimeOffset? DisposedAt { get; set; }

    /// <summary>The keyed hash of the seal (<see cref="Canonical"/>): whoever writes the database cannot make or alter one.</summary>
    public required string Seal { get; set; }

    public string Label => Month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>The fields the seal covers: not <see cref="DisposedAt"/>, which a disposal sets later under its own chained entry.</summary>
    public string Canonical => string.Join('\u001f', "audit-period", Month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        FirstId.ToString(CultureInfo.InvariantCulture), LastId.ToString(CultureInfo.InvariantCulture), Count.ToString(CultureInfo.InvariantCulture),
        PreviousHash, LastHash, ArchivedAt.UtcTicks.ToString(CultureInfo.InvariantCulture));

    /// <summary>The subject of the chained entry that records this month's disposal; the verifier looks for it.</summary>
    public string DisposalSubject => $"audit.dispose {Month:yyyy-MM}: entries {FirstId}-{LastId}";
}
