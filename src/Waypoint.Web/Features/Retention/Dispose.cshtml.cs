using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Retention;

/// <summary>The confirmation before a record is disposed of, and the disposal itself.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class DisposeModel(WaypointDbContext db, RetentionWork work) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [TempData] public string? Confirmation { get; set; }

    public QueuedRecord Record { get; private set; } = null!;
    public string? Refusal { get; private set; }
    public string? Holds { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var review = await LoadAsync(ct);
        if (review is null)
            return NotFound();
        Refusal = await work.RefusalAsync(review, ct);
        Holds = await work.DescribeAsync(review, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var review = await LoadAsync(ct);
        if (review is null)
            return NotFound();
        Refusal = await work.DisposeAsync(review, ct);
        if (Refusal is not null)
            return Page();
        Confirmation = $"The {RetentionLabels.Of(review.RecordType).ToLowerInvariant()} has been disposed of";
        return Redirect("/retention");
    }

    private async Task<RetentionReview?> LoadAsync(CancellationToken ct)
    {
        if (Id is not { } id)
            return null;
        var review = await db.RetentionReviews.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (review is not null)
            Record = await IndexModel.Views(db, db.RetentionReviews.Where(r => r.Id == id)).FirstAsync(ct);
        return review;
    }
}
