using System.Text.Json;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Provision;

namespace Waypoint.Tests.Provision;

/// <summary>The bank holidays data file and the sixth-day rule at its boundaries: weekends, bank holidays, substitute days, placements on and after the day.</summary>
public sealed class SchoolDaysTests
{
    private static readonly SchoolDays Days = SchoolDays.England;
    private static readonly DateOnly LongAfter = new(2027, 7, 1);

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2025-04-21")] // Easter Monday
    [InlineData("2025-04-18")] // Good Friday
    [InlineData("2026-05-04")] // early May
    [InlineData("2022-06-02")] // spring bank holiday moved
    [InlineData("2022-06-03")] // Platinum Jubilee
    [InlineData("2022-09-19")] // State Funeral of Queen Elizabeth II
    [InlineData("2023-05-08")] // coronation
    [InlineData("2020-05-08")] // early May moved to VE day
    [InlineData("2021-12-27")] // Christmas Day (substitute)
    [InlineData("2021-12-28")] // Boxing Day (substitute)
    [InlineData("2028-01-03")] // New Year's Day (substitute)
    [InlineData("2027-03-29")] // Easter Monday
    public void BankHolidays_KnownDay_InTheFile(string day) => Days.IsBankHoliday(D(day)).ShouldBeTrue();

    [Theory]
    [InlineData("2022-05-30")] // the usual spring Monday, moved in 2022
    [InlineData("2020-05-04")] // the usual early May Monday, moved in 2020
    [InlineData("2025-12-27")] // a Saturday: no substitute needed for Christmas on a Thursday
    public void BankHolidays_MovedOrWeekendDay_NotInTheFile(string day) => Days.IsBankHoliday(D(day)).ShouldBeFalse();

    [Fact]
    public void BankHolidays_EveryYear2018To2028_EightOnWeekdays_AndTheFileIsGovUkShaped()
    {
        foreach (var year in Enumerable.Range(SchoolDays.FirstYear, SchoolDays.LastYear - SchoolDays.FirstYear + 1))
        {
            var count = Days.BankHolidays.Count(d => d.Year == year);
            count.ShouldBe(year switch { 2022 => 10, 2023 => 9, _ => 8 }, $"bank holidays in {year}");
        }
        Days.BankHolidays.ShouldAllBe(d => d.DayOfWeek != DayOfWeek.Saturday && d.DayOfWeek != DayOfWeek.Sunday);
        using var stream = typeof(SchoolDays).Assembly.GetManifestResourceStream("Waypoint.Features.Provision.bank-holidays.json")!;
        using var json = JsonDocument.Parse(stream);
        var division = json.RootElement.GetProperty("england-and-wales");
        division.GetProperty("division").GetString().ShouldBe("england-and-wales");
        var first = division.GetProperty("events")[0];
        first.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        first.TryGetProperty("notes", out _).ShouldBeTrue();
        first.TryGetProperty("bunting", out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("2025-03-07", "2025-03-14")] // a Friday: Friday to Friday over the weekend
    [InlineData("2025-03-08", "2025-03-17")] // given on a Saturday: day one is the Monday
    [InlineData("2025-03-03", "2025-03-10")] // a Monday
    [InlineData("2025-04-17", "2025-04-28")] // over Good Friday and Easter Monday
    [InlineData("2025-05-02", "2025-05-12")] // a Friday before the early May bank holiday
    [InlineData("2021-12-23", "2022-01-04")] // over Christmas with both substitute days and New Year's substitute
    [InlineData("2022-05-30", "2022-06-08")] // over the 2022 Jubilee days
    public void SixthDay_Boundaries_SkipsWeekendsAndBankHolidays(string excluded, string sixth) =>
        Days.SixthDay(D(excluded)).ShouldBe(D(sixth));

    [Fact]
    public void Assess_FullTimeFromTheSixthDay_NoneMissed()
    {
        var a = SixthDayRule.Assess(Days, D("2025-03-07"), null, [new PlacementSpan(D("2025-03-14"), null, PlacementBasis.FullTime)], LongAfter);
        a.Status.ShouldBe(SixthDayStatus.PlacedFullTime);
        a.PlacedFrom.ShouldBe(D("2025-03-14"));
        a.DaysMissed.ShouldBe(0);
    }

    [Fact]
    public void Assess_FullTimeFromTheSchoolDayAfter_OneMissed()
    {
        // The sixth day is a Friday: the next school day is the Monday, one day missed.
        var a = SixthDayRule.Assess(Days, D("2025-03-07"), null, [new PlacementSpan(D("2025-03-17"), null, PlacementBasis.FullTime)], LongAfter);
        a.DaysMissed.ShouldBe(1);
    }

    [Fact]
    public void Assess_FullTimeBeforeTheSixthDay_NoneMissed() =>
        SixthDayRule.Assess(Days, D("2025-03-07"), null, [new PlacementSpan(D("2025-03-10"), null, PlacementBasis.FullTime)], LongAfter).DaysMissed.ShouldBe(0);

    [Fact]
    public void Assess_PartTimeOnly_CountsAsNotFullTime()
    {
        var today = D("2025-03-21");
        var a = SixthDayRule.Assess(Days, D("2025-03-07"), null, [new PlacementSpan(D("2025-03-14"), null, PlacementBasis.PartTime)], today);
        a.Status.ShouldBe(SixthDayStatus.PlacedPartTime);
        a.PlacedFrom.ShouldBeNull();
        a.DaysMissed.ShouldBe(5); // 14, 17, 18, 19, 20: today is not over
    }

    [Fact]
    public void Assess_PlacementEndedBeforeTheSixthDay_DoesNotCount()
    {
        var a = SixthDayRule.Assess(Days, D("2025-03-07"), null, [new PlacementSpan(D("2025-03-07"), D("2025-03-13"), PlacementBasis.FullTime)], D("2025-03-18"));
        a.Status.ShouldBe(SixthDayStatus.None);
        a.DaysMissed.ShouldBe(2);
    }

    [Fact]
    public void Assess_Unplaced_OnTheSixthDayNothingMissedYet_TheDayAfterOne()
    {
        SixthDayRule.Assess(Days, D("2025-03-07"), null, [], D("2025-03-14")).DaysMissed.ShouldBe(0);
        SixthDayRule.Assess(Days, D("2025-03-07"), null, [], D("2025-03-15")).DaysMissed.ShouldBe(1);
        SixthDayRule.Assess(Days, D("2025-03-07"), null, [], D("2025-03-17")).DaysMissed.ShouldBe(1);
        SixthDayRule.Assess(Days, D("2025-03-07"), null, [], D("2025-03-18")).DaysMissed.ShouldBe(2);
    }

    [Fact]
    public void Assess_SuspensionOfSixDays_WatchEndsWithItsLastDay()
    {
        // Twelve sessions from Monday 3 March: six school days, the last (and sixth) Monday 10 March.
        var a = SixthDayRule.Assess(Days, D("2025-03-03"), 12, [], LongAfter);
        a.SixthDay.ShouldBe(D("2025-03-10"));
        a.LastDay.ShouldBe(D("2025-03-10"));
        a.DaysMissed.ShouldBe(1);
    }

    [Theory]
    [InlineData(ExclusionKind.Suspension, 10, false, ExclusionOutcome.NotReviewed, false)] // five days: the school's own duty does not start
    [InlineData(ExclusionKind.Suspension, 11, false, ExclusionOutcome.NotReviewed, true)] // five and a half days
    [InlineData(ExclusionKind.Suspension, 12, true, ExclusionOutcome.NotReviewed, false)] // lunchtimes
    [InlineData(ExclusionKind.PermanentExclusion, null, false, ExclusionOutcome.Pending, true)]
    [InlineData(ExclusionKind.PermanentExclusion, null, false, ExclusionOutcome.Reinstated, false)]
    [InlineData(ExclusionKind.PermanentExclusion, null, false, ExclusionOutcome.Withdrawn, false)]
    public void IsWatched_KindsLengthsAndOutcomes(ExclusionKind kind, int? sessions, bool lunchtime, ExclusionOutcome outcome, bool watched) =>
        SixthDayRule.IsWatched(kind, sessions, lunchtime, outcome).ShouldBe(watched);
}
