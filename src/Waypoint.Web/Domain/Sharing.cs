namespace Waypoint.Domain;

/// <summary>The record categories known to the system; the agreement decides where each may flow.</summary>
public static class RecordCategories
{
    public const string Education = "education";

    /// <summary>What happened in behaviour incidents: apart from education so that suspensions can flow where the detail does not.</summary>
    public const string Behaviour = "behaviour";
    public const string PoliceGeneral = "police-general";
    public const string PoliceIntelligence = "police-intelligence";
    public const string SocialCare = "social-care";
    public const string Health = "health";
    public const string Family = "family";
    public const string CaseWork = "case-work";

    /// <summary>Sex, ethnicity, SEN provision and free-school meals as a school records them for equality monitoring: shared by no default rule.</summary>
    public const string PupilCharacteristics = "pupil-characteristics";
}

public sealed class RecordCategory
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }

    /// <summary>When set, only organisations of this type may ever receive the category (police intelligence).</summary>
    public OrganisationType? RestrictedTo { get; set; }
}

/// <summary>One signed version of the information-sharing agreement. Versions are never edited once in force.</summary>
public sealed class SharingAgreementVersion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Number { get; set; }
    public required string Title { get; set; }
    public string? Summary { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset? InForceFrom { get; set; }
    public bool IsCurrent { get; set; }
    public List<SharingRule> Rules { get; set; } = [];
}

/// <summary>Records of <see cref="CategoryCode"/> owned by an organisation of <see cref="OwnerType"/> may be read by organisations of <see cref="ReaderType"/>.</summary>
public sealed class SharingRule
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AgreementVersionId { get; set; }
    public SharingAgreementVersion? AgreementVersion { get; set; }
    public OrganisationType OwnerType { get; set; }
    public OrganisationType ReaderType { get; set; }
    public required string CategoryCode { get; set; }
}
