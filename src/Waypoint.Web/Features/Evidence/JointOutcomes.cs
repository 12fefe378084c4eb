using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>A child's index period in one group: the case or service from start to end (the comparison's is one day, the hub's decision).</summary>
public sealed record OutcomeSubject(Guid PersonId, DateOnly Start, DateOnly End);

/// <summary>One dated event an outcome rule counts.</summary>
public sealed record OutcomeEvent(Guid PersonId, OutcomeRule Rule, DateOnly Day);

/// <summary>An attendance record's sessions, spread evenly over its days when a window cuts it.</summary>
public sealed record AttendanceSpan(Guid PersonId, DateOnly Start, DateOnly End, int Possible, int Absent);

/// <summary>One group's children: whose index periods fell in the period, and for the comparison, the early-help starts that disqualify them.</summary>
public sealed record OutcomeGroupInput(string Name, IReadOnlyList<OutcomeSubject> Subjects);

public sealed record OutcomePeriodInput(string Label, DateOnly From, DateOnly To, IReadOnlyList<OutcomeGroupInput> Groups);

public sealed record OutcomesInput(string AreaName, DateOnly Today, int Threshold, IReadOnlyList<OutcomeMeasure> Measures,
    IReadOnlyList<OutcomePeriodInput> Periods, IReadOnlyList<OutcomeEvent> Events, IReadOnlyList<AttendanceSpan> Attendance);

/// <summary>
/// One group, one window length: the children followed up, how many had the outcome in the
/// months before and in the months after, the proportions with Wilson intervals and the change
/// (after minus before) with Newcombe's paired interval. Figures withheld as <see cref="StatCell"/> says.
/// </summary>
public sealed record OutcomeCell(string Group, int Months, StatCell Children, StatCell Before, StatCell After, Interval? BeforeRate, Interval? AfterRate, Interval? Change, bool Incomplete = false);

/// <summary>
/// One group's paired counts for one measure and window: children with the outcome before and
/// after, before only, after only, neither; <see cref="Waiting"/> children whose months after have
/// not all passed yet (not counted in the four).
/// </summary>
public sealed record OutcomeCounts(int Both, int BeforeOnly, int AfterOnly, int Neither, int Waiting)
{
    public static OutcomeCounts None { get; } = new(0, 0, 0, 0, 0);
}

/// <summary>An early-help group's change against the comparison's change over the same months (a difference in differences), with an approximate interval.</summary>
public sealed record OutcomeContrast(string Group, int Months, Interval? Difference);

public sealed record OutcomeMeasureResult(Guid MeasureId, string Name, string Definition, IReadOnlyList<OutcomeCell> Cells, IReadOnlyList<OutcomeContrast> Contrasts);

public sealed record OutcomePeriod(string Label, DateOnly From, DateOnly To, IReadOnlyList<OutcomeMeasureResult> Measures);

public sealed record OutcomesReport(string AreaName, int Threshold, IReadOnlyList<OutcomePeriod> Periods, IReadOnlyList<string> Notes)
{
    public static string Percent(double? proportion) => proportion is { } p ? (p * 100).ToString("0.0", CultureInfo.InvariantCulture) : "";

    public static string Range(Interval? i) => i is null ? "" : $"{Percent(i.Lower)} to {Percent(i.Upper)}";

    /// <summary>The same figures as the page, one row a period, measure, group and window.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.AppendLine("period,area,measure,definition,group,months,children,had_it_before,had_it_after,percent_before,percent_before_lower,percent_before_upper,percent_after,percent_after_lower,percent_after_upper,change_points,change_lower,change_upper,against_comparison_points,against_comparison_lower,against_comparison_upper");
        foreach (var period in Periods)
            foreach (var m in period.Measures)
                foreach (var c in m.Cells)
                {
                    var contrast = m.Contrasts.FirstOrDefault(x => x.Group == c.Group && x.Months == c.Months)?.Difference;
                    csv.AppendLine(string.Join(',',
                        Quote(period.Label), Quote(AreaName), Quote(m.Name), Quote(m.Definition), Quote(c.Group), c.Months.ToString(CultureInfo.InvariantCulture),
                        c.Children, c.Before, c.After,
                        Percent(c.BeforeRate?.Estimate), Percent(c.BeforeRate?.Lower), Percent(c.BeforeRate?.Upper),
                        Percent(c.AfterRate?.Estimate), Percent(c.AfterRate?.Lower), Percent(c.AfterRate?.Upper),
                        Percent(c.Change?.Estimate), Percent(c.Change?.Lower), Percent(c.Change?.Upper),
                        Percent(contrast?.Estimate), Percent(contrast?.Lower), Percent(contrast?.Upper)));
                }
        return csv.ToString();
    }

    private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}

/// <summary>
/// The partnership's joint outcomes framework: for children whose early-help case closed (or
/// whose service from the directory ended) in a period, whether each outcome the partnership
/// defined held in the 6 and 12 months before the help began against the 6 and 12 months after
/// it ended; beside them, children reported to the hub and not taken on, over the same months
/// around the hub's decision. Aggregates only: no person leaves this class.
/// </summary>
public static class JointOutcomes
{
    public const string EarlyHelp = "Early help or targeted support case";
    public const string Service = "Service from the directory";
    public const string Comparison = "Reported, not taken on";

    public static IReadOnlyList<int> Windows { get; } = [6, 12];

    /// <summary>Fewer possible sessions than this in a window and absence is not measured there (two school weeks).</summary>
    public const int MinSessions = 20;

    public static IReadOnlyList<(string Name, OutcomeRule Rule, int Threshold)> Suggested { get; } =
    [
        ("Stepped up to children's social care", OutcomeRule.SteppedUpToSocialCare, 1),
        ("Repeat police demand", OutcomeRule.PoliceOccurrences, 3),
        ("Repeat suspensions", OutcomeRule.Suspensions, 2),
        ("Permanent exclusion", OutcomeRule.PermanentExclusion, 1),
        ("Persistent absence", OutcomeRule.PersistentAbsence, 10),
    ];

    /// <summary>The rules whose threshold the partnership sets, with its bounds.</summary>
    public static (int Min, int Max)? ThresholdRange(OutcomeRule rule) => rule switch
    {
        OutcomeRule.PoliceOccurrences or OutcomeRule.Suspensions => (1, 50),
        OutcomeRule.PersistentAbsence => (1, 100),
        _ => null,
    };

    public static string Describe(OutcomeRule rule, int threshold) => Describe(rule, threshold.ToString(CultureInfo.InvariantCulture));

    /// <summary>The rule in words with its threshold as a placeholder ("N"), for the form that defines one.</summary>
    public static string DescribeRule(OutcomeRule rule) => Describe(rule, "N");

    private static string Describe(OutcomeRule rule, string threshold) => rule switch
    {
        OutcomeRule.SteppedUpToSocialCare => "A report the hub decided as a step-up to children's social care, or a case closed by stepping it up (Waypoint does not hold entries to care themselves)",
        OutcomeRule.PoliceOccurrences => $"{threshold} or more police occurrences naming the child in any role but witness",
        OutcomeRule.Suspensions => $"{threshold} or more suspensions (withdrawn ones do not count)",
        OutcomeRule.PermanentExclusion => "A permanent exclusion (withdrawn ones do not count)",
        OutcomeRule.PersistentAbsence => $"Absent from {threshold}% or more of possible sessions (DfE's persistent absence is 10%)",
        _ => rule.ToString(),
    };

    public static OutcomesReport Build(OutcomesInput input)
    {
        var events = input.Events.GroupBy(e => (e.PersonId, e.Rule)).ToDictionary(g => g.Key, g => g.Select(e => e.Day).ToList());
        var attendance = input.Attendance.GroupBy(a => a.PersonId).ToDictionary(g => g.Key, g => g.ToList());
        var counted = new Dictionary<(int, string, Guid, int), OutcomeCounts>();
        for (var p = 0; p < input.Periods.Count; p++)
            foreach (var measure in input.Measures)
                foreach (var months in Windows)
                    foreach (var group in input.Periods[p].Groups)
                    {
                        // Only children whose months after have passed: a shorter follow-up would undercount.
                        int both = 0, beforeOnly = 0, afterOnly = 0, neither = 0, waiting = 0;
                        foreach (var s in group.Subjects)
                        {
                            if (s.End.AddMonths(months) > input.Today)
                            {
                                waiting++;
                                continue;
                            }
                            var before = Holds(measure, s.PersonId, s.Start.AddMonths(-months), s.Start, events, attendance);
                            var after = Holds(measure, s.PersonId, s.End, s.End.AddMonths(months), events, attendance);
                            if (before is null || after is null)
                                continue;
                            if (before.Value && after.Value)
                                both++;
                            else if (before.Value)
                                beforeOnly++;
                            else if (after.Value)
                                afterOnly++;
                            else
                                neither++;
                        }
                        counted[(p, group.Name, measure.Id, months)] = new OutcomeCounts(both, beforeOnly, afterOnly, neither, waiting);
                    }
        return Report(input.AreaName, input.Threshold, input.Measures,
            input.Periods.Select(p => (p.Label, p.From, p.To, (IReadOnlyList<string>)p.Groups.Select(g => g.Name).ToList())).ToList(),
            (p, group, measure, months) => counted.GetValueOrDefault((p, group, measure, months)) ?? OutcomeCounts.None);
    }

    /// <summary>
    /// The report from the paired counts of each period (by index), group, measure and window:
    /// suppression, proportions, changes and contrasts. <see cref="Build"/> counts from the raw
    /// events; <see cref="OutcomeRollups"/> sums the rollup rows in SQL.
    /// </summary>
    public static OutcomesReport Report(string areaName, int threshold, IReadOnlyList<OutcomeMeasure> measures,
        IReadOnlyList<(string Label, DateOnly From, DateOnly To, IReadOnlyList<string> Groups)> periodsIn, Func<int, string, Guid, int, OutcomeCounts> counts)
    {
        var periods = new List<OutcomePeriod>();
        var waitingNotes = new List<string>();
        for (var p = 0; p < periodsIn.Count; p++)
        {
            var period = periodsIn[p];
            var measuresOut = new List<OutcomeMeasureResult>();
            foreach (var measure in measures)
            {
                var cells = new List<OutcomeCell>();
                var changes = new Dictionary<(string, int), Interval?>();
                foreach (var months in Windows)
                    foreach (var group in period.Groups)
                    {
                        var k = counts(p, group, measure.Id, months);
                        var (both, beforeOnly, afterOnly, neither) = (k.Both, k.BeforeOnly, k.AfterOnly, k.Neither);
                        var n = both + beforeOnly + afterOnly + neither;
                        int[] values = [n, both + beforeOnly, both + afterOnly];
                        var hidden = values.Select(v => v > 0 && v < threshold).ToArray();
                        if (hidden[0])
                            hidden = [true, true, true]; // a handful of children: nothing about them is shown
                        var shown = !hidden.Any(h => h);
                        var change = shown ? RateStatistics.PairedChange(both, beforeOnly, afterOnly, neither) : null;
                        changes[(group, months)] = change;
                        cells.Add(new OutcomeCell(group, months,
                            Cell(values[0], hidden[0]), Cell(values[1], hidden[1]), Cell(values[2], hidden[2]),
                            shown ? RateStatistics.Wilson(values[1], n) : null, shown ? RateStatistics.Wilson(values[2], n) : null, change, k.Waiting > 0));
                    }
                var contrasts = new List<OutcomeContrast>();
                foreach (var months in Windows)
                    foreach (var group in period.Groups.Where(g => g != Comparison))
                        contrasts.Add(new OutcomeContrast(group, months, Contrast(changes.GetValueOrDefault((group, months)), changes.GetValueOrDefault((Comparison, months)))));
                measuresOut.Add(new OutcomeMeasureResult(measure.Id, measure.Name, Describe(measure.Rule, measure.Threshold), cells, contrasts));
            }
            var open = measuresOut.SelectMany(m => m.Cells).Where(c => c.Incomplete).Select(c => c.Months).Distinct().Order().ToList();
            if (open.Count > 0)
                waitingNotes.Add($"Help that ended in {period.Label}: the {string.Join(" and ", open)} months after have not yet passed for every child, so those children are not counted for {(open.Count == 1 ? "that window" : "those windows")} yet and the figures marked \"not all passed yet\" will change.");
            periods.Add(new OutcomePeriod(period.Label, period.From, period.To, measuresOut));
        }

        var notes = new List<string>
        {
            $"{EarlyHelp}: children of {areaName} whose case closed in the period. The months before are counted back from the day the case opened; the months after run from the day it closed.",
            $"{Service}: children whose service from the directory started and ended, the end in the period; months before its start and after its end.",
            $"{Comparison}: children the hub decided needed no further action, or advice and signposting, in the period, with no case opened and no service started in the months around that decision; months before and after the decision.",
            "Each child counts once in a group (their first in the period). A child counts for 6 or 12 months only when that many months have passed since the help ended.",
            "Absence is measured only where a child has 20 or more possible sessions in the months counted; an attendance record a window cuts is spread evenly over its days.",
            "Percentages are of the children followed up, with 95% Wilson intervals. The change is the percentage after minus before, in percentage points, with Newcombe's interval for the same children measured twice. 'Against the comparison' is the group's change minus the comparison's change, with an approximate interval (the two intervals combined as if normal).",
            $"c: a figure below {threshold}, or every figure for a group of fewer than {threshold} children, is not shown; nor is a percentage or change built on one.",
            "Before and after is not cause and effect: children are taken on when things are at their worst, and many outcomes ease with time alone. The comparison is of children reported but not taken on, who differ from those who were.",
        };
        notes.InsertRange(4, waitingNotes);
        return new OutcomesReport(areaName, threshold, periods, notes);
    }

    private static StatCell Cell(int value, bool hidden) => hidden ? new StatCell(null, StatCell.Suppressed) : new StatCell(value);

    private static Interval? Contrast(Interval? group, Interval? comparison)
    {
        if (group is null || comparison is null)
            return null;
        var estimate = group.Estimate - comparison.Estimate;
        var halfGroup = Math.Max(group.Upper - group.Estimate, group.Estimate - group.Lower);
        var halfComparison = Math.Max(comparison.Upper - comparison.Estimate, comparison.Estimate - comparison.Lower);
        var half = Math.Sqrt(halfGroup * halfGroup + halfComparison * halfComparison);
        return new Interval(estimate, estimate - half, estimate + half);
    }

    /// <summary>Whether the measure held for the child from <paramref name="from"/> up to (not including) <paramref name="to"/>; null where it cannot be measured.</summary>
    public static bool? Holds(OutcomeMeasure measure, Guid personId, DateOnly from, DateOnly to,
        IReadOnlyDictionary<(Guid, OutcomeRule), List<DateOnly>> events, IReadOnlyDictionary<Guid, List<AttendanceSpan>> attendance)
    {
        if (measure.Rule == OutcomeRule.PersistentAbsence)
        {
            double possible = 0, absent = 0;
            foreach (var a in attendance.GetValueOrDefault(personId) ?? [])
            {
                var start = a.Start > from ? a.Start : from;
                var end = a.End < to.AddDays(-1) ? a.End : to.AddDays(-1);
                if (end < start || a.End < a.Start)
                    continue;
                var share = (end.DayNumber - start.DayNumber + 1) / (double)(a.End.DayNumber - a.Start.DayNumber + 1);
                possible += a.Possible * share;
                absent += a.Absent * share;
            }
            if (possible < MinSessions)
                return null;
            return absent * 100 >= measure.Threshold * possible;
        }
        var days = events.GetValueOrDefault((personId, measure.Rule));
        var count = days?.Count(d => d >= from && d < to) ?? 0;
        return count >= Math.Max(1, measure.Threshold);
    }

    /// <summary>
    /// The dashboard for an academic year and the one before it, for the partnership or one
    /// county's or district's children (by the area they live in now), summed in SQL from the
    /// rollup rows (<see cref="OutcomeRollups"/>): never a scan of the raw tables per request.
    /// </summary>
    public static Task<OutcomesReport> LoadAsync(WaypointDbContext db, int year, Guid? areaId, DateOnly today, CancellationToken ct,
        int threshold = StatisticsPublication.DefaultThreshold) =>
        OutcomeRollups.LoadAsync(db, year, areaId, today, ct, threshold);

    /// <summary>The area's name and the areas in it (null: the whole partnership).</summary>
    internal static async Task<(string Name, List<Guid>? Areas)> AreaAsync(WaypointDbContext db, Guid? areaId, CancellationToken ct)
    {
        if (areaId is { } d)
        {
            var areas = await db.Areas.AsNoTracking().Where(a => a.Id == d || a.ParentId == d || a.Parent!.ParentId == d).Select(a => a.Id).ToListAsync(ct);
            var name = await db.Areas.AsNoTracking().Where(a => a.Id == d).Select(a => a.Name).SingleOrDefaultAsync(ct) ?? "the area";
            return (name, areas);
        }
        var counties = await db.Areas.AsNoTracking().Where(a => a.ParentId == null).Select(a => a.Name).ToListAsync(ct);
        return (counties.Count == 1 ? counties[0] : "the partnership", null);
    }

    /// <summary>
    /// The dashboard as it was read before the rollups (issue 15, item 5): the groups and the
    /// events their outcomes are built from read from the raw tables past the filters and counted
    /// in the application. Kept as the bench's baseline (bench/Waypoint.Bench/OutcomesBench.cs)
    /// and the tests' second opinion; the app reads <see cref="LoadAsync"/>.
    /// </summary>
    public static async Task<OutcomesReport> LoadFromRawAsync(WaypointDbContext db, int year, Guid? areaId, DateOnly today, CancellationToken ct,
        int threshold = StatisticsPublication.DefaultThreshold)
    {
        var measures = await OutcomeRollups.ReadyMeasuresAsync(db, ct);
        string areaName;
        List<Guid>? areas = null;
        if (areaId is { } d)
        {
            areas = await db.Areas.AsNoTracking().Where(a => a.Id == d || a.ParentId == d || a.Parent!.ParentId == d).Select(a => a.Id).ToListAsync(ct);
            areaName = await db.Areas.AsNoTracking().Where(a => a.Id == d).Select(a => a.Name).SingleOrDefaultAsync(ct) ?? "the area";
        }
        else
        {
            var counties = await db.Areas.AsNoTracking().Where(a => a.ParentId == null).Select(a => a.Name).ToListAsync(ct);
            areaName = counties.Count == 1 ? counties[0] : "the partnership";
        }

        var from = new AcademicYear(year - 1).Start;
        var to = new AcademicYear(year).End;
        var fromAt = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var toAt = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var everyone = db.Unfiltered<Person>("joint outcomes: counted across the partnership; only aggregates leave the query");
        var people = (areas is null ? everyone : everyone.Where(p => areas.Contains(p.AreaId))).Select(p => p.Id);

        var cases = await db.Unfiltered<Case>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
            .Where(c => c.Status == CaseStatus.Closed && c.ClosedAt != null && c.ClosedAt >= fromAt && c.ClosedAt < toAt && people.Contains(c.PersonId))
            .Select(c => new { c.PersonId, c.OpenedAt, ClosedAt = c.ClosedAt!.Value }).ToListAsync(ct);
        var services = await db.Unfiltered<ServiceReferral>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
            .Where(s => s.StartedOn != null && s.EndedOn != null && s.EndedOn >= from && s.EndedOn <= to && people.Contains(s.PersonId))
            .Select(s => new { s.PersonId, Start = s.StartedOn!.Value, End = s.EndedOn!.Value }).ToListAsync(ct);
        TriageOutcome[] notTakenOn = [TriageOutcome.NoFurtherAction, TriageOutcome.AdviceOrSignposting];
        var declined = await db.Unfiltered<Referral>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
            .Where(r => r.Outcome != null && notTakenOn.Contains(r.Outcome.Value) && r.DecidedAt != null && r.DecidedAt >= fromAt && r.DecidedAt < toAt && people.Contains(r.PersonId))
            .Select(r => new { r.PersonId, DecidedAt = r.DecidedAt!.Value }).ToListAsync(ct);

        var ids = cases.Select(c => c.PersonId).Concat(services.Select(s => s.PersonId)).Concat(declined.Select(r => r.PersonId)).Distinct().ToList();
        var reach = Windows.Max();
        var eventsFrom = from.AddMonths(-reach * 2);
        var eventsFromAt = new DateTimeOffset(eventsFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Help that disqualifies a child from the comparison: any case opened or service started for them.
        var helpStarts = (await db.Unfiltered<Case>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking().Where(c => ids.Contains(c.PersonId) && c.OpenedAt >= eventsFromAt)
                .Select(c => new { c.PersonId, c.OpenedAt }).ToListAsync(ct))
            .Select(c => (c.PersonId, Day: Day(c.OpenedAt)))
            .Concat((await db.Unfiltered<ServiceReferral>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking().Where(s => ids.Contains(s.PersonId) && s.StartedOn != null && s.StartedOn >= eventsFrom)
                .Select(s => new { s.PersonId, s.StartedOn }).ToListAsync(ct)).Select(s => (s.PersonId, Day: s.StartedOn!.Value)))
            .ToLookup(x => x.PersonId, x => x.Day);

        var events = new List<OutcomeEvent>();
        events.AddRange((await db.Unfiltered<Referral>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
                .Where(r => ids.Contains(r.PersonId) && r.Outcome == TriageOutcome.StepUpToChildrensSocialCare && r.DecidedAt != null && r.DecidedAt >= eventsFromAt)
                .Select(r => new { r.PersonId, r.DecidedAt }).ToListAsync(ct))
            .Select(r => new OutcomeEvent(r.PersonId, OutcomeRule.SteppedUpToSocialCare, Day(r.DecidedAt!.Value))));
        events.AddRange((await db.Unfiltered<Case>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
                .Where(c => ids.Contains(c.PersonId) && c.ClosureReason == CaseClosureReason.SteppedUp && c.ClosedAt != null && c.ClosedAt >= eventsFromAt)
                .Select(c => new { c.PersonId, c.ClosedAt }).ToListAsync(ct))
            .Select(c => new OutcomeEvent(c.PersonId, OutcomeRule.SteppedUpToSocialCare, Day(c.ClosedAt!.Value))));
        events.AddRange(await (from op in db.Unfiltered<OccurrencePerson>("joint outcomes: counted across the partnership; only aggregates leave the query")
                               join o in db.Unfiltered<Occurrence>("joint outcomes: counted across the partnership; only aggregates leave the query") on op.OccurrenceId equals o.Id
                               where ids.Contains(op.PersonId) && op.Role != OccurrenceRole.Witness && o.OccurredOn >= eventsFrom
                               select new OutcomeEvent(op.PersonId, OutcomeRule.PoliceOccurrences, o.OccurredOn))
            .AsNoTracking().ToListAsync(ct));
        events.AddRange((await db.Unfiltered<Suspension>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
                .Where(s => ids.Contains(s.PersonId) && s.Outcome != ExclusionOutcome.Withdrawn && s.StartDate >= eventsFrom)
                .Select(s => new { s.PersonId, s.Kind, s.StartDate }).ToListAsync(ct))
            .Select(s => new OutcomeEvent(s.PersonId, s.Kind == ExclusionKind.PermanentExclusion ? OutcomeRule.PermanentExclusion : OutcomeRule.Suspensions, s.StartDate)));
        var attendance = await db.Unfiltered<AttendanceRecord>("joint outcomes: counted across the partnership; only aggregates leave the query").AsNoTracking()
            .Where(a => ids.Contains(a.PersonId) && a.PeriodEnd >= eventsFrom)
            .Select(a => new AttendanceSpan(a.PersonId, a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.AuthorisedAbsence + a.UnauthorisedAbsence))
            .ToListAsync(ct);

        OutcomePeriodInput Period(int y)
        {
            var ay = new AcademicYear(y);
            bool In(DateOnly day) => day >= ay.Start && day <= ay.End;
            var earlyHelp = cases.Select(c => new OutcomeSubject(c.PersonId, Day(c.OpenedAt), Day(c.ClosedAt))).Where(s => In(s.End));
            var service = services.Select(s => new OutcomeSubject(s.PersonId, s.Start, s.End)).Where(s => In(s.End));
            var comparison = declined.Select(r => new OutcomeSubject(r.PersonId, Day(r.DecidedAt), Day(r.DecidedAt))).Where(s => In(s.End))
                .Where(s => !helpStarts[s.PersonId].Any(h => h >= s.Start.AddMonths(-reach) && h < s.End.AddMonths(reach)));
            return new OutcomePeriodInput(ay.ToString(), ay.Start, ay.End,
            [
                new OutcomeGroupInput(EarlyHelp, First(earlyHelp)),
                new OutcomeGroupInput(Service, First(service)),
                new OutcomeGroupInput(Comparison, First(comparison)),
            ]);
        }

        return Build(new OutcomesInput(areaName, today, threshold, measures, [Period(year), Period(year - 1)], events, attendance));
    }

    private static List<OutcomeSubject> First(IEnumerable<OutcomeSubject> subjects) =>
        subjects.GroupBy(s => s.PersonId).Select(g => g.OrderBy(s => s.End).ThenBy(s => s.Start).First()).ToList();

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
}
