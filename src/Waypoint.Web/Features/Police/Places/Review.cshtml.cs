using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Police.Places;

/// <summary>The recorder's review of a place: what the review found and the next review date (within six months). A lapsed place counts again once reviewed.</summary>
public sealed class ReviewModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public PlaceOfConcern? Place { get; private set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public DateInput ReviewOn { get; set; } = new();
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
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (PlacesOfConcern.CheckEvidence(Outcome, "what the review found") is { } outcomeError)
            Errors[nameof(Outcome)] = outcomeError;
        var (review, reviewError) = ReviewOn.Read("Next review date");
        if ((reviewError ?? FlagRules.CheckReviewDate(review, today)) is { } problem)
            Errors[nameof(ReviewOn)] = problem;
        if (Errors.Count > 0)
            return Page();
        Place.ReviewOutcome = Outcome!.Trim();
        Place.ReviewOn = review!.Value;
        Place.ReviewedAt = clock.GetUtcNow();
        Place.ReviewedByUserId = db.Reader.UserId;
        audit.StageWrite(new AuditEvent(null, AuditAction.Update, $"place:{id} reviewed, next review {Place.ReviewOn:yyyy-MM-dd}", "place of concern"));
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"Review recorded: the place is to be reviewed again by {Place.ReviewOn:d MMMM yyyy}";
        return Redirect($"/police/place?id={id}");
    }
}
