using System.Collections.Concurrent;

namespace Waypoint.Data;

/// <summary>
/// A value per key, kept until the next write this process makes through EF (<see cref="WriteStamp"/> moves) and never longer
/// than <c>bound</c> (what a write elsewhere leaves behind: another process, the bulk writer's COPY, a date passing); past
/// <c>most</c> keys all are forgotten (each is one read to make again). The value is kept under the stamp read <em>before</em> it
/// was read, so a write made while it was read leaves it stale. Whoever keeps something here chooses the key: a value
/// computed for a reader is kept under a key naming that reader (and whatever else its reads depend on), so it is served to
/// that key alone (issue 18: the menu's badges, the case page's organisations, home's count, the hub queue).
/// </summary>
public sealed class KeptUntilWrite<TKey, T>(TimeSpan bound, int most) where TKey : notnull
{
    private sealed record Kept(T Value, long Stamp, DateTimeOffset Until);

    private readonly ConcurrentDictionary<TKey, Kept> kept = new();

    /// <summary>How long a value is kept when nothing is written.</summary>
    public TimeSpan Bound => bound;

    /// <summary>
    /// The value kept for <paramref name="key"/> while the stamp is unchanged and <see cref="Bound"/> has not passed; else
    /// <paramref name="read"/>'s, kept unless <paramref name="keep"/> says not (a value that must be read again each time).
    /// </summary>
    public async Task<T> GetAsync(TKey key, TimeProvider clock, Func<Task<T>> read, Func<T, bool>? keep = null)
    {
        var (stamp, now) = (WriteStamp.Current, clock.GetUtcNow());
        if (kept.TryGetValue(key, out var found) && found.Stamp == stamp && found.Until > now)
            return found.Value;
        var value = await read();
        if (keep is null || keep(value))
        {
            if (kept.Count >= most)
                kept.Clear();
            kept[key] = new Kept(value, stamp, now.Add(bound));
        }
        return value;
    }
}
