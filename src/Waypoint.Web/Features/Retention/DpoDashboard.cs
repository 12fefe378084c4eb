using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Audit;

namespace Waypoint.Features.Retention;

/// <summary>The last time someone checked the audit chain, and what they found.</summary>
public sealed record LastVerification(DateTimeOffset At, bool Intact, string Basis);

/// <summary>The counts on the data-protection officer's dashboard: no person, no record's content.</summary>
public sealed record DpoFigures(
    int BreakGlassUnreviewed, int BreakGlassActive, int BreakGlassReviewedLast30Days,
    int RetentionDue, int RetentionOverdue, int RetentionExtended, int RetentionDisposedLast12Months, int LegalHolds,
    int GrantsPastReview, LastVerification? AuditVerified,
    int MergesTakeBackOpen = 0, int MergesLast12Months = 0, int RestrictionsInForce = 0, int ChallengesOpen = 0,
    int AuditMonthsArchived = 0, int AuditMonthsDisposed = 0);

public sealed class DpoDashboard(WaypointDbContext db, ReviewOverdueGrants grants, TimeProvider clock)
{
    public async Task<DpoFigures> FiguresAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var overdueBefore = today.AddDays(-RetentionWork.OverdueAfterDays);
        var monthAgo = now.AddDays(-30);
        var yearAgo = now.AddMonths(-12);
        var unreviewed = await BreakGlassQueue.UnreviewedCountAsync(db, ct);
        var active = await db.BreakGlassGrants.CountAsync(b => b.ExpiresAt > now, ct);
        var reviewed = await db.BreakGlassGrants.CountAsync(b => b.ReviewedAt != null && b.ReviewedAt > monthAgo, ct);
        var due = await db.RetentionReviews.CountAsync(r => r.Status == RetentionReviewStatus.Due && r.DueOn >= overdueBefore, ct);
        var overdue = await db.RetentionReviews.CountAsync(r => r.Status == RetentionReviewStatus.Due && r.DueOn < overdueBefore, ct);
        var extended = await db.RetentionReviews.CountAsync(r => r.Status == RetentionReviewStatus.Extended, ct);
        var disposed = await db.RetentionReviews.CountAsync(r => r.Status == RetentionReviewStatus.Disposed && r.DecidedAt > yearAgo, ct);
        var holds = await db.LegalHolds.CountAsync(h => h.LiftedAt == null, ct);
        var pastReview = await grants.OverdueCountAsync(ct);
        // The Verify page records each check it runs; the newest says when and what it found.
        var verified = await db.AuditEntries.AsNoTracking().Where(a => a.Subject == "audit.verify")
            .OrderByDescending(a => a.Id).Select(a => new { a.OccurredAt, a.Basis }).FirstOrDefaultAsync(ct);
        // Counts only: the merges and restrictions pages name people, to the administrator and the DPO.
        var takeBackFrom = now.AddDays(-PersonMerge.UnmergeWindowDays);
        var mergesOpen = await db.PersonMerges.CountAsync(m => m.UnmergedAt == null && m.MergedAt > takeBackFrom, ct);
        var mergesYear = await db.PersonMerges.CountAsync(m => m.MergedAt > yearAgo, ct);
        var restrictions = await db.ProcessingRestrictions.CountAsync(r => r.LiftedAt == null, ct);
        return new DpoFigures(unreviewed, active, reviewed, due, overdue, extended, disposed, holds, pastReview,
            verified is null ? null : new LastVerification(verified.OccurredAt, verified.Basis.EndsWith("; intact", StringComparison.Ordinal), verified.Basis),
            mergesOpen, mergesYear, restrictions, await db.RecordChallenges.CountAsync(c => c.Outcome == ChallengeOutcome.Open, ct),
            await db.AuditPeriods.CountAsync(p => p.DisposedAt == null, ct), await db.AuditPeriods.CountAsync(p => p.DisposedAt != null, ct));
    }
}
