using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A practitioner's main journeys in real Chromium against the app on Kestrel. Every page they
/// pass through is checked with axe-core for WCAG 2.2 AA (see <see cref="BrowserSession"/>).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class JourneyTests(BrowserApp app)
{
    [Fact]
    public async Task SignIn_WithPasswordAndTotp_ReachesHome()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        await p.YoungPersonAsync("Oliver", "Bennett", new DateOnly(2012, 9, 14), enrolledAt: p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);

        await browser.SignInAsync(user);

        await Expect(browser.Page).ToHaveURLAsync(app.RootUri.ToString());
        var name = await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == user.Id).Select(u => u.DisplayName).SingleAsync());
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Welcome, {name}");
        await Expect(browser.Page.Locator("main")).ToContainTextAsync(p.School.Name);
        await Expect(browser.Page.Locator("header")).ToContainTextAsync(p.School.Name);
        await Expect(browser.Page.Locator("main")).ToContainTextAsync("can see 1 person");

        // The rest of the navigation, so that axe sees those pages too.
        var menu = browser.Page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "Your account" }));
        await Expect(browser.Page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");
        await Expect(browser.Page.Locator("main")).ToContainTextAsync(user.Email);
        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "API" }));

        browser.CheckedPages.Count.ShouldBe(5);
    }

    [Fact]
    public async Task FindPerson_WithTypoInName_ShowsWhyVisibleAndRefusesOthersWithBreakGlassLink()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Catherine", "Whitfield", new DateOnly(2011, 3, 27), enrolledAt: p.School, upn: "A123456789012");
        var refused = await p.YoungPersonAsync("Daniel", "Whitfield", new DateOnly(2011, 3, 27), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(user);
        var page = browser.Page;

        await browser.OpenAsync("/people");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Katherine Whitfeld");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }));
        await Expect(page.Locator("#results")).ToHaveTextAsync("1 person found");
        var results = page.GetByRole(AriaRole.Table);
        await Expect(results).Not.ToContainTextAsync("Daniel");

        await browser.FollowAsync(results.GetByRole(AriaRole.Link, new() { Name = "Catherine Whitfield" }));
        await Expect(page).ToHaveURLAsync(new Regex($"/people/{pupil.Id}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Catherine Whitfield");
        var why = page.Locator("#why-visible");
        await Expect(why.GetByRole(AriaRole.Heading)).ToHaveTextAsync("Why you can see this");
        await Expect(why.GetByRole(AriaRole.Listitem)).ToContainTextAsync($"Current enrolment at {p.School.Name}");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Print this record" })).ToBeVisibleAsync();
        // For a person to look at: the page a practitioner spends most time on.
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "waypoint-person.png"), FullPage = true });

        var response = await browser.OpenAsync($"/people/{refused.Id}");
        response.ShouldNotBeNull().Status.ShouldBe(404);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "use break-glass access" }))
            .ToHaveAttributeAsync("href", $"/people/{refused.Id}/break-glass");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Daniel");
    }

    [Fact]
    public async Task AddPerson_FirstWithErrorsThenComplete_FocusesErrorSummaryThenShowsThePerson()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.Youth);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(user);
        var page = browser.Page;

        await browser.OpenAsync("/people/new");
        await page.GetByLabel("Last name").FillAsync("Okafor");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add person" }));

        var summary = page.Locator(".govuk-error-summary");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(summary.GetByRole(AriaRole.Heading)).ToHaveTextAsync("There is a problem");
        var givenNameError = summary.GetByRole(AriaRole.Link, new() { Name = "Enter the first name" });
        await Expect(givenNameError).ToHaveAttributeAsync("href", "#GivenName");
        await Expect(summary.GetByRole(AriaRole.Link, new() { Name = "Say why your organisation is involved with this person" })).ToBeVisibleAsync();
        // What was entered is kept, and the summary's link takes the user to the field.
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync("Okafor");
        await givenNameError.ClickAsync();
        await Expect(page.GetByLabel("First name")).ToBeFocusedAsync();

        await page.GetByLabel("First name").FillAsync("Maya");
        await page.GetByLabel("Day").FillAsync("4");
        await page.GetByLabel("Month").FillAsync("11");
        await page.GetByLabel("Year").FillAsync("2010");
        await page.GetByLabel("Ward they live in").SelectOptionAsync(new SelectOptionValue { Label = p.Ward.Name });
        await page.GetByLabel("Why is your organisation involved?").FillAsync("Attends the youth club's mentoring group");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add person" }));

        await Expect(page).ToHaveURLAsync(new Regex("/people/[0-9a-f-]{36}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Maya Okafor");
        await Expect(page.Locator("#why-visible")).ToContainTextAsync("youth club's mentoring group");
    }
}
