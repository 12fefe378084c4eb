using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The main paths with the keyboard alone (Tab to move, Enter and Space to act, letters to type):
/// sign in, search a person and page through the results, open the person, triage a hub referral;
/// filter the alert inbox and acknowledge alerts in bulk; open a day's notices and mark them read.
/// Every page on the way, filtered and paged states included, goes through axe and the colour check.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    private static ILocator Menu(IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"^{name}") });

    private static async Task SignInByKeyboardAsync(BrowserSession browser, TestUser user)
    {
        var page = browser.Page;
        await browser.OpenAsync("/sign-in");
        await browser.TabToAsync(page.GetByLabel("Email address"));
        await page.Keyboard.TypeAsync(user.Email);
        await browser.TabToAsync(page.GetByLabel("Password"));
        await page.Keyboard.TypeAsync(user.Password);
        await browser.PressToLoadAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/code(\\?|$)"));
        await browser.TabToAsync(page.GetByLabel("Enter your security code"));
        await page.Keyboard.TypeAsync(user.CurrentCode());
        await browser.PressToLoadAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task HubPractitioner_KeyboardOnly_SignsInSearchesPagesOpensThePersonAndTriages()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = $"Keyb{p.Suffix}";
        Person? first = null;
        for (var i = 0; i < IndexPageSize + 2; i++)
        {
            var person = await p.YoungPersonAsync($"Kid{(char)('a' + i)}", family, new DateOnly(2012, 1, 1).AddDays(i), enrolledAt: p.School);
            first ??= person;
        }
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        await app.AsSystemAsync(async db =>
        {
            db.Referrals.Add(new Referral
            {
                PersonId = first!.Id,
                ReporterUserId = hub.Id,
                ReporterOrganisationId = p.School.Id,
                AreaId = p.Ward.Id,
                Categories = "RiskOfExclusion",
                WhatIsKnown = "Two suspensions this term and falling attendance.",
                ReportedAt = DateTimeOffset.UtcNow.AddHours(-2),
                DecisionDueBy = DateTimeOffset.UtcNow.AddHours(20),
                Status = ReferralStatus.AwaitingTriage,
            });
            await db.SaveChangesAsync();
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;

        await SignInByKeyboardAsync(browser, hub);

        await browser.TabToAsync(Menu(page, "People"));
        await browser.PressToLoadAsync("Enter");
        await browser.TabToAsync(page.GetByLabel("Name", new() { Exact = true }));
        await page.Keyboard.TypeAsync(family);
        await browser.PressToLoadAsync("Enter");
        await Expect(page.Locator("main")).ToContainTextAsync($"{IndexPageSize + 2} people found");
        await browser.TabToAsync(page.GetByRole(AriaRole.Link, new() { Name = "Next page" }));
        await browser.PressToLoadAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("[?&]p=2"));
        await browser.TabToAsync(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"{family}") }).First);
        await browser.PressToLoadAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(family);

        await browser.TabToAsync(Menu(page, "Home"));
        await browser.PressToLoadAsync("Enter");
        await browser.TabToAsync(page.GetByRole(AriaRole.Link, new() { Name = "Hub queue" }).First);
        await browser.PressToLoadAsync("Enter");
        await browser.TabToAsync(page.GetByRole(AriaRole.Table, new() { Name = "Awaiting a decision" }).GetByRole(AriaRole.Link, new() { NameRegex = new Regex(family) }));
        await browser.PressToLoadAsync("Enter");
        // The first radio of the decision takes the focus from Tab; Space chooses it.
        await browser.TabToAsync(page.Locator("#Outcome"));
        await page.Keyboard.PressAsync("Space");
        await browser.TabToAsync(page.GetByLabel("Rationale"));
        await page.Keyboard.TypeAsync("Known to the school, which is already supporting the family.");
        await browser.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
        await browser.PressToLoadAsync("Enter");
        await Expect(page.Locator(".govuk-summary-list").First).ToContainTextAsync(Waypoint.Features.Referrals.TriageLabels.Describe(TriageOutcome.NoFurtherAction));

        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{new Uri(url).PathAndQuery} at 1280 px: {height} px");
    }

    private const int IndexPageSize = Waypoint.Features.People.IndexModel.PageSize;

    [Fact]
    public async Task SafeguardingLead_KeyboardOnly_FiltersAlertsAcknowledgesTwoAndReadsTheDigest()
    {
        var p = await TestPartnership.CreateAsync(app);
        var one = await p.YoungPersonAsync("Ola", $"Alrt{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var two = await p.YoungPersonAsync("Pip", $"Alrt{p.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: p.School);
        var dsl = await p.UserAsync(p.School);
        await app.AsSystemAsync(async db =>
        {
            foreach (var pupil in new[] { one, two })
                db.Alerts.Add(new Alert
                {
                    PersonId = pupil.Id,
                    SchoolId = p.School.Id,
                    Rule = AlertRule.RepeatedSuspensions,
                    TriggerKey = $"keyboard-test:{pupil.Id}",
                    TriggeredOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1),
                    Figures = "2 suspensions",
                    ThresholdValue = 2,
                    Status = AlertStatus.New,
                    RaisedAt = DateTimeOffset.UtcNow.AddDays(-1),
                });
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(async (_, services) =>
        {
            for (var i = 0; i < 3; i++)
                await services.GetRequiredService<INotifier>().NotifyAsync(new Notice([dsl.Id], $"A new alert about a pupil at School A", "", "/alerts", "alert"), CancellationToken.None);
            return true;
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;

        await SignInByKeyboardAsync(browser, dsl);

        await browser.TabToAsync(Menu(page, "Alerts"));
        await browser.PressToLoadAsync("Enter");
        await browser.TabToAsync(page.GetByLabel("Status"));
        await page.Keyboard.TypeAsync("New");
        await browser.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await browser.PressToLoadAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("[?&]status=New", RegexOptions.IgnoreCase));
        await Expect(page.Locator("#alert-list tbody tr")).ToHaveCountAsync(2);

        await browser.TabToAsync(page.Locator("#alert-list input[type=checkbox]").Nth(0));
        await page.Keyboard.PressAsync("Space");
        await browser.TabToAsync(page.Locator("#alert-list input[type=checkbox]").Nth(1));
        await page.Keyboard.PressAsync("Space");
        await browser.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge selected alerts" }));
        await browser.PressToLoadAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Acknowledge these 2 alerts?");
        await browser.TabToAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, acknowledge them" }));
        await browser.PressToLoadAsync("Enter");
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("2 alerts acknowledged");

        await browser.TabToAsync(Menu(page, "Notifications"));
        await browser.PressToLoadAsync("Enter");
        var group = page.Locator(".wp-notice-group__title").First;
        await Expect(group).ToHaveTextAsync("3 early-warning alerts, 3 unread");
        await browser.TabToAsync(page.Locator(".wp-notice-group summary").First);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator(".wp-notice-group .wp-notice").First).ToBeVisibleAsync();
        await browser.TabToAsync(page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Mark these 3 as read") }));
        await browser.PressToLoadAsync("Enter");
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("3 early-warning alerts marked as read");
        await Expect(page.Locator(".wp-notice-group__title").First).ToHaveTextAsync("3 early-warning alerts");

        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{new Uri(url).PathAndQuery} at 1280 px: {height} px");
    }
}
