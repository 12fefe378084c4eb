using Microsoft.Playwright;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Provision;
using Waypoint.Identity;
using Waypoint.Tests.Browser;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Services;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Provision;

/// <summary>
/// Alternative provision in real Chromium, every page checked with axe and the controls' contrast
/// checked: the inclusion officer goes from the sixth-day dashboard to an excluded pupil, records a
/// placement (refused first, naming each field), ends it after the confirmation; the partnership
/// administrator enters term dates (a bad line named, then checked and saved).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ProvisionBrowserJourneyTests(BrowserApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Placement_FromTheSixthDayDashboard_RecordedThenEndedAfterConfirmation()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Pupil referral unit", s => s.ApRegistration = ApRegistration.Registered);
        var pupil = await p.YoungPersonAsync("Kai", $"Journey{p.Suffix}", Today.AddYears(-14), enrolledAt: p.School);
        var excluded = SchoolDays.England.Add(SchoolDays.England.OnOrAfter(Today), -10);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.PermanentExclusion,
                StartDate = excluded,
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var officer = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County);

        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(officer);
        await browser.OpenAsync($"/provision/sixth-day?From={excluded:yyyy-MM-dd}");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the sixth-day dashboard");
        var row = page.Locator("#sixth-day-rows tbody tr", new() { HasText = pupil.FamilyName });
        await Expect(row).ToContainTextAsync("None");

        await browser.FollowAsync(row.GetByRole(AriaRole.Link, new() { Name = $"{pupil.GivenName} {pupil.FamilyName}" }));
        await Expect(page.Locator("#placements")).ToBeVisibleAsync();
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the person page with its placements section");
        await browser.FollowAsync(page.Locator("#add-placement"));
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the new placement page");

        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the placement" }));
        await browser.ExpectErrorSummaryAsync("Select a service from the directory", "Enter the date the placement starts", "Select full-time or part-time", "Enter the hours a week");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the new placement page with its errors");

        var start = SchoolDays.England.SixthDay(excluded);
        await page.GetByLabel("Provision", new() { Exact = true }).SelectOptionAsync(service.Id.ToString());
        await page.Locator("#StartDate").FillAsync(start.Day.ToString());
        await page.Locator("#StartDate-month").FillAsync(start.Month.ToString());
        await page.Locator("#StartDate-year").FillAsync(start.Year.ToString());
        await page.GetByLabel("Full-time", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Hours a week").FillAsync("25");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the placement" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Placement recorded");
        var placed = page.Locator("#placements-table tbody tr", new() { HasText = service.Name });
        await Expect(placed).ToContainTextAsync("Ongoing");

        await browser.FollowAsync(placed.GetByRole(AriaRole.Link, new() { Name = $"End the placement at {service.Name}" }));
        await Expect(page.Locator("h1")).ToContainTextAsync($"End the placement at {service.Name}?");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the end placement confirmation");
        await page.Locator("#EndDate").FillAsync(Today.Day.ToString());
        await page.Locator("#EndDate-month").FillAsync(Today.Month.ToString());
        await page.Locator("#EndDate-year").FillAsync(Today.Year.ToString());
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "End the placement" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Placement ended");
        await Expect(placed).ToContainTextAsync(Today.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture));

        await browser.OpenAsync($"/provision/sixth-day?From={excluded:yyyy-MM-dd}");
        await Expect(page.Locator("#sixth-day-rows tbody tr", new() { HasText = pupil.FamilyName })).ToContainTextAsync("Placed full-time");
    }

    [Fact]
    public async Task TermDates_BadLineThenGoodDates_LineNamedThenCheckedAndSaved()
    {
        var p = await TestPartnership.CreateAsync(app);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await browser.OpenAsync($"/provision/term-dates?area={p.County.Id}");
        await Expect(page.Locator("#no-terms")).ToBeVisibleAsync();
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the term dates page");

        var good = TermDateFile.Demo();
        await page.GetByLabel("Term dates").FillAsync(good.Replace("Autumn 2,2025-11-03", "Autumn 2,2025-11-31", StringComparison.Ordinal));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Check the term dates" }));
        await browser.ExpectErrorSummaryAsync("Line 5, first day: “2025-11-31” is not a date: write it as YYYY-MM-DD");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the term dates page with its error");

        await page.GetByLabel("Term dates").FillAsync(good);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Check the term dates" }));
        await Expect(page.Locator("#checked-terms tbody tr")).ToHaveCountAsync(12);
        await Expect(page.Locator("#replaces")).ToContainTextAsync("2025 to 2026 and 2026 to 2027");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("the term dates check");

        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save the term dates" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"12 term dates saved for {p.County.Name}");
        await Expect(page.Locator("#terms-2026")).ToContainTextAsync("Fri 18 December 2026");
    }
}
