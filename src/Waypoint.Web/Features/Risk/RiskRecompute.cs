using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// Runs the recompute jobs that publishing a matrix version queues, away from the request. Each
/// chunk of young people is scored and the job's cursor saved; a job found running at start-up was
/// cut off by a restart and carries on after its cursor. Scoring keeps a row only when a score
/// changes, so a chunk done twice changes nothing: the job is idempotent.
/// </summary>
public sealed class RiskRecomputeRunner(IServiceScopeFactory scopes, RiskScoring scoring, TimeProvider clock, ILogger<RiskRecomputeRunner> log)
{
    public const int ChunkSize = 2000;

    private readonly SemaphoreSlim running = new(1, 1);
    private readonly SemaphoreSlim wake = new(0, int.MaxValue);

    /// <summary>Tells the worker a job is waiting.</summary>
    public void Signal() => wake.Release();

    /// <summary>Waits for a signal or the poll interval (another instance may have queued a job).</summary>
    public async Task WaitAsync(TimeSpan poll, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(poll);
        try
        {
            await wake.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed: another instance may have queued a job.
        }
    }

    /// <summary>Runs every queued or interrupted job to its end, one at a time; the number run.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct)
    {
        await running.WaitAsync(ct);
        try
        {
            var ran = 0;
            while (await NextAsync(ct) is { } jobId)
            {
                await RunAsync(jobId, ct);
                ran++;
            }
            return ran;
        }
        finally
        {
            running.Release();
        }
    }

    private async Task<Guid?> NextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("the risk recompute queue holds no person: it names matrix versions and a cursor");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        return await db.RiskRecomputeJobs.AsNoTracking().Where(j => j.Status == RiskJobStatus.Queued || j.Status == RiskJobStatus.Running)
            .OrderBy(j => j.RequestedAt).Select(j => (Guid?)j.Id).FirstOrDefaultAsync(ct);
    }

    private async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("risk scores count every record a factor reads; a reader's explanation shows only the records they may see and counts the rest");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var job = await db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId, ct);
        var matrix = await RiskScoring.PublishedAsync(db, ct);
        if (matrix is null || matrix.Id != job.MatrixVersionId)
        {
            // A later version was published meanwhile: its own job scores everyone by it.
            job.Status = RiskJobStatus.Completed;
            job.FinishedAt = clock.GetUtcNow();
            job.Error = "Superseded by a later version before it finished";
            await db.SaveChangesAsync(ct);
            return;
        }
        if (job.Status == RiskJobStatus.Queued)
        {
            job.Status = RiskJobStatus.Running;
            job.StartedAt = clock.GetUtcNow();
            job.Total = await db.People.CountAsync(p => p.Kind == PersonKind.YoungPerson, ct);
            await db.SaveChangesAsync(ct);
        }
        else
        {
            log.LogInformation("Risk recompute job for version {Version} resumes after {Processed} people", job.MatrixNumber, job.Processed);
        }
        try
        {
            while (true)
            {
                var q = db.People.AsNoTracking().Where(p => p.Kind == PersonKind.YoungPerson);
                if (job.LastPersonId is { } after)
                    q = q.Where(p => p.Id.CompareTo(after) > 0);
                var ids = await q.OrderBy(p => p.Id).Select(p => p.Id).Take(ChunkSize).ToArrayAsync(ct);
                if (ids.Length == 0)
                    break;
                job.Changed += await scoring.RecomputeChunkAsync(db, audit, matrix, ids, ct);
                job.Processed += ids.Length;
                job.Total = Math.Max(job.Total, job.Processed);
                job.LastPersonId = ids[^1];
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
                db.Attach(job);
            }
            job.Status = RiskJobStatus.Completed;
            job.FinishedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            log.LogInformation("Risk recompute job for version {Version} done: {Processed} people, {Changed} changed", job.MatrixNumber, job.Processed, job.Changed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The cursor holds what was done; the nightly run scores everyone again regardless.
            log.LogError(e, "Risk recompute job for version {Version} failed", job.MatrixNumber);
            db.ChangeTracker.Clear();
            var failed = await db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId, CancellationToken.None);
            failed.Status = RiskJobStatus.Failed;
            failed.FinishedAt = clock.GetUtcNow();
            failed.Error = e.GetType().Name;
            await db.SaveChangesAsync(CancellationToken.None);
        }
    }
}

/// <summary>The host's worker for <see cref="RiskRecomputeRunner"/>: at start (jobs a restart cut off), on each publish, and every minute.</summary>
public sealed class RiskRecomputeWorker(RiskRecomputeRunner runner, ILogger<RiskRecomputeWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.RunPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Risk recompute worker failed; it tries again at the next signal");
            }
            await runner.WaitAsync(TimeSpan.FromMinutes(1), stoppingToken);
        }
    }
}
