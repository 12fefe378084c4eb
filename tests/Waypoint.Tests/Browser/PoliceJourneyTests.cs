using System.Text;
using Microsoft.Playwright;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// Issue 13 in real Chromium, every page checked with axe-core: a police officer imports an
/// occurrences file (a bad one first) from the page, following its progress to the problems and then
/// the summary, and sees the occurrence linked; the young person's score changes with its explanation, and
/// the hub reviews them into the high-risk cohort with a rationale.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PoliceJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Police_ImportScoreExplanationAndHubReview_Journey()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var folder = Directory.CreateTempSubdirectory("police-journey");
        try
        {
            var bad = Path.Combine(folder.FullName, "bad.csv");
            var good = Path.Combine(folder.FullName, "occurrences.csv");
            // As a force's system or a spreadsheet saves them (docs/police-and-risk.md): UTF-8 with a byte-order mark, CRLF line ends.
            await File.WriteAllTextAsync(bad, string.Join("\r\n", OccurrenceImportTests.Header, OccurrenceImportTests.Line(w, $"J-{w.P.Suffix}", offence: "8N")) + "\r\n", Encoding.UTF8);
            await File.WriteAllTextAsync(good, string.Join("\r\n", OccurrenceImportTests.Header,
                OccurrenceImportTests.Line(w, $"J-{w.P.Suffix}"),
                OccurrenceImportTests.Line(w, $"K-{w.P.Suffix}", offence: "violence-without-injury", role: "offender")) + "\r\n", Encoding.UTF8);

            await using (var police = await BrowserSession.StartAsync(app.RootUri))
            {
                var page = police.Page;
                await police.SignInAsync(w.Officer);
                await police.OpenAsync("/police");
                await page.GetByLabel("Choose the file").SetInputFilesAsync(bad);
                await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
                // Applied in the background: the job's page shows progress until it has finished, then every problem.
                await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/police/import\\?id=[0-9a-f-]{36}$"));
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Import of bad.csv");
                await police.ExpectShownAfterScriptAsync(page.Locator("#problems"));
                await Expect(page.Locator("#problems")).ToContainTextAsync("bad.csv, line 2");
                await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Send a corrected file" }));

                await page.GetByLabel("Choose the file").SetInputFilesAsync(good);
                await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
                await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Import of occurrences.csv");
                await police.ExpectShownAfterScriptAsync(page.Locator(".govuk-notification-banner--success"));
                await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("2 occurrences added");
                await Expect(page.GetByRole(AriaRole.Table, new() { Name = "What the file changed" })).ToContainTextAsync("People linked2");
                await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "See your force's occurrences" }));
                await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Files you sent recently" })).ToContainTextAsync("occurrences.csv");
                await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = $"J-{w.P.Suffix}", Exact = false }));
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = w.Child.FamilyName, Exact = false })).ToBeVisibleAsync();

                await police.OpenAsync($"/people/{w.Child.Id}/police-and-risk");
                await Expect(page.Locator("#risk-summary")).ToContainTextAsync("Offending-related risk: 4 (Medium)");
                await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "How the score is made up, flags and history" }));
                await Expect(page.Locator("#offending")).ToContainTextAsync("4 (Medium)");
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"J-{w.P.Suffix}", Exact = false })).ToBeVisibleAsync();

                await police.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Add a flag" }));
                await page.GetByLabel("Gang-associated").CheckAsync();
                await page.GetByLabel("Evidence the flag rests on").FillAsync("Named in two violence occurrences with the same group");
                var review = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(3);
                await page.GetByLabel("Day").FillAsync(review.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await page.GetByLabel("Month").FillAsync(review.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await page.GetByLabel("Year").FillAsync(review.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await police.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the flag" }));
                await Expect(page.Locator("#offending")).ToContainTextAsync("7 (High)");
            }

            await using var hub = await BrowserSession.StartAsync(app.RootUri);
            await hub.SignInAsync(w.HubWorker);
            await hub.OpenAsync($"/people/{w.Child.Id}/risk");
            var hubPage = hub.Page;
            await Expect(hubPage.Locator("#offending")).ToContainTextAsync("7 (High)");
            await hubPage.GetByLabel("Add to the high-risk cohort").CheckAsync();
            await hubPage.GetByLabel("Rationale").FillAsync("Violence and gang association corroborated at the partnership meeting");
            await hub.FollowAsync(hubPage.GetByRole(AriaRole.Button, new() { Name = "Record the review" }));
            await Expect(hubPage.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Added to the high-risk cohort");
            await Expect(hubPage.Locator("#cohort")).ToBeVisibleAsync();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
