using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Audit;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>Walks the audit log's keyed hash chain and its anchors on request (as <c>verify-audit</c> and the API do) and names the first broken link.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class VerifyModel(AuditVerification verification, AuditTrail audit) : PageModel
{
    public ChainVerification? Result { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync(CancellationToken ct)
    {
        Result = await verification.VerifyAsync(ct);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Read, "audit.verify",
            Result.IsIntact ? $"{AuditSearch.DpoBasis}; intact" : $"{AuditSearch.DpoBasis}; broken at entry {Result.FirstBrokenId}"), ct);
    }
}
