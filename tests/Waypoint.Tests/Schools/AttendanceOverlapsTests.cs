using Shouldly;
using Waypoint.Features.Schools;

namespace Waypoint.Tests.Schools;

public sealed class AttendanceOverlapsTests
{
    private static AttendancePeriodView Period(string school, string from, string to) =>
        new(school, DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), 100, 90, 5, 5);

    [Fact]
    public void In_DualRegistrationOverlapping_GivesTheSharedDays()
    {
        var found = AttendanceOverlaps.In([Period("Brackton Academy", "2026-09-03", "2026-12-18"), Period("Nenbury Pupil Referral Unit", "2026-11-02", "2027-02-12")]);

        var overlap = found.ShouldHaveSingleItem();
        (overlap.From, overlap.To, overlap.SameSchool).ShouldBe((new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 18), false));
    }

    [Fact]
    public void In_PeriodInsideAnother_GivesTheInnerPeriod_AndOneSchoolIsMarkedAsSuch()
    {
        var found = AttendanceOverlaps.In([Period("Brackton Academy", "2026-10-05", "2026-10-09"), Period("Brackton Academy", "2026-09-03", "2026-12-18")]);

        var overlap = found.ShouldHaveSingleItem();
        (overlap.From, overlap.To, overlap.SameSchool).ShouldBe((new DateOnly(2026, 10, 5), new DateOnly(2026, 10, 9), true));
    }

    [Fact]
    public void In_ConsecutivePeriods_NoOverlap()
    {
        AttendanceOverlaps.In([
            Period("Brackton Academy", "2026-09-03", "2026-10-23"),
            Period("Brackton Academy", "2026-10-24", "2026-12-18"),
            Period("Nenbury High School", "2027-01-05", "2027-03-27"),
        ]).ShouldBeEmpty();
    }
}
