namespace Waypoint.Domain;

/// <summary>Who asked for a person's data, in relation to that person.</summary>
public enum SubjectAccessRelationship
{
    /// <summary>The person themselves.</summary>
    Self,
    /// <summary>A parent or someone with parental responsibility, for a child.</summary>
    Parent,
    Carer,
    /// <summary>A solicitor or advocate acting with the person's authority.</summary>
    Representative,
    Other,
}

public enum SubjectAccessStatus
{
    /// <summary>Recorded; nothing compiled yet.</summary>
    Received,
    /// <summary>Compiled and under review (redactions, police release).</summary>
    Compiled,
    /// <summary>The copy was issued to the requester; the request is closed.</summary>
    Issued,
}

/// <summary>
/// A subject-access request (UK GDPR article 15) recorded by the data-protection officer, for a
/// person in the register. The statutory clock runs from <see cref="ReceivedOn"/>; the compiled
/// records are kept with the request as a snapshot so that the redactions reviewed are the ones
/// issued, whatever changes in the live records meanwhile.
/// </summary>
public sealed class SubjectAccessRequest
{
    public const int MaxRequesterLength = 200;
    public const int MaxReasonLength = 1000;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>
    /// The register entry the request concerns. Not a foreign key on purpose: the request is the
    /// record of what was asked and issued about this entry, and must not move with a merge or go
    /// with a disposal of the person's records.
    /// </summary>
    public Guid PersonId { get; set; }
    public required string RequesterName { get; set; }
    public SubjectAccessRelationship Relationship { get; set; }
    public DateOnly ReceivedOn { get; set; }

    /// <summary>Set when the request is complex and the DPO extends the time (article 12(3)): by two months, with the reason.</summary>
    public string? ExtensionReason { get; set; }
    public DateTimeOffset? ExtendedAt { get; set; }
    public SubjectAccessStatus Status { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid RecordedByUserId { get; set; }

    /// <summary>The compiled records (JSON, <c>SubjectAccessCompilation</c>), reviewed and issued from.</summary>
    public string? CompiledJson { get; set; }
    public DateTimeOffset? CompiledAt { get; set; }
    public DateTimeOffset? IssuedAt { get; set; }
    public Guid? IssuedByUserId { get; set; }

    public bool IsExtended => ExtendedAt is not null;

    /// <summary>The day the response is due: one calendar month from receipt, three when extended.</summary>
    public DateOnly DueOn => SubjectAccessClock.DueOn(ReceivedOn, IsExtended);
}

/// <summary>
/// The statutory clock (UK GDPR article 12(3), ICO guidance): the response is due on the same date
/// of the next month as the day of receipt, or the last day of that month when it has no such
/// date (received 31 January: due 28 or 29 February); an extension adds two more months.
/// </summary>
public static class SubjectAccessClock
{
    public const int Months = 1;
    public const int ExtensionMonths = 2;

    // DateOnly.AddMonths keeps the day and clamps to the month's last day, which is the ICO's rule.
    public static DateOnly DueOn(DateOnly receivedOn, bool extended) => receivedOn.AddMonths(extended ? Months + ExtensionMonths : Months);

    /// <summary>Days left until the due day (0 on the day, negative once overdue).</summary>
    public static int DaysLeft(DateOnly dueOn, DateOnly today) => dueOn.DayNumber - today.DayNumber;
}

public enum RedactionKind
{
    /// <summary>Another person in the register named in the text (a sibling, a parent, another child).</summary>
    ThirdPartyName,
    /// <summary>Another person's identifier (a UPN, a police reference, a local id).</summary>
    ThirdPartyIdentifier,
    /// <summary>A member of staff's name, where the partnership redacts them.</summary>
    StaffName,
    /// <summary>Text the DPO chose.</summary>
    Manual,
}

public enum RedactionDecision
{
    /// <summary>Found automatically, not yet checked by the DPO: the copy cannot be issued while any is left.</summary>
    Proposed,
    /// <summary>Removed from the copy.</summary>
    Redact,
    /// <summary>Checked and left in (the requester already knows it, or it is the person's own).</summary>
    Keep,
}

/// <summary>A piece of text removed from one record of the compiled copy (or every record, when <see cref="ItemKey"/> is null).</summary>
public sealed class SubjectAccessRedaction
{
    public const int MaxTextLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }

    /// <summary>The compiled record it applies to ("CaseNote:…"), or null for every record.</summary>
    public string? ItemKey { get; set; }
    public required string Text { get; set; }
    public RedactionKind Kind { get; set; }

    /// <summary>Why it was proposed ("another person in the register", "sibling's UPN"), never whose it is.</summary>
    public required string Why { get; set; }
    public RedactionDecision Decision { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

public enum PoliceReleaseDecision
{
    /// <summary>Held back until the force decides.</summary>
    Pending,
    Released,
    /// <summary>Withheld under an exemption (Data Protection Act 2018, schedule 2: crime and taxation, and the like).</summary>
    Withheld,
}

/// <summary>
/// A police record in a compiled copy, held back until the force that owns it releases it or
/// withholds it with the exemption relied on: police information is disclosed only as the police decide.
/// </summary>
public sealed class SubjectAccessPoliceItem
{
    public const int MaxExemptionLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public required string ItemKey { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public PoliceReleaseDecision Decision { get; set; }
    public string? Exemption { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>
/// The copy as issued: the PDF and the ZIP of CSVs exactly as sent, and the redactions applied,
/// kept for the period the retention schedule gives subject-access copies (<see cref="RetentionRecordType.SubjectAccessCopy"/>)
/// so the partnership can show the ICO and the requester what was disclosed; then it reaches the
/// retention queue and is disposed of like any other record.
/// </summary>
public sealed class SubjectAccessIssue
{

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid RequestId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public Guid IssuedByUserId { get; set; }
    public required byte[] Pdf { get; set; }
    public required byte[] Zip { get; set; }

    /// <summary>The redactions applied, as JSON: text, kind, why and who decided, as they stood when issued.</summary>
    public required string RedactionsJson { get; set; }

    /// <summary>The day the schedule gave when the copy was issued (shown on the request); the retention queue reads the schedule as it stands.</summary>
    public DateOnly KeepUntil { get; set; }
}

/// <summary>The partnership's choices for subject access (one row).</summary>
public sealed class SubjectAccessSettings
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>Staff names found in the records are proposed for redaction.</summary>
    public bool RedactStaffNames { get; set; }

    /// <summary>The audit of who viewed the record names the member of staff, not only their organisation and role.</summary>
    public bool NameStaffInAudit { get; set; }
}
