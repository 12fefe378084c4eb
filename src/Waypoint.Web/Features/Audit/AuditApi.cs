using Microsoft.AspNetCore.Http.HttpResults;
using Waypoint.Audit;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.DataProtection);
        audit.MapGet("/verify", VerifyAsync).WithSummary("Verify the audit log's keyed hash chain against the anchors kept outside the database, and name the first broken entry.");
        return api;
    }

    private static async Task<Ok<ChainVerification>> VerifyAsync(AuditVerification verification, CancellationToken ct) =>
        TypedResults.Ok(await verification.VerifyAsync(ct));
}
