namespace Waypoint.Domain;

/// <summary>How a person took part in an occurrence. Victim, witness and missing person are never read as offending (see RiskMatrixRules).</summary>
public enum OccurrenceRole
{
    Victim,
    Witness,
    Suspect,
    Offender,
    MissingPerson,
    SubjectOfConcern,
}

/// <summary>A non-crime incident: not a Home Office offence, so kept beside the offence tree rather than inside it.</summary>
public enum IncidentType
{
    MissingPerson,
    ConcernForSafety,
    AntisocialBehaviour,
}

/// <summary>One Home Office offence sub-group under its group (ONS/Home Office police recorded crime structure).</summary>
public sealed record OffenceSubGroup(string Code, string Group, string Name);

/// <summary>
/// The Home Office police recorded crime groups and sub-groups an occurrence is classified by. The
/// codes are Waypoint's own short names for the sub-groups, not Home Office offence codes (which
/// are finer and are not invented here). Fraud is recorded nationally, not by forces, so it is absent.
/// </summary>
public static class HomeOfficeOffences
{
    public const string ViolenceAgainstThePerson = "Violence against the person";
    public const string SexualOffences = "Sexual offences";
    public const string Robbery = "Robbery";
    public const string TheftOffences = "Theft offences";
    public const string CriminalDamageAndArson = "Criminal damage and arson";
    public const string DrugOffences = "Drug offences";
    public const string PossessionOfWeapons = "Possession of weapons offences";
    public const string PublicOrder = "Public order offences";
    public const string Miscellaneous = "Miscellaneous crimes against society";

    public static IReadOnlyList<OffenceSubGroup> SubGroups { get; } =
    [
        new("homicide", ViolenceAgainstThePerson, "Homicide"),
        new("death-or-serious-injury-unlawful-driving", ViolenceAgainstThePerson, "Death or serious injury caused by unlawful driving"),
        new("violence-with-injury", ViolenceAgainstThePerson, "Violence with injury"),
        new("violence-without-injury", ViolenceAgainstThePerson, "Violence without injury"),
        new("stalking-and-harassment", ViolenceAgainstThePerson, "Stalking and harassment"),
        new("rape", SexualOffences, "Rape"),
        new("other-sexual-offences", SexualOffences, "Other sexual offences"),
        new("robbery-of-business-property", Robbery, "Robbery of business property"),
        new("robbery-of-personal-property", Robbery, "Robbery of personal property"),
        new("residential-burglary", TheftOffences, "Residential burglary"),
        new("non-residential-burglary", TheftOffences, "Non-residential burglary"),
        new("vehicle-offences", TheftOffences, "Vehicle offences"),
        new("theft-from-the-person", TheftOffences, "Theft from the person"),
        new("bicycle-theft", TheftOffences, "Bicycle theft"),
        new("shoplifting", TheftOffences, "Shoplifting"),
        new("other-theft-offences", TheftOffences, "All other theft offences"),
        new("arson", CriminalDamageAndArson, "Arson"),
        new("criminal-damage", CriminalDamageAndArson, "Criminal damage"),
        new("trafficking-of-drugs", DrugOffences, "Trafficking of drugs"),
        new("possession-of-drugs", DrugOffences, "Possession of drugs"),
        new("possession-of-weapons", PossessionOfWeapons, "Possession of weapons offences"),
        new("public-order", PublicOrder, "Public order offences"),
        new("miscellaneous-crimes-against-society", Miscellaneous, "Miscellaneous crimes against society"),
    ];

    public static IReadOnlyList<string> Groups { get; } = SubGroups.Select(s => s.Group).Distinct().ToList();

    /// <summary>A sub-group by its code or its name (either case), or null.</summary>
    public static OffenceSubGroup? Find(string? codeOrName) =>
        string.IsNullOrWhiteSpace(codeOrName) ? null
            : SubGroups.FirstOrDefault(s => string.Equals(s.Code, codeOrName.Trim(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(s.Name, codeOrName.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The roles a person may have in an occurrence of a kind: nobody is the offender in a missing
    /// episode or a concern for safety, and nobody is a missing person in a crime.
    /// </summary>
    public static IReadOnlyList<OccurrenceRole> RolesFor(IncidentType? incident) => incident switch
    {
        null => [OccurrenceRole.Victim, OccurrenceRole.Witness, OccurrenceRole.Suspect, OccurrenceRole.Offender],
        IncidentType.MissingPerson => [OccurrenceRole.MissingPerson, OccurrenceRole.Witness],
        IncidentType.ConcernForSafety => [OccurrenceRole.SubjectOfConcern, OccurrenceRole.Witness],
        IncidentType.AntisocialBehaviour => [OccurrenceRole.Suspect, OccurrenceRole.Victim, OccurrenceRole.Witness, OccurrenceRole.SubjectOfConcern],
        _ => [],
    };
}

/// <summary>
/// A police occurrence (a recorded crime or a non-crime incident), owned by the force that recorded
/// it. Its category is police (general) or police intelligence, and it flows only as the sharing
/// agreement lets that category flow (intelligence: police only, whatever the agreement says).
/// </summary>
public sealed class Occurrence
{
    public const int MaxReferenceLength = 40;
    public const int MaxTextLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The force's own reference; unique within the recording organisation, which makes imports idempotent.</summary>
    public required string PoliceReference { get; set; }
    public DateOnly OccurredOn { get; set; }

    /// <summary>The Home Office offence group and sub-group (a crime); both null for a non-crime incident.</summary>
    public string? OffenceGroup { get; set; }
    public string? OffenceSubGroup { get; set; }
    public IncidentType? IncidentType { get; set; }

    /// <summary>The ward it happened in, where known.</summary>
    public Guid? AreaId { get; set; }
    public Area? Area { get; set; }
    public string? Location { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public string? Outcome { get; set; }

    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public required string CategoryCode { get; set; }
    public Guid RecordedByUserId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }

    public List<OccurrencePerson> People { get; set; } = [];
}

/// <summary>A person's part in an occurrence.</summary>
public sealed class OccurrencePerson
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OccurrenceId { get; set; }
    public Occurrence? Occurrence { get; set; }
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public OccurrenceRole Role { get; set; }
}

/// <summary>An occurrence's link rows as the Occurrence filter reads them (unfiltered, mapped onto the same table).</summary>
public sealed class OccurrenceLinkRow
{
    public Guid OccurrenceId { get; set; }
    public Guid PersonId { get; set; }
}

public enum OccurrenceMatchStatus
{
    Waiting,
    Linked,
    Dismissed,
}

/// <summary>
/// A person named in a police file who could not be matched for certain (no police reference held,
/// or the register's duplicate rules found someone like them): never linked automatically. The
/// force sees what its own file said; the candidate is named only to a reader who may see them.
/// </summary>
public sealed class OccurrenceMatchReview
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OccurrenceId { get; set; }
    public Occurrence? Occurrence { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public required string FileName { get; set; }
    public int Line { get; set; }

    // What the file said, as sent.
    public string? PersonPoliceReference { get; set; }
    public required string GivenName { get; set; }
    public required string FamilyName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public OccurrenceRole Role { get; set; }

    /// <summary>The register's likely match by its duplicate rules, if any.</summary>
    public Guid? CandidatePersonId { get; set; }

    /// <summary>Whom a reviewer linked the name to (perhaps not the candidate), once linked.</summary>
    public Guid? LinkedPersonId { get; set; }
    public OccurrenceMatchStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
}

/// <summary>The nominal flags a partner may set on a young person.</summary>
public enum FlagKind
{
    GangAssociated,
    CriminalExploitationRisk,
    SexualExploitationRisk,
    GoingMissing,
    IntegratedOffenderManagement,
}

public enum FlagStatus
{
    Active,
    Removed,
}

/// <summary>
/// A flag on a young person with the evidence it rests on, who set it, and a review date at most
/// six months ahead. An unreviewed flag lapses on its review date; a lapsed or removed flag counts
/// nowhere (<see cref="FlagRules.Counts"/>). It flows as its category does under the agreement.
/// </summary>
public sealed class PersonFlag : ICategorisedRecord
{
    public const int MaxEvidenceLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public FlagKind Kind { get; set; }
    public required string Evidence { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public required string CategoryCode { get; set; }
    public Guid SetByUserId { get; set; }
    public DateTimeOffset SetAt { get; set; }
    public DateOnly ReviewOn { get; set; }
    public FlagStatus Status { get; set; }

    /// <summary>The last review's outcome, or why the flag was removed.</summary>
    public string? ReviewOutcome { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
}

/// <summary>When a flag counts: active and not past its review date.</summary>
public static class FlagRules
{
    public const int MaxReviewMonths = 6;

    public static System.Linq.Expressions.Expression<Func<PersonFlag, bool>> Counts(DateOnly today) =>
        f => f.Status == FlagStatus.Active && f.ReviewOn >= today;

    public static bool IsLapsed(PersonFlag f, DateOnly today) => f.Status == FlagStatus.Active && f.ReviewOn < today;

    /// <summary>A review date's problem, or null: required, not in the past, at most six months ahead.</summary>
    public static string? CheckReviewDate(DateOnly? reviewOn, DateOnly today) => reviewOn switch
    {
        null => "Enter the date the flag must be reviewed by",
        { } d when d < today => "The review date must be today or in the future",
        { } d when d > today.AddMonths(MaxReviewMonths) => $"The review date must be within {MaxReviewMonths} months (by {today.AddMonths(MaxReviewMonths):d MMMM yyyy})",
        _ => null,
    };

    public static string Describe(FlagKind kind) => kind switch
    {
        FlagKind.GangAssociated => "Gang-associated",
        FlagKind.CriminalExploitationRisk => "At risk of criminal exploitation",
        FlagKind.SexualExploitationRisk => "At risk of sexual exploitation",
        FlagKind.GoingMissing => "Going missing",
        FlagKind.IntegratedOffenderManagement => "Integrated offender management cohort",
        _ => kind.ToString(),
    };

    /// <summary>Flags that describe a risk to the young person, never their offending: read only by vulnerability factors.</summary>
    public static bool IsVulnerability(FlagKind kind) => kind is FlagKind.CriminalExploitationRisk or FlagKind.SexualExploitationRisk or FlagKind.GoingMissing;
}

/// <summary>
/// How many street-level crimes of one police.uk category a force published for one LSOA and month
/// (data.police.uk's CSV, aggregated on import: no person, no crime id). Rows the force published
/// with "No Location" are counted under an empty LSOA code.
/// </summary>
public sealed class StreetCrimeCount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Force { get; set; }
    public DateOnly Month { get; set; }
    public required string LsoaCode { get; set; }
    public string? LsoaName { get; set; }
    public required string Category { get; set; }
    public int Count { get; set; }
}

/// <summary>Which ward an LSOA is counted in (the ONS best-fit lookup: LSOAs do not nest in wards).</summary>
public sealed class LsoaWard
{
    public required string LsoaCode { get; set; }
    public Guid AreaId { get; set; }
}

/// <summary>The police.uk crime categories as the street-level CSV writes them, with the pre-2013 names it once used.</summary>
public static class StreetCrimeCategories
{
    public static IReadOnlyList<string> Current { get; } =
    [
        "Anti-social behaviour", "Bicycle theft", "Burglary", "Criminal damage and arson", "Drugs", "Other crime", "Other theft",
        "Possession of weapons", "Public order", "Robbery", "Shoplifting", "Theft from the person", "Vehicle crime", "Violence and sexual offences",
    ];

    /// <summary>Historic names, kept as the file wrote them (shown as legacy categories rather than split).</summary>
    public static IReadOnlyList<string> Legacy { get; } = ["Violent crime", "Public disorder and weapons"];
}

public enum PlaceStatus
{
    Active,
    Removed,
}

/// <summary>
/// A place of concern (contextual safeguarding): a ward or a named location where young people are
/// harmed, exploited or drawn into offending, recorded by the police or a partnership role with the
/// evidence it rests on and a review date at most six months ahead. An unreviewed place lapses on
/// its date and a removed one counts nowhere, as flags do (<see cref="PlaceRules"/>). A place is
/// context for safeguarding, never a risk factor: no score reads it.
/// </summary>
public sealed class PlaceOfConcern
{
    public const int MaxNameLength = 120;
    public const int MaxEvidenceLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The named location ("the underpass by the station"); null when the whole ward is the place.</summary>
    public string? Name { get; set; }
    public Guid AreaId { get; set; }
    public Area? Area { get; set; }
    public required string Evidence { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public required string CategoryCode { get; set; }
    public Guid RecordedByUserId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public DateOnly ReviewOn { get; set; }
    public PlaceStatus Status { get; set; }
    public string? ReviewOutcome { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public List<PlaceOfConcernLink> Links { get; set; } = [];
}

/// <summary>
/// How a young person is linked to a place. A young person harmed or at risk there is never shown
/// among those linked to the activity there: the Gangs Matrix listed victims as perpetrators.
/// </summary>
public enum PlaceLinkRole
{
    /// <summary>Harmed, exploited or at risk at the place: a risk to the young person.</summary>
    AtRisk,

    /// <summary>Suspected of taking part in the activity that makes it a place of concern.</summary>
    Involved,
}

/// <summary>A young person linked to a place of concern, with the evidence and a review date of its own; it counts only while the place does.</summary>
public sealed class PlaceOfConcernLink : ICategorisedRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PlaceId { get; set; }
    public PlaceOfConcern? Place { get; set; }
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public PlaceLinkRole Role { get; set; }
    public required string Evidence { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public required string CategoryCode { get; set; }
    public Guid LinkedByUserId { get; set; }
    public DateTimeOffset LinkedAt { get; set; }
    public DateOnly ReviewOn { get; set; }
    public PlaceStatus Status { get; set; }
    public string? ReviewOutcome { get; set; }
    public Guid? ReviewedByUserId { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
}

/// <summary>When a place or a link counts: the flags' rule (active, not past its review date); a link counts only while its place does.</summary>
public static class PlaceRules
{
    public static System.Linq.Expressions.Expression<Func<PlaceOfConcern, bool>> Counts(DateOnly today) =>
        p => p.Status == PlaceStatus.Active && p.ReviewOn >= today;

    public static System.Linq.Expressions.Expression<Func<PlaceOfConcernLink, bool>> LinkCounts(DateOnly today) =>
        l => l.Status == PlaceStatus.Active && l.ReviewOn >= today && l.Place!.Status == PlaceStatus.Active && l.Place.ReviewOn >= today;

    public static bool IsLapsed(DateOnly reviewOn, PlaceStatus status, DateOnly today) => status == PlaceStatus.Active && reviewOn < today;

    public static string Describe(PlaceLinkRole role) => role switch
    {
        PlaceLinkRole.AtRisk => "Harmed or at risk there",
        PlaceLinkRole.Involved => "Suspected of involvement in the activity there",
        _ => role.ToString(),
    };
}
