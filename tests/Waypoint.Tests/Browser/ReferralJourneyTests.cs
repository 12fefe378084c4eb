using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>A police officer reports a concern (with an error first); a hub practitioner triages it to early help. Axe checks every page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ReferralJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task PoliceReportsConcern_HubTriagesToEarlyHelp()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Tia", $"Marsh{p.Suffix}", new DateOnly(2012, 1, 17), enrolledAt: p.School);
        await p.InvolveAsync(child, p.Police, "Attended a domestic incident at the home");
        var officer = await p.UserAsync(p.Police);
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var heading = (Func<IPage, ILocator>)(page => page.GetByRole(AriaRole.Heading, new() { Level = 1 }));

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(officer);
            await browser.OpenAsync($"/people/{child.Id}");
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Report a concern") }));
            await Expect(heading(page)).ToHaveTextAsync("Report a concern to the early-intervention hub");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }));
            await browser.ExpectErrorSummaryAsync("Select what the concern is about", "Say what is known", "Say whether the child is at immediate risk");

            await page.GetByLabel("Domestic abuse at home").CheckAsync();
            await page.GetByLabel("What is known").FillAsync("Police called to the home twice this month; Tia was present both times.");
            await page.GetByRole(AriaRole.Radio, new() { Name = "No", Exact = true }).CheckAsync();
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }));
            await Expect(page.Locator(".govuk-panel__title")).ToHaveTextAsync("Report sent to the hub");
        }

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(hubUser);
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Hub queue" }));
            await browser.FollowAsync(page.GetByRole(AriaRole.Table, new() { Name = "Awaiting a decision" }).GetByRole(AriaRole.Link, new() { Name = $"Tia Marsh{p.Suffix}" }));
            await page.GetByLabel("Early help (opens a case)").CheckAsync();
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
            await browser.ExpectErrorSummaryAsync("Give the rationale for the decision", "Select the organisation that will lead the case");

            await page.GetByLabel("Early help (opens a case)").CheckAsync();
            await page.GetByLabel("Lead organisation (for early help or targeted support)").SelectOptionAsync(new SelectOptionValue { Label = p.FamilyCentre.Name });
            await page.GetByLabel("Rationale").FillAsync("Domestic abuse at home with the child present: early help through the family centre.");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
            await Expect(page.Locator(".govuk-summary-list")).ToContainTextAsync($"Early help (opens a case), led by {p.FamilyCentre.Name}");
        }
    }
}
