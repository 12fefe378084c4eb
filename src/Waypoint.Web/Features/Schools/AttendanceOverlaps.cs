namespace Waypoint.Features.Schools;

/// <summary>Two attendance periods of one pupil that cover some of the same days.</summary>
public sealed record AttendanceOverlap(AttendancePeriodView First, AttendancePeriodView Second, DateOnly From, DateOnly To)
{
    public bool SameSchool => First.School == Second.School;
}

/// <summary>
/// Where a pupil's attendance periods overlap. At two schools that is usually dual registration,
/// and the combined figure then counts both registrations' sessions for the same days; at one
/// school it can only be a period recorded twice. Either way the reader is told which dates.
/// </summary>
public static class AttendanceOverlaps
{
    public static IReadOnlyList<AttendanceOverlap> In(IReadOnlyList<AttendancePeriodView> periods)
    {
        var found = new List<AttendanceOverlap>();
        var ordered = periods.OrderBy(p => p.PeriodStart).ThenBy(p => p.PeriodEnd).ToList();
        for (var i = 0; i < ordered.Count; i++)
            for (var j = i + 1; j < ordered.Count && ordered[j].PeriodStart <= ordered[i].PeriodEnd; j++)
            {
                var (a, b) = (ordered[i], ordered[j]);
                found.Add(new AttendanceOverlap(a, b, b.PeriodStart, a.PeriodEnd < b.PeriodEnd ? a.PeriodEnd : b.PeriodEnd));
            }
        return found;
    }
}
