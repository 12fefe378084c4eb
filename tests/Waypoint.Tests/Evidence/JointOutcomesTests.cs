using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>The joint outcomes arithmetic on hand-built children: windows, follow-up, measurability, suppression and the paired interval.</summary>
public sealed class JointOutcomesTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static OutcomeMeasure Measure(OutcomeRule rule, int threshold) => new() { Name = rule.ToString(), Rule = rule, Threshold = threshold };

    private static OutcomesReport Build(OutcomeMeasure measure, IReadOnlyList<OutcomeSubject> earlyHelp, IReadOnlyList<OutcomeSubject> comparison,
        IReadOnlyList<OutcomeEvent> events, IReadOnlyList<AttendanceSpan>? attendance = null) =>
        JointOutcomes.Build(new OutcomesInput("Testshire", Today, 5, [measure],
            [new OutcomePeriodInput("2024/25", new DateOnly(2024, 9, 1), new DateOnly(2025, 8, 31),
                [new OutcomeGroupInput(JointOutcomes.EarlyHelp, earlyHelp), new OutcomeGroupInput(JointOutcomes.Comparison, comparison)])],
            events, attendance ?? []));

    private static OutcomeCell Cell(OutcomesReport report, string group, int months) =>
        report.Periods[0].Measures[0].Cells.Single(c => c.Group == group && c.Months == months);

    [Fact]
    public void Build_RepeatSuspensionsBeforeAndAfter_CountsEachWindowAndTheChange()
    {
        var opened = new DateOnly(2024, 3, 1);
        var closed = new DateOnly(2024, 10, 1);
        var children = Enumerable.Range(0, 10).Select(_ => new OutcomeSubject(Guid.NewGuid(), opened, closed)).ToList();
        var events = new List<OutcomeEvent>();
        // Eight had two suspensions in the 6 months before the case opened; five of them two more in the 6 months after it closed.
        foreach (var c in children.Take(8))
            events.AddRange([new(c.PersonId, OutcomeRule.Suspensions, opened.AddDays(-30)), new(c.PersonId, OutcomeRule.Suspensions, opened.AddDays(-1))]);
        foreach (var c in children.Take(5))
            events.AddRange([new(c.PersonId, OutcomeRule.Suspensions, closed), new(c.PersonId, OutcomeRule.Suspensions, closed.AddMonths(6).AddDays(-1))]);
        // On the day the case opened and 6 months after it closed: outside both 6-month windows.
        events.AddRange([new(children[9].PersonId, OutcomeRule.Suspensions, opened), new(children[9].PersonId, OutcomeRule.Suspensions, opened.AddDays(1))]);
        events.AddRange([new(children[8].PersonId, OutcomeRule.Suspensions, closed.AddMonths(6)), new(children[8].PersonId, OutcomeRule.Suspensions, closed.AddMonths(6))]);

        var report = Build(Measure(OutcomeRule.Suspensions, 2), children, [], events);

        var six = Cell(report, JointOutcomes.EarlyHelp, 6);
        six.Children.Value.ShouldBe(10);
        six.Before.Value.ShouldBe(8);
        six.After.Value.ShouldBe(5);
        six.BeforeRate!.Estimate.ShouldBe(0.8, 1e-12);
        six.AfterRate!.Estimate.ShouldBe(0.5, 1e-12);
        six.Change!.Estimate.ShouldBe(-0.3, 1e-12);
        six.Change.Lower.ShouldBeLessThan(-0.3);
        six.Change.Upper.ShouldBeGreaterThan(-0.3);
        Cell(report, JointOutcomes.EarlyHelp, 12).After.Value.ShouldBe(6, "the suspensions 6 months after closing fall in the 12 months");
    }

    [Fact]
    public void Build_FollowUpNotYetOver_ChildLeftOutOfThatWindow()
    {
        var recent = new OutcomeSubject(Guid.NewGuid(), new DateOnly(2025, 1, 1), new DateOnly(2026, 3, 1));
        var older = Enumerable.Range(0, 6).Select(_ => new OutcomeSubject(Guid.NewGuid(), new DateOnly(2024, 1, 1), new DateOnly(2025, 3, 1))).ToList();

        var report = Build(Measure(OutcomeRule.PermanentExclusion, 1), [recent, .. older], [], []);

        Cell(report, JointOutcomes.EarlyHelp, 6).Children.Value.ShouldBe(7, "closed 1 March 2026: 6 months have passed by 1 December");
        Cell(report, JointOutcomes.EarlyHelp, 12).Children.Value.ShouldBe(6, "12 months have not");
    }

    [Fact]
    public void Build_FewChildrenOrSmallCount_SuppressedWithNoRate()
    {
        var few = Enumerable.Range(0, 4).Select(_ => new OutcomeSubject(Guid.NewGuid(), new DateOnly(2024, 1, 1), new DateOnly(2024, 10, 1))).ToList();
        var many = Enumerable.Range(0, 12).Select(_ => new OutcomeSubject(Guid.NewGuid(), new DateOnly(2024, 1, 1), new DateOnly(2024, 10, 1))).ToList();
        var events = new List<OutcomeEvent> { new(many[0].PersonId, OutcomeRule.PermanentExclusion, new DateOnly(2023, 12, 1)) };

        var report = Build(Measure(OutcomeRule.PermanentExclusion, 1), many, few, events);

        var comparison = Cell(report, JointOutcomes.Comparison, 6);
        comparison.Children.ToString().ShouldBe("c");
        comparison.Before.ToString().ShouldBe("c", "nothing about a handful of children is shown, not even a zero");
        comparison.BeforeRate.ShouldBeNull();
        var helped = Cell(report, JointOutcomes.EarlyHelp, 6);
        helped.Children.Value.ShouldBe(12);
        helped.Before.ToString().ShouldBe("c");
        helped.After.Value.ShouldBe(0);
        helped.BeforeRate.ShouldBeNull();
        helped.Change.ShouldBeNull();
        report.Periods[0].Measures[0].Contrasts.Single(c => c.Months == 6).Difference.ShouldBeNull();
    }

    [Fact]
    public void Holds_PersistentAbsence_SpreadsARecordOverItsDaysAndNeedsEnoughSessions()
    {
        var child = Guid.NewGuid();
        var measure = Measure(OutcomeRule.PersistentAbsence, 10);
        var events = new Dictionary<(Guid, OutcomeRule), List<DateOnly>>();
        // 100 days, 200 sessions, 30 absent: a window over half of it sees 100 sessions and 15 absent (15%).
        var attendance = new Dictionary<Guid, List<AttendanceSpan>> { [child] = [new(child, new DateOnly(2024, 1, 1), new DateOnly(2024, 4, 9), 200, 30)] };

        JointOutcomes.Holds(measure, child, new DateOnly(2023, 12, 1), new DateOnly(2024, 2, 20), events, attendance).ShouldBe(true);
        JointOutcomes.Holds(Measure(OutcomeRule.PersistentAbsence, 16), child, new DateOnly(2023, 12, 1), new DateOnly(2024, 2, 20), events, attendance).ShouldBe(false);
        JointOutcomes.Holds(measure, child, new DateOnly(2024, 4, 5), new DateOnly(2024, 6, 1), events, attendance).ShouldBeNull("five days hold 10 sessions, fewer than 20");
        JointOutcomes.Holds(measure, Guid.NewGuid(), new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 1), events, attendance).ShouldBeNull("no attendance record");
    }

    [Fact]
    public void Holds_PoliceOccurrences_NeedsTheThresholdInsideTheWindow()
    {
        var child = Guid.NewGuid();
        var events = new Dictionary<(Guid, OutcomeRule), List<DateOnly>> { [(child, OutcomeRule.PoliceOccurrences)] = [new(2024, 1, 1), new(2024, 2, 1), new(2024, 3, 1)] };
        var attendance = new Dictionary<Guid, List<AttendanceSpan>>();

        JointOutcomes.Holds(Measure(OutcomeRule.PoliceOccurrences, 3), child, new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 2), events, attendance).ShouldBe(true);
        JointOutcomes.Holds(Measure(OutcomeRule.PoliceOccurrences, 3), child, new DateOnly(2024, 1, 2), new DateOnly(2024, 3, 2), events, attendance).ShouldBe(false);
        JointOutcomes.Holds(Measure(OutcomeRule.PoliceOccurrences, 3), child, new DateOnly(2024, 1, 1), new DateOnly(2024, 3, 1), events, attendance).ShouldBe(false, "the window's last day is not in it");
    }

    [Fact]
    public void Csv_SameFiguresAsTheCells_OneRowEach()
    {
        var children = Enumerable.Range(0, 6).Select(_ => new OutcomeSubject(Guid.NewGuid(), new DateOnly(2024, 1, 1), new DateOnly(2024, 10, 1))).ToList();
        var report = Build(Measure(OutcomeRule.PermanentExclusion, 1), children, [], []);

        var lines = report.ToCsv().TrimEnd().Split(Environment.NewLine);

        lines.Length.ShouldBe(1 + 2 * 2);
        lines[1].ShouldStartWith("\"2024/25\",\"Testshire\",\"PermanentExclusion\",\"A permanent exclusion (withdrawn ones do not count)\",\"Early help or targeted support case\",6,6,0,0,0.0,");
    }
}
