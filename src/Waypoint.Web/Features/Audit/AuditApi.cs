using Microsoft.AspNetCore.Http.HttpResults;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.DataProtection);
        audit.MapGet("/verify", VerifyAsync).WithSummary("Verify the audit log's hash chain and name the first broken link.");
        return api;
    }

    private static async Task<Ok<ChainVerification>> VerifyAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        // The verifier reads every row, whoever wrote it: it runs as the system in its own scope.
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Access.ReaderContext>().Current = Access.Reader.System;
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        return TypedResults.Ok(await AuditChainVerifier.VerifyAsync(db, ct));
    }
}
