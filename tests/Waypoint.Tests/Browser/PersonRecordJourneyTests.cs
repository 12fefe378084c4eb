using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A school practitioner keeping a pupil's record up to date through every page that changes it,
/// in real Chromium; each page, with and without errors, is checked with axe-core, each change
/// lands on the section it shows on with a success banner, and each section of the person page
/// passes the colour check with its height at 1280 px written to the output as a smoke figure.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PersonRecordJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task PersonRecord_EachChangePageUsedInTurn_ShowsEveryChangeOnThePersonPage()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Amelia", "Hartley", new DateOnly(2011, 5, 2), enrolledAt: p.School);
        await p.YoungPersonAsync("Jacob", "Hartley", new DateOnly(2013, 1, 19), enrolledAt: p.School);
        var user = await p.UserAsync(p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(user);
        var page = browser.Page;
        var personUrl = new Regex($"/people/{pupil.Id}$");
        var familyUrl = new Regex($"/people/{pupil.Id}/family$");
        var banner = page.Locator(".govuk-notification-banner--success");
        var sections = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections of the record" });
        await browser.OpenAsync($"/people/{pupil.Id}");

        // Details: a first name wiped by mistake is refused, and the rest of what was typed is kept.
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Change details" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Change details");
        await page.GetByLabel("First name").FillAsync("");
        await page.GetByLabel("Preferred name (optional)").FillAsync("Millie");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }));
        await browser.ExpectErrorSummaryAsync("Enter the first name");
        await Expect(page.GetByLabel("Preferred name (optional)")).ToHaveValueAsync("Millie");
        await page.GetByLabel("First name").FillAsync("Amelia");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }));
        await Expect(page).ToHaveURLAsync(personUrl);
        await Expect(banner).ToContainTextAsync("The details have been saved");
        await Expect(page.Locator("#person-details")).ToContainTextAsync("Amelia Hartley (known as Millie)");

        var upn = Upn.Create(928, 4001, 2011, 42);
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Add an identifier" }));
        await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Unique pupil number (UPN)" });
        await page.GetByLabel("Identifier", new() { Exact = true }).FillAsync(upn);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add identifier" }));
        await Expect(page).ToHaveURLAsync(personUrl);
        await Expect(banner).ToContainTextAsync("The identifier has been added");
        var identifiers = page.Locator("#identifiers");
        await Expect(identifiers).ToContainTextAsync("Unique pupil number");
        await Expect(identifiers).ToContainTextAsync(upn);
        await Expect(page.Locator("#identity-bar")).ToContainTextAsync(upn);

        // Family: the search finds her brother, but the parent is not in Waypoint yet.
        await browser.FollowAsync(sections.GetByRole(AriaRole.Link, new() { Name = "Family and team" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Add a family member" }));
        await page.GetByLabel("Search Waypoint for them first").FillAsync("Hartley");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }));
        await Expect(page.GetByLabel("Jacob Hartley, born 19 January 2013")).ToBeVisibleAsync();
        await page.GetByLabel("They are Amelia").SelectOptionAsync(new SelectOptionValue { Label = "Parent" });
        var newPerson = page.GetByLabel("Someone not yet in Waypoint");
        await newPerson.CheckAsync();
        await Expect(page.GetByLabel("Last name")).ToHaveValueAsync("Hartley");
        await page.GetByLabel("First name").FillAsync("Joanne");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add family member" }));
        await Expect(page).ToHaveURLAsync(familyUrl);
        await Expect(banner).ToContainTextAsync("The family member has been added");
        var family = page.GetByRole(AriaRole.Table, new() { Name = "Family members" });
        await Expect(family.GetByRole(AriaRole.Row, new() { Name = "Parent Joanne Hartley" })).ToBeVisibleAsync();

        await browser.FollowAsync(sections.GetByRole(AriaRole.Link, new() { Name = "Summary" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Change address" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Home address");
        await page.GetByLabel("Address line 1").FillAsync("14 Mill Lane");
        await page.GetByLabel("Town or city").FillAsync("Wellingborough");
        await page.GetByLabel("Postcode").FillAsync("NN99 9");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save address" }));
        await browser.ExpectErrorSummaryAsync("Enter a real postcode, like NN8 1AB");
        await Expect(page.GetByLabel("Address line 1")).ToHaveValueAsync("14 Mill Lane");
        await page.GetByLabel("Postcode").FillAsync("nn8 1ab");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save address" }));
        await Expect(page).ToHaveURLAsync(personUrl);
        await Expect(banner).ToContainTextAsync("The address has been saved");
        var address = page.Locator(".govuk-summary-list__row", new() { Has = page.GetByText("Address", new() { Exact = true }) });
        await Expect(address).ToContainTextAsync("14 Mill Lane");
        await Expect(address).ToContainTextAsync("NN8 1AB");

        await browser.FollowAsync(sections.GetByRole(AriaRole.Link, new() { Name = "Family and team" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Add an organisation to the team" }));
        await page.GetByLabel("Organisation", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = p.Youth.Name });
        await page.GetByLabel("Why are they involved?").FillAsync("Mentoring after school on Thursdays");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add to the team" }));
        await Expect(page).ToHaveURLAsync(familyUrl);
        await Expect(banner).ToContainTextAsync("The organisation was added to the team");
        var team = page.GetByRole(AriaRole.Table, new() { Name = "Organisations involved" });
        await Expect(team.GetByRole(AriaRole.Row, new() { Name = p.Youth.Name })).ToContainTextAsync("Mentoring after school on Thursdays");

        // The school sees the parent only through the involvement it recorded with her; ending it
        // ends that access at once, so the school is sent back to the search.
        await browser.FollowAsync(family.GetByRole(AriaRole.Link, new() { Name = "Joanne Hartley" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Joanne Hartley");
        await browser.FollowAsync(sections.GetByRole(AriaRole.Link, new() { Name = "Family and team" }));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Family members" })).ToContainTextAsync("Amelia Hartley");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"End involvement of {p.School.Name}" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"End {p.School.Name}'s involvement?");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, end the involvement" }));
        await Expect(page).ToHaveURLAsync(new Regex("/people$"));

        await browser.OpenAsync($"/people/{pupil.Id}/family");
        await Expect(page.Locator("main")).ToContainTextAsync("1 more relationship is recorded with people your organisation has no relationship with.");
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Joanne");
    }

    [Fact]
    public async Task PersonPage_EachSection_PassesAxeAndTheColourCheckAtItsOwnAddress()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Isla", "Penrose", new DateOnly(2011, 9, 12), enrolledAt: p.School, upn: Upn.Create(928, 4001, 2011, 77));
        await p.InvolveAsync(pupil, p.Youth, "Mentoring after school");
        var user = await p.UserAsync(p.School);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.SignInAsync(user);
        var page = browser.Page;
        var sections = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections of the record" });
        await browser.OpenAsync($"/people/{pupil.Id}");
        var heights = new List<string>();

        foreach (var (name, path) in new[] { ("Summary", ""), ("School", "/school"), ("Cases and referrals", "/cases"), ("Police and risk", "/police-and-risk"), ("Family and team", "/family") })
        {
            // Each section is reached from the sub-navigation, has an address of its own, and says which it is.
            await browser.FollowAsync(sections.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }));
            await Expect(page).ToHaveURLAsync(new Regex($"/people/{pupil.Id}{Regex.Escape(path)}$"));
            await Expect(sections.Locator("a[aria-current='page']")).ToHaveTextAsync(name);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Isla Penrose");
            await Expect(page.Locator("#identity-bar")).ToContainTextAsync("12 September 2011");
            await Expect(page.Locator("#identity-bar")).ToContainTextAsync(p.School.Name);
            await page.EvaluateAsync("() => document.querySelectorAll('details.govuk-details').forEach(d => d.open = true)");
            (await browser.ContrastProblemsAsync()).ShouldBeEmpty(name);
            heights.Add($"{name} {browser.PageHeights[^1].Height} px");
        }

        output.WriteLine($"Person page height at 1280 px, by section: {string.Join("; ", heights)}");
    }
}
