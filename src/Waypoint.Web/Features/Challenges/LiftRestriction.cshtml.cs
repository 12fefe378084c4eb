using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Challenges;

/// <summary>Lifting a restriction of processing, after a confirmation: scoring and alerts count the person again from their next run.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class LiftRestrictionModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Restriction { get; set; }
    public ProcessingRestriction Current { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        Current.LiftedAt = clock.GetUtcNow();
        Current.LiftedByUserId = db.Reader.UserId;
        await audit.RecordAsync(new AuditEvent(Current.PersonId, AuditAction.Update, "person.restriction lifted", "data-protection officer"), ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "The restriction was lifted: the person is scored and alerted on again from the next run.";
        return Redirect("/data-protection/restrictions");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var restriction = await db.ProcessingRestrictions.FirstOrDefaultAsync(r => r.Id == Restriction && r.LiftedAt == null, ct);
        if (restriction is null)
            return false;
        Current = restriction;
        return true;
    }
}
