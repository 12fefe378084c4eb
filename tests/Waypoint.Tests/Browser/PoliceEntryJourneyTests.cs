using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Features.Police;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// Issue 13's second journey in real Chromium, every page checked with axe-core: a police officer
/// enters an occurrence by hand and adds the young person to it, resolves a name waiting in the
/// review queue, and sees the young person's associates; the data-protection officer signs off and
/// publishes a new version of the risk matrix and opens the equality report.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PoliceEntryJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Police_EnterOccurrenceResolveQueueAndDpoPublishesMatrix_Journey()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        // A name the force's file could not match for certain: it waits in the queue.
        var queued = await app.AsSystemAsync(async (_, services) =>
        {
            var file = string.Join("\n", OccurrenceImportTests.Header, OccurrenceImportTests.Line(w, $"QJ-{w.P.Suffix}", personRef: "", role: "offender"));
            await using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file));
            return await services.GetRequiredService<OccurrenceImport>().ApplyAsync(stream, "occurrences.csv", w.P.Police.Id, w.Officer.Id, CancellationToken.None);
        });
        queued.Summary!.SentToReview.ShouldBe(1);
        var on = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);

        await using (var police = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = police.Page;
            await police.SignInAsync(w.Officer);
            await police.OpenAsync("/police");
            await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Record an occurrence" }));
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the occurrence" }));
            await police.ExpectErrorSummaryAsync("Enter the police reference");

            await page.GetByLabel("Police reference").FillAsync($"EJ-{w.P.Suffix}");
            await page.GetByLabel("Day").FillAsync(on.Day.ToString(CultureInfo.InvariantCulture));
            await page.GetByLabel("Month").FillAsync(on.Month.ToString(CultureInfo.InvariantCulture));
            await page.GetByLabel("Year").FillAsync(on.Year.ToString(CultureInfo.InvariantCulture));
            await page.GetByLabel("Offence (Home Office group and sub-group)").SelectOptionAsync("robbery-of-personal-property");
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the occurrence" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("now add the people involved");

            await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Add a person" }));
            await page.GetByLabel("Find the person by name").FillAsync(w.Child.FamilyName);
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }));
            await page.GetByLabel($"Kai {w.Child.FamilyName}").CheckAsync();
            await page.GetByLabel("suspect").CheckAsync();
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the person" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("added to occurrence");
            await Expect(page.Locator("#people")).ToContainTextAsync(w.Child.FamilyName);

            await police.OpenAsync("/police/reviews");
            await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = $"Review the name Kai {w.Child.FamilyName}" }));
            await Expect(page.Locator("#evidence")).ToContainTextAsync($"QJ-{w.P.Suffix}");
            await page.GetByLabel($"Kai {w.Child.FamilyName}").CheckAsync();
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }));
            await Expect(page.Locator("h1")).ToContainTextAsync("as offender");
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Link the person" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("linked to occurrence");
            await Expect(page.Locator("#no-waiting")).ToBeVisibleAsync();

            await police.OpenAsync($"/people/{w.Child.Id}/risk");
            await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Associates from occurrences (police only; never scored)" }));
            await Expect(page.Locator("#no-associates")).ToBeVisibleAsync();

            // A place of concern, and the child linked to it as at risk there (never scored).
            await police.OpenAsync("/police/places");
            await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Record a place of concern" }));
            await page.GetByLabel("Ward", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = w.P.Ward.Name });
            await page.GetByLabel("Named location (leave empty when the whole ward is the place)").FillAsync("Car park behind the leisure centre");
            await page.GetByLabel("Evidence that makes it a place of concern").FillAsync("Repeated reports of older youths recruiting pupils");
            var review = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
            await page.GetByLabel("Day").FillAsync(review.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Month").FillAsync(review.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Year").FillAsync(review.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the place" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Place of concern recorded");
            var placeTitle = $"Car park behind the leisure centre, {w.P.Ward.Name}";
            await police.OpenAsync($"/people/{w.Child.Id}/places/link");
            await page.GetByLabel("Place", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = placeTitle });
            await page.GetByLabel("Harmed or at risk there").CheckAsync();
            await page.GetByLabel("Evidence for the link").FillAsync("Seen there by the youth engagement officer");
            await page.GetByLabel("Day").FillAsync(review.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Month").FillAsync(review.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await page.GetByLabel("Year").FillAsync(review.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Link to the place" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Linked to the place of concern");
            await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = placeTitle, Exact = true }));
            await Expect(page.Locator("#at-risk")).ToContainTextAsync(w.Child.FamilyName);
        }

        await using var dpo = await BrowserSession.StartAsync(app.RootUri);
        var dpoPage = dpo.Page;
        await dpo.SignInAsync(await w.P.UserAsync(w.P.Hub, Roles.DataProtectionOfficer));
        await dpo.OpenAsync("/risk/oversight");
        await dpo.FollowAsync(dpoPage.GetByRole(AriaRole.Link, new() { Name = "The risk matrix: prepare, sign off and publish a version" }));
        var prepare = dpoPage.GetByRole(AriaRole.Link, new() { Name = "Prepare a new version" });
        if (await prepare.CountAsync() == 0)
            prepare = dpoPage.GetByRole(AriaRole.Link, new() { Name = "Change the draft" });
        await dpo.FollowAsync(prepare);
        // The weights stay as they are (other journeys share this database): the change is the note.
        await dpoPage.GetByLabel("What changes from the published version, and why").FillAsync("Reviewed at the partnership board: no change to the factors");
        await dpo.FollowAsync(dpoPage.GetByRole(AriaRole.Button, new() { Name = "Save the draft" }));
        await Expect(dpoPage.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Draft saved");
        await dpo.FollowAsync(dpoPage.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Sign off and publish version") }));
        await dpo.FollowAsync(dpoPage.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Publish version") }));
        await Expect(dpoPage.Locator(".govuk-notification-banner--success")).ToContainTextAsync("published");
        await Expect(dpoPage.Locator("#published")).ToContainTextAsync("(revised)");

        await Expect(dpoPage.Locator("#recompute")).ToBeVisibleAsync();

        await dpo.OpenAsync("/risk/equality");
        await Expect(dpoPage.Locator("h1")).ToContainTextAsync("Equality monitoring");
        await dpo.FollowAsync(dpoPage.GetByRole(AriaRole.Link, new() { Name = "the partnership's threshold" }));
        await dpoPage.GetByLabel("Disproportionality threshold (a ratio, for example 1.5)").FillAsync("1.5");
        await dpo.FollowAsync(dpoPage.GetByRole(AriaRole.Button, new() { Name = "Save" }));
        await Expect(dpoPage.Locator(".govuk-notification-banner--success")).ToContainTextAsync("1.5");
    }
}
