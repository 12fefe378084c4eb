using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>A school's top 10 in real Chromium: a nomination with an error first, then withdrawn; every page checked with axe-core.</summary>
[Collection(BrowserCollection.Name)]
public sealed class TopTenJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task TopTen_NominateWithErrorThenWithdraw_ListAndHistoryShown()
    {
        var p = await TestPartnership.CreateAsync(app);
        await p.YoungPersonAsync("Rosa", $"Quill{p.Suffix}", new DateOnly(2011, 6, 6), enrolledAt: p.School);
        var user = await p.UserAsync(p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(user);

        await browser.OpenAsync("/schools/top-ten");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Top 10 at risk of exclusion");
        await page.GetByLabel("Find a pupil at your school").FillAsync($"Rosa Quill{p.Suffix}");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }));
        await page.GetByLabel($"Rosa Quill{p.Suffix}", new() { Exact = false }).CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Nominate" }));
        await browser.ExpectErrorSummaryAsync("Choose a rank from 1 to 10", "Say why the pupil is at risk of exclusion");

        await page.GetByLabel($"Rosa Quill{p.Suffix}", new() { Exact = false }).CheckAsync();
        await page.GetByLabel("Rank").SelectOptionAsync("1");
        await page.GetByLabel("Why is the pupil at risk of exclusion?").FillAsync("Two suspensions this term");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Nominate" }));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Current list" })).ToContainTextAsync("Two suspensions this term");

        // The row's forms are folded away; a keyboard user opens them from the row's "Change".
        await page.Locator("summary", new() { HasText = $"rank of Rosa Quill{p.Suffix}" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel($"Reason for taking Rosa Quill{p.Suffix} off the list").FillAsync("Support plan agreed with the family");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"Withdraw Rosa Quill{p.Suffix}" }));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Past nominations" })).ToContainTextAsync("Support plan agreed with the family");
    }
}
