using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Retention;

/// <summary>One queued record as the queue lists it: its kind, owner and dates, never its content or whose it is.</summary>
public sealed record QueuedRecord(Guid Id, RetentionRecordType RecordType, Guid RecordId, string? Owner, DateOnly DueOn, string Why,
    RetentionReviewStatus Status, DateOnly? ExtendedUntil, bool Held);

/// <summary>The data-protection officer's retention queue: records at the end of their period, oldest due first.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class IndexModel(WaypointDbContext db, RetentionWork work, TimeProvider clock) : PageModel
{
    [TempData] public string? Confirmation { get; set; }
    public IReadOnlyList<QueuedRecord> Due { get; private set; } = [];
    public IReadOnlyList<QueuedRecord> Extended { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await Views(db, db.RetentionReviews.Where(r => r.Status != RetentionReviewStatus.Disposed).OrderBy(r => r.DueOn).Take(500))
            .ToListAsync(ct);
        Due = rows.Where(r => r.Status == RetentionReviewStatus.Due).ToList();
        Extended = rows.Where(r => r.Status == RetentionReviewStatus.Extended).OrderBy(r => r.ExtendedUntil).ToList();
    }

    public async Task<IActionResult> OnPostFindAsync(CancellationToken ct)
    {
        var queued = await work.FindDueAsync(ct);
        Confirmation = queued == 0 ? "No more records are due: the queue is up to date" : $"{queued} record{(queued == 1 ? " is" : "s are")} now in the queue";
        return Redirect("/retention");
    }

    public static IQueryable<QueuedRecord> Views(WaypointDbContext db, IQueryable<RetentionReview> reviews) =>
        reviews.AsNoTracking().Select(r => new QueuedRecord(r.Id, r.RecordType, r.RecordId,
            db.Organisations.Where(o => o.Id == r.OwnerOrganisationId).Select(o => o.Name).FirstOrDefault(),
            r.DueOn, r.Why, r.Status, r.ExtendedUntil,
            db.LegalHolds.Any(h => h.RecordType == r.RecordType && h.RecordId == r.RecordId && h.LiftedAt == null)));
}
