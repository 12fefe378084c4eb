using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A police officer reports a concern (with an error first); a hub practitioner triages it to early
/// help; the lead adds a school to the team and an action; the school sees the case; the lead
/// closes it. Axe checks every page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReferralJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task PoliceReportsConcern_HubTriagesToEarlyHelp_LeadBuildsTeamAndCloses()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Tia", $"Marsh{p.Suffix}", new DateOnly(2012, 1, 17), enrolledAt: p.School);
        await p.InvolveAsync(child, p.Police, "Attended a domestic incident at the home");
        var officer = await p.UserAsync(p.Police);
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var leadUser = await p.UserAsync(p.FamilyCentre);
        var schoolUser = await p.UserAsync(p.OtherSchool);
        var heading = (Func<IPage, ILocator>)(page => page.GetByRole(AriaRole.Heading, new() { Level = 1 }));

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(officer);
            await browser.OpenAsync($"/people/{child.Id}");
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Report a concern") }));
            await Expect(heading(page)).ToHaveTextAsync("Report a concern to the early-intervention hub");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }));
            await browser.ExpectErrorSummaryAsync("Select what the concern is about", "Say what is known", "Say whether the child is at immediate risk", "Select your lawful basis for sharing this with the hub");

            await page.GetByLabel("Domestic abuse at home").CheckAsync();
            await page.GetByLabel("What is known").FillAsync("Police called to the home twice this month; Tia was present both times.");
            await page.GetByRole(AriaRole.Radio, new() { Name = "No", Exact = true }).CheckAsync();
            await page.GetByLabel("Public task (UK GDPR 6(1)(e))", new() { Exact = false }).CheckAsync();
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }));
            await Expect(page.Locator(".govuk-panel__title")).ToHaveTextAsync("Report sent to the hub");
        }

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(hubUser);
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Hub queue" }));
            await browser.FollowAsync(page.GetByRole(AriaRole.Table, new() { Name = "Awaiting a decision" }).GetByRole(AriaRole.Link, new() { Name = $"Tia Marsh{p.Suffix}" }));
            await page.GetByLabel("Early help (opens a case)").CheckAsync();
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
            await browser.ExpectErrorSummaryAsync("Give the rationale for the decision", "Select the organisation that will lead the case");

            await page.GetByLabel("Early help (opens a case)").CheckAsync();
            await page.GetByLabel("Lead organisation (for early help or targeted support)").SelectOptionAsync(new SelectOptionValue { Label = p.FamilyCentre.Name });
            await page.GetByLabel("Rationale").FillAsync("Domestic abuse at home with the child present: early help through the family centre.");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
            await Expect(page.Locator(".govuk-summary-list")).ToContainTextAsync($"Early help (opens a case), led by {p.FamilyCentre.Name}");
        }

        string casePath;
        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(leadUser);
            await browser.FollowAsync(page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "My work" }));
            await Expect(page.Locator("#my-cases")).ToContainTextAsync($"Tia Marsh{p.Suffix}");
            await browser.OpenAsync($"/people/{child.Id}/cases");
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Case: Early help") }));
            casePath = new Uri(page.Url).AbsolutePath;
            await browser.RevealAsync("Add an organisation to the team");
            await page.GetByLabel("Add an organisation to the team").SelectOptionAsync(new SelectOptionValue { Label = p.OtherSchool.Name });
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add to the team" }));
            await Expect(page.Locator("#team")).ToContainTextAsync(p.OtherSchool.Name);
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"{p.OtherSchool.Name} was added to the team");

            await browser.RevealAsync("Add an action");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the action" }));
            await browser.ExpectErrorSummaryAsync("Say what is to be done", "Select who owns the action", "Enter the date the action is due");
            await page.GetByLabel("New action").FillAsync("Meet Tia's head of year about a reduced-timetable plan");
            await page.GetByLabel("Owner").SelectOptionAsync(new SelectOptionValue { Label = p.OtherSchool.Name });
            var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(14);
            var dueBy = page.GetByRole(AriaRole.Group, new() { Name = "Due by" });
            await dueBy.GetByLabel("Day").FillAsync(due.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await dueBy.GetByLabel("Month").FillAsync(due.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await dueBy.GetByLabel("Year").FillAsync(due.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the action" }));
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Actions agreed" })).ToContainTextAsync("reduced-timetable plan");
        }

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(schoolUser);
            await browser.OpenAsync(casePath);
            await Expect(heading(page)).ToContainTextAsync($"Tia Marsh{p.Suffix}");
            await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Actions agreed" })).ToContainTextAsync(p.OtherSchool.Name);
        }

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(leadUser);
            await browser.OpenAsync(casePath);
            await browser.RevealAsync("Close the case");
            await page.GetByLabel("Outcomes met").CheckAsync();
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Close the case" }));
            await Expect(heading(page)).ToHaveTextAsync($"Close the case for Tia Marsh{p.Suffix}?");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, close the case" }));
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("The case was closed");
            await Expect(page.Locator("#history")).ToContainTextAsync("Closed: Outcomes met");
            await Expect(page.Locator("summary", new() { HasText = "Reopen the case" })).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task LeadSetsAGoalAndOffersTheLead_OtherAgencyAcceptsFromMyWork()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Rhys", $"Dale{p.Suffix}", new DateOnly(2011, 6, 3), enrolledAt: p.School);
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var caseId = Guid.CreateVersion7();
        await app.AsSystemAsync(async db =>
        {
            // The hub's early-help decision, as Triage records it: the case and the lead's involvement from it.
            var now = DateTimeOffset.UtcNow;
            db.Cases.Add(new Waypoint.Domain.Case { Id = caseId, PersonId = child.Id, LeadOrganisationId = p.Youth.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = now, OpenedByUserId = hubUser.Id });
            db.Involvements.Add(new Involvement { PersonId = child.Id, OrganisationId = p.Youth.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = caseId, Reason = "Leads the child's case", StartDate = DateOnly.FromDateTime(now.UtcDateTime), ReviewOn = DateOnly.FromDateTime(now.UtcDateTime).AddMonths(3), AddedByUserId = hubUser.Id, AddedAt = now });
            await db.SaveChangesAsync();
        });
        var leadUser = await p.UserAsync(p.Youth);
        var centreUser = await p.UserAsync(p.FamilyCentre);

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(leadUser);
            await browser.OpenAsync($"/cases/{caseId}");
            await browser.RevealAsync("Add a goal");
            await page.GetByLabel("New goal").FillAsync("Rhys finishes the term without another suspension");
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the goal" }));
            await Expect(page.Locator("#goals")).ToContainTextAsync("without another suspension");
            await browser.RevealAsync("Hand on the lead");

            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Offer the lead" }));
            await browser.ExpectErrorSummaryAsync("Select the organisation to take the lead", "Say why the lead should move", "Select the lawful basis for sharing the case with the organisation");
            await page.GetByLabel("Organisation to take the lead").SelectOptionAsync(new SelectOptionValue { Label = p.FamilyCentre.Name });
            await page.GetByLabel("Why should the lead move?").FillAsync("The family chose the family centre's parenting programme.");
            await page.GetByRole(AriaRole.Group, new() { Name = "Lawful basis for sharing the case with them" }).GetByLabel("Public task", new() { Exact = false }).CheckAsync();
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Offer the lead" }));
            await Expect(page.Locator("#transfer-offer")).ToContainTextAsync($"has offered the lead to {p.FamilyCentre.Name}");
        }

        await using (var browser = await BrowserSession.StartAsync(app.RootUri))
        {
            var page = browser.Page;
            await browser.SignInAsync(centreUser);
            await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "My work" }));
            await browser.FollowAsync(page.Locator("#my-offers").GetByRole(AriaRole.Link, new() { Name = $"Rhys Dale{p.Suffix}" }));
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Accept the lead" }));
            await Expect(page.Locator("#history")).ToContainTextAsync($"{p.FamilyCentre.Name} accepted the lead");
            await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Your organisation now leads the case");
            await Expect(page.Locator("summary", new() { HasText = "Close the case" })).ToBeVisibleAsync();
        }
    }
}
