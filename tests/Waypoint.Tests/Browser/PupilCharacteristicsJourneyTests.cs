using Microsoft.Playwright;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>A school records a pupil's characteristics in real Chromium: from the person page's school records, with errors first, then saved and changed; every page checked with axe-core.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PupilCharacteristicsJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Characteristics_RecordWithErrorsThenSaveAndChange_BannerSectionAndHistoryShown()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Nia", $"Adeyemi{p.Suffix}", new DateOnly(2011, 9, 9), enrolledAt: p.School);
        var user = await p.UserAsync(p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(user);

        await browser.OpenAsync($"/people/{pupil.Id}/school");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Record pupil characteristics" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Pupil characteristics");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save the characteristics" }));
        await browser.ExpectErrorSummaryAsync("Select the pupil's sex, or Not known", "Select the pupil's ethnicity, or Information not yet obtained",
            "Select the pupil's SEN provision", "Select whether the pupil is eligible for free school meals");

        await page.GetByRole(AriaRole.Group, new() { Name = "Sex" }).GetByLabel("Female").CheckAsync();
        await page.GetByLabel("Ethnicity (DfE code)").SelectOptionAsync("MWBA");
        await page.GetByLabel("SEN support").CheckAsync();
        await page.GetByLabel("Eligible for free school meals").CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save the characteristics" }));
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("The pupil's characteristics were saved");
        await Expect(page.Locator("#pupil-characteristics + dl")).ToContainTextAsync("White and Black African (MWBA)");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Change pupil characteristics" }));
        await page.GetByLabel("Not eligible").CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save the characteristics" }));
        await Expect(page.Locator(".govuk-notification-banner")).ToContainTextAsync("free school meals changed");

        await browser.OpenAsync($"/people/{pupil.Id}/school/characteristics");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Changes, latest first" })).ToContainTextAsync("Not eligible");
    }
}
