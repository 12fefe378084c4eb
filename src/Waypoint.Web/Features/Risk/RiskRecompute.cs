using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// Runs the recompute jobs that publishing a matrix version queues, away from the request. Each
/// chunk of young people is scored and the job's cursor saved in one transaction, so a chunk is
/// done whole or not at all; a job found running at start-up was cut off by a restart and carries
/// on after its cursor. A run that fails is recorded on the job (shown on the matrix page) and
/// retried from its cursor after a growing wait, up to <see cref="MaxFailures"/> failures; after
/// that the nightly run scores everyone regardless. Scoring keeps a row only when a score changes,
/// so a chunk done twice changes nothing: the job is idempotent.
/// </summary>
public sealed class RiskRecomputeRunner(IServiceScopeFactory scopes, RiskScoring scoring, TimeProvider clock, ILogger<RiskRecomputeRunner> log)
{
    /// <summary>Failures after which a job is no longer retried (the nightly run still scores everyone).</summary>
    public const int MaxFailures = 5;

    private readonly SemaphoreSlim running = new(1, 1);
    private readonly SemaphoreSlim wake = new(0, int.MaxValue);

    /// <summary>Young people per chunk (each chunk one transaction with the cursor); smaller in tests, to have several.</summary>
    internal int ChunkSize { get; set; } = RiskScoring.ChunkSize;

    /// <summary>The wait before the first retry; each later one waits twice as long as the one before.</summary>
    internal TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A test's way to make a chunk fail after its scores are written and before they commit (the chunk's number in this run, from 0, and its people).</summary>
    internal Func<int, Guid[], Task>? AfterChunkScored { get; set; }

    /// <summary>Tells the worker a job is waiting.</summary>
    public void Signal() => wake.Release();

    /// <summary>Waits for a signal or the poll interval (another instance may have queued a job, or a retry fallen due).</summary>
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

    /// <summary>Runs every queued, interrupted or due-for-retry job to its end or its next failure, one at a time; the number of runs.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct)
    {
        await running.WaitAsync(ct);
        try
        {
            var ran = 0;
            var tried = new HashSet<Guid>();
            // A job that fails is tried again only at its retry time, never twice in one pass.
            while (await NextAsync(tried, ct) is { } jobId)
            {
                tried.Add(jobId);
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

    private async Task<Guid?> NextAsync(HashSet<Guid> tried, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("the risk recompute queue holds no person: it names matrix versions and a cursor");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var now = clock.GetUtcNow();
        // Few rows (one per published version, and only the unfinished): the retry time is compared here.
        var candidates = await db.RiskRecomputeJobs.AsNoTracking()
            .Where(j => j.Status == RiskJobStatus.Queued || j.Status == RiskJobStatus.Running || (j.Status == RiskJobStatus.Failed && j.RetryAt != null))
            .Select(j => new { j.Id, j.Status, j.RequestedAt, j.RetryAt }).ToListAsync(ct);
        return candidates.Where(j => !tried.Contains(j.Id) && (j.Status != RiskJobStatus.Failed || j.RetryAt <= now))
            .OrderBy(j => j.RequestedAt).Select(j => (Guid?)j.Id).FirstOrDefault();
    }

    /// <summary>The wait before retrying after a job's <paramref name="failures"/>th failure.</summary>
    internal TimeSpan RetryWait(int failures) => FirstRetryAfter * Math.Pow(2, Math.Max(0, failures - 1));

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
            job.RetryAt = null;
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
            log.LogInformation("Risk recompute job for version {Version} resumes after {Processed} people ({Failures} failures before)", job.MatrixNumber, job.Processed, job.Failures);
            job.Status = RiskJobStatus.Running;
            job.RetryAt = null;
            job.FinishedAt = null;
            await db.SaveChangesAsync(ct);
        }
        try
        {
            for (var chunk = 0; ; chunk++)
            {
                var q = db.People.AsNoTracking().Where(p => p.Kind == PersonKind.YoungPerson);
                if (job.LastPersonId is { } after)
                    q = q.Where(p => p.Id.CompareTo(after) > 0);
                var ids = await q.OrderBy(p => p.Id).Select(p => p.Id).Take(ChunkSize).ToArrayAsync(ct);
                if (ids.Length == 0)
                    break;
                // The chunk's scores and the cursor past it commit together: a failure leaves neither.
                await using (var transaction = await db.Database.BeginTransactionAsync(ct))
                {
                    job.Changed += await scoring.RecomputeRangeAsync(db, audit, matrix, ids, ct);
                    job.Processed += ids.Length;
                    job.Total = Math.Max(job.Total, job.Processed);
                    job.LastPersonId = ids[^1];
                    if (AfterChunkScored is { } hook)
                        await hook(chunk, ids);
                    await db.SaveChangesAsync(ct);
                    await transaction.CommitAsync(ct);
                }
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
            // The cursor holds what was committed; the rolled-back chunk is done again on the retry.
            log.LogError(e, "Risk recompute job for version {Version} failed", job.MatrixNumber);
            db.ChangeTracker.Clear();
            var failed = await db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId, CancellationToken.None);
            var now = clock.GetUtcNow();
            failed.Status = RiskJobStatus.Failed;
            failed.Failures++;
            failed.FinishedAt = now;
            failed.RetryAt = failed.Failures < MaxFailures ? now + RetryWait(failed.Failures) : null;
            // The kind of failure only: a message could carry a person's details into the page.
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
