using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Tests.Infrastructure;

/// <summary>
/// A small partnership of its own for one test: a county with two districts of one ward each,
/// and one organisation of every type. Names carry a unique suffix so tests sharing an app
/// never see each other's data.
/// </summary>
public sealed class TestPartnership
{
    private readonly WaypointApp app;

    private TestPartnership(WaypointApp app, string suffix)
    {
        this.app = app;
        Suffix = suffix;
        County = new Area { Name = $"County {suffix}", Kind = AreaKind.County };
        District = new Area { Name = $"District A {suffix}", Kind = AreaKind.District, ParentId = County.Id };
        OtherDistrict = new Area { Name = $"District B {suffix}", Kind = AreaKind.District, ParentId = County.Id };
        Ward = new Area { Name = $"Ward A {suffix}", Kind = AreaKind.Ward, ParentId = District.Id };
        OtherWard = new Area { Name = $"Ward B {suffix}", Kind = AreaKind.Ward, ParentId = OtherDistrict.Id };
        Organisation Org(string name, OrganisationType type) => new() { Name = $"{name} {suffix}", Type = type, AreaId = County.Id };
        School = Org("School A", OrganisationType.School);
        School.Phase = SchoolPhase.Secondary;
        OtherSchool = Org("School B", OrganisationType.School);
        OtherSchool.Phase = SchoolPhase.Primary;
        Police = Org("Police", OrganisationType.Police);
        Hub = Org("Early Help Hub", OrganisationType.LocalAuthorityTeam);
        Youth = Org("Youth Service", OrganisationType.YouthService);
        Housing = Org("Housing", OrganisationType.Housing);
        Health = Org("Health", OrganisationType.Health);
        SocialCare = Org("Social Care", OrganisationType.SocialCare);
        Charity = Org("Charity", OrganisationType.Charity);
        FamilyCentre = Org("Family Centre", OrganisationType.FamilyCentre);
    }

    public string Suffix { get; }
    public Area County { get; }
    public Area District { get; }
    public Area OtherDistrict { get; }
    public Area Ward { get; }
    public Area OtherWard { get; }
    public Organisation School { get; }
    public Organisation OtherSchool { get; }
    public Organisation Police { get; }
    public Organisation Hub { get; }
    public Organisation Youth { get; }
    public Organisation Housing { get; }
    public Organisation Health { get; }
    public Organisation SocialCare { get; }
    public Organisation Charity { get; }
    public Organisation FamilyCentre { get; }

    public IEnumerable<Organisation> Organisations => [School, OtherSchool, Police, Hub, Youth, Housing, Health, SocialCare, Charity, FamilyCentre];

    public static async Task<TestPartnership> CreateAsync(WaypointApp app)
    {
        var p = new TestPartnership(app, Guid.NewGuid().ToString("N")[..8]);
        await app.AsSystemAsync(async db =>
        {
            db.Areas.AddRange(p.County, p.District, p.OtherDistrict, p.Ward, p.OtherWard);
            db.Organisations.AddRange(p.Organisations);
            await db.SaveChangesAsync();
        });
        return p;
    }

    public Task<TestUser> UserAsync(Organisation organisation, params string[] roles) =>
        app.CreateUserAsync(organisation, roles.Length == 0 ? [Roles.Practitioner] : roles);

    /// <summary>A user with a partnership-wide function over an area (hub triage, inclusion officer).</summary>
    public async Task<TestUser> PartnershipUserAsync(Organisation organisation, PartnershipFunction function, Area area)
    {
        var user = await UserAsync(organisation);
        await app.AsSystemAsync(async db =>
        {
            db.PartnershipRoleGrants.Add(new PartnershipRoleGrant
            {
                UserId = user.Id,
                Function = function,
                AreaId = area.Id,
                StartDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30),
            });
            await db.SaveChangesAsync();
        });
        return user;
    }

    /// <summary>A young person living in a ward, optionally enrolled at a school now (with a UPN owned by it).</summary>
    public async Task<Person> YoungPersonAsync(string givenName, string familyName, DateOnly dateOfBirth, Organisation? enrolledAt = null, Area? ward = null, string? upn = null)
    {
        var person = new Person
        {
            Kind = PersonKind.YoungPerson,
            GivenName = givenName,
            FamilyName = familyName,
            DateOfBirth = dateOfBirth,
            AreaId = (ward ?? Ward).Id,
            OwnerOrganisationId = (enrolledAt ?? Hub).Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        if (upn is not null)
            person.Identifiers.Add(new PersonIdentifier
            {
                PersonId = person.Id,
                Scheme = IdentifierScheme.Upn,
                Value = upn,
                OwnerOrganisationId = (enrolledAt ?? Hub).Id,
                CategoryCode = RecordCategories.Education,
            });
        await app.AsSystemAsync(async db =>
        {
            db.People.Add(person);
            if (enrolledAt is not null)
                db.Enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = enrolledAt.Id, StartDate = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-6), YearGroup = 9 });
            await db.SaveChangesAsync();
        });
        return person;
    }

    public Task InvolveAsync(Person person, Organisation organisation, string reason = "Test involvement", DateOnly? endDate = null) =>
        app.AsSystemAsync(async db =>
        {
            db.Involvements.Add(new Involvement
            {
                PersonId = person.Id,
                OrganisationId = organisation.Id,
                Reason = reason,
                Source = InvolvementSource.Explicit,
                StartDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-10),
                EndDate = endDate,
                ReviewOn = endDate is null ? DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(3) : null,
                AddedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
}
