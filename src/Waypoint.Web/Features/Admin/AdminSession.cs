using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Admin.Agreement;
using Waypoint.Features.Admin.Users;
using Waypoint.Shell;

namespace Waypoint.Features.Admin;

/// <summary>The signed-in administrator: whose organisation they run, and whether their reach is the whole partnership.</summary>
public sealed record Administrator(Guid UserId, Guid OrganisationId, bool IsPartnershipAdmin)
{
    /// <summary>The basis written to the audit row of every administrative change.</summary>
    public string AuditBasis => IsPartnershipAdmin ? "partnership admin" : "organisation admin";
}

/// <summary>
/// Who is administering, read from the database rather than the sign-in claims (roles changed
/// since sign-in count at once), and the audit of their changes. Administrative rows name no
/// person: PersonId is null and the subject carries the ids of what changed.
/// </summary>
public sealed class AdminSession(CurrentUserSummary current, AuditTrail audit)
{
    public async Task<Administrator> CurrentAsync()
    {
        var user = await current.GetAsync()
            ?? throw new InvalidOperationException("Administration pages are only reached signed in.");
        return new Administrator(user.Id, user.OrganisationId, user.IsPartnershipAdmin);
    }

    public async Task RecordAsync(AuditAction action, string subject, CancellationToken ct = default)
    {
        var admin = await CurrentAsync();
        await audit.RecordAsync(new AuditEvent(null, action, subject, admin.AuditBasis), ct);
    }
}

public static class AdministrationServices
{
    public static IServiceCollection AddWaypointAdministration(this IServiceCollection services)
    {
        services.AddScoped<AdminSession>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<AgreementDrafting>();
        return services;
    }
}

/// <summary>How the administration pages name the enumerations.</summary>
public static class Labels
{
    public static IReadOnlyList<OrganisationType> OrganisationTypes { get; } = Enum.GetValues<OrganisationType>();

    public static string Of(OrganisationType type) => type switch
    {
        OrganisationType.School => "School",
        OrganisationType.Police => "Police",
        OrganisationType.LocalAuthorityTeam => "Local authority team",
        OrganisationType.YouthService => "Youth service",
        OrganisationType.Housing => "Housing",
        OrganisationType.Health => "Health",
        OrganisationType.SocialCare => "Social care",
        OrganisationType.Charity => "Charity",
        OrganisationType.FamilyCentre => "Family centre",
        _ => type.ToString(),
    };

    public static string Of(SchoolPhase phase) => phase switch
    {
        SchoolPhase.Primary => "Primary",
        SchoolPhase.Secondary => "Secondary",
        SchoolPhase.AllThrough => "All-through",
        SchoolPhase.Special => "Special",
        SchoolPhase.AlternativeProvision => "Alternative provision",
        _ => phase.ToString(),
    };

    public static string Of(AreaKind kind) => kind switch
    {
        AreaKind.County => "County",
        AreaKind.District => "District",
        AreaKind.Ward => "Ward",
        _ => kind.ToString(),
    };

    public static string Of(PartnershipFunction function) => function switch
    {
        PartnershipFunction.HubTriage => "Early-help hub triage",
        PartnershipFunction.InclusionOfficer => "Inclusion officer",
        _ => function.ToString(),
    };
}
