using Waypoint.Features.Alerts;
using Waypoint.Features.Audit;
using Waypoint.Features.Chronology;
using Waypoint.Features.Consent;
using Waypoint.Features.People;
using Waypoint.Features.Referrals;
using Waypoint.Features.Schools.Imports;
using Waypoint.Features.Services;
using Waypoint.Identity;

namespace Waypoint.Features.Api;

/// <summary>The versioned JSON API. Every route but the token uses a bearer token and the same access policy and audit as the pages.</summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapWaypointApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/api/v1").WithTags("v1").DisableAntiforgery();
        Shell.DefinedEnumArguments.RequireNamedEnums(v1);
        v1.MapPost("/token", TokenEndpoint.IssueAsync).AllowAnonymous()
            .WithSummary("Issue a bearer token for an email, password and current authenticator code.")
            .Produces<Microsoft.AspNetCore.Authentication.BearerToken.AccessTokenResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized);

        var secured = v1.MapGroup("").RequireAuthorization(Policies.Api);
        secured.MapGet("/me", async (Shell.CurrentUserSummary current) => await current.GetAsync() is { } u
                ? Results.Ok(new { u.Id, u.DisplayName, u.Email, u.OrganisationId, u.OrganisationName, Roles = u.Roles.Order() })
                : Results.Unauthorized())
            .WithSummary("The account the token belongs to: name, organisation and roles.");
        secured.MapPeopleApi();
        secured.MapAuditApi();
        secured.MapImportsApi();
        secured.MapReferralsApi();
        secured.MapAlertsApi();
        secured.MapConsentApi();
        secured.MapChronologyApi();
        Police.PoliceApi.MapPoliceApi(secured);
        Meetings.MeetingsApi.MapMeetingsApi(secured);
        app.MapServices(secured);
        return app;
    }
}
