using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Services;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>
/// The referral journey around the referral page: reached from the person, the case and a meeting
/// decision; the provider's inbox and My work; a chronology line for each step; a step posted from
/// a stale page refused.
/// </summary>
public abstract class ServiceReferralJourneyTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task ReferFromCase_LinkedToTheCase_ProviderInboxAndMyWorkList_ChronologyHasEachStep()
    {
        var world = await CaseWorld.OpenAsync(app);
        var p = world.P;
        var service = await app.AddServiceAsync(p, "Mentoring");
        var lead = await app.SignInAsync(world.Lead);
        var provider = await app.SignInAsync(await p.UserAsync(p.Charity));

        var casePage = await lead.GetDocumentAsync($"/cases/{world.CaseId}");
        var link = casePage.QuerySelector("a#refer-to-service")!.GetAttribute("href")!;
        link.ShouldBe($"/people/{world.Child.Id}/refer-to-service?caseId={world.CaseId}");
        var sent = await lead.SubmitAsync(link, "#refer-form", f =>
        {
            f.Set("ServiceId", service.Id.ToString());
            f.Set("Reason", "Needs a mentor after the case review");
            f.Set("Urgency", "Urgent");
            f.Set("LawfulBasis", "PublicTask");
        });
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var url = sent.Headers.Location!.OriginalString;
        (await app.AsSystemAsync((db, _) => db.Set<ServiceReferral>().Where(r => r.PersonId == world.Child.Id).Select(r => r.CaseId).SingleAsync()))
            .ShouldBe(world.CaseId);

        var inbox = await provider.GetDocumentAsync("/service-referrals");
        var row = inbox.QuerySelector("#to-answer")!.TextContent;
        row.ShouldContain(world.Child.GivenName);
        row.ShouldContain("Urgent");
        (await provider.GetDocumentAsync("/my-work")).QuerySelector("#my-service-referrals")!.TextContent
            .ShouldContain("1 referral to your organisation's services awaits");
        (await lead.GetDocumentAsync("/service-referrals")).QuerySelector("#made")!.TextContent.ShouldContain(world.Child.GivenName);
        (await lead.GetDocumentAsync("/my-work")).QuerySelector("#my-service-referrals")!.TextContent.ShouldContain("1 referral you made is open");

        var accepted = await provider.SubmitAsync(url, $"form[action='{url}?step=accept']");
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await provider.GetDocumentAsync(url)).QuerySelector(".govuk-notification-banner--success")!.TextContent
            .ShouldContain("Referral accepted: the referrer has been told");
        (await provider.SubmitAsync(url, $"form[action='{url}?step=wait']")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await provider.GetDocumentAsync("/service-referrals")).QuerySelector("#waiting")!.TextContent.ShouldContain(world.Child.GivenName);
        (await provider.SubmitAsync(url, "#start-form", f =>
        {
            f.Set("On.Day", Today.Day.ToString());
            f.Set("On.Month", Today.Month.ToString());
            f.Set("On.Year", Today.Year.ToString());
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await provider.GetDocumentAsync("/service-referrals")).QuerySelector("#active")!.TextContent.ShouldContain(world.Child.GivenName);
        (await provider.SubmitAsync($"{url}?step=end", "#step-form", f =>
        {
            f.Set("On.Day", Today.Day.ToString());
            f.Set("On.Month", Today.Month.ToString());
            f.Set("On.Year", Today.Year.ToString());
            f.Set("EndReason", "Completed");
            f.Set("Outcome", "Back in lessons full time");
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var chronology = (await lead.GetDocumentAsync($"/people/{world.Child.Id}/chronology")).Body!.TextContent;
        chronology.ShouldContain($"Referred to {service.Name}");
        chronology.ShouldContain($"Referral to {service.Name} accepted");
        chronology.ShouldContain($"Put on the waiting list for {service.Name}");
        chronology.ShouldContain($"Started at {service.Name}");
        chronology.ShouldContain($"Left {service.Name}");
        chronology.ShouldContain("Ended: completed");
        (await Subjects(world.Lead.Id)).Count(s => s.StartsWith("A referral to a service was", StringComparison.Ordinal)).ShouldBe(4);
    }

    [Fact]
    public async Task Inbox_OtherOrganisation_NamesNoOne()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Mentoring");
        var pupil = await p.YoungPersonAsync("Ola", $"Inbox{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        (await school.GetDocumentAsync($"/people/{pupil.Id}")).QuerySelector("a#refer-to-service")!.GetAttribute("href")
            .ShouldBe($"/people/{pupil.Id}/refer-to-service");
        await SendAsync(school, pupil.Id, service.Id);
        var other = await app.SignInAsync(await p.UserAsync(p.Youth));

        var page = await other.GetAsync("/service-referrals");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldNotContain(pupil.FamilyName);
    }

    [Fact]
    public async Task Step_PostedFromAStalePage_RefusedAndNothingChanges()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Mentoring");
        var pupil = await p.YoungPersonAsync("Pia", $"Stale{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var url = await SendAsync(school, pupil.Id, service.Id);
        var first = await app.SignInAsync(await p.UserAsync(p.Charity));
        var second = await app.SignInAsync(await p.UserAsync(p.Charity));
        (await first.SubmitAsync(url, $"form[action='{url}?step=accept']")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // The second provider user's page still showed the referral as sent (version 0).
        var stale = await second.PostFormAsync($"{url}?step=wait", new() { ["Version"] = "0" }, formPage: url);

        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await stale.Content.ReadAsStringAsync());
        page.ErrorSummary().ShouldContain(ServiceReferrals.ChangedMeanwhile);
        page.QuerySelector("#status")!.TextContent.ShouldBe("accepted");
        (await app.AsSystemAsync((db, _) => db.Set<ServiceReferral>().Where(r => r.PersonId == pupil.Id).Select(r => new { r.Status, r.Version }).SingleAsync()))
            .ShouldBe(new { Status = ServiceReferralStatus.Accepted, Version = 1 });
    }

    [Fact]
    public async Task ReferFromMeetingDecision_ItemOfAnotherChild_Refused()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Mentoring");
        var pupil = await p.YoungPersonAsync("Rae", $"Item{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var refused = await school.SubmitAsync($"/people/{pupil.Id}/refer-to-service?agendaItemId={Guid.NewGuid()}", "#refer-form", f =>
        {
            f.Set("ServiceId", service.Id.ToString());
            f.Set("Reason", "The panel asked for a mentor");
            f.Set("Urgency", "Routine");
            f.Set("LawfulBasis", "PublicTask");
        });

        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.DocumentAsync()).ErrorSummary().ShouldContain("The meeting decision is not about this young person, or you cannot see it");
        (await app.AsSystemAsync((db, _) => db.Set<ServiceReferral>().CountAsync(r => r.PersonId == pupil.Id))).ShouldBe(0);
    }

    private static async Task<string> SendAsync(HttpClient client, Guid personId, Guid serviceId)
    {
        var sent = await client.SubmitAsync($"/people/{personId}/refer-to-service", "#refer-form", f =>
        {
            f.Set("ServiceId", serviceId.ToString());
            f.Set("Reason", "Wants a mentor");
            f.Set("Urgency", "Routine");
            f.Set("LawfulBasis", "PublicTask");
        });
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return sent.Headers.Location!.OriginalString;
    }

    private Task<List<string>> Subjects(Guid userId) =>
        app.AsSystemAsync((db, _) => db.Notifications.Where(n => n.UserId == userId).Select(n => n.Subject).ToListAsync());
}

public sealed class ServiceReferralJourneyTestsOnSqlite(SqliteApp app) : ServiceReferralJourneyTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceReferralJourneyTestsOnPostgres(PostgresApp app) : ServiceReferralJourneyTests(app), IClassFixture<PostgresApp>;
