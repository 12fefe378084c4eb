using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The provider's grant a service referral makes: never open-ended, its end set by the referral's state.</summary>
public abstract class ServiceReferralGrantTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory]
    [InlineData(ServiceReferralStatus.Accepted, 0, null)]
    [InlineData(ServiceReferralStatus.Waiting, 0, null)]
    [InlineData(ServiceReferralStatus.Started, 0, null)]
    [InlineData(ServiceReferralStatus.Declined, -1, null)]
    [InlineData(ServiceReferralStatus.Withdrawn, -1, null)]
    [InlineData(ServiceReferralStatus.Ended, GrantRules.ServiceReferralRetentionDays, 0)]
    [InlineData(ServiceReferralStatus.Ended, GrantRules.ServiceReferralRetentionDays - 10, -10)]
    [InlineData(ServiceReferralStatus.Ended, -1, -100)]
    public async Task ServiceReferralMoved_EachState_EndsTheGrantAsItsRuleSays(ServiceReferralStatus status, int expectedDaysFromToday, int? endedDaysFromToday)
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ivy", $"Grant{p.Suffix}", new DateOnly(2013, 4, 4), enrolledAt: p.School);
        var referralId = Guid.NewGuid();

        var (sent, moved) = await app.AsSystemAsync(async (db, services) =>
        {
            var grants = services.GetRequiredService<GrantRules>();
            var grant = grants.GrantByProcess(pupil.Id, p.Charity.Id, InvolvementSource.ServiceReferral, referralId, "referral to a service");
            var sentEnd = grant.EndDate;
            grants.ServiceReferralMoved(grant, status, endedDaysFromToday is { } d ? Today.AddDays(d) : null);
            await db.SaveChangesAsync();
            return (sentEnd, await db.Involvements.AsNoTracking().SingleAsync(i => i.SourceId == referralId));
        });

        sent.ShouldBe(Today.AddDays(GrantRules.ServiceReferralDecisionDays));
        moved.EndDate.ShouldBe(status is ServiceReferralStatus.Accepted or ServiceReferralStatus.Waiting or ServiceReferralStatus.Started
            ? GrantRules.DefaultEnd(Today)
            : Today.AddDays(expectedDaysFromToday));
        moved.ReviewOn.ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == pupil.Id && a.Subject.StartsWith("grant:ServiceReferral")))).ShouldBe(2);
    }
}

public sealed class ServiceReferralGrantTestsOnSqlite(SqliteApp app) : ServiceReferralGrantTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceReferralGrantTestsOnPostgres(PostgresApp app) : ServiceReferralGrantTests(app), IClassFixture<PostgresApp>;
