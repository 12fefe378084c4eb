using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Services;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The daily check: an unanswered referral lapses after the deciding window (once), a passed review date is told once to the owner's and the partnership's administrators.</summary>
public abstract class ServiceDailyCheckTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task LapseUnanswered_PastTheWindow_LapsedReferrerToldOnce_InsideTheWindowKept()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Lapsing");
        var old = await p.YoungPersonAsync("Lou", $"Lapse{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var fresh = await p.YoungPersonAsync("Max", $"Lapse{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var dsl = await p.UserAsync(p.School);
        var school = await app.SignInAsync(dsl);
        foreach (var person in new[] { old, fresh })
            (await school.SubmitAsync($"/people/{person.Id}/refer-to-service", "#refer-form", f =>
            {
                f.Set("ServiceId", service.Id.ToString());
                f.Set("Reason", "Wants a mentor");
                f.Set("Urgency", "Routine");
                f.Set("LawfulBasis", "PublicTask");
            })).StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);
        await app.AsSystemAsync(async db =>
        {
            var r = await db.Set<ServiceReferral>().SingleAsync(x => x.PersonId == old.Id);
            r.SentAt = DateTimeOffset.UtcNow.AddDays(-31);
            await db.SaveChangesAsync();
        });

        var first = await RunAsync(c => c.LapseUnansweredAsync(default));
        var second = await RunAsync(c => c.LapseUnansweredAsync(default));

        first.ShouldBeGreaterThanOrEqualTo(1);
        second.ShouldBe(0);
        (await StatusAsync(old.Id)).ShouldBe(ServiceReferralStatus.Lapsed);
        (await StatusAsync(fresh.Id)).ShouldBe(ServiceReferralStatus.Sent);
        (await app.AsSystemAsync((db, _) => db.Notifications.CountAsync(n => n.UserId == dsl.Id && n.Subject == "A referral to a service lapsed unanswered"))).ShouldBe(1);
        var chronology = (await school.GetDocumentAsync($"/people/{old.Id}/chronology")).Body!.TextContent;
        chronology.ShouldContain($"Referral to {service.Name} lapsed unanswered");
    }

    [Fact]
    public async Task NoticeReviewsDue_PassedDate_OwnerAdminAndPartnershipAdminToldOnce()
    {
        var p = await TestPartnership.CreateAsync(app);
        var overdue = await app.AddServiceAsync(p, "Overdue review", s => s.NextReviewOn = Today.AddDays(-1));
        await app.AddServiceAsync(p, "Review ahead", s => s.NextReviewOn = Today.AddDays(5));
        var owner = await p.UserAsync(p.Charity, Roles.OrganisationAdmin);
        var practitioner = await p.UserAsync(p.Charity);
        var otherAdmin = await p.UserAsync(p.Youth, Roles.OrganisationAdmin);

        await RunAsync(c => c.NoticeReviewsDueAsync(default));
        await RunAsync(c => c.NoticeReviewsDueAsync(default));

        (await NoticesAsync(owner.Id)).Count(n => n.Contains(overdue.Name)).ShouldBe(1);
        (await NoticesAsync(practitioner.Id)).ShouldBeEmpty();
        (await NoticesAsync(otherAdmin.Id)).ShouldBeEmpty();
        (await app.AsSystemAsync((db, _) => db.Set<Service>().Where(s => s.Id == overdue.Id).Select(s => s.ReviewNoticeSentFor).SingleAsync()))
            .ShouldBe(Today.AddDays(-1));
    }

    private Task<int> RunAsync(Func<ServiceDailyCheck, Task<int>> work) =>
        app.AsSystemAsync((_, services) => work(services.GetRequiredService<ServiceDailyCheck>()));

    private Task<ServiceReferralStatus> StatusAsync(Guid personId) =>
        app.AsSystemAsync((db, _) => db.Set<ServiceReferral>().Where(r => r.PersonId == personId).Select(r => r.Status).SingleAsync());

    private Task<List<string>> NoticesAsync(Guid userId) =>
        app.AsSystemAsync((db, _) => db.Notifications.Where(n => n.UserId == userId).Select(n => n.Body).ToListAsync());
}

public sealed class ServiceDailyCheckTestsOnSqlite(SqliteApp app) : ServiceDailyCheckTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceDailyCheckTestsOnPostgres(PostgresApp app) : ServiceDailyCheckTests(app), IClassFixture<PostgresApp>;
