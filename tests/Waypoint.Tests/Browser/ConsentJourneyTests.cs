using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A police officer involved with a child records the family's consent to early help (with an error
/// first) and sees it as the current consent; a hub practitioner opens the partnership's consent
/// rates. Axe checks every page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsentJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task PoliceRecordsConsentGiven_SeesCurrentConsent_HubOpensTheReport()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Rhea", $"Pike{p.Suffix}", new DateOnly(2011, 9, 23), enrolledAt: p.School);
        await p.InvolveAsync(child, p.Police, "Found with older youths after a missing episode");
        var officer = await p.UserAsync(p.Police);
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var heading = (Func<IPage, ILocator>)(page => page.GetByRole(AriaRole.Heading, new() { Level = 1 }));

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(officer);
            await browser.OpenAsync($"/people/{child.Id}");
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Consent to early help" }));
            await Expect(heading(page)).ToHaveTextAsync("Consent to early help");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the answer" }));
            await browser.ExpectErrorSummaryAsync("Select the agency the consent is for", "Select how the family was asked",
                "Enter the date the family was asked", "Enter who in the family answered", "Select the family's answer");

            await page.GetByLabel("Agency the consent is for").SelectOptionAsync(new SelectOptionValue { Label = p.Youth.Name });
            await page.GetByLabel("Home visit").CheckAsync();
            var asked = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
            await page.Locator("#AskedOn").FillAsync(asked.Day.ToString(CultureInfo.InvariantCulture));
            await page.Locator("#AskedOn-month").FillAsync(asked.Month.ToString(CultureInfo.InvariantCulture));
            await page.Locator("#AskedOn-year").FillAsync(asked.Year.ToString(CultureInfo.InvariantCulture));
            await page.GetByLabel("Who in the family answered").FillAsync("Mother, Jo Pike");
            await page.GetByLabel("Consent given").CheckAsync();
            await page.GetByLabel(new Regex("^What the consent covers")).FillAsync("Police and school share what they know with the youth service for early help.");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the answer" }));

            await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("The family's answer is recorded");
            var current = page.GetByRole(AriaRole.Table, new() { Name = "Current consent" });
            await Expect(current).ToContainTextAsync(p.Youth.Name);
            await Expect(current).ToContainTextAsync("Consent given");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Every answer recorded" })).ToContainTextAsync("Mother, Jo Pike");
        }

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(hubUser);
            await browser.OpenAsync("/reports/consent");
            await Expect(heading(page)).ToHaveTextAsync("Consent to early help: rates by agency");
            var byAgency = page.GetByRole(AriaRole.Table, new() { Name = "By the agency that asked" });
            await Expect(byAgency.GetByRole(AriaRole.Row).Filter(new() { HasText = p.Police.Name })).ToContainTextAsync("100%");
            await Expect(page.Locator("main")).Not.ToContainTextAsync("Rhea");
        }
    }
}
