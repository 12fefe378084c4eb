using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>Walks the audit log's hash chain on request (as <c>verify-audit</c> and the API do) and names the first broken link.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class VerifyModel(IServiceScopeFactory scopes, AuditTrail audit) : PageModel
{
    public ChainVerification? Result { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        // The verifier reads every row, whoever wrote it: it runs as the system in its own scope.
        await using (var scope = scopes.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
            Result = await AuditChainVerifier.VerifyAsync(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), ct);
        }
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Read, "audit.verify",
            Result.IsIntact ? $"{AuditSearch.DpoBasis}; intact" : $"{AuditSearch.DpoBasis}; broken at entry {Result.FirstBrokenId}"), ct);
    }
}
