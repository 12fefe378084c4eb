using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Demo;

public enum DemoScale
{
    /// <summary>About 6,000 young people in about 40 schools: the partnership people click through.</summary>
    Demo,

    /// <summary>A county: 120,000 pupils in 350 schools.</summary>
    County,

    /// <summary>A million people, for benchmarks.</summary>
    Million,

    /// <summary>A million young people (about 1.8 million people), for the risk bench.</summary>
    MillionYoung,
}

public sealed record DemoAccount(string Email, string DisplayName, string JobTitle, string Persona, string OrganisationKey, string[] Roles, PartnershipFunction? Function = null);

/// <summary>
/// One demo account for every persona of DESIGN.md. They share one password and one
/// authenticator secret (documented in README.md) so that a person with an authenticator app,
/// or a test, can sign in. Demo mode only: never created without <c>--demo</c>.
/// </summary>
public static class DemoAccounts
{
    public const string Password = "amber-otter-lantern";

    /// <summary>Base32 TOTP secret shared by every demo account (RFC 6238, SHA-1, 6 digits, 30 s).</summary>
    public const string TotpSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    public static IReadOnlyList<DemoAccount> All { get; } =
    [
        new("dsl@brackton-academy.demo", "Priya Shah", "Designated safeguarding lead", "School designated safeguarding lead (secondary)", "school:secondary:0", [Roles.Practitioner]),
        new("inclusion@first-primary.demo", "Tom Ellis", "Inclusion lead", "School inclusion lead (primary)", "school:primary:0", [Roles.Practitioner]),
        new("school.admin@brackton-academy.demo", "Grace Obi", "School business manager", "School organisation administrator", "school:secondary:0", [Roles.OrganisationAdmin, Roles.Practitioner]),
        new("ei.officer@nenshire-police.demo", "Sgt Dan Marsh", "Early-intervention officer", "Police early-intervention officer", "police", [Roles.Practitioner]),
        new("inclusion.officer@nenshire.demo", "Nia Roberts", "Inclusion officer", "Council inclusion officer (educational inclusion and partnerships)", "la:inclusion", [Roles.Practitioner], PartnershipFunction.InclusionOfficer),
        new("hub@nenshire.demo", "Sam Patel", "Early-help coordinator", "Early-help hub practitioner", "la:earlyhelp", [Roles.Practitioner], PartnershipFunction.HubTriage),
        new("youth.worker@nenshire-youth.demo", "Jordan Lee", "Youth worker", "Youth worker (commissioned service)", "youth", [Roles.Practitioner]),
        new("housing@brackton-homes.demo", "Chris Doyle", "Tenancy sustainment officer", "Housing officer", "housing", [Roles.Practitioner]),
        new("social.worker@nenshire.demo", "Alex Kim", "Social worker", "Children's social care practitioner", "socialcare", [Roles.Practitioner]),
        new("nurse@nenshire-health.demo", "Morgan Hale", "School nurse", "Health practitioner", "health", [Roles.Practitioner]),
        new("charity@opendoor.demo", "Ruth Mensah", "Family support worker", "Charity family support worker", "charity", [Roles.Practitioner]),
        new("admin@nenshire.demo", "Lee Carter", "Partnership manager", "Partnership administrator", "la:partnership", [Roles.PartnershipAdmin]),
        new("dpo@nenshire.demo", "Hannah Wood", "Data-protection officer", "Data-protection officer", "la:partnership", [Roles.DataProtectionOfficer]),
        new("analyst@nenshire.demo", "Ravi Nair", "Performance analyst", "Commissioner / analyst (aggregates only)", "la:partnership", [Roles.Analyst]),
    ];
}
