namespace Waypoint.Shell;

/// <summary>
/// A job run once a day at a time of day (UTC) its settings give, or never when they say "off".
/// A failed run is logged and tomorrow's run tries again: the service must not stop the host.
/// </summary>
public abstract class DailyJob(TimeProvider clock, ILogger log) : BackgroundService
{
    protected TimeProvider Clock { get; } = clock;

    protected ILogger Log { get; } = log;

    /// <summary>When the job runs each day, or null when it is turned off.</summary>
    protected abstract TimeOnly? RunAt { get; }

    /// <summary>What the job is called in the log when a run fails.</summary>
    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (RunAt is not { } at)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(UntilNext(Clock.GetUtcNow(), at), Clock, stoppingToken);
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.LogError(e, "{Job} failed; tomorrow's run tries again", Name);
            }
        }
    }

    /// <summary>How long from <paramref name="now"/> until the next <paramref name="at"/> (tomorrow's when today's has passed).</summary>
    public static TimeSpan UntilNext(DateTimeOffset now, TimeOnly at)
    {
        var next = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
        if (next <= now)
            next = next.AddDays(1);
        return next - now;
    }

    /// <summary>A setting such as "03:30" as a time of day; "off" (or anything not a time) as null.</summary>
    public static TimeOnly? TimeOfDay(string? setting) =>
        TimeOnly.TryParse(setting, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;
}
