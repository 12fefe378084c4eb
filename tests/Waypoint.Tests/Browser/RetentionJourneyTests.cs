using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Retention;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The data-protection officer works the retention queue in real Chromium (issue 16): finds what
/// is due, keeps one record longer with a reason, and disposes of another after confirming.
/// Every page is checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RetentionJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task RetentionQueue_DpoExtendsOneAndDisposesOfAnother_BannersAfterEach()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = "mk" + Guid.NewGuid().ToString("N")[..20];
        var old = await RetentionWorld.ClosedCaseAsync(app, p, marker, DateTimeOffset.UtcNow.AddYears(-7));
        var report = await RetentionWorld.ReportNotTakenFurtherAsync(app, p, "mk" + Guid.NewGuid().ToString("N")[..20], DateTimeOffset.UtcNow.AddYears(-3));
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(6);

        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(dpo);
        var page = browser.Page;
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "Data protection" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Data protection");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Retention schedules" }));
        await Expect(page.Locator("#schedule-EarlyHelpCase")).ToContainTextAsync("6 years from closure");
        await browser.OpenAsync("/retention");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Look for due records now" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("now in the queue");

        var reviews = await app.AsSystemAsync((db, _) => db.RetentionReviews.AsNoTracking()
            .Where(r => r.RecordId == old.Case.Id || r.RecordId == report.Id).ToDictionaryAsync(r => r.RecordId, r => r.Id));
        var reportReview = reviews[report.Id];
        var caseReview = reviews[old.Case.Id];
        await Expect(page.Locator("main")).Not.ToContainTextAsync(old.Child.FamilyName);

        // Keep the report longer: a reason is required.
        await browser.FollowAsync(page.Locator($"#review-{reportReview} a"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Concern report not taken further");
        await page.Locator("#Until").FillAsync($"{until.Day}");
        await page.Locator("#Until-month").FillAsync($"{until.Month}");
        await page.Locator("#Until-year").FillAsync($"{until.Year}");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Keep the record" }));
        await browser.ExpectErrorSummaryAsync("Say why the record is kept longer");
        await page.GetByLabel("Why it is kept longer").FillAsync("A sibling's case is still open");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Keep the record" }));
        await Expect(page).ToHaveURLAsync(new Regex("/retention$"));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"kept until {until:d MMMM yyyy}");
        await Expect(page.Locator($"#extended #review-{reportReview}")).ToBeVisibleAsync();

        // Dispose of the case, after the confirmation.
        await browser.FollowAsync(page.Locator($"#review-{caseReview} a"));
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Dispose of this record" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Are you sure you want to dispose of this early-help case?");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, dispose of it" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The early-help case has been disposed of");
        await Expect(page.Locator($"#review-{caseReview}")).ToHaveCountAsync(0);
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Data protection" }).First);
        await Expect(page.Locator("#retention-disposed")).Not.ToHaveTextAsync("0");

        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
    }
}
