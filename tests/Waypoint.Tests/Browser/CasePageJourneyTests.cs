using Microsoft.Playwright;
using Shouldly;
using Waypoint.Tests.Cases;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The case page with every kind of control on it (family link, goal, team member, action), as
/// the lead sees it: each page passes axe and the colour check, and the page's height at 1280 px
/// is written to the test output as a smoke figure.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CasePageJourneyTests(BrowserApp app, ITestOutputHelper output)
{
    [Fact]
    public async Task ColourCheck_ControlTheColourOfItsBackground_Reported()
    {
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        await browser.OpenAsync("/sign-in");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty();
        await browser.Page.EvaluateAsync("""
            () => {
              const main = document.querySelector("main");
              const invisible = document.createElement("button");
              invisible.textContent = "Invisible button";
              invisible.style.cssText = "color: #fff; background: none; border: 0";
              main.append(invisible);
              const faint = document.createElement("button");
              faint.textContent = "Faint button";
              faint.style.cssText = "color: #949494; background: none; border: 0";
              main.append(faint);
              const pale = document.createElement("input");
              pale.setAttribute("aria-label", "Pale input");
              pale.style.cssText = "color: #0b0c0c; background: #fff; border: 2px solid #dddddd";
              main.append(pale);
            }
            """);
        var problems = await browser.ContrastProblemsAsync();
        problems.ShouldContain(p => p.Contains("Invisible button") && p.Contains("is the colour of its background"));
        problems.ShouldContain(p => p.Contains("Faint button") && p.Contains("under 4.5:1"));
        problems.ShouldContain(p => p.Contains("Pale input") && p.Contains("under 3:1"));
    }

    [Fact]
    public async Task CasePage_EveryKindOfControl_VisibleAndReadable()
    {
        var w = await CaseWorld.OpenAsync(app);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        var banner = page.Locator(".govuk-notification-banner--success");
        await browser.SignInAsync(w.Lead);
        await browser.OpenAsync($"/cases/{w.CaseId}");
        var empty = browser.PageHeights[^1].Height;

        await browser.RevealAsync("Link a family member");
        await page.GetByLabel("Link a family member").SelectOptionAsync(new SelectOptionValue { Value = w.Mother.Id.ToString() });
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Link to the case" }));
        await Expect(banner).ToContainTextAsync("The family member was linked to the case");
        await browser.RevealAsync("Add a goal");
        await page.GetByLabel("New goal").FillAsync("Jade attends every day this half term");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the goal" }));
        await Expect(banner).ToContainTextAsync("The goal was added to the plan");
        await browser.RevealAsync("Add an organisation to the team");
        await page.GetByLabel("Add an organisation to the team").SelectOptionAsync(new SelectOptionValue { Label = w.P.Health.Name });
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add to the team" }));
        await Expect(banner).ToContainTextAsync($"{w.P.Health.Name} was added to the team");
        await browser.RevealAsync("Add an action");
        await page.GetByLabel("New action").FillAsync("Meet Jade's mother at home");
        await page.GetByLabel("Owner").SelectOptionAsync(new SelectOptionValue { Label = w.P.Youth.Name });
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14);
        var dueBy = page.GetByRole(AriaRole.Group, new() { Name = "Due by" });
        await dueBy.GetByLabel("Day").FillAsync(due.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dueBy.GetByLabel("Month").FillAsync(due.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await dueBy.GetByLabel("Year").FillAsync(due.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the action" }));
        await Expect(banner).ToContainTextAsync("The action was added");

        foreach (var name in new[] { "Mark done", "Mark achieved", "Mark not achieved", "Remove", "Unlink" })
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = name, Exact = false }).First).ToBeVisibleAsync();
        var full = browser.PageHeights[^1].Height;
        await page.EvaluateAsync("() => document.querySelectorAll('details.govuk-details').forEach(d => d.open = true)");
        (await browser.ContrastProblemsAsync()).ShouldBeEmpty("with every form revealed");
        var revealed = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");

        // Each section is one link away.
        foreach (var section in new[] { "Family", "Plan", "Team", "Actions", "Notes", "Reviews", "Lead and closure", "History" })
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Sections of the case" }).GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^" + section) })).ToBeVisibleAsync();

        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"Remove {w.P.Health.Name} from the team" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Remove {w.P.Health.Name} from the team?");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, remove them from the team" }));
        await Expect(banner).ToContainTextAsync($"{w.P.Health.Name} was removed from the team");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"Unlink Dana Corr{w.P.Suffix} from the case" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "No, keep them linked" }));
        await Expect(page.Locator("#family-members")).ToContainTextAsync($"Dana Corr{w.P.Suffix}");

        output.WriteLine($"Case page height at 1280 px: {empty} px with nothing on it; {full} px with a family member, goal, team member and action; {revealed} px with every form revealed");
    }
}
