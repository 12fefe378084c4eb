using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Browser;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Services;

/// <summary>
/// Services in real Chromium, every page checked with axe: a member of the public uses the finder
/// without signing in; a caseworker refers a child from their case, the provider finds it in My
/// work, accepts it, starts the service and ends it with an outcome after the confirmation step.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ServiceBrowserJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task PublicFinder_NoSignIn_FiltersAndOpensAService()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Public mentoring");
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;

        await browser.OpenAsync("/find-a-service");
        await page.GetByLabel("Search by name or words").FillAsync(p.Suffix);
        await page.GetByLabel("Age of the child or young person").FillAsync("13");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await Expect(page.Locator("#result-count")).ToHaveTextAsync("1 service");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = service.Name }));
        await Expect(page.Locator("h1")).ToHaveTextAsync(service.Name);
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Find a service" }));
        await page.GetByLabel("Age of the child or young person").FillAsync("old");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await browser.ExpectErrorSummaryAsync("Age must be a whole number from 0 to 25");
    }

    [Fact]
    public async Task Caseworker_RefersFromTheCase_ProviderAcceptsStartsAndRecordsTheOutcome()
    {
        var world = await CaseWorld.OpenAsync(app);
        var p = world.P;
        var service = await app.AddServiceAsync(p, "Journey mentoring");
        var child = $"{world.Child.GivenName} {world.Child.FamilyName}";
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        await using (var caseworker = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = caseworker.Page;
            await caseworker.SignInAsync(world.Lead);
            await caseworker.OpenAsync($"/cases/{world.CaseId}");
            await caseworker.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Refer to a service" }));
            await caseworker.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the referral" }));
            await caseworker.ExpectErrorSummaryAsync("Say why the young person is referred");
            await page.GetByLabel("Service", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = service.Id.ToString() });
            await page.GetByLabel("Why you are referring them").FillAsync("Needs a mentor to stay in school");
            await page.GetByLabel("Routine").CheckAsync();
            await page.Locator("input[name=LawfulBasis][value=PublicTask]").CheckAsync();
            await caseworker.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the referral" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Referral sent");
        }

        await using var provider = await BrowserSession.StartAsync(app.RootUri);
        var pp = provider.Page;
        await provider.SignInAsync(await p.UserAsync(p.Charity));
        await provider.OpenAsync("/my-work");
        await provider.FollowAsync(pp.GetByRole(AriaRole.Link, new() { Name = "Service referrals" }));
        await provider.FollowAsync(pp.Locator("#to-answer a", new() { HasText = child }));
        await provider.FollowAsync(pp.GetByRole(AriaRole.Button, new() { Name = "Accept" }));
        await Expect(pp.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Referral accepted");
        await pp.GetByLabel("Day").FillAsync(today.Day.ToString());
        await pp.GetByLabel("Month").FillAsync(today.Month.ToString());
        await pp.GetByLabel("Year").FillAsync(today.Year.ToString());
        await provider.FollowAsync(pp.GetByRole(AriaRole.Button, new() { Name = "Start the service" }));
        await Expect(pp.Locator("#status")).ToHaveTextAsync("started");
        await provider.FollowAsync(pp.GetByRole(AriaRole.Link, new() { Name = "End the service" }));
        await Expect(pp.Locator("#step-heading")).ToHaveTextAsync("End the service?");
        await pp.GetByLabel("Day").FillAsync(today.Day.ToString());
        await pp.GetByLabel("Month").FillAsync(today.Month.ToString());
        await pp.GetByLabel("Year").FillAsync(today.Year.ToString());
        await pp.GetByLabel("Completed", new() { Exact = true }).CheckAsync();
        await pp.GetByLabel("Sessions attended").FillAsync("18");
        await pp.GetByLabel("Outcome (required when completed)").FillAsync("Attending full time again");
        await provider.FollowAsync(pp.GetByRole(AriaRole.Button, new() { Name = "Yes, end the service" }));
        await Expect(pp.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Referral ended");
        await Expect(pp.Locator("#referral")).ToContainTextAsync("Attending full time again");
        await Expect(pp.Locator("#sessions-attended")).ToHaveTextAsync("18");
    }
}
