using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Tests.Schools;

/// <summary>The school rules at their boundaries: pure functions, no database.</summary>
public sealed class SchoolRulesTests
{
    private static readonly Guid SchoolA = Guid.CreateVersion7();
    private static readonly Guid SchoolB = Guid.CreateVersion7();

    private static SuspensionFacts Suspension(Guid school, DateOnly start, int sessions, ExclusionOutcome outcome = ExclusionOutcome.NotReviewed, bool exam = false) =>
        new(Guid.CreateVersion7(), school, ExclusionKind.Suspension, start, sessions, outcome, exam);

    [Theory]
    [InlineData(1000, 99, false)]
    [InlineData(1000, 100, true)]
    [InlineData(10, 1, true)]
    [InlineData(0, 0, false)]
    public void IsPersistent_AtTenPercent_TrueFromTenPercentOnly(int possible, int missed, bool expected) =>
        AbsenceRules.IsPersistent(possible, missed).ShouldBe(expected);

    [Theory]
    [InlineData(1000, 499, AbsenceLevel.Persistent)]
    [InlineData(1000, 500, AbsenceLevel.Severe)]
    [InlineData(1000, 99, AbsenceLevel.None)]
    [InlineData(0, 0, AbsenceLevel.None)]
    public void Classify_AroundFiftyPercent_SevereFromFiftyPercent(int possible, int missed, AbsenceLevel expected) =>
        AbsenceRules.Classify(possible, missed).ShouldBe(expected);

    [Fact]
    public void AbsenceRate_JustUnderTenPercent_RoundedAsDfeRoundsButNotPersistent()
    {
        // 9.99% is published as 10.0%; the level is decided in whole sessions, and 100 of 1,001 is under 10%.
        var summary = new AbsenceSummary(SessionsPossible: 1001, AuthorisedAbsence: 60, UnauthorisedAbsence: 40);

        summary.AbsenceRate.ShouldBe(10.0m);
        summary.Level.ShouldBe(AbsenceLevel.None);
    }

    [Theory]
    [InlineData(2000, 1017, 50.9)] // 50.85: half away from zero, not cut to 50.8
    [InlineData(2000, 1015, 50.8)] // 50.75
    [InlineData(3000, 1000, 33.3)]
    [InlineData(3, 2, 66.7)]
    public void AbsenceRate_RoundedToOnePlaceHalfAwayFromZero(int possible, int missed, double expected) =>
        new AbsenceSummary(possible, missed, 0).AbsenceRate.ShouldBe((decimal)expected);

    [Fact]
    public void Summarise_SeveralPeriods_AddsSessionsBeforeJudging()
    {
        // Neither period alone is persistent absence at 10%; together they are 10 of 100.
        var summary = AbsenceRules.Summarise([(50, 3, 1), (50, 4, 2)]);

        summary.SessionsPossible.ShouldBe(100);
        summary.SessionsMissed.ShouldBe(10);
        summary.Level.ShouldBe(AbsenceLevel.Persistent);
    }

    [Fact]
    public void SuspensionLimit_FortyFiveDaysAcrossTwoSchools_AllowedAndHalfADayMoreExceeds()
    {
        var year = new AcademicYear(2025);
        List<SuspensionFacts> suspensions =
        [
            Suspension(SchoolA, new DateOnly(2025, 10, 6), 40),
            Suspension(SchoolB, new DateOnly(2026, 2, 2), 50),
        ];

        var atLimit = SuspensionLimit.Total(suspensions, year);
        var over = SuspensionLimit.Total([.. suspensions, Suspension(SchoolB, new DateOnly(2026, 5, 11), 1)], year);

        atLimit.Days.ShouldBe(45m);
        atLimit.Schools.ShouldBe(2);
        atLimit.ExceedsLimit.ShouldBeFalse();
        atLimit.DaysRemaining.ShouldBe(0m);
        over.Days.ShouldBe(45.5m);
        over.ExceedsLimit.ShouldBeTrue();
        SuspensionLimit.WouldExceed(suspensions, new DateOnly(2026, 6, 1), 1).ShouldBeTrue();
    }

    [Fact]
    public void SuspensionLimit_OtherYearsWithdrawnAndPermanentExclusions_NotCounted()
    {
        List<SuspensionFacts> suspensions =
        [
            Suspension(SchoolA, new DateOnly(2025, 8, 31), 60), // the last day of 2024/25
            Suspension(SchoolA, new DateOnly(2025, 9, 1), 10),
            Suspension(SchoolA, new DateOnly(2025, 9, 8), 80, ExclusionOutcome.Withdrawn),
            new(Guid.CreateVersion7(), SchoolA, ExclusionKind.PermanentExclusion, new DateOnly(2025, 9, 15), 0, ExclusionOutcome.Upheld, false),
        ];

        SuspensionLimit.Total(suspensions, new AcademicYear(2025)).Sessions.ShouldBe(10);
    }

    [Fact]
    public void Notice_SuspensionTakingTermTotalToFiveDays_NotAtOnce()
    {
        var earlier = Suspension(SchoolA, new DateOnly(2025, 9, 15), 6);
        var given = Suspension(SchoolA, new DateOnly(2025, 11, 3), 4);

        LocalAuthorityNotification.Assess(given, [earlier, given]).AtOnce.ShouldBeFalse();
    }

    [Fact]
    public void Notice_SuspensionTakingTermTotalToSixDays_AtOnce()
    {
        var earlier = Suspension(SchoolA, new DateOnly(2025, 9, 15), 6);
        var given = Suspension(SchoolA, new DateOnly(2025, 11, 3), 6);

        var notice = LocalAuthorityNotification.Assess(given, [earlier, given]);

        notice.Reasons.ShouldBe([NotificationReason.MoreThanFiveDaysInTerm]);
        LocalAuthorityNotification.Assess(earlier, [earlier, given]).AtOnce.ShouldBeFalse();
    }

    [Fact]
    public void Notice_ElevenLunchtimesInATerm_AtOnceButTenDoNot()
    {
        var lunchtimes = Enumerable.Range(0, 11).Select(i => Suspension(SchoolA, new DateOnly(2026, 1, 5).AddDays(i), 1)).ToList();

        LocalAuthorityNotification.Assess(lunchtimes[9], lunchtimes).AtOnce.ShouldBeFalse();
        LocalAuthorityNotification.Assess(lunchtimes[10], lunchtimes).AtOnce.ShouldBeTrue();
    }

    [Fact]
    public void Notice_EarlierDaysAtAnotherSchoolOrInAnotherTerm_NotCountedTowardsFiveDays()
    {
        var otherSchool = Suspension(SchoolB, new DateOnly(2025, 10, 1), 8);
        var lastTerm = Suspension(SchoolA, new DateOnly(2025, 12, 15), 8);
        var given = Suspension(SchoolA, new DateOnly(2026, 1, 12), 4);

        LocalAuthorityNotification.Assess(given, [otherSchool, lastTerm, given]).AtOnce.ShouldBeFalse();
    }

    [Fact]
    public void Notice_PermanentExclusionOrMissedExamination_AtOnce()
    {
        var exclusion = new SuspensionFacts(Guid.CreateVersion7(), SchoolA, ExclusionKind.PermanentExclusion, new DateOnly(2026, 3, 2), 0, ExclusionOutcome.Pending, false);
        var examDay = Suspension(SchoolA, new DateOnly(2026, 5, 18), 2, exam: true);

        LocalAuthorityNotification.Assess(exclusion, [exclusion]).Reasons.ShouldBe([NotificationReason.PermanentExclusion]);
        LocalAuthorityNotification.Assess(examDay, [examDay]).Reasons.ShouldBe([NotificationReason.MissesPublicExamination]);
    }

    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    public void EasterSunday_KnownYears_Matches(int year, int month, int day) =>
        SchoolCalendar.EasterSunday(year).ShouldBe(new DateOnly(year, month, day));

    [Theory]
    [InlineData("2025-09-01", SchoolTerm.Autumn)]
    [InlineData("2025-12-31", SchoolTerm.Autumn)]
    [InlineData("2026-01-01", SchoolTerm.Spring)]
    [InlineData("2026-04-05", SchoolTerm.Spring)]
    [InlineData("2026-04-06", SchoolTerm.Summer)]
    [InlineData("2026-08-31", SchoolTerm.Summer)]
    public void TermOf_Boundaries_FollowSeptemberDecemberEaster(string date, SchoolTerm expected) =>
        SchoolCalendar.TermOf(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(expected);

    [Fact]
    public void AcademicYear_AroundFirstOfSeptember_ChangesYear()
    {
        AcademicYear.Of(new DateOnly(2025, 8, 31)).ShouldBe(new AcademicYear(2024));
        AcademicYear.Of(new DateOnly(2025, 9, 1)).ShouldBe(new AcademicYear(2025));
        new AcademicYear(2025).ToString().ShouldBe("2025/26");
        SchoolCalendar.Bounds(new AcademicYear(2025), SchoolTerm.Summer).ShouldBe((new DateOnly(2026, 4, 6), new DateOnly(2026, 8, 31)));
    }

    [Fact]
    public void AttendanceTotals_MixedCodes_CountEachAsTheGuidanceSays()
    {
        List<AttendanceCodeCount> counts =
        [
            new() { Code = "/", Sessions = 50 }, new() { Code = "\\", Sessions = 50 }, new() { Code = "L", Sessions = 2 },
            new() { Code = "B", Sessions = 3 }, new() { Code = "I", Sessions = 5 }, new() { Code = "C2", Sessions = 1 },
            new() { Code = "O", Sessions = 4 }, new() { Code = "U", Sessions = 1 }, new() { Code = "Y1", Sessions = 2 },
            new() { Code = "D", Sessions = 6 }, new() { Code = "#", Sessions = 4 },
        ];

        AttendanceCodes.Totals(counts).ShouldBe(new AttendanceTotals(Possible: 116, Present: 105, AuthorisedAbsence: 6, UnauthorisedAbsence: 5));
    }

    [Fact]
    public void AttendanceCodes_2024Set_UniqueAndWithoutWithdrawnCodes()
    {
        AttendanceCodes.All.Select(c => c.Code).ShouldBeUnique();
        foreach (var withdrawn in new[] { "H", "J", "Y", "F" })
            AttendanceCodes.Find(withdrawn).ShouldBeNull(withdrawn);
        AttendanceCodes.Find("K")!.Effect.ShouldBe(AttendanceCodeEffect.Present);
        AttendanceCodes.Find("X")!.Effect.ShouldBe(AttendanceCodeEffect.NotPossible);
    }

    [Fact]
    public void ExclusionReasons_RetiredCodes_ReadableButNotCurrent()
    {
        ExclusionReasons.All.Select(r => r.Code).ShouldBeUnique();
        ExclusionReasons.Find("db")!.IsCurrent.ShouldBeFalse();
        ExclusionReasons.Find("LD")!.IsCurrent.ShouldBeTrue();
        ExclusionReasons.Find("ZZ").ShouldBeNull();
    }

    [Fact]
    public void AttendanceFigures_Consistent_NoProblems()
    {
        var record = new AttendanceRecord
        {
            PeriodStart = new DateOnly(2025, 9, 1),
            PeriodEnd = new DateOnly(2025, 10, 17),
            SessionsPossible = 66,
            SessionsPresent = 60,
            AuthorisedAbsence = 4,
            UnauthorisedAbsence = 2,
            CodeCounts = [new() { Code = "/", Sessions = 30 }, new() { Code = "\\", Sessions = 30 }, new() { Code = "I", Sessions = 4 }, new() { Code = "N", Sessions = 2 }, new() { Code = "Y2", Sessions = 2 }],
        };

        AttendanceFigures.Check(record).ShouldBeEmpty();
    }

    [Fact]
    public void AttendanceFigures_TotalsOrCodesDisagree_NamesTheField()
    {
        var sums = new AttendanceRecord { PeriodStart = new DateOnly(2025, 9, 1), PeriodEnd = new DateOnly(2025, 9, 1), SessionsPossible = 10, SessionsPresent = 9, AuthorisedAbsence = 0, UnauthorisedAbsence = 0 };
        var codes = new AttendanceRecord
        {
            PeriodStart = new DateOnly(2025, 9, 5),
            PeriodEnd = new DateOnly(2025, 9, 1),
            SessionsPossible = 2,
            SessionsPresent = 2,
            CodeCounts = [new() { Code = "H", Sessions = 2 }],
        };

        AttendanceFigures.Check(sums).ShouldBe([("SessionsPossible", "Sessions possible (10) must equal present, authorised and unauthorised absence added together (9)")]);
        var problems = AttendanceFigures.Check(codes);
        problems.Select(p => p.Field).ShouldBe(["PeriodEnd", "CodeCounts"]);
        problems[1].Problem.ShouldContain("\"H\" is not an attendance code");
    }
}

/// <summary>The inclusion dashboard names schools; two of one name are told apart by their URNs.</summary>
public sealed class DashboardSchoolNameTests
{
    [Fact]
    public void Build_TwoSchoolsOfOneName_EachShownWithItsUrn_OthersByNameAlone()
    {
        var today = new DateOnly(2026, 12, 1);
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        Waypoint.Features.Schools.Dashboard.DashboardSchool[] schools =
        [
            new(a, "St Mary's Primary School", Waypoint.Domain.SchoolPhase.Primary, "North", "100101"),
            new(b, "St Mary's Primary School", Waypoint.Domain.SchoolPhase.Primary, "South", "140202"),
            new(c, "Nenbury High School", Waypoint.Domain.SchoolPhase.Secondary, "North", "100040"),
        ];
        Waypoint.Features.Schools.Dashboard.DayCount[] counts = [new(a, Waypoint.Domain.ExclusionKind.Suspension, new DateOnly(2026, 10, 5), 2), new(b, Waypoint.Domain.ExclusionKind.Suspension, new DateOnly(2026, 10, 6), 1)];

        var figures = Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(schools, counts, today, _ => true);

        figures.Schools.Select(r => (r.Group, r.SuspensionsThisYear)).ShouldBe(
        [
            ("Nenbury High School", 0),
            ("St Mary's Primary School (URN 100101)", 2),
            ("St Mary's Primary School (URN 140202)", 1),
        ]);
    }
}

/// <summary>The DfE's absence measures: per enrolment, for pupils aged 5 to 15 at the start of the year.</summary>
public sealed class AbsenceMeasureTests
{
    [Fact]
    public void PerEnrolment_SevereAtOneSchool_SevereThereThoughOnlyPersistentCombined()
    {
        (string School, int Possible, int Authorised, int Unauthorised)[] periods = [("A", 100, 40, 15), ("B", 100, 5, 0)];

        var bySchool = AbsenceRules.PerEnrolment(periods);

        bySchool.Select(s => (s.School, s.Summary.Level)).ShouldBe([("A", AbsenceLevel.Severe), ("B", AbsenceLevel.None)]);
        AbsenceRules.Summarise(periods.Select(p => (p.Possible, p.Authorised, p.Unauthorised))).Level.ShouldBe(AbsenceLevel.Persistent);
    }

    [Theory]
    [InlineData("2019-08-31", true)]  // five on 31 August 2024
    [InlineData("2019-09-01", false)] // four then: reception, not yet of compulsory school age
    [InlineData("2008-09-01", true)]  // fifteen
    [InlineData("2008-08-31", false)] // sixteen
    public void InHeadlineCohort_AgeOnTheThirtyFirstOfAugustBeforeTheYear(string born, bool counted) =>
        AbsenceRules.InHeadlineCohort(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), new AcademicYear(2024)).ShouldBe(counted);

    [Fact]
    public void InHeadlineCohort_NoDateOfBirth_NotCounted() =>
        AbsenceRules.InHeadlineCohort(null, new AcademicYear(2024)).ShouldBeFalse();
}
