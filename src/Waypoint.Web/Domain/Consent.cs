namespace Waypoint.Domain;

/// <summary>
/// The lawful basis on which an organisation discloses information about a person (UK GDPR
/// Article 6, with the statutory gateway where there is one). Recorded on each disclosure — a
/// concern reported to the hub, a note shared with the team, a case handed to another agency —
/// and kept apart from the family's consent to early help, which is a record of its own.
/// </summary>
public enum LawfulBasis
{
    /// <summary>Article 6(1)(e): a public task, such as the duty to co-operate to safeguard children (Children Act 2004, sections 10 and 11).</summary>
    PublicTask,

    /// <summary>Article 6(1)(c): a legal obligation.</summary>
    LegalObligation,

    /// <summary>Article 6(1)(d): to protect someone's life.</summary>
    VitalInterests,

    /// <summary>Article 6(1)(a): the person (or, for a young child, a parent) consented to this disclosure.</summary>
    Consent,

    /// <summary>Article 6(1)(f): the legitimate interests of a charity or other body without a public task.</summary>
    LegitimateInterests,
}

public enum ConsentMethod
{
    HomeVisit,
    InPerson,
    Telephone,
    Letter,
    Email,
}

public enum ConsentOutcome
{
    Given,
    Refused,
    Withdrawn,
}

/// <summary>
/// The family's answer when an agency asked for their agreement to early help: who asked, for
/// which agency, how and when, who answered, the outcome, its scope and expiry. A withdrawal is a
/// record of its own, so the history of what the family agreed is kept. Owned by the asking
/// organisation and shared as case work under the agreement.
/// </summary>
public sealed class ConsentRecord
{
    public const int MaxScopeLength = 1000;
    public const int MaxAnsweredByLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid? CaseId { get; set; }

    /// <summary>The agency that asked (consent rates are reported by it).</summary>
    public Guid AskedByOrganisationId { get; set; }
    public Organisation? AskedByOrganisation { get; set; }
    public Guid AskedByUserId { get; set; }

    /// <summary>The agency the consent is for: the one that will give the early help.</summary>
    public Guid ForOrganisationId { get; set; }
    public Organisation? ForOrganisation { get; set; }

    public ConsentMethod Method { get; set; }
    public DateOnly AskedOn { get; set; }

    /// <summary>Who in the family answered, in the practitioner's words (for example "Mother, Dana Reed").</summary>
    public required string AnsweredBy { get; set; }
    public ConsentOutcome Outcome { get; set; }

    /// <summary>What the consent covers: which agencies may share what, for which purpose.</summary>
    public required string Scope { get; set; }
    public DateOnly? ExpiresOn { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// A request, outstanding until the family answers, that a named agency (and, where named, one of
/// its people) ask the family for consent to early help by a date: made by a meeting's decision to
/// seek consent. Recording the family's answer against it resolves it, given or refused, and the
/// meeting's outcomes count from these requests. Person-level, with the child.
/// </summary>
public sealed class ConsentRequest
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }

    /// <summary>The agency that is to ask the family.</summary>
    public Guid AskingOrganisationId { get; set; }
    public Organisation? AskingOrganisation { get; set; }

    /// <summary>The person at the agency who is to ask, when the meeting named one.</summary>
    public Guid? AskingUserId { get; set; }

    public DateOnly DueOn { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public Guid RequestedByUserId { get; set; }

    /// <summary>The agenda item whose decision made the request (none for requests made elsewhere).</summary>
    public Guid? AgendaItemId { get; set; }

    /// <summary>The meeting action to visit the family, marked done when the answer is recorded.</summary>
    public Guid? VisitActionId { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }
    public Guid? ConsentRecordId { get; set; }

    /// <summary>The family's answer once recorded: given or refused (the answer itself says which agency the consent is for).</summary>
    public ConsentOutcome? Outcome { get; set; }

    public bool IsOutstanding => ResolvedAt is null;
}
