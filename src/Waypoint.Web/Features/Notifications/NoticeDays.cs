namespace Waypoint.Features.Notifications;

/// <summary>
/// Days as the people who use Waypoint count them (UK time), for the digest (one e-mail a person
/// a day) and the grouping of the in-app list; and the words for each kind of notice.
/// </summary>
public static class NoticeDays
{
    public static readonly TimeZoneInfo Zone = FindLondon();

    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The instant the UK day <paramref name="day"/> begins.</summary>
    public static DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    private static readonly Dictionary<string, (string One, string Many)> Words = new(StringComparer.Ordinal)
    {
        ["alert"] = ("early-warning alert", "early-warning alerts"),
        ["alert-assigned"] = ("alert given to you", "alerts given to you"),
        ["referral"] = ("referral to the hub", "referrals to the hub"),
        ["referral-outcome"] = ("referral outcome", "referral outcomes"),
        ["service-referral"] = ("service referral", "service referrals"),
        ["service-review"] = ("service review", "service reviews"),
        ["case-transfer"] = ("case transfer", "case transfers"),
        ["case-step-up"] = ("case stepped up", "cases stepped up"),
        ["case-step-down"] = ("case stepped down", "cases stepped down"),
        ["meeting-invitation"] = ("meeting invitation", "meeting invitations"),
        ["meeting-agenda"] = ("meeting agenda", "meeting agendas"),
        ["import"] = ("import finished", "imports finished"),
    };

    /// <summary>"3 early-warning alerts": a count and the kind, never what the notices say.</summary>
    public static string Count(string kind, int count)
    {
        var (one, many) = Words.TryGetValue(kind, out var w) ? w : ("other notice", "other notices");
        return $"{count} {(count == 1 ? one : many)}";
    }

    public static string Label(string kind) =>
        Words.TryGetValue(kind, out var w) ? char.ToUpperInvariant(w.Many[0]) + w.Many[1..] : "Other notices";

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine with no time-zone data: UTC is at most an hour out, in summer.
            return TimeZoneInfo.Utc;
        }
    }
}
