using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A school's data officer sends the roll and then a suspensions file in real Chromium: the upload
/// form (with its errors), the job's progress and summary, and the early-warning alert the second
/// file raises. Every page is checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ImportJourneyTests(BrowserApp app)
{
    private static int nextSchool = 7000 + Environment.ProcessId % 900;

    [Fact]
    public async Task SchoolUploadsRollThenSuspensions_SeesProgressSummaryAndTheNewAlert()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (200000 + n).ToString(CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn)));
        var user = await p.UserAsync(p.School);
        var upn = Upn.Create(926, n, 2019, 1);
        var pupil = $"{upn},Quill{p.Suffix},Rosa,2012-05-14";
        var roll = $"UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n{pupil},F,{urn},2023-09-04,,9,C\n";
        // Two suspensions in the last few weeks: "two or more in a rolling term".
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var suspensions = "UPN,Surname,Forename,DateOfBirth,SchoolURN,Category,StartDate,Sessions,Reason1,Reason2,Reason3,Outcome,AlternativeProvision,MissesPublicExam\n" +
            $"{pupil},{urn},FIXD,{Weekday(today.AddDays(-20)):yyyy-MM-dd},2,PP,,,NotReviewed,N,N\n" +
            $"{pupil},{urn},FIXD,{Weekday(today.AddDays(-6)):yyyy-MM-dd},4,VP,,,NotReviewed,N,N\n";
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });
        await browser.SignInAsync(user);

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Import your school's records" }));
        await Expect(heading).ToHaveTextAsync("Imports");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Import a file" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
        await browser.ExpectErrorSummaryAsync("Select what kind of file this is", "Choose a file to import");

        await SendAsync(browser, "Enrolments (CSV)", "roll.csv", roll);
        await browser.ExpectShownAfterScriptAsync(page.GetByText("1 rows: 1 records added, 0 changed"));

        await browser.OpenAsync("/schools/imports/new");
        await SendAsync(browser, "Suspensions and exclusions (CSV)", "suspensions.csv", suspensions);
        await browser.ExpectShownAfterScriptAsync(page.GetByText("2 rows: 2 records added, 0 changed"));

        await browser.OpenAsync("/schools/imports");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Files sent" })).ToContainTextAsync("suspensions.csv");

        // The second file set off the early warning for repeated suspensions: in the menu, then the inbox.
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "Alerts 1 open" }));
        var alerts = page.GetByRole(AriaRole.Table, new() { Name = "Open alerts" });
        await Expect(alerts).ToContainTextAsync($"Rosa Quill{p.Suffix}");
        await Expect(alerts).ToContainTextAsync("Repeated suspensions");
        await browser.FollowAsync(alerts.GetByRole(AriaRole.Link, new() { NameRegex = new Regex($"Rosa Quill{p.Suffix}.*Repeated suspensions") }));
        await Expect(heading).ToContainTextAsync("Repeated suspensions");
    }

    /// <summary>Chooses the kind and the file and sends it; the job's page (progress, or already the summary) is checked like any other.</summary>
    private static async Task SendAsync(BrowserSession browser, string kind, string fileName, string content)
    {
        var page = browser.Page;
        await page.GetByLabel(kind).CheckAsync();
        await page.GetByLabel("Choose the file").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(content) });
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
        await Expect(page).ToHaveURLAsync(new Regex("/schools/imports/[0-9a-f-]{36}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Import of {fileName}");
    }

    private static DateOnly Weekday(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Saturday => day.AddDays(-1),
        DayOfWeek.Sunday => day.AddDays(-2),
        _ => day,
    };
}
