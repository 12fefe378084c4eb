using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Police;

/// <summary>
/// Associations from occurrences (same occurrence, same side): shown to the police only, and never
/// a risk factor. The Gangs Matrix's guard: whatever an associate does, the young person's score
/// does not move.
/// </summary>
public abstract class AssociatesTests(WaypointApp app)
{
    private async Task<(Person Person, string Reference)> KnownToPoliceAsync(OccurrenceImportTests.World w, string given, string family, DateOnly dob)
    {
        var person = await w.P.YoungPersonAsync(given, family, dob, enrolledAt: w.P.School);
        var reference = $"PR{given}{w.P.Suffix}";
        await app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.Add(new PersonIdentifier { PersonId = person.Id, Scheme = IdentifierScheme.PoliceReference, Value = reference, OwnerOrganisationId = w.P.Police.Id, CategoryCode = RecordCategories.PoliceGeneral });
            await db.SaveChangesAsync();
        });
        await w.P.InvolveAsync(person, w.P.Police, "Youth engagement officer");
        return (person, reference);
    }

    private Task<(int Offending, int Vulnerability, string Json)> ScoreAsync(Guid personId) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var s = await db.RiskScores.SingleAsync(x => x.PersonId == personId && x.IsLatest);
            return (s.Offending, s.Vulnerability, s.ContributionsJson);
        });

    [Fact]
    public async Task Associates_SameSideOfAnOccurrence_ShownToPoliceOnlyAndNeverScored()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var (ash, ashRef) = await KnownToPoliceAsync(w, "Ash", $"Reed{w.P.Suffix}", new DateOnly(2010, 6, 1));
        var (vic, vicRef) = await KnownToPoliceAsync(w, "Vic", $"Lowe{w.P.Suffix}", new DateOnly(2010, 7, 1));
        var api = await app.ApiClientAsync(w.Officer);
        var shared = $"AS-{w.P.Suffix}";
        (await OccurrenceImportTests.PostFileAsync(api,
            OccurrenceImportTests.Line(w, shared),
            OccurrenceImportTests.Line(w, shared, personRef: ashRef, given: "Ash", family: ash.FamilyName, dob: "2010-06-01"),
            OccurrenceImportTests.Line(w, shared, role: "victim", personRef: vicRef, given: "Vic", family: vic.FamilyName, dob: "2010-07-01"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await ScoreAsync(w.Child.Id);
        before.Offending.ShouldBe(4);

        // The associate's own offending, however much, and a gang flag on them.
        (await OccurrenceImportTests.PostFileAsync(api, Enumerable.Range(1, 5).Select(i =>
            OccurrenceImportTests.Line(w, $"ASH{i}-{w.P.Suffix}", role: "offender", personRef: ashRef, given: "Ash", family: ash.FamilyName, dob: "2010-06-01")).ToArray())).StatusCode.ShouldBe(HttpStatusCode.OK);
        var officer = await app.SignInAsync(w.Officer);
        var review = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
        (await officer.PostFormAsync($"/people/{ash.Id}/flags/new", new()
        {
            ["Kind"] = "GangAssociated",
            ["Evidence"] = "Seen with a named group",
            ["ReviewOn.Day"] = review.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ReviewOn.Month"] = review.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ReviewOn.Year"] = review.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ScoreAsync(ash.Id)).Offending.ShouldBeGreaterThan(before.Offending);

        (await ScoreAsync(w.Child.Id)).ShouldBe(before);

        var page = await officer.GetDocumentAsync($"/people/{w.Child.Id}/associates");
        var table = page.QuerySelector("#associates")!.TextContent;
        table.ShouldContain(ash.FamilyName);
        table.ShouldNotContain(vic.FamilyName, customMessage: "a victim of the occurrence is on the other side of it");

        var hub = await app.SignInAsync(w.HubWorker);
        var hubPage = await hub.GetDocumentAsync($"/people/{w.Child.Id}/associates");
        hubPage.QuerySelector("#police-only").ShouldNotBeNull();
        hubPage.Body!.TextContent.ShouldNotContain(ash.FamilyName);
    }
}

public sealed class AssociatesTestsOnSqlite(SqliteApp app) : AssociatesTests(app), IClassFixture<SqliteApp>;

public sealed class AssociatesTestsOnPostgres(PostgresApp app) : AssociatesTests(app), IClassFixture<PostgresApp>;
