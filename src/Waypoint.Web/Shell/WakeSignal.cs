namespace Waypoint.Shell;

/// <summary>
/// Wakes a background worker (<typeparamref name="TWorker"/>) when there is work for it, so it does
/// not wait for its next poll. One pending wake covers everything queued since.
/// </summary>
public sealed class WakeSignal<TWorker>
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Wake()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => signal.WaitAsync(timeout, ct);
}
