using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// The partnership's changes to the risk matrix: one draft at a time, prepared by the partnership
/// administrator or the data-protection officer, then signed off and published by the
/// data-protection officer with a change note. Publishing retires the version before and
/// queues a background job that recomputes every score, so each score names the version that produced it.
/// </summary>
public sealed class RiskMatrixPublishing(WaypointDbContext db, AuditTrail audit, RiskRecomputeRunner recompute, TimeProvider clock)
{
    public Task<RiskMatrixVersion?> DraftAsync(CancellationToken ct) =>
        db.RiskMatrixVersions.Include(v => v.Factors).FirstOrDefaultAsync(v => v.Status == RiskMatrixStatus.Draft, ct);

    /// <summary>Replaces the draft (or starts one) with the version given; every problem by field, none when saved.</summary>
    public async Task<List<(string Field, string Message)>> SaveDraftAsync(RiskMatrixVersion proposed, CancellationToken ct)
    {
        var problems = RiskMatrixRules.Check(proposed);
        if (string.IsNullOrWhiteSpace(proposed.ChangeNote))
            problems.Add(("ChangeNote", "Say what changes from the published version and why"));
        else if (proposed.ChangeNote.Length > RiskMatrixVersion.MaxChangeNoteLength)
            problems.Add(("ChangeNote", $"The change note must be {RiskMatrixVersion.MaxChangeNoteLength} characters or fewer"));
        if (problems.Count > 0)
            return problems;
        var draft = await DraftAsync(ct);
        if (draft is null)
        {
            var number = (await db.RiskMatrixVersions.MaxAsync(v => (int?)v.Number, ct) ?? 0) + 1;
            draft = new RiskMatrixVersion { Name = proposed.Name, Number = number, Status = RiskMatrixStatus.Draft, CreatedAt = clock.GetUtcNow(), CreatedByUserId = db.Reader.UserId };
            db.RiskMatrixVersions.Add(draft);
        }
        else
        {
            db.RiskFactors.RemoveRange(draft.Factors);
            draft.Factors.Clear();
        }
        draft.Name = proposed.Name.Trim();
        draft.ChangeNote = proposed.ChangeNote!.Trim();
        draft.MediumFrom = proposed.MediumFrom;
        draft.HighFrom = proposed.HighFrom;
        foreach (var f in proposed.Factors)
        {
            f.Id = Guid.CreateVersion7();
            f.MatrixVersionId = draft.Id;
            draft.Factors.Add(f);
        }
        audit.StageWrite(new AuditEvent(null, AuditAction.Update, $"risk:matrix draft v{draft.Number}", "partnership"));
        await db.SaveChangesAsync(ct);
        return problems;
    }

    /// <summary>
    /// Publishes the draft: the version before is retired and a job to recompute every score is
    /// queued in the same save (so a publish is never left without its recompute), then run in the
    /// background. The job, or null when there is no draft.
    /// </summary>
    public async Task<RiskRecomputeJob?> PublishAsync(CancellationToken ct)
    {
        if (await DraftAsync(ct) is not { } draft)
            return null;
        // A draft saved past the checks (an older row) is checked again: nothing unchecked is published.
        if (RiskMatrixRules.Check(draft).Count > 0)
            return null;
        foreach (var published in await db.RiskMatrixVersions.Where(v => v.Status == RiskMatrixStatus.Published).ToListAsync(ct))
            published.Status = RiskMatrixStatus.Retired;
        draft.Status = RiskMatrixStatus.Published;
        draft.PublishedAt = clock.GetUtcNow();
        draft.PublishedByUserId = db.Reader.UserId;
        var job = new RiskRecomputeJob { MatrixVersionId = draft.Id, MatrixNumber = draft.Number, Status = RiskJobStatus.Queued, RequestedAt = clock.GetUtcNow() };
        db.RiskRecomputeJobs.Add(job);
        audit.StageWrite(new AuditEvent(null, AuditAction.Update, $"risk:matrix published v{draft.Number}; scores recomputed in the background", "data-protection officer"));
        await db.SaveChangesAsync(ct);
        recompute.Signal();
        return job;
    }

    /// <summary>The latest recompute job, for the matrix page's progress.</summary>
    public Task<RiskRecomputeJob?> LatestJobAsync(CancellationToken ct) =>
        db.RiskRecomputeJobs.AsNoTracking().OrderByDescending(j => j.RequestedAt).FirstOrDefaultAsync(ct);
}
