using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Tests.Alerts;

/// <summary>The early-warning rules at their boundaries: pure functions, no database.</summary>
public sealed class EarlyWarningRulesTests
{
    private static readonly Guid SchoolA = Guid.CreateVersion7();
    private static readonly Guid SchoolB = Guid.CreateVersion7();

    // A Wednesday in the middle of an autumn term, well away from its edges.
    private static readonly DateOnly MidAutumn = new(2025, 10, 15);

    private static SuspensionFacts Suspension(DateOnly start, int sessions = 2, Guid? school = null, ExclusionOutcome outcome = ExclusionOutcome.NotReviewed) =>
        new(Guid.CreateVersion7(), school ?? SchoolA, ExclusionKind.Suspension, start, sessions, outcome, false);

    private static SuspensionFacts Exclusion(DateOnly start, ExclusionOutcome outcome = ExclusionOutcome.Pending) =>
        new(Guid.CreateVersion7(), SchoolA, ExclusionKind.PermanentExclusion, start, 0, outcome, false);

    private static AttendancePeriodFacts Period(DateOnly end, int possible, int missed, int days = 5, Guid? school = null) =>
        new(school ?? SchoolA, end.AddDays(-(days - 1)), end, possible, missed);

    [Fact]
    public void RepeatedSuspensions_OneInTheRollingTerm_NoWarning() =>
        RepeatedSuspensionRule.Evaluate([Suspension(MidAutumn)], threshold: 2).ShouldBeEmpty();

    [Fact]
    public void RepeatedSuspensions_TwoInTheRollingTerm_OneWarningFromTheSecond()
    {
        var first = Suspension(MidAutumn.AddDays(-30));
        var second = Suspension(MidAutumn, school: SchoolB);

        var warning = RepeatedSuspensionRule.Evaluate([second, first], threshold: 2).ShouldHaveSingleItem();

        warning.Rule.ShouldBe(AlertRule.RepeatedSuspensions);
        warning.Period.ShouldBe(second.Id.ToString("N"));
        warning.SchoolId.ShouldBe(SchoolB);
        warning.TriggeredOn.ShouldBe(MidAutumn);
        warning.Figures.ShouldContain("2 suspensions in the rolling term of 91 days");
        warning.Figures.ShouldContain("15 September 2025, 15 October 2025");
    }

    [Theory]
    [InlineData(90, true)]
    [InlineData(91, false)]
    public void RepeatedSuspensions_AtTheEdgeOfTheRollingTerm_CountsNinetyOneDaysInclusive(int daysApart, bool warned) =>
        RepeatedSuspensionRule.Evaluate([Suspension(MidAutumn.AddDays(-daysApart)), Suspension(MidAutumn)], threshold: 2).Any().ShouldBe(warned);

    [Fact]
    public void RepeatedSuspensions_ThirdInTheSameRun_NoFurtherWarningUntilTheRunStartsAgain()
    {
        var run = new[] { Suspension(MidAutumn), Suspension(MidAutumn.AddDays(7)), Suspension(MidAutumn.AddDays(14)) };
        var later = new[] { Suspension(MidAutumn.AddDays(200)), Suspension(MidAutumn.AddDays(210)) };

        var warnings = RepeatedSuspensionRule.Evaluate([.. run, .. later], threshold: 2).ToList();

        warnings.Select(w => w.Period).ShouldBe([run[1].Id.ToString("N"), later[1].Id.ToString("N")]);
    }

    [Fact]
    public void RepeatedSuspensions_WithdrawnOrPermanent_DoNotCount() =>
        RepeatedSuspensionRule.Evaluate([Suspension(MidAutumn.AddDays(-3), outcome: ExclusionOutcome.Withdrawn), Exclusion(MidAutumn.AddDays(-1)), Suspension(MidAutumn)], threshold: 2)
            .ShouldBeEmpty();

    [Fact]
    public void RepeatedSuspensions_ThresholdOfThree_TwoAreNotEnough()
    {
        var three = new[] { Suspension(MidAutumn), Suspension(MidAutumn.AddDays(1)), Suspension(MidAutumn.AddDays(2)) };

        RepeatedSuspensionRule.Evaluate(three.Take(2), threshold: 3).ShouldBeEmpty();
        RepeatedSuspensionRule.Evaluate(three, threshold: 3).ShouldHaveSingleItem().Period.ShouldBe(three[2].Id.ToString("N"));
    }

    [Theory]
    [InlineData(10, false)] // 5 days
    [InlineData(11, true)] // 5.5 days
    [InlineData(12, true)] // 6 days
    public void SuspensionDaysInTerm_AroundFiveDays_WarnsOnlyPastFive(int sessions, bool warned) =>
        SuspensionDaysInTermRule.Evaluate([Suspension(MidAutumn, sessions)], thresholdDays: 5).Any().ShouldBe(warned);

    [Fact]
    public void SuspensionDaysInTerm_SixDaysFromTwoSchools_OneWarningForTheTermFromTheSuspensionThatCrossed()
    {
        var first = Suspension(MidAutumn, 6, SchoolA);
        var second = Suspension(MidAutumn.AddDays(20), 6, SchoolB);
        var third = Suspension(MidAutumn.AddDays(30), 6, SchoolA);

        var warning = SuspensionDaysInTermRule.Evaluate([first, second, third], thresholdDays: 5).ShouldHaveSingleItem();

        warning.Period.ShouldBe("2025-Autumn");
        warning.SchoolId.ShouldBe(SchoolB);
        warning.TriggeredOn.ShouldBe(second.StartDate);
        warning.Figures.ShouldStartWith("6 days of suspension in the autumn term of 2025/26");
    }

    [Fact]
    public void SuspensionDaysInTerm_SixDaysSplitAcrossTwoTerms_NoWarning() =>
        SuspensionDaysInTermRule.Evaluate([Suspension(new DateOnly(2025, 12, 15), 6), Suspension(new DateOnly(2026, 1, 6), 6)], thresholdDays: 5).ShouldBeEmpty();

    [Theory]
    [InlineData(99, false)] // 9.9%
    [InlineData(100, true)] // 10%
    public void PersistentAbsence_AroundTenPercent_WarnsFromTenPercent(int missed, bool warned) =>
        (PersistentAbsenceRule.Evaluate([Period(MidAutumn, 1000, missed)], percent: 10, today: MidAutumn) is not null).ShouldBe(warned);

    [Fact]
    public void PersistentAbsence_LastYearsAbsence_NotCounted()
    {
        var lastYear = Period(new DateOnly(2025, 7, 10), 100, 50);
        var thisYear = Period(MidAutumn, 100, 5);

        PersistentAbsenceRule.Evaluate([lastYear, thisYear], percent: 10, today: MidAutumn).ShouldBeNull();
    }

    [Fact]
    public void PersistentAbsence_ReachedAtOneSchool_OnePerYearOwnedByThatSchool()
    {
        var warning = PersistentAbsenceRule.Evaluate([Period(MidAutumn.AddDays(-7), 10, 2, school: SchoolA), Period(MidAutumn, 10, 1, school: SchoolB)], percent: 15, today: MidAutumn);

        warning.ShouldNotBeNull();
        warning.Period.ShouldBe("2025");
        warning.SchoolId.ShouldBe(SchoolA);
        warning.Figures.ShouldStartWith("20.0% of possible sessions missed in 2025/26");
        warning.Figures.ShouldContain("(at one school): 2 of 10 sessions");
    }

    [Fact]
    public void PersistentAbsence_ReachedOnlyWhenTwoSchoolsAreAddedTogether_NoAlert()
    {
        // 9% at each of two schools is 9% at each enrolment, whatever the overlap of their periods: not persistent absence.
        var warning = PersistentAbsenceRule.Evaluate([Period(MidAutumn, 100, 9, school: SchoolA), Period(MidAutumn, 100, 9, school: SchoolB)], percent: 10, today: MidAutumn);

        warning.ShouldBeNull();
    }

    [Fact]
    public void PersistentAbsence_ReachedAtBothSchools_OwnedByTheSchoolWithTheHigherAbsence()
    {
        var warning = PersistentAbsenceRule.Evaluate([Period(MidAutumn, 100, 30, school: SchoolA), Period(MidAutumn.AddDays(-7), 100, 40, school: SchoolB)], percent: 10, today: MidAutumn);

        warning.ShouldNotBeNull().SchoolId.ShouldBe(SchoolB);
        warning.Figures.ShouldContain("(at 2 schools; highest at one school): 40 of 100 sessions");
    }

    [Theory]
    [InlineData(901, false)] // from 100% to 90.1%: a fall of 9.9 points
    [InlineData(900, true)] // to 90%: 10 points
    public void AttendanceFall_AroundTenPoints_WarnsFromTenPoints(int presentRecently, bool warned)
    {
        var earlier = Period(MidAutumn.AddDays(-45), 1000, 0);
        var recent = Period(MidAutumn, 1000, 1000 - presentRecently);

        var warning = AttendanceFallRule.Evaluate([earlier, recent], points: 10);

        (warning is not null).ShouldBe(warned);
        if (warning is not null)
        {
            warning.Period.ShouldBe("2025-Autumn");
            warning.TriggeredOn.ShouldBe(MidAutumn);
            warning.Figures.ShouldContain("from 100.0% in the six weeks to 3 September 2025 to 90.0% in the six weeks to 15 October 2025: a fall of 10.0 points");
        }
    }

    [Fact]
    public void AttendanceFall_JustUnderTheLine_ShownAsNinePointNineNotTen()
    {
        // 100% to 90.04%: 9.96 points, which must neither warn nor read as "10.0".
        var earlier = Period(MidAutumn.AddDays(-45), 2500, 0);
        var recent = Period(MidAutumn, 2500, 249);

        AttendanceFallRule.Evaluate([earlier, recent], points: 10).ShouldBeNull();
        AttendanceFallRule.Evaluate([earlier, recent], points: 9)!.Figures.ShouldContain("a fall of 9.9 points");
    }

    [Fact]
    public void AttendanceFall_OnlyTermlyReturnsOrNoEarlierWeeks_NoWarning()
    {
        var termly = new AttendancePeriodFacts(SchoolA, new DateOnly(2025, 9, 1), new DateOnly(2025, 12, 19), 140, 40);

        AttendanceFallRule.Evaluate([termly, Period(MidAutumn, 10, 5)], points: 10).ShouldBeNull();
        AttendanceFallRule.Evaluate([Period(MidAutumn.AddDays(-7), 10, 0), Period(MidAutumn, 10, 5)], points: 10).ShouldBeNull();
    }

    [Fact]
    public void AttendanceFall_PeriodEndingOnTheWindowEdge_BelongsToTheEarlierSixWeeks()
    {
        // Ends exactly 42 days before the latest period: the earlier window's last day.
        var edge = Period(MidAutumn.AddDays(-42), 10, 0);
        var recent = Period(MidAutumn, 10, 2);

        AttendanceFallRule.Evaluate([edge, recent], points: 20).ShouldNotBeNull();
    }

    [Fact]
    public void PermanentExclusion_EachOneNotWithdrawn_OneWarningEach()
    {
        var upheld = Exclusion(MidAutumn, ExclusionOutcome.Upheld);
        var withdrawn = Exclusion(MidAutumn.AddDays(1), ExclusionOutcome.Withdrawn);

        var warning = PermanentExclusionRule.Evaluate([upheld, withdrawn, Suspension(MidAutumn)]).ShouldHaveSingleItem();

        warning.Period.ShouldBe(upheld.Id.ToString("N"));
        warning.Figures.ShouldBe("Permanently excluded from 15 October 2025.");
    }
}
