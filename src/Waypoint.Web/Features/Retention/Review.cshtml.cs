using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Retention;

/// <summary>One record in the retention queue: keep it longer, put it under a legal hold (or lift one), or go on to dispose of it.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class ReviewModel(WaypointDbContext db, RetentionWork work, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public DateInput Until { get; set; } = new();
    [BindProperty] public string? HoldReason { get; set; }
    [TempData] public string? Confirmation { get; set; }

    public QueuedRecord Record { get; private set; } = null!;
    public RetentionReview Review { get; private set; } = null!;
    public LegalHold? Hold { get; private set; }
    public string? DisposalRefusal { get; private set; }

    /// <summary>What the record is made of, in kinds and counts, where it is several records (a pupil's school records, an issued copy).</summary>
    public string? Holds { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostExtendAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (until, dateError) = Until.Read("The date the record is kept until", DateRange.UpTo(today, TimeSpan.FromDays(3660)));
        foreach (var (field, message) in await work.ExtendAsync(Review, Reason, dateError is null ? until : null, ct))
            Errors[field] = message;
        if (dateError is not null)
            Errors["Until"] = dateError;
        if (Errors.Count > 0)
            return Page();
        Confirmation = $"The {RetentionLabels.Of(Review.RecordType).ToLowerInvariant()} is kept until {until:d MMMM yyyy}";
        return Redirect("/retention");
    }

    public async Task<IActionResult> OnPostHoldAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        foreach (var (field, message) in await work.PlaceHoldAsync(Review, HoldReason, ct))
            Errors[field] = message;
        if (Errors.Count > 0)
            return Page();
        Confirmation = "The record is under a legal hold: it cannot be disposed of until the hold is lifted";
        return Redirect($"/retention/review?id={Review.Id}");
    }

    public async Task<IActionResult> OnPostLiftAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        await work.LiftHoldAsync(Review, ct);
        Confirmation = "The legal hold is lifted";
        return Redirect($"/retention/review?id={Review.Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (Id is not { } id)
            return false;
        var review = await db.RetentionReviews.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (review is null)
            return false;
        Review = review;
        Record = await IndexModel.Views(db, db.RetentionReviews.Where(r => r.Id == id)).FirstAsync(ct);
        Hold = await work.HoldOnAsync(review.RecordType, review.RecordId, ct);
        DisposalRefusal = await work.RefusalAsync(review, ct);
        Holds = await work.DescribeAsync(review, ct);
        return true;
    }
}
