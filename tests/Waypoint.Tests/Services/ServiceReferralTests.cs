using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>A young person referred to a service through its life over the API, with the provider's access to them starting and ending with it.</summary>
public abstract class ServiceReferralTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, Service Service, Person Pupil, HttpClient School, TestUser SchoolUser, HttpClient Provider, TestUser ProviderUser);

    private async Task<World> WorldAsync(int age = 13, Action<Service>? change = null)
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Mentoring", change);
        var pupil = await p.YoungPersonAsync("Rhys", $"Pupil{p.Suffix}", Today.AddYears(-age).AddDays(-10), enrolledAt: p.School);
        var schoolUser = await p.UserAsync(p.School);
        var providerUser = await p.UserAsync(p.Charity);
        return new World(p, service, pupil, await app.ApiClientAsync(schoolUser), schoolUser, await app.ApiClientAsync(providerUser), providerUser);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, World w, string lawfulBasis = "PublicTask", string? overrideReason = null, Guid? consentRecordId = null) =>
        client.PostAsJsonAsync("/api/v1/service-referrals", new
        {
            personId = w.Pupil.Id,
            serviceId = w.Service.Id,
            reason = "Missing lessons, wants a mentor",
            urgency = "Routine",
            lawfulBasis,
            consentRecordId,
            overrideReason,
        });

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static async Task<Guid> SentAsync(World w)
    {
        var sent = await SendAsync(w.School, w);
        sent.StatusCode.ShouldBe(HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        return (await JsonAsync(sent)).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> StepAsync(HttpClient client, Guid id, string step, object? body = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/service-referrals/{id}/{step}", body ?? new { });
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        return await JsonAsync(response);
    }

    [Fact]
    public async Task Lifecycle_SentToEnded_ProviderAccessFollowsCapacityMovesEachStepAuditedAndNotified()
    {
        var w = await WorldAsync();
        (await w.Provider.GetAsync($"/api/v1/people/{w.Pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var id = await SentAsync(w);

        (await w.Provider.GetAsync($"/api/v1/people/{w.Pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var sent = await JsonAsync(await w.Provider.GetAsync($"/api/v1/service-referrals/{id}"));
        sent.GetProperty("status").GetString().ShouldBe("Sent");
        sent.GetProperty("accessUntil").GetString().ShouldBe(Today.AddDays(GrantRules.ServiceReferralDecisionDays).ToString("yyyy-MM-dd"));

        var accepted = await StepAsync(w.Provider, id, "accept");
        accepted.GetProperty("accessUntil").GetString().ShouldBe(GrantRules.DefaultEnd(Today).ToString("yyyy-MM-dd"));
        await StepAsync(w.Provider, id, "start", new { on = Today.ToString("yyyy-MM-dd") });
        (await ServiceAsync(w.Service.Id)).Occupied.ShouldBe(3);
        var ended = await StepAsync(w.Provider, id, "end", new { on = Today.ToString("yyyy-MM-dd"), endReason = "Completed", outcome = "Back in lessons full time" });

        ended.GetProperty("status").GetString().ShouldBe("Ended");
        ended.GetProperty("accessUntil").GetString().ShouldBe(Today.AddDays(GrantRules.ServiceReferralRetentionDays).ToString("yyyy-MM-dd"));
        (await ServiceAsync(w.Service.Id)).Occupied.ShouldBe(2);
        var grant = await app.AsSystemAsync((db, _) => db.Involvements.SingleAsync(i => i.SourceId == id));
        (grant.Source, grant.OrganisationId, grant.StartDate).ShouldBe((InvolvementSource.ServiceReferral, w.P.Charity.Id, Today));
        var subjects = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == w.Pupil.Id).Select(a => a.Subject).ToListAsync());
        foreach (var step in new[] { "service-referral:sent", "service-referral:accepted", "service-referral:started", "service-referral:ended" })
            subjects.ShouldContain(s => s.StartsWith(step), step);
        subjects.Count(s => s.StartsWith("grant:ServiceReferral")).ShouldBe(4);
        (await NoticesAsync(w.ProviderUser)).ShouldContain("A referral is waiting for your organisation");
        (await NoticesAsync(w.SchoolUser)).ShouldBe(["A referral to a service was accepted", "A referral to a service was started", "A referral to a service was ended"], ignoreOrder: true);
    }

    [Fact]
    public async Task Decline_NeedsReason_ThenProviderAccessEndsAtOnce()
    {
        var w = await WorldAsync();
        var id = await SentAsync(w);

        var noReason = await StepAsync(w.Provider, id, "decline", new { }, HttpStatusCode.BadRequest);
        noReason.GetProperty("errors").TryGetProperty("reason", out _).ShouldBeTrue();
        var declined = await StepAsync(w.Provider, id, "decline", new { reason = "No places for this age group" });

        declined.GetProperty("status").GetString().ShouldBe("Declined");
        (await w.Provider.GetAsync($"/api/v1/people/{w.Pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await w.Provider.GetAsync($"/api/v1/service-referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await w.School.GetAsync($"/api/v1/service-referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Send_SuspendedService_RefusedWithReasonAndNoGrant()
    {
        var w = await WorldAsync(change: s => s.QaStatus = ServiceQaStatus.Suspended);

        var response = await SendAsync(w.School, w);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(response)).GetProperty("errors").GetProperty("serviceId")[0].GetString().ShouldBe($"{w.Service.Name} is suspended and takes no referrals");
        (await app.AsSystemAsync((db, _) => db.Involvements.AnyAsync(i => i.PersonId == w.Pupil.Id && i.Source == InvolvementSource.ServiceReferral))).ShouldBeFalse();
        (await w.Provider.GetAsync($"/api/v1/people/{w.Pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Send_OutsideAgeRange_RefusedAndOnlyAManagerOverridesWithReason()
    {
        var w = await WorldAsync(age: 9);

        var refused = await SendAsync(w.School, w);
        var practitionerOverride = await SendAsync(w.School, w, overrideReason: "Older sibling attends");
        var manager = await app.ApiClientAsync(await w.P.UserAsync(w.P.School, Roles.OrganisationAdmin));
        var overridden = await SendAsync(manager, w, overrideReason: "Older sibling attends; provider agreed");

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(refused)).GetProperty("errors").GetProperty("serviceId")[0].GetString()!.ShouldStartWith($"{w.Service.Name} is for ages 11 to 16; the young person is 9");
        practitionerOverride.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(practitionerOverride)).GetProperty("errors").TryGetProperty("overrideReason", out _).ShouldBeTrue();
        overridden.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await JsonAsync(overridden)).GetProperty("eligibilityOverrideReason").GetString().ShouldBe("Older sibling attends; provider agreed");
    }

    [Fact]
    public async Task Send_ConsentBasisWithoutGivenConsent_Refused()
    {
        var w = await WorldAsync();

        var response = await SendAsync(w.School, w, lawfulBasis: "Consent");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await JsonAsync(response)).GetProperty("errors").TryGetProperty("consentRecordId", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Steps_WrongSideOrOrder_409AndOutsiders_404Denied()
    {
        var w = await WorldAsync();
        var id = await SentAsync(w);
        var police = await app.ApiClientAsync(await w.P.UserAsync(w.P.Police));

        await StepAsync(w.School, id, "accept", expected: HttpStatusCode.Conflict);
        await StepAsync(w.Provider, id, "start", new { on = Today.ToString("yyyy-MM-dd") }, HttpStatusCode.Conflict);
        await StepAsync(w.Provider, id, "withdraw", expected: HttpStatusCode.Conflict);
        (await police.GetAsync($"/api/v1/service-referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await police.PostAsJsonAsync($"/api/v1/service-referrals/{id}/accept", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.OrganisationId == w.P.Police.Id && a.Action == Waypoint.Audit.AuditAction.Denied)))
            .ShouldBe(2);
        var withdrawn = await StepAsync(w.School, id, "withdraw");
        withdrawn.GetProperty("status").GetString().ShouldBe("Withdrawn");
        (await w.Provider.GetAsync($"/api/v1/people/{w.Pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Wait_ThenStart_WaitingListAndPlacesFollow()
    {
        var w = await WorldAsync(change: s => { s.Places = 1; s.Occupied = 1; });
        var id = await SentAsync(w);

        await StepAsync(w.Provider, id, "wait");
        (await ServiceAsync(w.Service.Id)).WaitingList.ShouldBe(1);
        var full = await StepAsync(w.Provider, id, "start", new { on = Today.ToString("yyyy-MM-dd") }, HttpStatusCode.BadRequest);
        full.GetProperty("errors").GetProperty("on")[0].GetString()!.ShouldContain("no free place");
        await app.AsSystemAsync(async db =>
        {
            (await db.Set<Service>().SingleAsync(s => s.Id == w.Service.Id)).Occupied = 0;
            await db.SaveChangesAsync();
        });
        await StepAsync(w.Provider, id, "start", new { on = Today.ToString("yyyy-MM-dd") });

        var service = await ServiceAsync(w.Service.Id);
        (service.WaitingList, service.Occupied).ShouldBe((0, 1));
    }

    private Task<Service> ServiceAsync(Guid id) => app.AsSystemAsync((db, _) => db.Set<Service>().AsNoTracking().SingleAsync(s => s.Id == id));

    private Task<List<string>> NoticesAsync(TestUser user) =>
        app.AsSystemAsync((db, _) => db.Notifications.Where(n => n.UserId == user.Id).Select(n => n.Subject).ToListAsync());
}

public sealed class ServiceReferralTestsOnSqlite(SqliteApp app) : ServiceReferralTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceReferralTestsOnPostgres(PostgresApp app) : ServiceReferralTests(app), IClassFixture<PostgresApp>;
