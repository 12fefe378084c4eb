using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// A partnership role covers the people living in its area, whether the grant is for a ward,
/// the ward's district or the county, and only while the grant is current; search sees exactly that.
/// </summary>
public abstract class PartnershipRoleSearchTests(WaypointApp app)
{
    [Fact]
    public async Task Search_GrantAtEachAreaLevel_FindsOnlyPeopleInCoveredWards()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = $"Okafor{p.Suffix}";
        var inWard = await p.YoungPersonAsync("Ada", family, new DateOnly(2012, 4, 1), ward: p.Ward);
        var inOtherDistrict = await p.YoungPersonAsync("Ben", family, new DateOnly(2012, 4, 1), ward: p.OtherWard);
        var county = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var district = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        var ward = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.OtherWard);

        (await FoundAsync(county, family)).ShouldBe([inWard.Id, inOtherDistrict.Id], ignoreOrder: true);
        (await FoundAsync(district, family)).ShouldBe([inWard.Id]);
        (await FoundAsync(ward, family)).ShouldBe([inOtherDistrict.Id]);
    }

    [Fact]
    public async Task Search_GrantEnded_FindsNobody()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = $"Lindqvist{p.Suffix}";
        await p.YoungPersonAsync("Cai", family, new DateOnly(2011, 8, 8), ward: p.Ward);
        var user = await p.UserAsync(p.Hub);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            db.PartnershipRoleGrants.Add(new PartnershipRoleGrant
            {
                UserId = user.Id,
                Function = PartnershipFunction.HubTriage,
                AreaId = p.County.Id,
                StartDate = today.AddYears(-1),
                EndDate = today.AddDays(-1),
            });
            await db.SaveChangesAsync();
        });

        (await FoundAsync(user, family)).ShouldBeEmpty();
    }

    private Task<List<Guid>> FoundAsync(TestUser user, string name) =>
        app.AsUserAsync(user, async (db, _) => (await PersonSearch.SearchAsync(db, new PersonSearchQuery(name, null, null))).Select(h => h.Id).ToList());
}

public sealed class PartnershipRoleSearchTestsOnSqlite(SqliteApp app) : PartnershipRoleSearchTests(app), IClassFixture<SqliteApp>;

public sealed class PartnershipRoleSearchTestsOnPostgres(PostgresApp app) : PartnershipRoleSearchTests(app), IClassFixture<PostgresApp>;
