using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Referrals;

/// <summary>
/// The hub queue's head (home, My work) and its ordered ids (the hub page) are kept per reader until the next write (issue 18:
/// the Referral filter asked of every report on every visit). What a reader is shown must not change: a report about a child
/// the hub may not see is never counted or listed, one whose child the hub stops seeing goes at the next visit, and one
/// reader's queue is never served to another.
/// </summary>
public abstract class HubQueueKeptTests(WaypointApp app)
{
    /// <summary>The figure on home (0 when home says there is nothing to do).</summary>
    private static async Task<string> OnHomeAsync(HttpClient client) =>
        (await client.GetDocumentAsync("/")).QuerySelector("#triage-figure a")?.TextContent.Trim().Split(' ')[0] ?? "0";

    /// <summary>My work's line ("2 reports await your triage"), or null when none await.</summary>
    private static async Task<string?> OnMyWorkAsync(HttpClient client) =>
        (await client.GetDocumentAsync("/my-work")).QuerySelector("#triage a")?.TextContent.Trim();

    private static List<string> Children(IHtmlDocument page) =>
        page.QuerySelectorAll("#hub-queue tbody tr td:first-child a").Select(a => a.TextContent.Split(' ')[0]).Order().ToList();

    private Task MoveAsync(Person child, Area ward) =>
        app.AsSystemAsync(db => db.People.Where(x => x.Id == child.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.AreaId, ward.Id)));

    [Fact]
    public async Task Queue_ChildTheHubMayNotSee_NeverCountedAndGoneAtOnceWhenHidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ann = await p.YoungPersonAsync("Ann", $"Kept{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var ben = await p.YoungPersonAsync("Ben", $"Kept{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var cal = await p.YoungPersonAsync("Cal", $"Kept{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var reporter = await p.UserAsync(p.School);
        var triager = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        var otherTriager = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.OtherDistrict);
        var now = DateTimeOffset.UtcNow;
        await app.AsSystemAsync(async db =>
        {
            // Each reported in Ward A (District A: the triager's grant covers it; the other triager's does not).
            db.Referrals.AddRange(new[] { ann, ben, cal }.Select((child, i) => new Referral
            {
                PersonId = child.Id,
                ReporterUserId = reporter.Id,
                ReporterOrganisationId = p.School.Id,
                AreaId = p.Ward.Id,
                Categories = "RiskOfExclusion",
                WhatIsKnown = "A concern",
                ReportedAt = now.AddHours(-i - 1),
                DecisionDueBy = now.AddDays(i + 1),
                Status = ReferralStatus.AwaitingTriage,
            }));
            await db.SaveChangesAsync();
        });
        // Cal moved to Ward B before anyone looks: the report stays in Ward A, but the hub for District A may not see Cal.
        await MoveAsync(cal, p.OtherWard);
        var hub = await app.SignInAsync(triager);
        var other = await app.SignInAsync(otherTriager);

        for (var visit = 0; visit < 2; visit++)
        {
            (await OnHomeAsync(hub)).ShouldBe("2", "Cal's report is not counted: the hub may not see Cal");
            (await OnMyWorkAsync(hub)).ShouldStartWith("2 reports await");
            var page = await hub.GetDocumentAsync("/hub");
            Children(page).ShouldBe(["Ann", "Ben"]);
            page.QuerySelector("#hub-range")!.TextContent.ShouldContain("of 2 reports");
            (await OnHomeAsync(other)).ShouldBe("0", "the other district's hub is never served this hub's queue");
            (await OnMyWorkAsync(other)).ShouldBeNull();
            (await other.GetDocumentAsync("/hub")).QuerySelector("#empty-queue").ShouldNotBeNull();
        }

        // Ben moves to Ward B: the hub for District A no longer sees him, and the next visit of every page says so.
        await MoveAsync(ben, p.OtherWard);

        (await OnHomeAsync(hub)).ShouldBe("1");
        (await OnMyWorkAsync(hub)).ShouldStartWith("1 report awaits");
        var after = await hub.GetDocumentAsync("/hub");
        Children(after).ShouldBe(["Ann"]);
        after.QuerySelector("#hub-range")!.TextContent.ShouldContain("of 1 report");
        (await OnHomeAsync(other)).ShouldBe("0");
    }
}

public sealed class HubQueueKeptTestsOnSqlite(SqliteApp app) : HubQueueKeptTests(app), IClassFixture<SqliteApp>;

public sealed class HubQueueKeptTestsOnPostgres(PostgresApp app) : HubQueueKeptTests(app), IClassFixture<PostgresApp>;
