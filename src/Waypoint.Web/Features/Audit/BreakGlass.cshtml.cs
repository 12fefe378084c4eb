using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>The queue of break-glass grants no one has reviewed yet, oldest first.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class BreakGlassModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Reviewed { get; set; }

    public IReadOnlyList<BreakGlassView> Waiting { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Waiting = await BreakGlassQueue.Views(db, db.BreakGlassGrants.Where(b => b.ReviewedAt == null).OrderBy(b => b.GrantedAt)).ToListAsync(ct);
        // The reasons are about the people concerned: showing them is a read of each, as a search result is.
        var events = Waiting.Select(g => g.PersonId).Distinct()
            .Select(id => new AuditEvent(id, AuditAction.ListedInSearch, "audit.break-glass", AuditSearch.DpoBasis)).ToList();
        await audit.RecordAsync(events, ct);
    }
}
