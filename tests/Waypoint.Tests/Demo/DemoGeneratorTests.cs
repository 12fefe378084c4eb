using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Demo;
using Waypoint.Features.People;

namespace Waypoint.Tests.Demo;

/// <summary>The demo county is generated from a seed alone: the same seed gives the same people, so demos and benchmarks repeat.</summary>
public sealed class DemoGeneratorTests
{
    private static readonly DemoPartnershipSeeder.Plan Small = new(YoungPeople: 300, Districts: 2, WardsPerDistrict: 3, PrimaryPerDistrict: 3, SecondaryPerDistrict: 2, SpecialPerDistrict: 1, ApPerDistrict: 1);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private sealed record Generated(DemoPartnershipSeeder.GeneratedPartnership Partnership, List<DemoPartnershipSeeder.GeneratedFamily> Families)
    {
        public IEnumerable<Person> People => Families.SelectMany(f => f.Members);
    }

    private static Generated Generate(int seed)
    {
        var generator = new DemoPartnershipSeeder.Generator(seed, Small, Now);
        var partnership = generator.Partnership();
        return new Generated(partnership, generator.Families(partnership).ToList());
    }

    private static string Describe(Person p) =>
        $"{p.Id} {p.Kind} {p.GivenName} {p.FamilyName} {p.DateOfBirth:yyyy-MM-dd} {p.Sex} {p.AreaId} {p.OwnerOrganisationId} {p.HouseholdId} " +
        string.Join(",", p.Identifiers.Select(i => $"{i.Id}:{i.Scheme}:{i.Value}:{i.OwnerOrganisationId}"));

    [Fact]
    public void Generate_SameSeedTwice_GivesIdenticalPartnershipAndPeople()
    {
        var first = Generate(DemoPartnershipSeeder.DefaultSeed);
        var second = Generate(DemoPartnershipSeeder.DefaultSeed);

        second.Partnership.Areas.Select(a => (a.Id, a.Name, a.ParentId)).ShouldBe(first.Partnership.Areas.Select(a => (a.Id, a.Name, a.ParentId)));
        second.Partnership.Organisations.Select(o => (o.Id, o.Name, o.Type, o.Urn)).ShouldBe(first.Partnership.Organisations.Select(o => (o.Id, o.Name, o.Type, o.Urn)));
        second.Partnership.AccountIds.ShouldBe(first.Partnership.AccountIds);
        second.People.Select(Describe).ShouldBe(first.People.Select(Describe));
        second.Families.SelectMany(f => f.Enrolments).Select(e => (e.Id, e.PersonId, e.SchoolId, e.StartDate, e.YearGroup))
            .ShouldBe(first.Families.SelectMany(f => f.Enrolments).Select(e => (e.Id, e.PersonId, e.SchoolId, e.StartDate, e.YearGroup)));
        second.Families.SelectMany(f => f.Relationships).Select(r => (r.Id, r.PersonId, r.RelatedPersonId, r.Kind))
            .ShouldBe(first.Families.SelectMany(f => f.Relationships).Select(r => (r.Id, r.PersonId, r.RelatedPersonId, r.Kind)));
    }

    [Fact]
    public void Generate_Seed_GivesThePlannedNumberOfValidYoungPeople()
    {
        var generated = Generate(DemoPartnershipSeeder.DefaultSeed);
        var young = generated.People.Where(p => p.Kind == PersonKind.YoungPerson).ToList();
        var wards = generated.Partnership.Wards.Select(w => w.Id).ToHashSet();
        var schools = generated.Partnership.Organisations.Where(o => o.Type == OrganisationType.School).Select(o => o.Id).ToHashSet();

        young.Count.ShouldBe(Small.YoungPeople);
        generated.People.Select(p => p.Id).ShouldBeUnique();
        generated.People.ShouldAllBe(p => wards.Contains(p.AreaId) && p.GivenName.Length > 0 && p.FamilyName.Length > 0 && p.DateOfBirth < DateOnly.FromDateTime(Now.UtcDateTime));
        foreach (var child in young)
        {
            var upn = child.Identifiers.Where(i => i.Scheme == IdentifierScheme.Upn).ShouldHaveSingleItem();
            Upn.Validate(upn.Value).ShouldBeNull($"{upn.Value} of {child.Id}");
            upn.CategoryCode.ShouldBe(RecordCategories.Education);
            schools.ShouldContain(upn.OwnerOrganisationId);
        }
        generated.Families.SelectMany(f => f.Enrolments).Select(e => e.PersonId).Order().ShouldBe(young.Select(p => p.Id).Order());
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentPeople()
    {
        var first = Generate(DemoPartnershipSeeder.DefaultSeed).People.ToList();
        var other = Generate(DemoPartnershipSeeder.DefaultSeed + 1).People.ToList();

        other.Select(p => p.Id).Intersect(first.Select(p => p.Id)).ShouldBeEmpty();
        other.Take(50).Select(p => $"{p.GivenName} {p.FamilyName} {p.DateOfBirth}").ShouldNotBe(first.Take(50).Select(p => $"{p.GivenName} {p.FamilyName} {p.DateOfBirth}"));
    }
}
