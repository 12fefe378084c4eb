using Microsoft.Playwright;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Browser;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The joint outcomes pages in real Chromium, each checked with axe-core: the partnership
/// administrator defines a measure (success banner), sees the dashboard with its data table (in
/// the HTML the server sends, so it reads without JavaScript), and removes the measure after a
/// confirmation page.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OutcomesJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Outcomes_DefineSeeAndRemoveMeasure_Journey()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var closed = today.AddMonths(-13);
        var opened = closed.AddMonths(-4);
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < 6; i++)
            {
                var child = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = $"Journey{i}",
                    FamilyName = $"Outcome{p.Suffix}",
                    DateOfBirth = new DateOnly(2011, 5, 5),
                    AreaId = p.Ward.Id,
                    OwnerOrganisationId = p.Hub.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.People.Add(child);
                db.Cases.Add(new Waypoint.Domain.Case
                {
                    PersonId = child.Id,
                    LeadOrganisationId = p.Youth.Id,
                    Level = TriageOutcome.EarlyHelp,
                    Status = CaseStatus.Closed,
                    OpenedAt = new DateTimeOffset(opened.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
                    ClosedAt = new DateTimeOffset(closed.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
                    ClosureReason = CaseClosureReason.OutcomesMet,
                });
                db.Suspensions.Add(new Suspension { PersonId = child.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = opened.AddDays(-10), Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            }
            await db.SaveChangesAsync();
        });
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var name = $"Any suspension {p.Suffix}";

        await using var session = await BrowserSession.StartAsync(app.RootUri);
        var page = session.Page;
        await session.SignInAsync(admin);
        await session.OpenAsync("/statistics/outcomes/measures");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel(JointOutcomes.DescribeRule(OutcomeRule.Suspensions)).CheckAsync();
        await page.GetByLabel("N: how many").FillAsync("1");
        await session.FollowAsync(page.Locator("#add"));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"Measure added: {name}");
        await OutcomeCalculation.ReadyAsync(app); // the figures are calculated in the background

        var year = AcademicYear.Of(closed);
        var response = await session.OpenAsync($"/statistics/outcomes?Year={year.StartYear}&District={p.County.Id}");
        var row = page.Locator($"table[data-measure='{name}'][data-period='{year}'] tr[data-group='{JointOutcomes.EarlyHelp}'][data-months='6']");
        await Expect(row.Locator("[data-children]")).ToHaveTextAsync("6");
        await Expect(row.Locator("[data-before]")).ToHaveTextAsync("6");
        await Expect(row.Locator("[data-after]")).ToHaveTextAsync("0");
        // The figures are in the HTML the server sent: nothing needs JavaScript to read them.
        var html = await response!.TextAsync();
        html.ShouldContain($"data-measure=\"{name}\"");
        html.ShouldContain("<caption class=\"govuk-table__caption govuk-table__caption--s\">" + name);

        await session.OpenAsync("/statistics/outcomes/measures");
        await session.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = $"Remove {name}" }));
        await Expect(page.Locator("h1")).ToContainTextAsync($"Remove {name} from the framework?");
        await session.FollowAsync(page.Locator("#remove"));
        await Expect(page.Locator(".govuk-notification-banner--success")).ToContainTextAsync($"Measure removed: {name}");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = $"Remove {name}" })).ToHaveCountAsync(0);
    }
}
