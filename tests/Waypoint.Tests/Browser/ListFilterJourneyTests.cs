using System.Globalization;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Cases;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The cases list and the hub queue with their filters, sorted and downloaded, as the lead and the
/// hub use them: every page passes axe and the colour check; the heights go to the output.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ListFilterJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task CasesList_FilteredSortedAndDownloaded_EveryPageAccessible()
    {
        var w = await CaseWorld.OpenAsync(app);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(w.Lead);

        await browser.FollowAsync(page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "Cases" }));
        await Expect(page.Locator("#case-list")).ToContainTextAsync(w.Child.FamilyName);
        await browser.RevealAsync("Filter cases");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty();
        await page.GetByLabel("Level").SelectOptionAsync(new SelectOptionValue { Label = "Early help" });
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var from = page.GetByRole(AriaRole.Group, new() { Name = "Opened from" });
        await from.GetByLabel("Day").FillAsync(Text(today.AddDays(-1).Day));
        await from.GetByLabel("Month").FillAsync(Text(today.AddDays(-1).Month));
        await from.GetByLabel("Year").FillAsync(Text(today.AddDays(-1).Year));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await Expect(page.Locator("#cases-range")).ToHaveTextAsync("Showing 1 to 1 of 1 case");

        await browser.FollowAsync(page.Locator("#sort-name"));
        await Expect(page.Locator("th[aria-sort='ascending']")).ToHaveTextAsync("Child");
        await Expect(page.Locator("#case-list")).ToContainTextAsync(w.Child.FamilyName);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#case-exports a", new() { HasText = "CSV" }).ClickAsync());
        download.SuggestedFilename.ShouldStartWith("cases-");
        (await File.ReadAllTextAsync((await download.PathAsync())!)).ShouldContain(w.Child.FamilyName);

        await browser.RevealAsync("Filter cases");
        var to = page.GetByRole(AriaRole.Group, new() { Name = "Opened to" });
        await to.GetByLabel("Day").FillAsync("31");
        await to.GetByLabel("Month").FillAsync("2");
        await to.GetByLabel("Year").FillAsync(Text(today.Year));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await browser.ExpectErrorSummaryAsync("Opened to must be a real date");
        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{height} px  {url}");
    }

    [Fact]
    public async Task HubQueue_FilteredAndDownloaded_EveryPageAccessible()
    {
        var w = await CaseWorld.OpenAsync(app);
        var hub = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.HubTriage, w.P.County);
        var reporter = await w.P.UserAsync(w.P.School);
        await app.AsSystemAsync(async db =>
        {
            foreach (var (categories, due) in new[] { ("RiskOfExclusion", DateTimeOffset.UtcNow.AddHours(-1)), ("MentalHealth", DateTimeOffset.UtcNow.AddDays(3)) })
                db.Referrals.Add(new Referral
                {
                    PersonId = w.Child.Id,
                    ReporterUserId = reporter.Id,
                    ReporterOrganisationId = w.P.School.Id,
                    AreaId = w.P.Ward.Id,
                    Categories = categories,
                    WhatIsKnown = "A concern",
                    ReportedAt = DateTimeOffset.UtcNow.AddDays(-1),
                    DecisionDueBy = due,
                    Status = ReferralStatus.AwaitingTriage,
                });
            await db.SaveChangesAsync();
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(hub);

        await browser.OpenAsync("/hub");
        await Expect(page.Locator("#hub-range")).ToHaveTextAsync("Showing 1 to 2 of 2 reports");
        await browser.RevealAsync("Filter reports");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty();
        await page.GetByLabel("Concern").SelectOptionAsync(new SelectOptionValue { Label = "Risk of exclusion from school" });
        await page.GetByLabel("Decision due").SelectOptionAsync(new SelectOptionValue { Label = "Overdue" });
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await Expect(page.Locator("#hub-range")).ToHaveTextAsync("Showing 1 to 1 of 1 report");
        await Expect(page.Locator("#hub-queue")).ToContainTextAsync("Overdue");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#hub-exports a", new() { HasText = "Excel" }).ClickAsync());
        using (var stream = File.OpenRead((await download.PathAsync())!))
            MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Count().ShouldBe(1);
        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{height} px  {url}");
    }
}
