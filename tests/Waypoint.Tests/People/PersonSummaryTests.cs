using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// The person page's "At a glance" card: the open case and its lead, open alerts, the top-10
/// standing and consent, each only as far as the reader may see it.
/// </summary>
public abstract class PersonSummaryTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The case world's child with an open alert at School A, rank 2 on its top 10 for 3 days, and the youth worker as lead practitioner.</summary>
    private async Task<(CaseWorld W, TestUser Dsl)> WorldAsync()
    {
        var w = await CaseWorld.OpenAsync(app);
        var dsl = await w.P.UserAsync(w.P.School);
        await app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(new Alert
            {
                PersonId = w.Child.Id,
                SchoolId = w.P.School.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"summary:{w.Child.Id}",
                TriggeredOn = Today.AddDays(-1),
                Figures = "2 suspensions",
                ThresholdValue = 2,
                Status = AlertStatus.New,
                RaisedAt = DateTimeOffset.UtcNow,
            });
            db.TopTenNominations.Add(new TopTenNomination
            {
                PersonId = w.Child.Id,
                SchoolId = w.P.School.Id,
                Rank = 2,
                Reason = "Two suspensions",
                NominatedAt = DateTimeOffset.UtcNow.AddDays(-3),
                NominatedByUserId = dsl.Id,
            });
            await db.SaveChangesAsync();
            await db.Cases.Where(c => c.Id == w.CaseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LeadPractitionerId, w.Lead.Id));
        });
        return (w, dsl);
    }

    private static string Row(AngleSharp.Html.Dom.IHtmlDocument page, string id) =>
        string.Join(' ', page.QuerySelector($"#{id} .govuk-summary-list__value")!.TextContent.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task PersonPage_SchoolReader_SeesAlertsAndTopTenButNotTheCaseItIsNotIn()
    {
        var (w, dsl) = await WorldAsync();
        var client = await app.SignInAsync(dsl);

        var page = await client.GetDocumentAsync($"/people/{w.Child.Id}");

        Row(page, "glance-alerts").ShouldBe("1 open alert");
        page.QuerySelector("#glance-alerts a")!.GetAttribute("href").ShouldBe($"/alerts?person={w.Child.Id}");
        Row(page, "glance-top-ten").ShouldBe($"Rank 2 at School A {w.P.Suffix}, on the list for 3 days");
        Row(page, "glance-case").ShouldBe("None you may see");
        Row(page, "glance-consent").ShouldStartWith("None recorded that you may see");
    }

    [Fact]
    public async Task PersonPage_CaseLead_SeesTheOpenCaseLeadAndReview()
    {
        var (w, _) = await WorldAsync();
        var client = await app.SignInAsync(w.Lead);

        var page = await client.GetDocumentAsync($"/people/{w.Child.Id}");

        var text = Row(page, "glance-case");
        text.ShouldStartWith("Early help");
        text.ShouldContain($"Led by Youth Service {w.P.Suffix} (Test user ");
        text.ShouldContain($"Review {Today.AddMonths(3):d MMMM yyyy}");
        page.QuerySelector("#glance-case a")!.GetAttribute("href").ShouldBe($"/cases/{w.CaseId}");
        page.QuerySelector(".govuk-grid-column-one-third #at-a-glance").ShouldNotBeNull();
    }
}

public sealed class PersonSummaryTestsOnSqlite(SqliteApp app) : PersonSummaryTests(app), IClassFixture<SqliteApp>;

public sealed class PersonSummaryTestsOnPostgres(PostgresApp app) : PersonSummaryTests(app), IClassFixture<PostgresApp>;
