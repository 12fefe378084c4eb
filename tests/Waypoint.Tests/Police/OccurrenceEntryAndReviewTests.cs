using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Police;

/// <summary>
/// The review queue (a queued name is linked only after a person chooses who it is and confirms,
/// or is dismissed) and the single occurrence entered on the page (checked as an imported line,
/// people added one at a time from the register).
/// </summary>
public abstract class OccurrenceEntryAndReviewTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<(OccurrenceImportTests.World W, Guid ReviewId)> QueuedAsync(string role = "offender")
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"Q-{w.P.Suffix}", personRef: "", role: role))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var id = await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.Where(r => r.OwnerOrganisationId == w.P.Police.Id).Select(r => r.Id).SingleAsync());
        return (w, id);
    }

    private Task<int> LinksAsync(Guid personId) => app.AsSystemAsync((db, _) => db.OccurrencePeople.CountAsync(l => l.PersonId == personId));

    [Fact]
    public async Task Review_ChooseCandidateThenConfirm_LinksOnlyAfterConfirmationAndScores()
    {
        var (w, reviewId) = await QueuedAsync();
        var pages = await app.SignInAsync(w.Officer);

        var queue = await pages.GetDocumentAsync("/police/reviews");
        queue.QuerySelector("#waiting")!.TextContent.ShouldContain($"Kai {w.Child.FamilyName}");
        var review = await pages.GetDocumentAsync($"/police/review?id={reviewId}");
        var candidate = review.QuerySelector("#candidates")!;
        candidate.TextContent.ShouldContain($"Kai {w.Child.FamilyName}");
        candidate.TextContent.ShouldContain("suggested by the import");
        candidate.TextContent.ShouldContain("(the same)");

        var chosen = await pages.PostFormAsync($"/police/review?id={reviewId}", new() { ["Choice"] = w.Child.Id.ToString() });
        chosen.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        chosen.Headers.Location!.ToString().ShouldBe($"/police/review/confirm?id={reviewId}&person={w.Child.Id}");
        (await LinksAsync(w.Child.Id)).ShouldBe(0);

        var confirmUrl = chosen.Headers.Location.ToString();
        var confirmPage = await pages.GetDocumentAsync(confirmUrl);
        confirmPage.QuerySelector("h1")!.TextContent.ShouldContain("as offender");
        var confirmed = await pages.PostFormAsync(confirmUrl, new() { ["Person"] = w.Child.Id.ToString(), ["Dismiss"] = "false" });
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        confirmed.LocationPath().ShouldBe("/police/reviews");
        (await pages.GetDocumentAsync("/police/reviews")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("linked to occurrence");

        (await LinksAsync(w.Child.Id)).ShouldBe(1);
        var stored = await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.SingleAsync(r => r.Id == reviewId));
        stored.Status.ShouldBe(OccurrenceMatchStatus.Linked);
        stored.LinkedPersonId.ShouldBe(w.Child.Id);
        var score = await app.AsSystemAsync((db, _) => db.RiskScores.SingleAsync(s => s.PersonId == w.Child.Id && s.IsLatest));
        score.Offending.ShouldBe(4);

        // Decided once: the confirmation cannot be replayed.
        (await pages.GetAsync($"/police/review?id={reviewId}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Review_Dismiss_LinksNobody()
    {
        var (w, reviewId) = await QueuedAsync();
        var pages = await app.SignInAsync(w.Officer);

        var chosen = await pages.PostFormAsync($"/police/review?id={reviewId}", new() { ["Choice"] = "dismiss" });
        var url = chosen.Headers.Location!.ToString();
        url.ShouldContain("dismiss=true");
        (await pages.GetDocumentAsync(url)).QuerySelector("h1")!.TextContent.ShouldContain("Are you sure you want to dismiss");
        (await pages.PostFormAsync(url, new() { ["Dismiss"] = "true" })).LocationPath().ShouldBe("/police/reviews");

        (await LinksAsync(w.Child.Id)).ShouldBe(0);
        (await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.SingleAsync(r => r.Id == reviewId))).Status.ShouldBe(OccurrenceMatchStatus.Dismissed);
    }

    [Fact]
    public async Task Review_NoChoice_SaysChooseAndLinksNobody()
    {
        var (w, reviewId) = await QueuedAsync();
        var pages = await app.SignInAsync(w.Officer);

        var response = await pages.PostFormAsync($"/police/review?id={reviewId}", new());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.Title!.ShouldStartWith("Error: ");
        page.QuerySelector("#Choice-error")!.TextContent.ShouldContain("Choose who this is");
        (await LinksAsync(w.Child.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Review_CandidateTheForceMayNotSee_IsNeverNamedNorLinkable()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var stranger = await w.P.YoungPersonAsync("Remy", $"Stone{w.P.Suffix}", new DateOnly(2010, 2, 3), enrolledAt: w.P.School);
        var api = await app.ApiClientAsync(w.Officer);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"H-{w.P.Suffix}", personRef: "", given: "Remy", family: stranger.FamilyName, dob: "2010-02-03"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var reviewId = await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.Where(r => r.OwnerOrganisationId == w.P.Police.Id).Select(r => r.Id).SingleAsync());
        var pages = await app.SignInAsync(w.Officer);

        var page = await pages.GetDocumentAsync($"/police/review?id={reviewId}");
        page.QuerySelector("#hidden-suggestion").ShouldNotBeNull();
        page.QuerySelector("#candidates")!.QuerySelectorAll("input[value]").Select(i => i.GetAttribute("value")).ShouldNotContain(stranger.Id.ToString());

        var forced = await pages.PostFormAsync($"/police/review/confirm?id={reviewId}&person={stranger.Id}", new() { ["Person"] = stranger.Id.ToString(), ["Dismiss"] = "false" },
            formPage: $"/police/review?id={reviewId}");
        forced.LocationPath().ShouldBe("/police/review");
        (await LinksAsync(stranger.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Review_AnotherForcesQueue_NotFound()
    {
        var (_, reviewId) = await QueuedAsync();
        var other = await TestPartnership.CreateAsync(app);
        var pages = await app.SignInAsync(await other.UserAsync(other.Police));

        (await pages.GetAsync($"/police/review?id={reviewId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await pages.GetAsync($"/police/review/confirm?id={reviewId}&dismiss=true")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await pages.GetDocumentAsync("/police/reviews")).QuerySelector("#waiting").ShouldBeNull();
    }

    [Fact]
    public async Task NewOccurrence_BadInput_NamesEachFieldAndStoresNothing()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var future = Today.AddDays(2);

        var response = await pages.PostFormAsync("/police/occurrences/new", new()
        {
            ["PoliceReference"] = "",
            ["OccurredOn.Day"] = future.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OccurredOn.Month"] = future.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OccurredOn.Year"] = future.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Offence"] = "violence-with-injury",
            ["Incident"] = "MissingPerson",
            ["Latitude"] = "51.5",
            ["Longitude"] = "",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector("#PoliceReference-error")!.TextContent.ShouldContain("Enter the police reference");
        page.QuerySelector("#Offence-error")!.TextContent.ShouldContain("not both");
        page.QuerySelector("#Latitude-error")!.TextContent.ShouldContain("both latitude and longitude");
        page.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("is in the future");
        (await app.AsSystemAsync((db, _) => db.Occurrences.CountAsync(o => o.OwnerOrganisationId == w.P.Police.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task NewOccurrence_ThenAddPerson_LinksInAnAllowedRoleOnlyAndScores()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        var on = Today.AddDays(-3);
        var fields = new Dictionary<string, string>
        {
            ["PoliceReference"] = $"NEW-{w.P.Suffix}",
            ["OccurredOn.Day"] = on.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OccurredOn.Month"] = on.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["OccurredOn.Year"] = on.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Offence"] = "",
            ["Incident"] = "MissingPerson",
            ["WardId"] = w.P.Ward.Id.ToString(),
        };
        var created = await pages.PostFormAsync("/police/occurrences/new", fields);
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var occurrenceUrl = created.Headers.Location!.ToString();
        var id = Guid.Parse(occurrenceUrl[(occurrenceUrl.IndexOf('=') + 1)..]);
        (await pages.GetDocumentAsync(occurrenceUrl)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("now add the people");
        (await pages.PostFormAsync("/police/occurrences/new", fields)).StatusCode.ShouldBe(HttpStatusCode.OK, "the same reference twice is refused");

        var search = await pages.GetDocumentAsync($"/police/occurrence/add-person?id={id}&Search={w.Child.FamilyName}");
        search.QuerySelector("#results")!.TextContent.ShouldContain(w.Child.FamilyName);

        var wrongRole = await pages.PostFormAsync($"/police/occurrence/add-person?id={id}", new() { ["Person"] = w.Child.Id.ToString(), ["Role"] = "Offender" });
        wrongRole.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await wrongRole.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("cannot be named in a missing person incident");
        (await LinksAsync(w.Child.Id)).ShouldBe(0);

        var added = await pages.PostFormAsync($"/police/occurrence/add-person?id={id}", new() { ["Person"] = w.Child.Id.ToString(), ["Role"] = "MissingPerson" });
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await pages.GetDocumentAsync(occurrenceUrl)).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("as missing person");
        (await LinksAsync(w.Child.Id)).ShouldBe(1);
        var score = await app.AsSystemAsync((db, _) => db.RiskScores.SingleAsync(s => s.PersonId == w.Child.Id && s.IsLatest));
        score.Vulnerability.ShouldBe(3);
        score.Offending.ShouldBe(0);

        var hub = await app.SignInAsync(w.HubWorker);
        (await hub.GetAsync($"/police/occurrence/add-person?id={id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

public sealed class OccurrenceEntryAndReviewTestsOnSqlite(SqliteApp app) : OccurrenceEntryAndReviewTests(app), IClassFixture<SqliteApp>;

public sealed class OccurrenceEntryAndReviewTestsOnPostgres(PostgresApp app) : OccurrenceEntryAndReviewTests(app), IClassFixture<PostgresApp>;
