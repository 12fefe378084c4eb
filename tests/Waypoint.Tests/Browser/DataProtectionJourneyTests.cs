using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// Break-glass from both ends in real Chromium: a practitioner opening a record they have no
/// relationship with, and the data-protection officer who then searches the audit log, checks
/// its chain and reviews the access. Every page is checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DataProtectionJourneyTests(BrowserApp app)
{
    private const string Reason = "Police called about a missing child; need the school contact now";

    [Fact]
    public async Task BreakGlass_OpenedWithReasonThenReviewedByDpo_IsExplainedAuditedAndLeavesTheQueue()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Grace", "Penrose", new DateOnly(2012, 2, 8), enrolledAt: p.School);
        var officer = await p.UserAsync(p.Police);
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            await browser.SignInAsync(officer);
            var page = browser.Page;

            var refused = await browser.OpenAsync($"/people/{pupil.Id}");
            refused.ShouldNotBeNull().Status.ShouldBe(404);
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "use break-glass access" }));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Break-glass access");
            await page.GetByLabel("Why do you need to see this record now?").FillAsync("Urgent");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Open the record" }));
            await browser.ExpectErrorSummaryAsync("Explain the reason in at least 20 characters");
            await page.GetByLabel("Why do you need to see this record now?").FillAsync(Reason);
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Open the record" }));

            await Expect(page).ToHaveURLAsync(new Regex($"/people/{pupil.Id}$"));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Grace Penrose");
            await Expect(page.Locator("#why-visible")).ToContainTextAsync($"Break-glass access you opened, reason: {Reason}");

            // The audit tools are the DPO's: a practitioner who tries the address is refused in place.
            var forbidden = await browser.OpenAsync("/audit");
            forbidden.ShouldNotBeNull().Status.ShouldBe(403);
            await Expect(page.Locator("main")).ToContainTextAsync("Your role does not include this page");
        }

        var grantId = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.Where(b => b.PersonId == pupil.Id).Select(b => b.Id).SingleAsync());
        var waiting = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.CountAsync(b => b.ReviewedAt == null));
        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            await browser.SignInAsync(dpo);
            var page = browser.Page;
            await Expect(page.Locator("#break-glass-waiting")).ToHaveTextAsync($"({waiting} waiting)");

            var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
            await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "Audit" }));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Audit log");
            // A DPO pasting half an id is told the shape of a whole one.
            await page.GetByLabel("Person id").FillAsync(pupil.Id.ToString()[..8]);
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }));
            await browser.ExpectErrorSummaryAsync("Enter a person id in the form");
            await page.GetByLabel("Person id").FillAsync(pupil.Id.ToString());
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }));
            await Expect(page.Locator("#results")).ToHaveTextAsync("Entries, newest first");
            var entries = page.GetByRole(AriaRole.Table, new() { Name = "Audit entries matching the search" });
            // The officer's refusal, the grant and the one look at the record it allowed.
            var officerRows = entries.GetByRole(AriaRole.Row).Filter(new() { HasText = p.Police.Name });
            await Expect(officerRows).ToHaveCountAsync(3);
            await Expect(officerRows.Filter(new() { Has = Action(page, "Refused") })).ToHaveCountAsync(1);
            await Expect(officerRows.Filter(new() { Has = Action(page, "Break-glass") })).ToHaveCountAsync(1);
            await Expect(officerRows.Filter(new() { Has = Action(page, "Read") })).ToHaveCountAsync(1);
            await Expect(entries).Not.ToContainTextAsync("Grace");
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "waypoint-audit-search.png"), FullPage = true });

            // The export answers with a page only when its search is wrong, which takes an edited address.
            var badExport = await browser.OpenAsync("/audit/export?personId=not-an-id");
            badExport.ShouldNotBeNull().Status.ShouldBe(400);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Export the audit log");
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Go back to the search" }));

            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Check that the audit log has not been altered" }));
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Check the audit log" }));
            await Expect(page.Locator("#verify-result")).ToContainTextAsync("The audit log is intact");

            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Back to the audit log" }));
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Break-glass access to review" }));
            var grant = page.Locator($"#grant-{grantId}");
            await Expect(grant).ToContainTextAsync(Reason);
            await Expect(grant).ToContainTextAsync(p.Police.Name);
            await browser.FollowAsync(grant.GetByRole(AriaRole.Link, new() { Name = "Review" }));
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Review break-glass access");
            await Expect(page.Locator("#reason")).ToHaveTextAsync(Reason);
            var during = page.GetByRole(AriaRole.Table, new() { Name = "while the access lasted" });
            await Expect(during.GetByRole(AriaRole.Row).Filter(new() { Has = Action(page, "Break-glass") })).ToHaveCountAsync(1);
            await Expect(during.GetByRole(AriaRole.Row).Filter(new() { Has = Action(page, "Read") })).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "waypoint-break-glass-review.png"), FullPage = true });

            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the review" }));
            await browser.ExpectErrorSummaryAsync("Enter your review note");
            await page.GetByLabel("Your review").FillAsync("Justified: the child was reported missing that afternoon.");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the review" }));

            await Expect(page).ToHaveURLAsync(new Regex($"/audit/break-glass\\?reviewed={grantId}$"));
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your review has been recorded.");
            await Expect(page.Locator($"#grant-{grantId}")).ToHaveCountAsync(0);
        }
    }

    private static ILocator Action(IPage page, string action) => page.GetByRole(AriaRole.Cell, new() { Name = action, Exact = true });
}
