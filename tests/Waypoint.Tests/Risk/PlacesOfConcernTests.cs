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
/// Places of concern: recorded by the police and partnership roles with evidence and a review date,
/// lapsing like flags; young people linked as at risk there are listed apart from those involved,
/// and no link ever changes a score.
/// </summary>
public abstract class PlacesOfConcernTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static void Date(Dictionary<string, string> form, string name, DateOnly? date)
    {
        if (date is not { } d)
            return;
        form[$"{name}.Day"] = d.Day.ToString(CultureInfo.InvariantCulture);
        form[$"{name}.Month"] = d.Month.ToString(CultureInfo.InvariantCulture);
        form[$"{name}.Year"] = d.Year.ToString(CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string> PlaceForm(Guid? areaId, DateOnly? reviewOn, string name = "Underpass by the station", bool intelligence = false)
    {
        var form = new Dictionary<string, string> { ["AreaId"] = areaId?.ToString() ?? "", ["Name"] = name, ["Evidence"] = "Three reports of older youths dealing to pupils after school" };
        if (intelligence)
            form["Intelligence"] = "true";
        Date(form, "ReviewOn", reviewOn);
        return form;
    }

    private static Dictionary<string, string> LinkForm(Guid placeId, string role, DateOnly? reviewOn)
    {
        var form = new Dictionary<string, string> { ["PlaceId"] = placeId.ToString(), ["Role"] = role, ["Evidence"] = "Seen there twice by the youth engagement officer" };
        Date(form, "ReviewOn", reviewOn);
        return form;
    }

    private async Task<Guid> RecordPlaceAsync(HttpClient pages, OccurrenceImportTests.World w, bool intelligence = false)
    {
        var response = await pages.PostFormAsync("/police/places/new", PlaceForm(w.P.Ward.Id, Today.AddMonths(3), intelligence: intelligence));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split("id=")[1]);
    }

    private static async Task<int> OffendingAsync(HttpClient api, Person child)
    {
        var score = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{child.Id}/risk")).RootElement.GetProperty("score");
        return score.ValueKind == JsonValueKind.Null ? 0 : score.GetProperty("offending").GetInt32();
    }

    [Fact]
    public async Task Place_LinkedAsAtRiskAndInvolved_ListedApartAndNeverScored()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"PL-{w.P.Suffix}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await OffendingAsync(api, w.Child);
        var pages = await app.SignInAsync(w.Officer);
        var placeId = await RecordPlaceAsync(pages, w);
        (await pages.GetDocumentAsync($"/police/place?id={placeId}")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Place of concern recorded");

        var victim = await w.P.YoungPersonAsync("Ada", $"Okafor{w.P.Suffix}", new DateOnly(2012, 2, 2), enrolledAt: w.P.School);
        await w.P.InvolveAsync(victim, w.P.Police, "Youth engagement officer");
        var linked = await pages.PostFormAsync($"/people/{victim.Id}/places/link", LinkForm(placeId, "AtRisk", Today.AddMonths(2)));
        linked.StatusCode.ShouldBe(HttpStatusCode.Redirect, await linked.Content.ReadAsStringAsync());
        (await pages.GetDocumentAsync($"/people/{victim.Id}/risk")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Linked to the place of concern");
        (await pages.PostFormAsync($"/people/{w.Child.Id}/places/link", LinkForm(placeId, "Involved", Today.AddMonths(2)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var place = await pages.GetDocumentAsync($"/police/place?id={placeId}");
        place.QuerySelector("#at-risk")!.TextContent.ShouldContain(victim.FamilyName);
        place.QuerySelector("#at-risk")!.TextContent.ShouldNotContain(w.Child.FamilyName);
        place.QuerySelector("#involved")!.TextContent.ShouldContain(w.Child.FamilyName);
        place.QuerySelector("#involved")!.TextContent.ShouldNotContain(victim.FamilyName);
        var risk = await pages.GetDocumentAsync($"/people/{victim.Id}/risk");
        risk.QuerySelector("#place-links")!.TextContent.ShouldContain("Harmed or at risk there");

        (await OffendingAsync(api, w.Child)).ShouldBe(before);
        (await OffendingAsync(api, victim)).ShouldBe(0);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == victim.Id && a.Subject.StartsWith("place:")))).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Place_PastItsReviewDate_LapsesEverywhereUntilReviewed()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var placeId = await RecordPlaceAsync(pages, w);
        (await pages.PostFormAsync($"/people/{w.Child.Id}/places/link", LinkForm(placeId, "AtRisk", Today.AddMonths(2)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await app.AsSystemAsync(async db =>
        {
            (await db.PlacesOfConcern.SingleAsync(p => p.Id == placeId)).ReviewOn = Today.AddDays(-1);
            await db.SaveChangesAsync();
        });

        (await pages.GetDocumentAsync($"/police/place?id={placeId}")).QuerySelector("#state")!.TextContent.ShouldContain("Lapsed");
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/risk")).QuerySelector("#place-links")!.TextContent.ShouldContain("lapsed: counts nowhere");
        var list = await pages.GetDocumentAsync("/police/places");
        list.QuerySelector("#lapsed")!.InnerHtml.ShouldContain(placeId.ToString());
        (list.QuerySelector("#places")?.InnerHtml ?? "").ShouldNotContain(placeId.ToString());
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/places/link")).QuerySelector($"option[value='{placeId}']").ShouldBeNull();

        var review = new Dictionary<string, string> { ["Outcome"] = "Still used for dealing: patrols continue" };
        Date(review, "ReviewOn", Today.AddMonths(4));
        (await pages.PostFormAsync($"/police/place/review?id={placeId}", review)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var reviewed = await pages.GetDocumentAsync($"/police/place?id={placeId}");
        reviewed.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Review recorded");
        reviewed.QuerySelector("#state").ShouldBeNull();
        (await pages.GetDocumentAsync($"/people/{w.Child.Id}/risk")).QuerySelector("#place-links")!.TextContent.ShouldNotContain("lapsed");
    }

    [Fact]
    public async Task Place_RemovedAfterConfirmation_CountsNowhere()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var placeId = await RecordPlaceAsync(pages, w);

        (await pages.GetDocumentAsync($"/police/place/remove?id={placeId}")).QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        var empty = await pages.PostFormAsync($"/police/place/remove?id={placeId}", new() { ["Reason"] = "" });
        Clients.Parse(await empty.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary a[href='#Reason']").ShouldNotBeNull();
        var removed = await pages.PostFormAsync($"/police/place/remove?id={placeId}", new() { ["Reason"] = "Premises closed and boarded up" });

        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var list = await pages.GetDocumentAsync("/police/places");
        list.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("removed");
        list.Body!.InnerHtml.ShouldNotContain(placeId.ToString());
        (await app.AsSystemAsync((db, _) => db.PlacesOfConcern.Where(p => p.Id == placeId).Select(p => p.Status).SingleAsync())).ShouldBe(PlaceStatus.Removed);
    }

    [Theory]
    [InlineData(null, "Enter the date")]
    [InlineData(7, "within 6 months")]
    public async Task Place_ReviewDateMissingOrTooFar_IsRefusedNamingTheField(int? monthsAhead, string message)
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);

        var response = await pages.PostFormAsync("/police/places/new", PlaceForm(w.P.Ward.Id, monthsAhead is { } m ? Today.AddMonths(m) : null, name: $"Park {w.P.Suffix}"));

        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.Title!.ShouldStartWith("Error: ");
        page.QuerySelector(".govuk-error-summary a[href='#ReviewOn']")!.TextContent.ShouldContain(message);
        (await app.AsSystemAsync((db, _) => db.PlacesOfConcern.CountAsync(p => p.Name == $"Park {w.P.Suffix}"))).ShouldBe(0);
    }

    [Fact]
    public async Task Place_PoliceIntelligence_SeenByThePoliceOnlyAndRecordedOnlyByPoliceOrPartnershipRoles()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var intelligence = await RecordPlaceAsync(pages, w, intelligence: true);

        var hub = await app.SignInAsync(w.HubWorker);
        (await hub.GetAsync("/police/places")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await hub.GetAsync($"/police/place?id={intelligence}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var teacher = await app.SignInAsync(await w.P.UserAsync(w.P.School));
        (await teacher.GetAsync("/police/places")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await teacher.PostFormAsync("/police/places/new", PlaceForm(w.P.Ward.Id, Today.AddMonths(1)))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await hub.GetAsync($"/police/place/remove?id={intelligence}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class PlacesOfConcernTestsOnSqlite(SqliteApp app) : PlacesOfConcernTests(app), IClassFixture<SqliteApp>;

public sealed class PlacesOfConcernTestsOnPostgres(PostgresApp app) : PlacesOfConcernTests(app), IClassFixture<PostgresApp>;
