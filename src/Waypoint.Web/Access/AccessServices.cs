using Microsoft.AspNetCore.Authorization;

namespace Waypoint.Access;

public static class AccessServices
{
    /// <summary>The access policy's services: the gate for person-level data, its operation handler and the grant rules.</summary>
    public static IServiceCollection AddWaypointAccess(this IServiceCollection services)
    {
        services.AddScoped<Audit.AuditTrail>();
        services.AddScoped<PersonAccess>();
        services.AddScoped<RecordAccess>();
        services.AddScoped<GrantRules>();
        services.AddSingleton<IAuthorizationHandler, PersonOperationHandler>();
        services.AddSingleton<IAuthorizationHandler, OpenedRecordHandler>();
        services.AddScoped<IAuthorizationHandler, PartnershipFiguresHandler>();
        OversightPolicies.Add(services.AddAuthorizationBuilder());
        return services;
    }
}
