using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>A referral through the pages: sent from the young person, answered and ended by the provider, each change with its banner, endings asked first.</summary>
public abstract class ServiceReferralPageTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task ReferAcceptStartEnd_ThroughThePages_BannersAndAskBeforeEnding()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Mentoring");
        var pupil = await p.YoungPersonAsync("Tam", $"Page{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var provider = await app.SignInAsync(await p.UserAsync(p.Charity));

        var missing = await school.SubmitAsync($"/people/{pupil.Id}/refer-to-service", "#refer-form", f => f.Set("ServiceId", service.Id.ToString()));
        missing.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await missing.DocumentAsync()).ErrorSummary().ShouldContain("Say why the young person is referred");
        var sent = await school.SubmitAsync($"/people/{pupil.Id}/refer-to-service", "#refer-form", f =>
        {
            f.Set("ServiceId", service.Id.ToString());
            f.Set("Reason", "Wants a mentor");
            f.Set("Urgency", "Routine");
            f.Set("LawfulBasis", "PublicTask");
        });

        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var url = sent.Headers.Location!.OriginalString;
        (await school.GetDocumentAsync(url)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Referral sent");
        (await provider.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var accepted = await provider.SubmitAsync(url, $"form[action='{url}?step=accept']");
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await provider.SubmitAsync(url, "#start-form", f =>
        {
            f.Set("On.Day", Today.Day.ToString());
            f.Set("On.Month", Today.Month.ToString());
            f.Set("On.Year", Today.Year.ToString());
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var ask = await provider.GetDocumentAsync($"{url}?step=end");
        ask.QuerySelector("#step-heading")!.TextContent.ShouldBe("End the service?");
        (await StatusAsync(pupil.Id)).ShouldBe(ServiceReferralStatus.Started);
        foreach (var (bad, message) in new[] { ("lots", "whole number, like 12"), ("1001", "from 0 to 1000") })
        {
            var refused = await provider.SubmitAsync($"{url}?step=end", "#step-form", f =>
            {
                f.Set("On.Day", Today.Day.ToString());
                f.Set("On.Month", Today.Month.ToString());
                f.Set("On.Year", Today.Year.ToString());
                f.Set("EndReason", "Completed");
                f.Set("Outcome", "Attending every lesson");
                f.Set("SessionsAttended", bad);
            });
            refused.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await refused.DocumentAsync()).ErrorSummary().ShouldHaveSingleItem().ShouldContain(message);
            (await StatusAsync(pupil.Id)).ShouldBe(ServiceReferralStatus.Started);
        }
        var ended = await provider.SubmitAsync($"{url}?step=end", "#step-form", f =>
        {
            f.Set("On.Day", Today.Day.ToString());
            f.Set("On.Month", Today.Month.ToString());
            f.Set("On.Year", Today.Year.ToString());
            f.Set("EndReason", "Completed");
            f.Set("Outcome", "Attending every lesson");
            f.Set("SessionsAttended", "12");
        });

        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StatusAsync(pupil.Id)).ShouldBe(ServiceReferralStatus.Ended);
        var page = await provider.GetDocumentAsync(url);
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Referral ended");
        page.QuerySelector("#access-until")!.TextContent.ShouldBe(Today.AddDays(30).ToString("d MMMM yyyy"));
        page.QuerySelector("#sessions-attended")!.TextContent.ShouldBe("12");
    }

    [Fact]
    public async Task ReferralPage_NotAParty_404()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Mentoring");
        var pupil = await p.YoungPersonAsync("Una", $"Page{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var sent = await school.SubmitAsync($"/people/{pupil.Id}/refer-to-service", "#refer-form", f =>
        {
            f.Set("ServiceId", service.Id.ToString());
            f.Set("Reason", "Wants a mentor");
            f.Set("Urgency", "Urgent");
            f.Set("LawfulBasis", "PublicTask");
        });
        var other = await app.SignInAsync(await p.UserAsync(p.Youth));

        (await other.GetAsync(sent.Headers.Location!.OriginalString)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private Task<ServiceReferralStatus> StatusAsync(Guid personId) =>
        app.AsSystemAsync((db, _) => db.Set<ServiceReferral>().Where(r => r.PersonId == personId).Select(r => r.Status).SingleAsync());
}

public sealed class ServiceReferralPageTestsOnSqlite(SqliteApp app) : ServiceReferralPageTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceReferralPageTestsOnPostgres(PostgresApp app) : ServiceReferralPageTests(app), IClassFixture<PostgresApp>;
