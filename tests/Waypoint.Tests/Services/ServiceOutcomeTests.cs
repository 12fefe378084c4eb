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
        page.QuerySelector("#wait")!.TextContent.ShouldBe("12 days on average, 12 days median, 90% started within 22 days, over 13 started");
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
        page.QuerySelector("#attendance-change")!.TextContent.ShouldStartWith("Not shown");
    }

    /// <summary>Young people who completed between 1 October and 14 November 2025: the term before is summer 2025, the term after spring 2026.</summary>
    private async Task<Service> CompletedWithTermsAsync(TestPartnership p, int children, string name, Action<Service>? change = null)
    {
        var service = await app.AddServiceAsync(p, name, change);
        var referrer = await p.UserAsync(p.Hub);
        for (var i = 0; i < children; i++)
        {
            var child = await p.YoungPersonAsync("Term", $"Change{i}{p.Suffix}", new DateOnly(2011, 3, 4), p.School);
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
                    SentAt = new DateTimeOffset(2025, 9, 20, 9, 0, 0, TimeSpan.Zero),
                    UpdatedAt = DateTimeOffset.UtcNow,
                    StartedOn = new DateOnly(2025, 10, 1),
                    EndedOn = new DateOnly(2025, 11, 14),
                    EndReason = ServiceReferralEndReason.Completed,
                    Outcome = "Back in lessons",
                });
                AttendanceRecord Attendance(DateOnly start, int present) => new()
                {
                    PersonId = child.Id,
                    SchoolId = p.School.Id,
                    PeriodStart = start,
                    PeriodEnd = start.AddDays(27),
                    SessionsPossible = 100,
                    SessionsPresent = present,
                    AuthorisedAbsence = 100 - present,
                };
                db.AttendanceRecords.AddRange(Attendance(new DateOnly(2025, 5, 1), 60), Attendance(new DateOnly(2026, 1, 12), 85),
                    Attendance(new DateOnly(2025, 10, 6), 10)); // during the referral: in neither term
                foreach (var day in new[] { new DateOnly(2025, 6, 2), new DateOnly(2025, 7, 1), new DateOnly(2025, 10, 20) })
                {
                    db.Suspensions.Add(new Suspension
                    {
                        PersonId = child.Id,
                        SchoolId = p.School.Id,
                        Kind = ExclusionKind.Suspension,
                        StartDate = day,
                        Sessions = 2,
                        ReasonCode1 = "PA",
                        RecordedAt = DateTimeOffset.UtcNow,
                    });
                }
                await db.SaveChangesAsync();
            });
        }
        return service;
    }

    [Fact]
    public async Task ServicePage_CompletedReferrals_AttendanceAndSuspensionsTermBeforeAgainstTermAfter()
    {
        var p = await TestPartnership.CreateAsync(app);
        var five = await CompletedWithTermsAsync(p, 5, "Five completed", s => s.ApRegistration = ApRegistration.Registered);
        var four = await CompletedWithTermsAsync(p, 4, "Four completed", s => s.ApRegistration = ApRegistration.Registered);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var page = await client.GetDocumentAsync($"/services/{five.Id}");

        page.QuerySelector("#attendance-change")!.TextContent.ShouldBe("60.0% before, 85.0% after (+25.0 points), over 5 young people who completed");
        page.QuerySelector("#suspension-change")!.TextContent.ShouldBe("10 before, 0 after, over the same young people");
        (await client.GetDocumentAsync($"/services/{four.Id}")).QuerySelector("#attendance-change")!.TextContent.ShouldStartWith("Not shown: fewer than 5");
    }

    [Fact]
    public async Task ServicePage_SameKind_ComparedForPartnershipRolesNotForTheProvider()
    {
        var p = await TestPartnership.CreateAsync(app);
        var five = await CompletedWithTermsAsync(p, 5, "Five completed", s => s.ApRegistration = ApRegistration.Registered);
        var four = await CompletedWithTermsAsync(p, 4, "Four completed", s => s.ApRegistration = ApRegistration.Registered);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var table = (await admin.GetDocumentAsync($"/services/{five.Id}")).QuerySelector("#comparison")!;

        var rows = table.QuerySelectorAll("tbody tr");
        rows[0].TextContent.ShouldContain($"{five.Name} (this service)");
        rows[0].QuerySelectorAll("td")[1].TextContent.ShouldBe("5");
        var other = rows.Single(r => r.TextContent.Contains(four.Name));
        other.QuerySelectorAll("td")[1].TextContent.ShouldBe("fewer than 5");
        other.QuerySelectorAll("td")[2].TextContent.ShouldBe("not shown");
        var provider = await app.SignInAsync(await p.UserAsync(p.Charity));
        var own = await provider.GetDocumentAsync($"/services/{five.Id}");
        own.QuerySelector("#outcome-figures").ShouldNotBeNull();
        own.QuerySelector("#comparison").ShouldBeNull();
    }
}

public sealed class ServiceOutcomeTestsOnSqlite(SqliteApp app) : ServiceOutcomeTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceOutcomeTestsOnPostgres(PostgresApp app) : ServiceOutcomeTests(app), IClassFixture<PostgresApp>;
