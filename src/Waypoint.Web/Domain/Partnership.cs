namespace Waypoint.Domain;

public enum OrganisationType
{
    School,
    Police,
    LocalAuthorityTeam,
    YouthService,
    Housing,
    Health,
    SocialCare,
    Charity,
    FamilyCentre,
}

public enum SchoolPhase
{
    Primary,
    Secondary,
    AllThrough,
    Special,
    AlternativeProvision,
}

public enum AreaKind
{
    County,
    District,
    Ward,
}

/// <summary>A county, district or ward; people and organisations sit in one.</summary>
public sealed class Area
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public AreaKind Kind { get; set; }
    public string? Code { get; set; }
    public Guid? ParentId { get; set; }
    public Area? Parent { get; set; }
}

/// <summary>A partner organisation that signed the information-sharing agreement.</summary>
public sealed class Organisation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public OrganisationType Type { get; set; }
    public Guid AreaId { get; set; }
    public Area? Area { get; set; }
    public bool IsActive { get; set; } = true;

    /// <summary>The designated safeguarding lead, a user of this organisation chosen by its administrator; early-warning alerts about a school's pupils go to them.</summary>
    public Guid? SafeguardingLeadUserId { get; set; }

    // Schools only.
    public string? Urn { get; set; }
    public string? DfeNumber { get; set; }
    public SchoolPhase? Phase { get; set; }

    // Police only: the force and the unit within it.
    public string? PoliceForce { get; set; }
    public string? PoliceUnit { get; set; }
}

/// <summary>Partnership-wide functions that see every person in an area (and the areas inside it).</summary>
public enum PartnershipFunction
{
    HubTriage,
    InclusionOfficer,
}

public sealed class PartnershipRoleGrant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public PartnershipFunction Function { get; set; }
    public Guid AreaId { get; set; }
    public Area? Area { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
}
