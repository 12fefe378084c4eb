using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// The inclusion team's dashboard in real Chromium: the school table a page at a time, sorted by a column
/// heading, turned round, filtered by name and district; every page checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Dashboard_InclusionOfficer_PagesSortsAndFiltersTheSchoolTable()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Dara", $"Page{p.Suffix}", new DateOnly(2012, 4, 4), enrolledAt: p.OtherSchool);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            // School B in district B, the added schools in district A, school A on the county itself ("Countywide").
            (await db.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id)).AreaId = p.OtherWard.Id;
            for (var i = 1; i <= 28; i++)
                db.Organisations.Add(new Organisation { Name = $"Extra {i:00} {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary });
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id, SchoolId = p.OtherSchool.Id, Kind = ExclusionKind.Suspension, StartDate = Waypoint.Features.Schools.Rules.AcademicYear.Of(today).Start,
                Sessions = 2, ReasonCode1 = "PP", RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var user = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County);
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(user);

        await browser.OpenAsync("/schools/dashboard");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Suspensions and exclusions");
        var range = page.Locator("#schools-range");
        var table = page.Locator("#school-table");
        await Expect(range).ToContainTextAsync("Showing 1 to 25 of 30 schools");

        await browser.FollowAsync(page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of schools" }).GetByRole(AriaRole.Link, new() { Name = "Next page" }));
        await Expect(range).ToContainTextAsync("Showing 26 to 30 of 30 schools");

        // The column heading sorts by it (largest first, from the first page); again, smallest first.
        await browser.FollowAsync(table.GetByRole(AriaRole.Link, new() { Name = "Suspensions this year" }));
        await Expect(range).ToContainTextAsync("Showing 1 to 25 of 30 schools");
        await Expect(table.Locator("tbody tr").First).ToContainTextAsync(p.OtherSchool.Name);
        await Expect(table.Locator("th[aria-sort=descending]")).ToContainTextAsync("Suspensions this year");
        await browser.FollowAsync(table.GetByRole(AriaRole.Link, new() { Name = "Suspensions this year" }));
        await Expect(table.Locator("th[aria-sort=ascending]")).ToContainTextAsync("Suspensions this year");
        await Expect(table.Locator("tbody tr").First).ToContainTextAsync($"Extra 01 {p.Suffix}");

        // Filtered by district, then by part of the name.
        await page.GetByLabel("District").SelectOptionAsync(p.OtherDistrict.Name);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Show schools" }));
        await Expect(range).ToContainTextAsync("Showing 1 to 1 of 1 school");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(1);
        await page.GetByLabel("District").SelectOptionAsync("");
        await page.GetByLabel("School name contains").FillAsync("extra 1");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Show schools" }));
        await Expect(range).ToContainTextAsync("Showing 1 to 10 of 10 schools");
    }
}
