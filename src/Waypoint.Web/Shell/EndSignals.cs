using System.Collections.Concurrent;

namespace Waypoint.Shell;

/// <summary>
/// Those waiting in this instance for a piece of background work (an import job, an outcome
/// measure's calculation) to end, by its id, woken by the worker that ends it: no polling. One
/// signal is shared by everyone waiting on the same id, and it is taken out only when the work
/// ends (or is found ended), never when one waiter gives up, so the others still hear of the end.
/// Work another instance runs is not signalled here: the caller's cancellation bounds the wait.
/// </summary>
public sealed class EndSignals
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> waiting = new();

    /// <summary>
    /// Completes once <paramref name="id"/>'s work has ended: at once if <paramref name="endedAlready"/>
    /// (read after the waiter is registered, so an end recorded in between is not missed) says so,
    /// otherwise when the worker calls <see cref="Ended"/>.
    /// </summary>
    public async Task WaitAsync(Guid id, Func<CancellationToken, Task<bool>> endedAlready, CancellationToken ct)
    {
        var done = waiting.GetOrAdd(id, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (await endedAlready(ct))
        {
            Ended(id);
            return;
        }
        await done.Task.WaitAsync(ct);
    }

    /// <summary>Wakes everyone waiting on the id (the worker has recorded the work's end).</summary>
    public void Ended(Guid id)
    {
        if (waiting.TryRemove(id, out var done))
            done.TrySetResult();
    }
}
