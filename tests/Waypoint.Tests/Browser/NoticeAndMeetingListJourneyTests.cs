using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Features.Notifications;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Meetings;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The notifications list filtered by type, status and date and downloaded, and the meetings list
/// downloaded, as a practitioner and a chair use them: every page passes axe and the colour check
/// (the filters' form too, once revealed); each file is opened and read back; heights to the output.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class NoticeAndMeetingListJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Notifications_FilteredByTypeStatusAndDate_CountedAndDownloaded()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        await app.AsSystemAsync(async (_, services) =>
        {
            var notifier = services.GetRequiredService<INotifier>();
            for (var i = 0; i < 3; i++)
                await notifier.NotifyAsync(new Notice([user.Id], "A new alert about a pupil at School A", "Repeated suspensions.", "/alerts", "alert"), CancellationToken.None);
            await notifier.NotifyAsync(new Notice([user.Id], "A referral you sent has an outcome", "Advice and signposting.", "/account", "referral-outcome"), CancellationToken.None);
            return true;
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(user);

        await browser.OpenAsync("/notifications");
        await Expect(page.Locator("#notices-range")).ToHaveTextAsync("Showing 1 to 4 of 4 notifications");
        await browser.RevealAsync("Filter notifications");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty();
        await page.GetByLabel("Type of notification").SelectOptionAsync(new SelectOptionValue { Label = "Early-warning alerts (3)" });
        await page.GetByLabel("Status").SelectOptionAsync(new SelectOptionValue { Label = "Unread" });
        var today = NoticeDays.DayOf(DateTimeOffset.UtcNow);
        var from = page.GetByRole(AriaRole.Group, new() { Name = "Sent from" });
        await from.GetByLabel("Day").FillAsync(Text(today.Day));
        await from.GetByLabel("Month").FillAsync(Text(today.Month));
        await from.GetByLabel("Year").FillAsync(Text(today.Year));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await Expect(page.Locator("#notices-range")).ToHaveTextAsync("Showing 1 to 3 of 3 notifications");
        await Expect(page.Locator(".wp-notice-group__title")).ToHaveTextAsync("3 early-warning alerts, 3 unread");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#notice-exports a", new() { HasText = "Excel" }).ClickAsync());
        download.SuggestedFilename.ShouldStartWith("notifications-");
        using (var stream = File.OpenRead((await download.PathAsync())!))
        {
            var rows = MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            rows.Count.ShouldBe(3);
            rows.ShouldAllBe(r => (string?)r["Type"] == "Early-warning alerts");
        }

        await browser.RevealAsync("Filter notifications");
        var to = page.GetByRole(AriaRole.Group, new() { Name = "Sent to" });
        await to.GetByLabel("Day").FillAsync("31");
        await to.GetByLabel("Month").FillAsync("2");
        await to.GetByLabel("Year").FillAsync(Text(today.Year));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await browser.ExpectErrorSummaryAsync("Sent to must be a real date");
        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{height} px  {url}");
    }

    [Fact]
    public async Task MeetingsList_DownloadedAsCsvAndExcel()
    {
        var m = await MeetingWorld.CreateAsync(app);
        await m.ScheduleAsync(MeetingWorld.Today.AddDays(14));
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(m.Chair);

        await browser.OpenAsync("/meetings");
        await Expect(page.Locator("#series")).ToContainTextAsync($"Cluster {m.P.Suffix}, monthly");
        var csv = await page.RunAndWaitForDownloadAsync(() => page.Locator("#series-exports a", new() { HasText = "CSV" }).ClickAsync());
        csv.SuggestedFilename.ShouldStartWith("meeting-series-");
        (await File.ReadAllTextAsync((await csv.PathAsync())!)).ShouldContain($"\"Cluster {m.P.Suffix}, monthly\",{m.P.District.Name},");
        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.Locator("#series-exports a", new() { HasText = "Excel" }).ClickAsync());
        using (var stream = File.OpenRead((await xlsx.PathAsync())!))
            Convert.ToInt32(MiniExcelLibs.MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ShouldHaveSingleItem()["Meetings"], CultureInfo.InvariantCulture).ShouldBe(1);
        foreach (var (url, height) in browser.PageHeights)
            output.WriteLine($"{height} px  {url}");
    }
}
