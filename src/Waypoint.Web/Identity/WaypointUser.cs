using Microsoft.AspNetCore.Identity;
using Waypoint.Domain;

namespace Waypoint.Identity;

/// <summary>A practitioner's account. Every account belongs to one organisation.</summary>
public sealed class WaypointUser : IdentityUser<Guid>
{
    public WaypointUser() => Id = Guid.CreateVersion7();

    public required string DisplayName { get; set; }
    public string? JobTitle { get; set; }
    public Guid OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeactivatedAt { get; set; }

    /// <summary>The 30-second step of the last authenticator code accepted: no code from it or before is accepted again.</summary>
    public long? LastAuthenticatorStep { get; set; }
}

public sealed class WaypointRole : IdentityRole<Guid>
{
    public WaypointRole() => Id = Guid.CreateVersion7();
}

/// <summary>The roles of DESIGN.md. Access to people never comes from a role alone.</summary>
public static class Roles
{
    public const string Practitioner = "Practitioner";
    public const string OrganisationAdmin = "OrganisationAdmin";
    public const string PartnershipAdmin = "PartnershipAdmin";
    public const string DataProtectionOfficer = "DataProtectionOfficer";
    public const string Analyst = "Analyst";

    public static readonly string[] All = [Practitioner, OrganisationAdmin, PartnershipAdmin, DataProtectionOfficer, Analyst];

    /// <summary>Analysts see aggregates only (DESIGN.md): an account whose only role is Analyst never sees a person.</summary>
    public static bool SeeAggregatesOnly(IReadOnlyCollection<string> roles) =>
        roles.Contains(Analyst) && roles.All(r => r == Analyst);

    public static string Describe(string role) => role switch
    {
        Practitioner => "Practitioner",
        OrganisationAdmin => "Organisation administrator",
        PartnershipAdmin => "Partnership administrator",
        DataProtectionOfficer => "Data-protection officer",
        Analyst => "Analyst",
        _ => role,
    };
}
