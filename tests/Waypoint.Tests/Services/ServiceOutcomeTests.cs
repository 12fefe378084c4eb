using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>A service's own outcome figures: counted from its referrals, small numbers suppressed, for partnership roles and the provider only.</summary>
public abstract class ServiceOutcomeTests(WaypointApp app)
{
    private static readonly DateTimeOffset Sent = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>A service with 6 completed, 5 disengaged and 2 moved away, each started 0, 2, 4 ... 24 days after it was sent.</summary>
    private async Task<(TestPartnership P, Service Service)> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Measured");
        var child = await p.YoungPersonAsync("Outcome", $"Child{p.Suffix}", new DateOnly(2012, 3, 4), p.School);
        var referrer = await p.UserAsync(p.Hub);
        var reasons = Enumerable.Repeat(ServiceReferralEndReason.Completed, 6).Concat(Enumerable.Repeat(ServiceReferralEndReason.Disengaged, 5))
            .Concat(Enumerable.Repeat(ServiceReferralEndReason.MovedAway, 2)).ToList();
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < reasons.Count; i++)
            {
                var started = DateOnly.FromDateTime(Sent.UtcDateTime).AddDays(2 * i);
                db.Add(new ServiceReferral
                {
                    PersonId = child.Id,
                    ServiceId = service.Id,
                    ProviderOrganisationId = p.Charity.Id,
                    ReferrerUserId = referrer.Id,
                    ReferrerOrganisationId = p.Hub.Id,
                    Reason = "Needs a mentor",
                    Status = ServiceReferralStatus.Ended,
                    SentAt = Sent,
                    UpdatedAt = Sent,
                    StartedOn = started,
                    EndedOn = started.AddDays(30),
                    EndReason = reasons[i],
                    Outcome = reasons[i] == ServiceReferralEndReason.Completed ? "Back in school full time" : null,
                });
            }
            await db.SaveChangesAsync();
        });
        return (p, service);
    }

    private static string Row(AngleSharp.Html.Dom.IHtmlDocument page, string key) =>
        page.QuerySelectorAll("#outcome-figures .govuk-summary-list__row").Single(r => r.QuerySelector("dt")!.TextContent == key).QuerySelector("dd")!.TextContent;

    [Fact]
    public async Task ServicePage_PartnershipRole_FiguresWithSmallCountsSuppressed()
    {
        var (p, service) = await WorldAsync();
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var page = await client.GetDocumentAsync($"/services/{service.Id}");

        Row(page, "Referrals").ShouldBe("13");
        Row(page, "Ended after starting").ShouldBe("13");
        Row(page, "Completed").ShouldBe("6");
        Row(page, "Moved away").ShouldBe("fewer than 5");
        // 5 is not small, but shown beside the total it would give the 2 away: suppressed too.
        Row(page, "Disengaged").ShouldBe("fewer than 5");
        Row(page, "Withdrawn after starting").ShouldBe("0");
        page.QuerySelector("#completion-rate")!.TextContent.ShouldStartWith("46%");
        page.QuerySelector("#wait")!.TextContent.ShouldBe("12 days on average, 12 days median, over 13 started");
    }

    [Fact]
    public async Task ServicePage_ProviderYesOtherPractitionerNo()
    {
        var (p, service) = await WorldAsync();

        var provider = await app.SignInAsync(await p.UserAsync(p.Charity));
        (await provider.GetDocumentAsync($"/services/{service.Id}")).QuerySelector("#outcome-figures").ShouldNotBeNull();
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var page = await school.GetDocumentAsync($"/services/{service.Id}");
        page.QuerySelector("#outcome-figures").ShouldBeNull();
        page.QuerySelector("#service-details").ShouldNotBeNull();
    }

    [Fact]
    public async Task ServicePage_FewReferrals_RateAndWaitNotShown()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Small");
        var child = await p.YoungPersonAsync("Small", $"Child{p.Suffix}", new DateOnly(2012, 3, 4), p.School);
        var referrer = await p.UserAsync(p.Hub);
        await app.AsSystemAsync(async db =>
        {
            db.Add(new ServiceReferral
            {
                PersonId = child.Id,
                ServiceId = service.Id,
                ProviderOrganisationId = p.Charity.Id,
                ReferrerUserId = referrer.Id,
                ReferrerOrganisationId = p.Hub.Id,
                Reason = "Needs a mentor",
                Status = ServiceReferralStatus.Ended,
                SentAt = Sent,
                UpdatedAt = Sent,
                StartedOn = new DateOnly(2026, 6, 3),
                EndedOn = new DateOnly(2026, 7, 3),
                EndReason = ServiceReferralEndReason.Completed,
                Outcome = "Done",
            });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var page = await client.GetDocumentAsync($"/services/{service.Id}");

        Row(page, "Referrals").ShouldBe("fewer than 5");
        Row(page, "Completed").ShouldBe("fewer than 5");
        page.QuerySelector("#completion-rate")!.TextContent.ShouldBe("Not shown: fewer than 5 ended");
        page.QuerySelector("#wait")!.TextContent.ShouldBe("Not shown: fewer than 5 started");
    }
}

public sealed class ServiceOutcomeTestsOnSqlite(SqliteApp app) : ServiceOutcomeTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceOutcomeTestsOnPostgres(PostgresApp app) : ServiceOutcomeTests(app), IClassFixture<PostgresApp>;
