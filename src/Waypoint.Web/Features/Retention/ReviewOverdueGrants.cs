using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Retention;

/// <summary>
/// Access ends when the work ends: a grant kept open by a review date (a place in a case's team)
/// whose review has not happened within <see cref="GraceDays"/> days of its date is ended, as if
/// the review had found it no longer needed. Recording the case's review (or reopening) moves the
/// date and keeps the place; within the grace the place is listed as overdue on the DPO dashboard.
/// </summary>
public sealed class ReviewOverdueGrants(WaypointDbContext db, AuditTrail audit, TimeProvider clock)
{
    /// <summary>How long past its review date a place is kept while the team catches up with the review.</summary>
    public const int GraceDays = 28;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Grants past their review date but still within the grace.</summary>
    public Task<int> OverdueCountAsync(CancellationToken ct)
    {
        var today = Today;
        var lapsesBefore = today.AddDays(-GraceDays);
        return db.Unfiltered<Involvement>("the DPO dashboard: a count of grants past their review, no person")
            .CountAsync(i => i.EndDate == null && i.ReviewOn < today && i.ReviewOn >= lapsesBefore, ct);
    }

    /// <summary>Ends the grants whose review is more than <see cref="GraceDays"/> days overdue, each audited against its person. Returns how many.</summary>
    public async Task<int> EndOverdueAsync(CancellationToken ct)
    {
        var today = Today;
        var lapsesBefore = today.AddDays(-GraceDays);
        var overdue = await db.Unfiltered<Involvement>("grants whose review is long overdue, to end them")
            .Where(i => i.EndDate == null && i.ReviewOn < lapsesBefore)
            .OrderBy(i => i.ReviewOn).Take(5000)
            .ToListAsync(ct);
        foreach (var grant in overdue)
        {
            grant.EndDate = today.AddDays(-1);
            audit.StageWrite(new AuditEvent(grant.PersonId, AuditAction.Update,
                $"grant:{grant.Source} {grant.OrganisationId} ended (review due {grant.ReviewOn:yyyy-MM-dd} not held)", "process"));
        }
        if (overdue.Count > 0)
            await db.SaveChangesAsync(ct);
        return overdue.Count;
    }
}
