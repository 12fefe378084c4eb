using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Alerts;

/// <summary>
/// The inbox filters by type, school and status (it had none, and a DSL had 90 alerts to scroll),
/// and acknowledges several new alerts at once after a confirmation step, with a banner after.
/// </summary>
public abstract class AlertInboxFilterTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, TestUser Inclusion, Guid SuspensionsAtA, Guid AbsenceAtA, Guid SuspensionsAtB, Guid Hidden);

    /// <summary>Three alerts an inclusion officer for District A may see (two at School A, one at School B) and one about a pupil in District B.</summary>
    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var a1 = await p.YoungPersonAsync("Ann", $"Filter{p.Suffix}", new DateOnly(2011, 1, 1), enrolledAt: p.School);
        var a2 = await p.YoungPersonAsync("Ben", $"Filter{p.Suffix}", new DateOnly(2011, 2, 2), enrolledAt: p.School);
        var b1 = await p.YoungPersonAsync("Cal", $"Filter{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.OtherSchool);
        var hidden = await p.YoungPersonAsync("Dee", $"Filter{p.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: p.OtherSchool, ward: p.OtherWard);
        var inclusion = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        var ids = new List<Guid>();
        await app.AsSystemAsync(async db =>
        {
            foreach (var (pupil, school, rule) in new[] { (a1, p.School, AlertRule.RepeatedSuspensions), (a2, p.School, AlertRule.PersistentAbsence),
                         (b1, p.OtherSchool, AlertRule.RepeatedSuspensions), (hidden, p.OtherSchool, AlertRule.RepeatedSuspensions) })
            {
                var alert = new Alert
                {
                    PersonId = pupil.Id,
                    SchoolId = school.Id,
                    Rule = rule,
                    TriggerKey = $"filter:{pupil.Id}",
                    TriggeredOn = Today.AddDays(-1),
                    Figures = "figures",
                    ThresholdValue = 2,
                    Status = AlertStatus.New,
                    RaisedAt = DateTimeOffset.UtcNow,
                };
                db.Alerts.Add(alert);
                ids.Add(alert.Id);
            }
            await db.SaveChangesAsync();
        });
        return new World(p, inclusion, ids[0], ids[1], ids[2], ids[3]);
    }

    private static List<string> Pupils(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("#alert-list tbody tr td a.govuk-link").Select(a => a.TextContent.Split(':')[0]).ToList();

    [Fact]
    public async Task Inbox_FilteredByTypeSchoolAndStatus_ListsOnlyThoseAlerts()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Inclusion);

        var all = await client.GetDocumentAsync("/alerts");
        Pupils(all).ShouldBe([$"Ann Filter{w.P.Suffix}", $"Ben Filter{w.P.Suffix}", $"Cal Filter{w.P.Suffix}"], ignoreOrder: true);
        all.QuerySelectorAll("#School option").Select(o => o.TextContent).ShouldContain($"School A {w.P.Suffix}");

        Pupils(await client.GetDocumentAsync($"/alerts?Rule=RepeatedSuspensions")).ShouldBe([$"Ann Filter{w.P.Suffix}", $"Cal Filter{w.P.Suffix}"], ignoreOrder: true);
        Pupils(await client.GetDocumentAsync($"/alerts?Rule=RepeatedSuspensions&School={w.P.OtherSchool.Id}")).ShouldBe([$"Cal Filter{w.P.Suffix}"]);
        (await client.GetDocumentAsync("/alerts?Status=Acknowledged")).QuerySelector("#no-alerts").ShouldNotBeNull();
    }

    [Fact]
    public async Task Inbox_FilteredByDateRaised_ListsAndExportsOnlyThoseAlerts()
    {
        var w = await WorldAsync();
        var old = Today.AddDays(-30);
        await app.AsSystemAsync(db => db.Alerts.Where(a => a.Id == w.SuspensionsAtA).ExecuteUpdateAsync(s => s.SetProperty(a => a.TriggeredOn, old)));
        var client = await app.SignInAsync(w.Inclusion);
        string Date(string name, DateOnly d) => $"{name}.Day={d.Day}&{name}.Month={d.Month}&{name}.Year={d.Year}";

        var recent = await client.GetDocumentAsync($"/alerts?{Date("RaisedFrom", Today.AddDays(-7))}");
        var earlier = await client.GetDocumentAsync($"/alerts?{Date("RaisedFrom", old)}&{Date("RaisedTo", old)}");
        var csv = System.Text.Encoding.UTF8.GetString(await client.GetByteArrayAsync(recent.QuerySelector("#alert-exports a[href*='format=csv']")!.GetAttribute("href")!));
        var refused = await client.GetDocumentAsync($"/alerts?{Date("RaisedFrom", Today)}&{Date("RaisedTo", old)}");

        Pupils(recent).ShouldBe([$"Ben Filter{w.P.Suffix}", $"Cal Filter{w.P.Suffix}"], ignoreOrder: true);
        recent.QuerySelector("#alerts-range")!.TextContent.ShouldBe("Showing 1 to 2 of 2 alerts");
        Pupils(earlier).ShouldBe([$"Ann Filter{w.P.Suffix}"]);
        csv.ShouldContain($"Ben Filter{w.P.Suffix}");
        csv.ShouldNotContain($"Ann Filter{w.P.Suffix}");
        refused.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Raised to must be the same as or after raised from");
        refused.QuerySelector("#alert-list").ShouldBeNull();
    }

    [Fact]
    public async Task BulkAcknowledge_ConfirmedThenDone_EachAcknowledgedAuditedAndBannerShown()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Inclusion);
        var chosen = new Dictionary<string, string>
        {
            ["AlertIds[0]"] = w.SuspensionsAtA.ToString(),
            ["AlertIds[1]"] = w.AbsenceAtA.ToString(),
            ["AlertIds[2]"] = w.Hidden.ToString(),
        };

        var ask = await client.PostFormAsync("/alerts?handler=Acknowledge&show=open", chosen, "/alerts");

        ask.StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirm = Clients.Parse(await ask.Content.ReadAsStringAsync());
        confirm.QuerySelector("h1")!.TextContent.ShouldBe("Acknowledge these 2 alerts?");
        confirm.QuerySelector("#to-acknowledge")!.TextContent.ShouldNotContain("Dee");
        (await app.AsSystemAsync((db, _) => db.Alerts.CountAsync(a => a.Status == AlertStatus.Acknowledged && a.School!.Name.EndsWith(w.P.Suffix)))).ShouldBe(0);

        var done = await client.PostFormAsync("/alerts?handler=AcknowledgeConfirmed&show=open", chosen, "/alerts");

        done.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var statuses = await app.AsSystemAsync((db, _) => db.Alerts.Where(a => a.TriggerKey.StartsWith("filter:") && a.School!.Name.EndsWith(w.P.Suffix))
            .ToDictionaryAsync(a => a.Id, a => a.Status));
        statuses[w.SuspensionsAtA].ShouldBe(AlertStatus.Acknowledged);
        statuses[w.AbsenceAtA].ShouldBe(AlertStatus.Acknowledged);
        statuses[w.SuspensionsAtB].ShouldBe(AlertStatus.New);
        statuses[w.Hidden].ShouldBe(AlertStatus.New);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == w.Inclusion.Id && a.Action == AuditAction.Update && a.Subject == "alert.acknowledge"))).ShouldBe(2);
        var after = await client.GetDocumentAsync(done.Headers.Location!.OriginalString);
        after.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("2 alerts acknowledged");
    }

    [Fact]
    public async Task BulkAcknowledge_NothingChosen_SaysSoAndChangesNothing()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Inclusion);

        var response = await client.PostFormAsync("/alerts?handler=AcknowledgeConfirmed", new(), "/alerts");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Select the new alerts to acknowledge");
        (await app.AsSystemAsync((db, _) => db.Alerts.CountAsync(a => a.Id == w.SuspensionsAtA && a.Status == AlertStatus.New))).ShouldBe(1);
    }
}

public sealed class AlertInboxFilterTestsOnSqlite(SqliteApp app) : AlertInboxFilterTests(app), IClassFixture<SqliteApp>;

public sealed class AlertInboxFilterTestsOnPostgres(PostgresApp app) : AlertInboxFilterTests(app), IClassFixture<PostgresApp>;
