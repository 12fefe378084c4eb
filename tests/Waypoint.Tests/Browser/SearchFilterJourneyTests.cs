using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A safeguarding lead finds pupils with the search's filters (school by name and URN, open alerts)
/// and sort, pages through them and downloads them: every page passes axe and the colour check.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SearchFilterJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task PeopleSearch_FilteredSortedPagedAndDownloaded_EveryPageAccessible()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var p = await TestPartnership.CreateAsync(app);
        var urn = Random.Shared.Next(100_000, 999_999).ToString();
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn)));
        var family = $"Journey{p.Suffix}";
        var pupils = new List<Person>();
        for (var i = 0; i < 27; i++)
            pupils.Add(await p.YoungPersonAsync($"Pupil{i:00}", family, today.AddYears(-13).AddDays(i), enrolledAt: p.School));
        await app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(new Alert
            {
                PersonId = pupils[3].Id,
                SchoolId = p.School.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"journey:{pupils[3].Id}",
                TriggeredOn = today.AddDays(-1),
                Figures = "2 suspensions",
                ThresholdValue = 2,
                Status = AlertStatus.New,
                RaisedAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
            await db.SaveChangesAsync();
        });
        var dsl = await p.UserAsync(p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(dsl);

        await browser.OpenAsync("/people");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(family);
        await page.GetByLabel("School they attend now").SelectOptionAsync(new SelectOptionValue { Label = $"School A {p.Suffix} (URN {urn})" });
        await page.GetByLabel("Sort by").SelectOptionAsync(new SelectOptionValue { Label = "Age, youngest first" });
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }));
        await Expect(page.Locator("#results")).ToHaveTextAsync("27 people found");
        await Expect(page.Locator("#results-range")).ToHaveTextAsync("Showing 1 to 25 of 27, youngest first.");
        await Expect(page.Locator("#search-results tbody tr").First).ToContainTextAsync($"Pupil26 {family}");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty();

        await browser.FollowAsync(page.Locator(".govuk-pagination__next a"));
        await Expect(page.Locator("#search-results tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#search-results tbody tr").Last).ToContainTextAsync($"Pupil00 {family}");

        await page.GetByLabel("Open early-warning alerts").CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }));
        await Expect(page.Locator("#results")).ToHaveTextAsync("1 person found");
        await Expect(page.Locator("#search-results .wp-open-work")).ToHaveTextAsync("1 open alert");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#search-exports a", new() { HasText = "CSV" }).ClickAsync());
        download.SuggestedFilename.ShouldStartWith("people-found-");
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        text.ShouldContain($"Pupil03 {family}");
        text.ShouldNotContain($"Pupil04 {family}");

        await browser.OpenAsync($"/people?Name={family}&School={p.Police.Id}");
        await browser.ExpectErrorSummaryAsync("Choose a school from the list");
        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{height} px  {url}");
    }
}
