using Microsoft.Playwright;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Browser;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// Issue 15 in real Chromium, every page checked with axe-core: the partnership administrator
/// publishes the exclusion statistics, anyone reads them, DfE's tables are imported and the
/// neighbours chosen for benchmarking, the exclusion and violence figures are shown, and the
/// joint outcomes framework's measures are added and its figures shown.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class EvidenceJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Evidence_PublishReadBenchmarkAndViolence_Journey()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Journey", $"Evidence{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = pupil.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = AcademicYear.Of(today).Start, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);

        await using var session = await BrowserSession.StartAsync(app.RootUri);
        var page = session.Page;
        await session.SignInAsync(admin);
        await session.OpenAsync("/statistics/exclusions/publish");
        await page.GetByLabel("Why a revision").FillAsync("Journey check");
        await session.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Publish" }));
        await Expect(page.Locator("#headline")).ToBeVisibleAsync();

        await session.OpenAsync("/statistics/benchmarking/manage");
        await page.GetByLabel("DfE CSV file").SetInputFilesAsync(DfeImportTests.Path);
        await session.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Import" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToBeVisibleAsync();
        await page.GetByLabel("The partnership's own authority").FillAsync("Barnsley");
        await page.GetByLabel("Neighbours").FillAsync("Rotherham\nDoncaster\nYorkshire and the Humber");
        await session.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save the neighbours" }));
        await Expect(page.Locator("table[data-table='suspension'] tr[data-area='Barnsley']")).ToContainTextAsync("16.82");

        await session.OpenAsync("/statistics/violence");
        await session.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Show figures" }));
        await Expect(page.Locator("#notes")).ToContainTextAsync("not a cause");

        await session.OpenAsync("/statistics/outcomes/measures");
        await session.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Add the suggested measures" }));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToBeVisibleAsync();
        await session.OpenAsync("/statistics/outcomes");
        await session.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Show figures" }));
        await Expect(page.Locator("#notes")).ToContainTextAsync("not cause and effect");
    }
}
