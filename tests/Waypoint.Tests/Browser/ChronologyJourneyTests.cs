using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A school's designated safeguarding lead opens a pupil's chronology from the pupil's page, sees
/// the school's records in it, narrows it to suspensions and prints it (the print button appears
/// only with script; the printout has no filters or buttons). Axe checks every page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ChronologyJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task SchoolDsl_OpensChronologyFromThePupilsPage_SeesEntriesFiltersAndPrints()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Ava", $"Lund{p.Suffix}", new DateOnly(2012, 5, 2), enrolledAt: p.School);
        var dsl = await p.UserAsync(p.School);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.Suspension,
                StartDate = today.AddDays(-7),
                Sessions = 2,
                ReasonCode1 = "PP",
                Outcome = ExclusionOutcome.NotReviewed,
                RecordedAt = DateTimeOffset.UtcNow.AddDays(-7),
            });
            db.BehaviourIncidents.Add(new BehaviourIncident
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                OccurredOn = today.AddDays(-8),
                Category = BehaviourCategory.PhysicalAggression,
                Severity = 4,
                Description = "Pushed a pupil down the stairs",
                RecordedAt = DateTimeOffset.UtcNow.AddDays(-8),
            });
            await db.SaveChangesAsync();
        });

        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(dsl);
        await browser.OpenAsync($"/people/{child.Id}");
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Chronology", Exact = true }));

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Ava Lund{p.Suffix}");
        var table = page.Locator("#chronology");
        await Expect(table).ToContainTextAsync("Suspension, 1 day");
        await Expect(table).ToContainTextAsync("Pushed a pupil down the stairs");
        await Expect(table).ToContainTextAsync($"Joined {p.School.Name}");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = "Physical aggression" })).ToHaveAttributeAsync("href", $"/people/{child.Id}#behaviour");

        await page.GetByText("Filter the chronology").ClickAsync();
        await page.GetByLabel("Suspension or exclusion").CheckAsync();
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }));
        await Expect(page.Locator("#chronology tbody tr")).ToHaveCountAsync(1);
        await Expect(table).ToContainTextAsync("Suspension, 1 day");

        var print = page.GetByRole(AriaRole.Button, new() { Name = "Print this chronology" });
        await Expect(print).ToBeVisibleAsync();
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Expect(print).ToBeHiddenAsync();
        await Expect(page.Locator("#chronology-filters")).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" })).ToBeHiddenAsync();
        await Expect(page.Locator("#printed-by")).ToBeVisibleAsync();
        await Expect(page.Locator("#printed-by")).ToContainTextAsync($"{p.School.Name}, on ");
        await Expect(page.Locator("#protective-marking")).ToHaveTextAsync("OFFICIAL-SENSITIVE");
        await Expect(table).ToBeVisibleAsync();
    }
}
