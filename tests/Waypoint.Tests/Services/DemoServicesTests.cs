using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Demo;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The demo directory: about 40 services, some full, one suspended, reviews overdue, and the school's referrals in every state with the grants their steps leave.</summary>
public sealed class DemoServicesTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task SeedAsync_SchoolWithPupils_DirectoryAndReferralsInEveryState()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var pupils = new List<Person>();
        for (var i = 0; i < 7; i++)
            pupils.Add(await p.YoungPersonAsync($"Demo{i}", $"Seed{p.Suffix}", today.AddYears(-14), enrolledAt: p.School));
        await p.UserAsync(p.School);
        var before = await app.AsSystemAsync((db, _) => db.Set<Service>().CountAsync());

        await app.AsSystemAsync(db => DemoServices.SeedAsync(db, p.School.Id, DateTimeOffset.UtcNow, default));

        var (services, suspended, full, referrals, grants) = await app.AsSystemAsync(async (db, _) =>
        {
            var ids = pupils.Select(x => x.Id).ToList();
            var rs = await db.Set<ServiceReferral>().Where(r => ids.Contains(r.PersonId)).ToListAsync();
            var grantIds = rs.Select(r => r.InvolvementId).ToList();
            return (await db.Set<Service>().CountAsync() - before,
                await db.Set<Service>().CountAsync(s => s.QaStatus == ServiceQaStatus.Suspended),
                await db.Set<Service>().CountAsync(s => s.Occupied >= s.Places && s.WaitingList > 0),
                rs,
                await db.Involvements.Where(i => grantIds.Contains(i.Id)).ToListAsync());
        });
        // 29 here: the test partnership has no council inclusion team nor pupil referral units (the demo has both: about 40).
        services.ShouldBeGreaterThanOrEqualTo(29);
        suspended.ShouldBeGreaterThanOrEqualTo(1);
        full.ShouldBeGreaterThanOrEqualTo(2);
        referrals.Select(r => r.Status).Order().ShouldBe(Enum.GetValues<ServiceReferralStatus>().Where(s => s != ServiceReferralStatus.Lapsed).Order());
        grants.Count.ShouldBe(7);
        grants.ShouldAllBe(g => g.Source == InvolvementSource.ServiceReferral && g.EndDate != null && g.EndDate >= g.StartDate);
        var declined = referrals.Single(r => r.Status == ServiceReferralStatus.Declined);
        grants.Single(g => g.Id == declined.InvolvementId).EndDate!.Value.ShouldBeLessThan(today);
    }
}
