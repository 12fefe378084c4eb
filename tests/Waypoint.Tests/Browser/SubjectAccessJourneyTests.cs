using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.SubjectAccess;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The data-protection officer answers a subject-access request in real Chromium (issue 16): finds
/// the person, records the request, compiles what is held, checks the redactions and issues the
/// copy after confirming. Every page is checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SubjectAccessJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task SubjectAccess_DpoRecordsCompilesRedactsAndIssues_BannersAndTheCopyToDownload()
    {
        var w = await SubjectAccessWorld.CreateAsync(app);
        var dpo = await w.P.UserAsync(w.P.Hub, Roles.DataProtectionOfficer);
        var received = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2);

        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(dpo);
        var page = browser.Page;
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "Subject access" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Subject access requests");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Record a request" }));

        await page.GetByLabel("Name or register id").FillAsync($"Kai {w.Child.FamilyName}");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search the register" }));
        await browser.FollowAsync(page.Locator("#matches a").First);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the request" }));
        await browser.ExpectErrorSummaryAsync("Enter the name of the person who made the request", "Select who made the request");
        await page.GetByLabel("Name of the person who made the request").FillAsync("Jo Requester");
        await page.GetByLabel("A parent or someone with parental responsibility").CheckAsync();
        await page.Locator("#ReceivedOn").FillAsync($"{received.Day}");
        await page.Locator("#ReceivedOn-month").FillAsync($"{received.Month}");
        await page.Locator("#ReceivedOn-year").FillAsync($"{received.Year}");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the request" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"due by {received.AddMonths(1):d MMMM yyyy}");
        await Expect(page.Locator("#due-on")).ToHaveTextAsync(received.AddMonths(1).ToString("d MMMM yyyy"));

        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Compile what is held" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Compiled");
        await Expect(page.Locator("#police-counts")).ToContainTextAsync("2 waiting for the police");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Review the redactions" }));
        await Expect(page.Locator("#redactions")).ToContainTextAsync(w.SiblingName);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save decisions" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Every redaction has been checked");
        await page.GetByLabel("Record", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Every record" });
        await page.GetByLabel("Text to redact").FillAsync("full time");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the redaction" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Redaction added");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Go on to issue the copy" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Are you sure you want to issue the copy to Jo Requester?");
        await Expect(page.Locator("#police-pending")).ToContainTextAsync("2 police records are still with the police");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, issue the copy" }));
        await Expect(page).ToHaveURLAsync(new Regex("/subject-access/request"));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The copy has been issued");
        await Expect(page.Locator("#download-pdf")).ToBeVisibleAsync();

        var issued = await app.AsSystemAsync((db, _) => db.SubjectAccessRequests.AsNoTracking().SingleAsync(r => r.PersonId == w.Child.Id));
        issued.Status.ShouldBe(Domain.SubjectAccessStatus.Issued);
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Data protection" }).First);
        await Expect(page.Locator("#subject-access")).ToBeVisibleAsync();
    }
}
