using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// Each role's home in Chromium, through axe and the colour check: a hub practitioner, a school's
/// safeguarding lead, a police officer, an analyst and a data-protection officer; the lead of a
/// case with an overdue action follows it from home to the case.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class HomeJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task Home_EachRole_ReadableAndShapedByRole()
    {
        var p = await TestPartnership.CreateAsync(app);
        var personas = new (string Name, TestUser User, string[] Shown, string[] Hidden)[]
        {
            ("hub practitioner", await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County), ["Hub queue", "Top 10 at risk of exclusion"], []),
            ("school DSL", await p.UserAsync(p.School), ["Suspensions and exclusions dashboard", "Import your school's records"], ["Consent rates by agency", "Hub queue"]),
            ("police officer", await p.UserAsync(p.Police), ["Find a person"], ["Suspensions and exclusions dashboard", "Top 10 at risk of exclusion", "Consent rates by agency"]),
            ("analyst", await p.UserAsync(p.Hub, Roles.Analyst), ["Consent rates by agency"], ["Add a person", "Find a person"]),
            ("data-protection officer", await p.UserAsync(p.Hub, Roles.DataProtectionOfficer), ["Search the audit log"], []),
        };
        foreach (var (name, user, shown, hidden) in personas)
        {
            await using var browser = await BrowserSession.StartAsync(app.RootUri);
            await browser.SignInAsync(user);
            await browser.OpenAsync("/");
            var main = browser.Page.Locator("main");
            foreach (var link in shown)
                await Expect(main.GetByRole(AriaRole.Link, new() { Name = link, Exact = true })).ToBeVisibleAsync();
            foreach (var link in hidden)
                await Expect(main.GetByRole(AriaRole.Link, new() { Name = link, Exact = true })).ToHaveCountAsync(0);
            output.WriteLine($"Home for the {name} at 1280 px: {browser.PageHeights[^1].Height} px");
        }
    }

    [Fact]
    public async Task Home_LeadWithOverdueAction_FollowsItToTheCase()
    {
        var w = await CaseWorld.OpenAsync(app);
        await app.AsSystemAsync(async db =>
        {
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Call the family", OwnerOrganisationId = w.P.Youth.Id, DueOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(w.Lead);
        await browser.OpenAsync("/");
        var actions = page.GetByRole(AriaRole.Table, new() { Name = "Most urgent actions" });
        await Expect(actions).ToContainTextAsync("Call the family");
        await Expect(actions).ToContainTextAsync("Overdue");
        await browser.FollowAsync(actions.GetByRole(AriaRole.Link, new() { Name = $"Jade Corr{w.P.Suffix}" }));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Actions agreed" })).ToContainTextAsync("Call the family");
    }
}
