using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>
/// Appends read audit rows for the whole process, a group at a time: whatever requests have
/// waiting when a transaction starts go into it together, and the next group gathers while it
/// commits. The chain's lock is then taken once per group rather than once per request, so
/// requests no longer queue on it one by one, and the chain stays one writer's work (one head
/// read, every row hashed after the one before). Each caller still waits for its own rows to be
/// committed before its response starts; a group that fails is retried caller by caller, so one
/// caller's failure is its own.
/// </summary>
public sealed class AuditAppender(IServiceScopeFactory scopes, AuditChain chain, AuditAnchors anchors, ILogger<AuditAppender> log)
{
    private sealed record Waiting(IReadOnlyList<AuditRow> Rows, TaskCompletionSource Done);

    private readonly Lock gate = new();
    private List<Waiting> queue = [];
    private bool writing;

    // The head this appender wrote last (PostgreSQL): the next group is sent chained after it in one round trip, and
    // inserted only if it is still the head under the chain's lock (AuditChain.TryAppendAfterAsync). Only the writer
    // loop touches it, one group at a time.
    private AuditHead? lastHead;

    internal Task AppendAsync(IReadOnlyList<AuditRow> rows)
    {
        var waiting = new Waiting(rows, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (gate)
        {
            queue.Add(waiting);
            if (writing)
                return waiting.Done.Task;
            writing = true;
        }
        // The writer runs apart from the request that started it (which goes on waiting for its own
        // rows only) and carries nothing of it: not its HttpContext, which ends with the request.
        using (ExecutionContext.SuppressFlow())
            _ = Task.Run(WriteWaitingAsync);
        return waiting.Done.Task;
    }

    private async Task WriteWaitingAsync()
    {
        while (true)
        {
            List<Waiting> group;
            lock (gate)
            {
                if (queue.Count == 0)
                {
                    writing = false;
                    return;
                }
                group = queue;
                queue = [];
            }
            try
            {
                await WriteAsync(group.SelectMany(w => w.Rows).ToList());
                foreach (var w in group)
                    w.Done.TrySetResult();
            }
            catch (Exception e) when (group.Count > 1)
            {
                log.LogWarning(e, "A group of {Count} audit appends failed; appending each on its own", group.Count);
                foreach (var w in group)
                {
                    try
                    {
                        await WriteAsync(w.Rows);
                        w.Done.TrySetResult();
                    }
                    catch (Exception one)
                    {
                        w.Done.TrySetException(one);
                    }
                }
            }
            catch (Exception e)
            {
                group[0].Done.TrySetException(e);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<AuditRow> rows)
    {
        await using var scope = scopes.CreateSystemScope("audit trail: appends read audit rows in a transaction of its own");
        var own = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        AuditHead? head = null;
        if (own.IsPostgres && lastHead is { } expected)
        {
            // Chained after the head written last, in one round trip; null when another writer moved the head since.
            await own.Database.OpenConnectionAsync(CancellationToken.None);
            lastHead = null;
            head = await chain.TryAppendAfterAsync((Npgsql.NpgsqlConnection)own.Database.GetDbConnection(), rows, expected, CancellationToken.None);
        }
        if (head is null)
        {
            // The transaction is this append's alone and is rolled back whole on failure: no savepoint round trips.
            own.Database.AutoSavepointsEnabled = false;
            var strategy = own.Database.CreateExecutionStrategy();
            head = await strategy.ExecuteAsync(async () =>
            {
                await using var tx = await own.Database.BeginTransactionAsync(CancellationToken.None);
                var head = await chain.AppendInTransactionAsync(own, rows, own.SaveChangesAsync, CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
                own.ChangeTracker.Clear();
                return head;
            });
        }
        lastHead = head;
        anchors.Offer(head);
    }
}
