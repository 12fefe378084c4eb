using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Demo;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Tests.Demo;

public sealed class DemoSchoolRecordsTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);
    private static readonly Guid Dsl = Guid.Parse("00000000-0000-4000-8000-000000000001");
    private static readonly Guid Other = Guid.Parse("00000000-0000-4000-8000-000000000002");

    private static List<DemoPupil> Pupils() =>
        Enumerable.Range(0, 2000).Select(i => new DemoPupil(new Guid(i + 10, 0, 0, new byte[8]), i % 2 == 0 ? Dsl : Other, 7 + i % 5)).ToList();

    [Fact]
    public void Generate_SameSeedTwice_GivesIdenticalRecords()
    {
        var first = new DemoSchoolRecords(1, Today).Generate(Pupils(), Dsl);
        var second = new DemoSchoolRecords(1, Today).Generate(Pupils(), Dsl);

        second.Suspensions.Select(s => (s.Id, s.PersonId, s.StartDate, s.Kind)).ShouldBe(first.Suspensions.Select(s => (s.Id, s.PersonId, s.StartDate, s.Kind)));
        second.Nominations.Select(n => (n.PersonId, n.Rank)).ShouldBe(first.Nominations.Select(n => (n.PersonId, n.Rank)));
    }

    [Fact]
    public void Generate_Pupils_SuspensionsBothYearsOnSchoolDaysAndAValidTopTenForTheDslsSchool()
    {
        var year = AcademicYear.Of(Today);
        var records = new DemoSchoolRecords(DemoPartnershipSeeder.DefaultSeed, Today).Generate(Pupils(), Dsl);

        records.Suspensions.ShouldContain(s => s.StartDate >= year.Start);
        records.Suspensions.ShouldContain(s => year.Previous.Contains(s.StartDate));
        records.Suspensions.ShouldAllBe(s => s.StartDate >= year.Previous.Start && s.StartDate <= Today
            && s.StartDate.DayOfWeek != DayOfWeek.Saturday && s.StartDate.DayOfWeek != DayOfWeek.Sunday);
        records.Attendance.ShouldNotBeEmpty();
        records.Attendance.ShouldAllBe(a => a.SchoolId == Dsl && a.PeriodEnd <= Today && a.SessionsPresent + a.Absence == a.SessionsPossible);
        var open = records.Nominations.Where(n => n.WithdrawnAt == null).ToList();
        open.Count.ShouldBeInRange(1, TopTenNomination.ListSize);
        open.Select(n => n.Rank).ShouldBeUnique();
        open.Select(n => n.PersonId).ShouldBeUnique();
        records.Nominations.ShouldAllBe(n => n.SchoolId == Dsl && n.Reason.Length <= TopTenNomination.MaxReasonLength);
        records.Nominations.ShouldContain(n => n.WithdrawnAt != null);
    }
}
