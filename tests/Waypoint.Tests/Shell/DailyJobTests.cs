using Shouldly;
using Waypoint.Shell;

namespace Waypoint.Tests.Shell;

/// <summary>When the nightly jobs (alerts, retention, services, risk, census, audit archive) next run.</summary>
public sealed class DailyJobTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 2, 15, 0, TimeSpan.Zero);

    [Fact]
    public void UntilNext_LaterToday_WaitsUntilThen() =>
        DailyJob.UntilNext(Now, new TimeOnly(3, 30)).ShouldBe(TimeSpan.FromMinutes(75));

    [Fact]
    public void UntilNext_AlreadyPassedToday_WaitsUntilTomorrow() =>
        DailyJob.UntilNext(Now, new TimeOnly(1, 30)).ShouldBe(TimeSpan.FromHours(23.25));

    [Fact]
    public void UntilNext_ExactlyNow_WaitsAWholeDay_NotRunningTwice() =>
        DailyJob.UntilNext(Now, new TimeOnly(2, 15)).ShouldBe(TimeSpan.FromDays(1));

    [Fact]
    public void UntilNext_OffsetClock_CountsInUtc() =>
        DailyJob.UntilNext(new DateTimeOffset(2026, 12, 6, 3, 15, 0, TimeSpan.FromHours(1)), new TimeOnly(3, 0))
            .ShouldBe(TimeSpan.FromHours(0.75));

    [Theory]
    [InlineData("03:30", 3, 30)]
    [InlineData("23:05", 23, 5)]
    public void TimeOfDay_ATime_IsThatTime(string setting, int hour, int minute) =>
        DailyJob.TimeOfDay(setting).ShouldBe(new TimeOnly(hour, minute));

    [Theory]
    [InlineData("off")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("half past three")]
    public void TimeOfDay_OffOrNotATime_TurnsTheJobOff(string? setting) =>
        DailyJob.TimeOfDay(setting).ShouldBeNull();
}
