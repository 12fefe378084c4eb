using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin;
using Waypoint.Identity;

namespace Waypoint.Features.Evidence;

/// <summary>Removing a measure from the framework, after a confirmation: its figures are computed on request, so nothing else is lost.</summary>
[Authorize(Roles = Roles.PartnershipAdmin)]
public sealed class OutcomeMeasureRemoveModel(WaypointDbContext db, AdminSession session) : PageModel
{
    public OutcomeMeasure? Measure { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Measure = await db.OutcomeMeasures.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        return Measure is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var measure = await db.OutcomeMeasures.SingleOrDefaultAsync(m => m.Id == id, ct);
        if (measure is null)
            return NotFound();
        db.OutcomeMeasures.Remove(measure);
        await db.SaveChangesAsync(ct);
        await session.RecordAsync(AuditAction.Delete, $"outcome measure {measure.Id}: {measure.Rule} {measure.Threshold}", ct);
        TempData["Confirmation"] = $"Measure removed: {measure.Name}";
        return Redirect("/statistics/outcomes/measures");
    }
}
