using System.Text;
using AngleSharp.Html.Dom;
using MiniExcelLibs;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Referrals;

/// <summary>
/// The hub queue filters by school, concern, status, due and date received (it had none and
/// showed at most 200 with no count); the count and range say what is shown; the export follows
/// the filters.
/// </summary>
public abstract class HubQueueFilterTests(WaypointApp app)
{
    private sealed record World(TestPartnership P, TestUser Hub);

    /// <summary>
    /// Four reports in the hub's county: Ann (School A, exclusion, overdue, received 1 March 2026),
    /// Ben (School B, mental health, due later today or tomorrow), Cal (School A, exclusion and
    /// neglect, decided) and Dee (no school, other, due in two days).
    /// </summary>
    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ann = await p.YoungPersonAsync("Ann", $"Hub{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var ben = await p.YoungPersonAsync("Ben", $"Hub{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.OtherSchool);
        var cal = await p.YoungPersonAsync("Cal", $"Hub{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var dee = await p.YoungPersonAsync("Dee", $"Hub{p.Suffix}", new DateOnly(2012, 1, 1));
        var reporter = await p.UserAsync(p.School);
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var now = DateTimeOffset.UtcNow;
        var endOfToday = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1), TimeSpan.Zero);
        await app.AsSystemAsync(async db =>
        {
            Referral Report(Person child, string categories, DateTimeOffset reported, DateTimeOffset due, ReferralStatus status = ReferralStatus.AwaitingTriage) => new()
            {
                PersonId = child.Id,
                ReporterUserId = reporter.Id,
                ReporterOrganisationId = p.School.Id,
                AreaId = p.Ward.Id,
                Categories = categories,
                WhatIsKnown = "A concern",
                ReportedAt = reported,
                DecisionDueBy = due,
                Status = status,
            };
            db.Referrals.AddRange(
                Report(ann, "RiskOfExclusion", new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero), now.AddHours(-2)),
                // Due before the day ends, however late in the day the test runs (but not overdue).
                Report(ben, "MentalHealth", now.AddHours(-3), now + (endOfToday - now) / 2),
                Report(cal, "RiskOfExclusion,Neglect", now.AddDays(-3), now.AddDays(-2), ReferralStatus.Decided),
                Report(dee, "Other", now.AddHours(-1), endOfToday.AddDays(2)));
            await db.SaveChangesAsync();
        });
        return new World(p, hub);
    }

    private static List<string> Children(IHtmlDocument page) =>
        page.QuerySelectorAll("#hub-queue tbody tr td:first-child a").Select(a => a.TextContent.Split(' ')[0]).Order().ToList();

    [Fact]
    public async Task Queue_Filtered_ListsOnlyMatchingReportsAndCountsThem()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Hub);

        var queue = await client.GetDocumentAsync("/hub");
        Children(queue).ShouldBe(["Ann", "Ben", "Dee"]);
        queue.QuerySelector("#hub-range")!.TextContent.ShouldBe("Showing 1 to 3 of 3 reports");
        queue.QuerySelectorAll("#School option").Select(o => o.TextContent).ShouldContain($"School A {w.P.Suffix}");

        Children(await client.GetDocumentAsync("/hub?Status=Decided")).ShouldBe(["Cal"]);
        Children(await client.GetDocumentAsync("/hub?Status=All")).ShouldBe(["Ann", "Ben", "Cal", "Dee"]);
        Children(await client.GetDocumentAsync($"/hub?Status=All&School={w.P.School.Id}")).ShouldBe(["Ann", "Cal"]);
        Children(await client.GetDocumentAsync("/hub?Status=All&Concern=RiskOfExclusion")).ShouldBe(["Ann", "Cal"]);
        Children(await client.GetDocumentAsync("/hub?Status=All&Concern=Neglect")).ShouldBe(["Cal"]);
        Children(await client.GetDocumentAsync("/hub?Due=Overdue")).ShouldBe(["Ann"]);
        Children(await client.GetDocumentAsync("/hub?Due=Today")).ShouldBe(["Ben"]);
        var received = await client.GetDocumentAsync("/hub?ReceivedFrom.Day=1&ReceivedFrom.Month=3&ReceivedFrom.Year=2026&ReceivedTo.Day=1&ReceivedTo.Month=3&ReceivedTo.Year=2026");
        Children(received).ShouldBe(["Ann"]);
        received.QuerySelector("#hub-range")!.TextContent.ShouldBe("Showing 1 to 1 of 1 report");
        (await client.GetDocumentAsync("/hub?Concern=Neglect")).QuerySelector("#empty-queue")!.TextContent.ShouldBe("No reports match these filters.");
        var refused = await client.GetDocumentAsync("/hub?ReceivedFrom.Day=31&ReceivedFrom.Month=2&ReceivedFrom.Year=2026");
        refused.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Received from must be a real date");
    }

    [Fact]
    public async Task Export_FollowsTheFilters()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Hub);

        var page = await client.GetDocumentAsync($"/hub?Status=All&School={w.P.School.Id}");
        var csv = CaseListTests.Csv(await client.GetByteArrayAsync(page.QuerySelector("#hub-exports a[href*='format=csv']")!.GetAttribute("href")!));
        var xlsx = await client.GetByteArrayAsync(page.QuerySelector("#hub-exports a[href*='format=xlsx']")!.GetAttribute("href")!);
        var everything = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/hub?handler=Export&format=csv"));

        csv.Skip(1).Select(r => r[0]).Order().ShouldBe([$"Ann Hub{w.P.Suffix}", $"Cal Hub{w.P.Suffix}"]);
        csv.Skip(1).Single(r => r[0].StartsWith("Cal"))[7].ShouldBe("Decided");
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        sheet.Select(r => r["Child"]?.ToString()).Order().ShouldBe([$"Ann Hub{w.P.Suffix}", $"Cal Hub{w.P.Suffix}"]);
        everything.ShouldContain($"Ben Hub{w.P.Suffix}");
        everything.ShouldNotContain($"Cal Hub{w.P.Suffix}");
    }
}

public sealed class HubQueueFilterTestsOnSqlite(SqliteApp app) : HubQueueFilterTests(app), IClassFixture<SqliteApp>;

public sealed class HubQueueFilterTestsOnPostgres(PostgresApp app) : HubQueueFilterTests(app), IClassFixture<PostgresApp>;
