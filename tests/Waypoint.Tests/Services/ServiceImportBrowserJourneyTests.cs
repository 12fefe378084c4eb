using Microsoft.Playwright;
using Waypoint.Identity;
using Waypoint.Tests.Browser;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Services;

/// <summary>
/// The directory import in real Chromium, every page checked with axe: a partnership administrator
/// uploads a bad CSV and sees each problem with its line, then a good one and sees the summary.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ServiceImportBrowserJourneyTests(BrowserApp app)
{
    private const string Header = "id,name,provider,description,how_to_refer,minimum_age,maximum_age,threshold,needs,areas,places,occupied,waiting_list,qa_status,next_review_on";

    [Fact]
    public async Task Import_BadFileThenGoodFile_LineErrorsThenTheSummary()
    {
        var p = await TestPartnership.CreateAsync(app);
        string Line(string name, string places, string minAge = "11") =>
            $",{name} {p.Suffix},{p.Charity.Name},Mentoring after school,Email the team,{minAge},16,Targeted,risk-of-exclusion,{p.District.Name},{places},0,0,Approved,2027-09-01";
        var dir = Directory.CreateTempSubdirectory("waypoint-import-");
        var bad = Path.Combine(dir.FullName, "bad.csv");
        var good = Path.Combine(dir.FullName, "good.csv");
        await File.WriteAllTextAsync(bad, $"{Header}\n{Line("Good row", "8")}\n{Line("Negative places", "-3")}\n{Line("Upside down", "8", minAge: "19")}\n");
        await File.WriteAllTextAsync(good, $"{Header}\n{Line("Imported mentoring", "8")}\n{Line("Imported youth club", "20")}\n");

        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await browser.OpenAsync("/services/import");

        await page.GetByLabel("CSV or JSON file").SetInputFilesAsync(bad);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
        await browser.ExpectErrorSummaryAsync("The file was not imported and nothing was changed");
        await Expect(page.Locator("#problems")).ToContainTextAsync("line 3");
        await Expect(page.Locator("#problems")).ToContainTextAsync("line 4");

        await page.GetByLabel("CSV or JSON file").SetInputFilesAsync(good);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("good.csv imported: 2 services read: 2 added, 0 changed, 0 unchanged");
        dir.Delete(recursive: true);
    }
}
