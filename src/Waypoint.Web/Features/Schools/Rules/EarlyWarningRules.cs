using System.Globalization;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Rules;

/// <summary>One attendance period as the early-warning rules need it.</summary>
public sealed record AttendancePeriodFacts(Guid SchoolId, DateOnly PeriodStart, DateOnly PeriodEnd, int SessionsPossible, int SessionsMissed)
{
    public int SessionsPresent => SessionsPossible - SessionsMissed;

    public static AttendancePeriodFacts Of(AttendanceRecord a) =>
        new(a.SchoolId, a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.AuthorisedAbsence + a.UnauthorisedAbsence);
}

/// <summary>
/// What a rule found about one pupil. <paramref name="Period"/> names the term, year or record
/// that set it off: with the rule and the pupil it makes the alert's trigger key, so the same
/// finding is one alert however often the rules run.
/// </summary>
public sealed record EarlyWarning(AlertRule Rule, string Period, Guid SchoolId, DateOnly TriggeredOn, string Figures);

/// <summary>
/// Two or more suspensions (the partnership's number) in a rolling term. A rolling term is the 91
/// days (13 weeks, a school term's length with its half-term) ending on the day a suspension
/// starts, both days included; suspensions from every school count, as the pupil lives them.
/// The suspension that brings the count in its rolling term to the threshold raises the alert;
/// further suspensions while the count stays above it do not, but once the earlier ones have
/// dropped out of the window, a suspension that brings it back to the threshold raises a new one.
/// Withdrawn suspensions never took effect and do not count.
/// </summary>
public static class RepeatedSuspensionRule
{
    public const int RollingTermDays = 91;

    public static IEnumerable<EarlyWarning> Evaluate(IEnumerable<SuspensionFacts> suspensions, int threshold)
    {
        var counted = suspensions.Where(s => s.Kind == ExclusionKind.Suspension && s.Counts)
            .OrderBy(s => s.StartDate).ThenBy(s => s.Id).ToList();
        for (var i = 0; i < counted.Count; i++)
        {
            var s = counted[i];
            var from = s.StartDate.AddDays(-(RollingTermDays - 1));
            var window = counted.Take(i + 1).Where(o => o.StartDate >= from).ToList();
            if (window.Count != threshold)
                continue;
            yield return new EarlyWarning(AlertRule.RepeatedSuspensions, s.Id.ToString("N"), s.SchoolId, s.StartDate,
                $"{window.Count} suspensions in the rolling term of {RollingTermDays} days from {EarlyWarningText.Date(from)} to {EarlyWarningText.Date(s.StartDate)}, "
                + $"starting on {string.Join(", ", window.Select(w => EarlyWarningText.Date(w.StartDate)))}. The threshold is {threshold}.");
        }
    }
}

/// <summary>
/// Suspension days in one term (terms as <see cref="SchoolCalendar"/> defines them) going past the
/// partnership's number of days (5 by default, the local authority's own "more than 5 days in a
/// term" line). Unlike the authority duty, which falls on each school, every school's suspensions
/// count: the alert is about the pupil. Lunchtime suspensions count a session (half a day) each.
/// One alert per term, raised by the suspension that takes the total past the line.
/// </summary>
public static class SuspensionDaysInTermRule
{
    public static IEnumerable<EarlyWarning> Evaluate(IEnumerable<SuspensionFacts> suspensions, int thresholdDays)
    {
        var limit = 2 * thresholdDays;
        var byTerm = suspensions.Where(s => s.Kind == ExclusionKind.Suspension && s.Counts)
            .GroupBy(s => (Year: AcademicYear.Of(s.StartDate), Term: SchoolCalendar.TermOf(s.StartDate)));
        foreach (var term in byTerm.OrderBy(g => g.Key.Year).ThenBy(g => g.Key.Term))
        {
            var total = 0;
            foreach (var s in term.OrderBy(s => s.StartDate).ThenBy(s => s.Id))
            {
                total += s.Sessions;
                if (total <= limit)
                    continue;
                yield return new EarlyWarning(AlertRule.SuspensionDaysInTerm, $"{term.Key.Year.StartYear}-{term.Key.Term}", s.SchoolId, s.StartDate,
                    $"{EarlyWarningText.Days(total)} of suspension in the {term.Key.Term.ToString().ToLowerInvariant()} term of {term.Key.Year} "
                    + $"by {EarlyWarningText.Date(s.StartDate)} ({total} sessions), more than the threshold of {thresholdDays} days.");
                break;
            }
        }
    }
}

/// <summary>
/// Persistent absence reached this academic year at a school: the sessions missed there
/// (authorised and unauthorised) at or above the partnership's percentage (10% by default, the DfE
/// line) of the sessions possible there, compared in whole sessions by <see cref="AbsenceRules.Reaches"/>.
/// One alert per pupil per academic year, owned by the school where absence is highest.
/// </summary>
public static class PersistentAbsenceRule
{
    public static EarlyWarning? Evaluate(IEnumerable<AttendancePeriodFacts> periods, int percent, DateOnly today)
    {
        var year = AcademicYear.Of(today);
        // Per enrolment, as the DfE measures it: absence at each school against that school's possible
        // sessions, so that a pupil dual registered at two schools is judged at each, not on the sum.
        var reached = periods.Where(p => year.Contains(p.PeriodStart)).GroupBy(p => p.SchoolId)
            .Select(school => (
                Latest: school.OrderBy(p => p.PeriodEnd).ThenBy(p => p.PeriodStart).Last(),
                Possible: school.Sum(p => p.SessionsPossible),
                Missed: school.Sum(p => p.SessionsMissed)))
            .Where(s => AbsenceRules.Reaches(s.Possible, s.Missed, percent))
            .ToList();
        if (reached.Count == 0)
            return null;
        // One alert a year: owned by the school where absence is highest (then the one with the latest period).
        var (latest, possible, missed) = reached.OrderByDescending(s => (decimal)s.Missed / s.Possible).ThenByDescending(s => s.Latest.PeriodEnd).First();
        var rate = new AbsenceSummary(possible, missed, 0).AbsenceRate!.Value;
        var where = reached.Count > 1 ? $"at {reached.Count} schools; highest at one school" : "at one school";
        return new EarlyWarning(AlertRule.PersistentAbsence, year.StartYear.ToString(CultureInfo.InvariantCulture), latest.SchoolId, latest.PeriodEnd,
            $"{rate.ToString("0.0", CultureInfo.InvariantCulture)}% of possible sessions missed in {year} to {EarlyWarningText.Date(latest.PeriodEnd)} ({where}): "
            + $"{missed} of {possible} sessions. The threshold is {percent}%.");
    }
}

/// <summary>
/// Attendance falling by the partnership's number of percentage points (10 by default) over six
/// weeks: attendance in the six weeks (42 days) up to the pupil's latest recorded period, against
/// the six weeks before them. A period belongs to the six weeks its last day falls in; a period
/// longer than six weeks (a termly return) cannot show a six-week change and is left out. The
/// comparison is exact, in whole sessions. One alert per term (of the latest period), owned by
/// the school of the latest period.
/// </summary>
public static class AttendanceFallRule
{
    public const int WindowDays = 42;

    public static EarlyWarning? Evaluate(IEnumerable<AttendancePeriodFacts> periods, int points)
    {
        var usable = periods.Where(p => p.PeriodEnd.DayNumber - p.PeriodStart.DayNumber < WindowDays).ToList();
        if (usable.Count == 0)
            return null;
        var latest = usable.OrderBy(p => p.PeriodEnd).ThenBy(p => p.PeriodStart).Last();
        var anchor = latest.PeriodEnd;
        var recentFrom = anchor.AddDays(-WindowDays);
        var earlierFrom = recentFrom.AddDays(-WindowDays);
        var recent = usable.Where(p => p.PeriodEnd > recentFrom).ToList();
        var earlier = usable.Where(p => p.PeriodEnd > earlierFrom && p.PeriodEnd <= recentFrom).ToList();
        long recentPossible = recent.Sum(p => p.SessionsPossible), recentPresent = recent.Sum(p => p.SessionsPresent);
        long earlierPossible = earlier.Sum(p => p.SessionsPossible), earlierPresent = earlier.Sum(p => p.SessionsPresent);
        if (recentPossible == 0 || earlierPossible == 0)
            return null;
        // earlier% - recent% >= points, multiplied out so that no rounding decides it.
        if (100 * (earlierPresent * recentPossible - recentPresent * earlierPossible) < points * earlierPossible * recentPossible)
            return null;
        decimal Rate(long present, long possible) => 100m * present / possible;
        var before = Rate(earlierPresent, earlierPossible);
        var now = Rate(recentPresent, recentPossible);
        return new EarlyWarning(AlertRule.AttendanceFall, $"{AcademicYear.Of(anchor).StartYear}-{SchoolCalendar.TermOf(anchor)}", latest.SchoolId, anchor,
            $"Attendance fell from {EarlyWarningText.Percent(before)}% in the six weeks to {EarlyWarningText.Date(recentFrom)} "
            + $"to {EarlyWarningText.Percent(now)}% in the six weeks to {EarlyWarningText.Date(anchor)}: a fall of {EarlyWarningText.Percent(before - now)} points. "
            + $"The threshold is {points} points.");
    }
}

/// <summary>Every permanent exclusion that was not withdrawn: one alert each.</summary>
public static class PermanentExclusionRule
{
    public static IEnumerable<EarlyWarning> Evaluate(IEnumerable<SuspensionFacts> suspensions) =>
        suspensions.Where(s => s.Kind == ExclusionKind.PermanentExclusion && s.Counts)
            .OrderBy(s => s.StartDate).ThenBy(s => s.Id)
            .Select(s => new EarlyWarning(AlertRule.PermanentExclusion, s.Id.ToString("N"), s.SchoolId, s.StartDate,
                $"Permanently excluded from {EarlyWarningText.Date(s.StartDate)}."));
}

internal static class EarlyWarningText
{
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Days(int sessions) => $"{(sessions / 2m).ToString("0.#", CultureInfo.InvariantCulture)} days";

    /// <summary>Cut to one place, never rounded up, so that 9.96 points shows as 9.9 and not as a "10.0" that did not reach the line.</summary>
    public static string Percent(decimal value) => Math.Round(value, 1, MidpointRounding.ToZero).ToString("0.0", CultureInfo.InvariantCulture);
}
