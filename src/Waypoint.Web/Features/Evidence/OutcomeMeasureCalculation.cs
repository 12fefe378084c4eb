using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Computes a newly added outcome measure's rollup rows for everyone in a group, in the
/// background (minutes at England scale, so never in the request that adds it). The measure is
/// saved with <see cref="OutcomeMeasure.Calculating"/> set; any instance's worker claims it by a
/// conditional update, holds it while it goes (the hold renewed with each chunk, so a measure whose
/// worker died is taken up again), and writes its progress after every chunk of children, each
/// chunk in its own transaction with the summary kept by difference. Writes meanwhile recompute
/// their people's rows for every measure, this one too, so the rows are right when it finishes.
/// The dashboard leaves the measure out until then and says it is being calculated.
/// </summary>
public sealed class OutcomeMeasureCalculation(IServiceScopeFactory scopes, WakeSignal<OutcomeMeasureCalculation> signal, TimeProvider clock, ILogger<OutcomeMeasureCalculation> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);
    private const int Chunk = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunNextAsync(stoppingToken))
                {
                    // One finished: look for another at once.
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The outcome measure calculation failed; it will try again");
            }
            try
            {
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Those waiting in this instance for a measure's calculation to end (<see cref="CalculatedAsync"/>).</summary>
    private readonly Shell.EndSignals waiting = new();

    /// <summary>
    /// Completes once the measure is no longer being calculated (done, or removed meanwhile), without
    /// polling: at once if it is not, otherwise when this instance's worker stops working on it (after a
    /// failure it is still being calculated: read it again; <see cref="Shell.EndSignals"/>). A
    /// calculation another instance runs is not signalled here: the caller's cancellation bounds the wait.
    /// </summary>
    public Task CalculatedAsync(Guid measureId, CancellationToken ct) => waiting.WaitAsync(measureId, async c =>
    {
        await using var scope = scopes.CreateSystemScope("whoever waits on an outcome measure's calculation reads whether it has ended");
        return !await scope.ServiceProvider.GetRequiredService<WaypointDbContext>().OutcomeMeasures.AsNoTracking()
            .AnyAsync(m => m.Id == measureId && m.Calculating, c);
    }, ct);

    private void Ended(Guid measureId) => waiting.Ended(measureId);

    /// <summary>A measure's progress in words, for the pages.</summary>
    public static string Progress(OutcomeMeasure m) => m.PeopleToCalculate == 0
        ? "waiting to start"
        : $"{m.CalculatedPeople.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} of {m.PeopleToCalculate.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} children ({m.CalculatedPeople * 100 / m.PeopleToCalculate}%)";

    /// <summary>Claims the oldest measure waiting to be calculated (or whose worker's hold ran out) and calculates it; false when there was none to claim.</summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var scope = scopes.CreateSystemScope("the outcome measure worker computes a new measure's rollup rows across the partnership; only aggregates leave the rollup");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var next = await db.OutcomeMeasures.AsNoTracking()
            .Where(m => m.Calculating && (m.CalculationHeldUntil == null || m.CalculationHeldUntil < now))
            .OrderBy(m => m.DefinedAt).Select(m => new { m.Id, m.CalculationHeldUntil }).FirstOrDefaultAsync(ct);
        if (next is null)
            return false;
        var claimed = await db.OutcomeMeasures.Where(m => m.Id == next.Id && m.Calculating && m.CalculationHeldUntil == next.CalculationHeldUntil)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.CalculationHeldUntil, now + Hold).SetProperty(m => m.CalculatedPeople, 0), ct);
        if (claimed == 0)
            return true; // another worker took it; look again
        try
        {
            await CalculateAsync(db, next.Id, ct);
        }
        finally
        {
            Ended(next.Id); // also after a failure (the measure is still calculating then): the waiter reads it again
        }
        return true;
    }

    private async Task CalculateAsync(WaypointDbContext db, Guid measureId, CancellationToken ct)
    {
        var people = await OutcomeRollups.SubjectsAsync(db, ct);
        people.Sort();
        await db.OutcomeMeasures.Where(m => m.Id == measureId).ExecuteUpdateAsync(s => s.SetProperty(m => m.PeopleToCalculate, people.Count), ct);
        for (var i = 0; i < people.Count; i += Chunk)
        {
            var chunk = people.GetRange(i, Math.Min(Chunk, people.Count - i));
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await OutcomeRollups.RecomputeAsync(db, chunk, [measureId], ct);
            var done = i + chunk.Count;
            var held = await db.OutcomeMeasures.Where(m => m.Id == measureId)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.CalculatedPeople, done).SetProperty(m => m.CalculationHeldUntil, clock.GetUtcNow() + Hold), ct);
            if (held == 0)
                return; // the measure was removed meanwhile (its rows went with it)
            await tx.CommitAsync(ct);
        }
        await db.OutcomeMeasures.Where(m => m.Id == measureId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Calculating, false).SetProperty(m => m.CalculatedPeople, people.Count).SetProperty(m => m.CalculationHeldUntil, (DateTimeOffset?)null), ct);
        log.LogInformation("Outcome measure {MeasureId} calculated for {People} children", measureId, people.Count);
    }
}
