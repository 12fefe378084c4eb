using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;

namespace Waypoint.Tests.Risk;

/// <summary>
/// Flags with evidence and a review date within six months; once lapsed or removed a flag counts
/// nowhere at once (score, person page, API); and a high score lists nobody until the hub reviews them in.
/// </summary>
public abstract class FlagAndCohortTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static Dictionary<string, string> FlagForm(FlagKind kind, DateOnly? reviewOn, string evidence = "Seen with older youths at a known address on three occasions")
    {
        var form = new Dictionary<string, string> { ["Kind"] = kind.ToString(), ["Evidence"] = evidence };
        if (reviewOn is { } r)
        {
            form["ReviewOn.Day"] = r.Day.ToString(CultureInfo.InvariantCulture);
            form["ReviewOn.Month"] = r.Month.ToString(CultureInfo.InvariantCulture);
            form["ReviewOn.Year"] = r.Year.ToString(CultureInfo.InvariantCulture);
        }
        return form;
    }

    private static async Task<(int Offending, bool Counts)> StateAsync(HttpClient api, Person child)
    {
        var risk = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{child.Id}/risk")).RootElement.GetProperty("score");
        var flags = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{child.Id}/flags")).RootElement.GetProperty("flags");
        return (risk.ValueKind == JsonValueKind.Null ? 0 : risk.GetProperty("offending").GetInt32(), flags.EnumerateArray().Any(f => f.GetProperty("counts").GetBoolean()));
    }

    [Fact]
    public async Task Flag_PastItsReviewDate_CountsNowhereAtOnce()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var api = await app.ApiClientAsync(w.Officer);

        var added = await pages.PostFormAsync($"/people/{w.Child.Id}/flags/new", FlagForm(FlagKind.GangAssociated, Today.AddMonths(3)));
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        (await StateAsync(api, w.Child)).ShouldBe((3, true));
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/police-and-risk")).QuerySelector("#current-flags")!.TextContent.ShouldContain("Gang-associated");

        // The review date passed with no review: nothing has run since, and still it counts nowhere.
        await app.AsSystemAsync(async db =>
        {
            var flag = await db.PersonFlags.SingleAsync(f => f.PersonId == w.Child.Id);
            flag.ReviewOn = Today.AddDays(-1);
            await db.SaveChangesAsync();
        });

        (await StateAsync(api, w.Child)).ShouldBe((0, false));
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/police-and-risk")).QuerySelector("#current-flags").ShouldBeNull();
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/risk")).QuerySelector("#flags ~ .govuk-summary-card")!.TextContent.ShouldContain("lapsed");
    }

    /// <summary>
    /// The person page scores with the facts sent in its records' round trip (Data/RidingRead, issue 18): the opened person's, by
    /// their id, and no one else's: the flagged child's bar shows the risk bands, another child's on the same reader's screen none.
    /// </summary>
    [Fact]
    public async Task PersonPage_ScoreFromTheFactsReadWithTheRecords_TheOpenedPersonsOnly()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var api = await app.ApiClientAsync(w.Officer);
        var other = await w.P.YoungPersonAsync("Ria", w.Child.FamilyName, new DateOnly(2012, 5, 1), enrolledAt: w.P.School);
        await w.P.InvolveAsync(other, w.P.Police, "Youth engagement officer");
        var added = await pages.PostFormAsync($"/people/{w.Child.Id}/flags/new", FlagForm(FlagKind.GangAssociated, Today.AddMonths(3)));
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        (await StateAsync(api, w.Child)).ShouldBe((3, true));

        foreach (var section in new[] { "", "/police-and-risk", "/family" })
        {
            (await pages.GetDocumentAsync($"/people/{w.Child.Id}{section}")).QuerySelector("#identity-statuses")!.TextContent.ShouldContain("Offending");
            (await pages.GetDocumentAsync($"/people/{other.Id}{section}")).QuerySelector("#identity-statuses")!.TextContent.ShouldNotContain("Offending");
        }
    }

    [Fact]
    public async Task Flag_RemovedAfterConfirmation_CountsNowhereAtOnce()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var api = await app.ApiClientAsync(w.Officer);
        await pages.PostFormAsync($"/people/{w.Child.Id}/flags/new", FlagForm(FlagKind.GangAssociated, Today.AddMonths(2)));
        var flagId = await app.AsSystemAsync((db, _) => db.PersonFlags.Where(f => f.PersonId == w.Child.Id).Select(f => f.Id).SingleAsync());

        var confirm = await pages.GetDocumentAsync($"/people/{w.Child.Id}/flags/remove?flagId={flagId}");
        confirm.QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        var removed = await pages.PostFormAsync($"/people/{w.Child.Id}/flags/remove?flagId={flagId}", new() { ["Reason"] = "Intelligence not corroborated at review" });

        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StateAsync(api, w.Child)).ShouldBe((0, false));
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/risk")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("removed");
    }

    [Theory]
    [InlineData(null, "Enter the date")]
    [InlineData(7, "within 6 months")]
    [InlineData(-1, "today or in the future")]
    public async Task Flag_ReviewDateMissingOrOutOfRange_IsRefusedNamingTheField(int? monthsAhead, string message)
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);

        var response = await pages.PostFormAsync($"/people/{w.Child.Id}/flags/new",
            FlagForm(FlagKind.CriminalExploitationRisk, monthsAhead is { } m ? Today.AddMonths(m) : null));

        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.Title!.ShouldStartWith("Error: ");
        page.QuerySelector(".govuk-error-summary a[href='#ReviewOn']")!.TextContent.ShouldContain(message);
        (await app.AsSystemAsync((db, _) => db.PersonFlags.CountAsync(f => f.PersonId == w.Child.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Cohort_HighScore_ListsNobodyUntilTheHubReviewsThemIn()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        // Violence as suspect (4) and gang-associated (3): 7, high under the starter matrix.
        var import = await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"C-{w.P.Suffix}"));
        import.StatusCode.ShouldBe(HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var pages = await app.SignInAsync(w.Officer);
        await pages.PostFormAsync($"/people/{w.Child.Id}/flags/new", FlagForm(FlagKind.GangAssociated, Today.AddMonths(3)));

        var hub = await app.SignInAsync(w.HubWorker);
        var before = await hub.GetDocumentAsync($"/people/{w.Child.Id}/risk");
        before.QuerySelector("#offending")!.TextContent.ShouldContain("7 (High)");
        before.QuerySelector("#cohort").ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.CohortReviews.CountAsync(r => r.PersonId == w.Child.Id))).ShouldBe(0);

        var empty = await hub.PostFormAsync($"/people/{w.Child.Id}/risk?handler=Review", new() { ["Decision"] = "Accepted" }, $"/people/{w.Child.Id}/risk");
        Clients.Parse(await empty.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("rationale");

        var reviewed = await hub.PostFormAsync($"/people/{w.Child.Id}/risk?handler=Review",
            new() { ["Decision"] = "Accepted", ["Rationale"] = "Violence and gang association corroborated by school and police" }, $"/people/{w.Child.Id}/risk");
        reviewed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await hub.GetDocumentAsync($"/people/{w.Child.Id}/risk")).QuerySelector("#cohort").ShouldNotBeNull();

        // The police officer may see the score but is not the hub: no review for them.
        var police = await pages.PostFormAsync($"/people/{w.Child.Id}/risk?handler=Review",
            new() { ["Decision"] = "Dismissed", ["Rationale"] = "x" }, $"/people/{w.Child.Id}/risk");
        police.StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // The data-protection officer sees who reviewed whom, on which score, and can export it all.
        var dpo = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Waypoint.Identity.Roles.DataProtectionOfficer));
        var oversight = await dpo.GetDocumentAsync("/risk/oversight");
        oversight.QuerySelector("#reviews")!.TextContent.ShouldContain(w.Child.Id.ToString());
        oversight.QuerySelector("#versions")!.TextContent.ShouldContain("Starter matrix");
        var export = await dpo.GetStringAsync("/risk/oversight?handler=Export");
        export.ShouldContain($"cohort review,");
        export.ShouldContain(w.Child.Id.ToString());
        (await (await app.SignInAsync(w.Officer)).GetAsync("/risk/oversight")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }
}

public sealed class FlagAndCohortTestsOnSqlite(SqliteApp app) : FlagAndCohortTests(app), IClassFixture<SqliteApp>;

public sealed class FlagAndCohortTestsOnPostgres(PostgresApp app) : FlagAndCohortTests(app), IClassFixture<PostgresApp>;
