using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police.Places;

/// <summary>Removes a place (its recorder's organisation only), after a confirmation and with a reason: it and its links count nowhere from then on.</summary>
public sealed class RemoveModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public PlaceOfConcern? Place { get; private set; }
    [BindProperty] public string? Reason { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid id, CancellationToken ct)
    {
        Place = await PlaceChange.OwnActiveAsync(db, clock, id, ct);
        return Place is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync([FromQuery] Guid id, CancellationToken ct)
    {
        Place = await PlaceChange.OwnActiveAsync(db, clock, id, ct);
        if (Place is null)
            return NotFound();
        if (PlacesOfConcern.CheckEvidence(Reason, "why the place is removed") is { } error)
        {
            Errors[nameof(Reason)] = error;
            return Page();
        }
        Place.Status = PlaceStatus.Removed;
        Place.ReviewOutcome = $"Removed: {Reason!.Trim()}";
        Place.ReviewedAt = clock.GetUtcNow();
        Place.ReviewedByUserId = db.Reader.UserId;
        audit.StageWrite(new AuditEvent(null, AuditAction.Update, $"place:{id} removed", "place of concern"));
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "Place of concern removed: it and its links no longer count anywhere";
        return Redirect("/police/places");
    }
}
