using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>A partnership administrator merges two entries of one child and takes the merge back, in real Chromium, every page checked with axe-core (issue 16).</summary>
[Collection(BrowserCollection.Name)]
public sealed class MergeJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Merge_AdminComparesMergesAndTakesBack_EachStepConfirmed()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = $"Brennan{p.Suffix}";
        var kept = await p.YoungPersonAsync("Orla", family, new DateOnly(2011, 6, 9), enrolledAt: p.School);
        var away = await p.YoungPersonAsync("Orla", family, new DateOnly(2011, 6, 9), enrolledAt: p.OtherSchool);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);

        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(admin);
        var page = browser.Page;
        await browser.OpenAsync("/admin");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Merge duplicate entries" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Merge duplicate entries");
        var row = page.Locator("#candidates tbody tr").Filter(new() { HasText = family });
        await Expect(row).ToHaveCountAsync(1);
        await browser.FollowAsync(row.GetByRole(AriaRole.Link));

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Compare two entries");
        await Expect(page.Locator("#first-entry .records")).ToContainTextAsync("1 enrolments");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Merge these entries" }));
        await browser.ExpectErrorSummaryAsync("Choose which entry to keep");
        var firstIsKept = await page.Locator("#first-entry").InnerTextAsync() is var text && text.Contains(kept.Id.ToString());
        await page.GetByLabel(firstIsKept ? $"Keep the first entry, Orla {family}" : $"Keep the second entry, Orla {family}").CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Merge these entries" }));

        await Expect(page).ToHaveURLAsync(new Regex("/admin/merge$"));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"Orla {family} was merged into Orla {family}");
        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == away.Id).Select(x => x.MergedIntoId).SingleAsync())).ShouldBe(kept.Id);
        (await app.AsSystemAsync((db, _) => db.Enrolments.CountAsync(e => e.PersonId == kept.Id))).ShouldBe(2);

        var mergeId = await app.AsSystemAsync((db, _) => db.PersonMerges.Where(m => m.MergedId == away.Id).Select(m => m.Id).SingleAsync());
        await browser.FollowAsync(page.Locator($"a[href='/admin/merge/{mergeId}/unmerge']"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Take back this merge?");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Take back the merge" }));

        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The merge was taken back");
        (await app.AsSystemAsync((db, _) => db.Enrolments.CountAsync(e => e.PersonId == away.Id))).ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == away.Id).Select(x => x.MergedIntoId).SingleAsync())).ShouldBeNull();
    }
}
