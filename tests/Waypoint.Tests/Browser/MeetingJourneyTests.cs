using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The chair runs a meeting with three children in real Chromium: series set up, meeting
/// scheduled for today, three children from the school's top 10 added and one moved up, the agenda
/// issued, the pre-meeting pack read,
/// attendance taken, a decision with an action, one child taken off after the confirmation step,
/// minutes approved and then corrected as version 2. Every page checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MeetingJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Chair_RunsAMeetingWithThreeChildren_EveryPageAccessible()
    {
        var p = await TestPartnership.CreateAsync(app);
        var chair = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var children = new List<Person>();
        foreach (var (name, rank) in new[] { ("Ada", 1), ("Ben", 2), ("Cal", 3) })
            children.Add(await p.YoungPersonAsync(name, $"Meet{p.Suffix}", today.AddYears(-13), enrolledAt: p.School));
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < children.Count; i++)
                db.TopTenNominations.Add(new TopTenNomination { PersonId = children[i].Id, SchoolId = p.School.Id, Rank = i + 1, Reason = "Suspensions", NominatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(chair);

        await browser.OpenAsync("/meetings");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Set up a meeting series" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Set up the series" }));
        await browser.ExpectErrorSummaryAsync("Enter a name for the series, for example \"Brackton schools cluster, monthly\"", "Select the area whose schools and children the meetings cover");
        await page.GetByLabel("Name of the series").FillAsync($"Cluster {p.Suffix}");
        await page.GetByLabel("Area the meetings cover").SelectOptionAsync(new SelectOptionValue { Value = p.District.Id.ToString() });
        await page.GetByLabel(p.Police.Name).CheckAsync();
        await page.GetByLabel(p.School.Name).CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Set up the series" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("set up");

        await page.GetByLabel("Day").FillAsync(today.Day.ToString());
        await page.GetByLabel("Month").FillAsync(today.Month.ToString());
        await page.GetByLabel("Year").FillAsync(today.Year.ToString());
        await page.GetByLabel("Start time (24-hour clock, for example 14:00)").FillAsync("14:00");
        await page.GetByLabel("Place").FillAsync("Brackton library");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Schedule the meeting" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Meeting scheduled");

        foreach (var child in children)
            await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"Add {child.GivenName} {child.FamilyName} to the agenda" }));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Children on the agenda, in order" }).Locator("tbody tr")).ToHaveCountAsync(3);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = $"Move up Cal Meet{p.Suffix}" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Child moved up the agenda");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Children on the agenda, in order" }).Locator("tbody tr").Nth(1)).ToContainTextAsync("Cal");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Issue the agenda" }));
        await Expect(page.Locator("#agenda-status")).ToContainTextAsync("Issued");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Pre-meeting pack: a page on each child you can see" }));
        await Expect(page.Locator(".wp-pack-child")).ToHaveCountAsync(3);
        await Expect(page.Locator(".wp-pack-child").First).ToContainTextAsync("Why on the agenda");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Back to the meeting" }));

        await page.Locator("#attendance-form input[value=Present]").First.CheckAsync();
        await page.Locator("#attendance-form input[value=Apologies]").Last.CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save attendance" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Attendance recorded");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = $"Record decision for Ada Meet{p.Suffix}" }));
        await page.GetByLabel("Summary of the discussion").FillAsync("Mentoring agreed with the school");
        await page.GetByLabel("Single-agency support").CheckAsync();
        await page.Locator("[id='Actions[0].Description']").FillAsync("Weekly mentoring");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
        await browser.ExpectErrorSummaryAsync("Select the invited organisation that owns action 1", "Enter the date action 1 is due");
        await page.Locator("[id='Actions[0].OwnerOrganisationId']").SelectOptionAsync(new SelectOptionValue { Value = p.School.Id.ToString() });
        var due = today.AddDays(14);
        await page.Locator("[id='Actions[0].DueOn']").FillAsync(due.Day.ToString());
        await page.Locator("[id='Actions[0].DueOn-month']").FillAsync(due.Month.ToString());
        await page.Locator("[id='Actions[0].DueOn-year']").FillAsync(due.Year.ToString());
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Record the decision" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("Decision recorded");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = $"Remove Cal Meet{p.Suffix} from the agenda" }));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Take Cal Meet{p.Suffix} off the agenda?");
        await page.GetByLabel("Why is the child coming off the agenda?").FillAsync("Moved school");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Yes, take the child off" }));
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Children on the agenda, in order" }).Locator("tbody tr")).ToHaveCountAsync(2);

        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Approve the minutes" }));
        await Expect(page.Locator("#minutes-status")).ToContainTextAsync("Approved");

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Correct the minutes" }));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Correct the minutes" }));
        await browser.ExpectErrorSummaryAsync("Select the child whose part of the minutes is corrected", "Enter the corrected summary of the discussion", "Say why the minutes are corrected");
        await page.Locator("#ItemId").SelectOptionAsync(new SelectOptionValue { Label = $"Ada Meet{p.Suffix}" });
        await page.GetByLabel("Corrected summary of the discussion").FillAsync("Mentoring agreed with the youth service");
        await page.GetByLabel("Why are the minutes corrected?").FillAsync("The youth service, not the school, will mentor");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Correct the minutes" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync("now version 2");
        await Expect(page.Locator("#minutes-version-list")).ToContainTextAsync("Before: Mentoring agreed with the school");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = $"Cluster {p.Suffix}" }).First);
        await Expect(page.Locator("#outcomes")).ToContainTextAsync("Single-agency support: 1");
    }
}
