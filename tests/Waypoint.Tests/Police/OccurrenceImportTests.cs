using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.Police;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Police;

/// <summary>
/// A force's occurrences file, from the API and the command line (from the page: OccurrenceImportJobTests): all or nothing,
/// idempotent by police reference, every problem by line; people linked only by the police
/// reference the register holds, anyone else to review; what the score and each reader then see.
/// </summary>
public abstract class OccurrenceImportTests(WaypointApp app)
{
    public const string Header = "police_reference,occurred_on,offence,incident_type,ward_code,location,latitude,longitude,outcome,category,person_police_reference,given_name,family_name,date_of_birth,role";

    public sealed record World(TestPartnership P, Person Child, string ChildRef, string WardCode, TestUser Officer, TestUser HubWorker);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static async Task<World> WorldAsync(WaypointApp app)
    {
        var p = await TestPartnership.CreateAsync(app);
        var childRef = $"PR{p.Suffix}";
        var wardCode = $"E05{p.Suffix[..6]}";
        // Letters only: names are matched with digits folded away, and every world's child shares a birthday.
        var letters = new string(p.Suffix.Select(c => char.IsAsciiDigit(c) ? (char)('g' + (c - '0')) : c).ToArray());
        var child = await p.YoungPersonAsync("Kai", $"Marsh{letters}", new DateOnly(2011, 4, 9), enrolledAt: p.School);
        await app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.Add(new PersonIdentifier { PersonId = child.Id, Scheme = IdentifierScheme.PoliceReference, Value = childRef, OwnerOrganisationId = p.Police.Id, CategoryCode = RecordCategories.PoliceGeneral });
            (await db.Areas.SingleAsync(a => a.Id == p.Ward.Id)).Code = wardCode;
            await db.SaveChangesAsync();
        });
        await p.InvolveAsync(child, p.Police, "Youth engagement officer");
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        return new World(p, child, childRef, wardCode, await p.UserAsync(p.Police), hub);
    }

    public static string Line(World w, string reference, string offence = "violence-with-injury", string incident = "", string role = "suspect", DateOnly? on = null,
        string category = "", string? personRef = null, string? given = null, string? family = null, string dob = "2011-04-09") =>
        $"{reference},{(on ?? Today.AddDays(-10)):yyyy-MM-dd},{offence},{incident},{w.WardCode},On or near High Street,51.5,-0.1,Under investigation,{category},{personRef ?? w.ChildRef},{given ?? "Kai"},{family ?? w.Child.FamilyName},{dob},{role}";

    public static async Task<HttpResponseMessage> PostFileAsync(HttpClient api, params string[] lines)
    {
        var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\n", [Header, .. lines]) + "\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "occurrences.csv");
        return await api.PostAsync("/api/v1/police/occurrences/import", content);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task Import_ValidFileTwice_LinksByPoliceReferenceOnceAndScoreExplainsIt()
    {
        var w = await WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        var reference = $"OCC-{w.P.Suffix}";

        var first = await JsonAsync(await PostFileAsync(api, Line(w, reference)));
        first.GetProperty("occurrencesAdded").GetInt32().ShouldBe(1);
        first.GetProperty("linksAdded").GetInt32().ShouldBe(1);
        first.GetProperty("scoresChanged").GetInt32().ShouldBe(1);

        var again = await JsonAsync(await PostFileAsync(api, Line(w, reference)));
        again.GetProperty("occurrencesAdded").GetInt32().ShouldBe(0);
        again.GetProperty("occurrencesUnchanged").GetInt32().ShouldBe(1);
        again.GetProperty("linksAdded").GetInt32().ShouldBe(0);
        again.GetProperty("linksUnchanged").GetInt32().ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.OccurrencePeople.CountAsync(l => l.PersonId == w.Child.Id))).ShouldBe(1);

        var risk = (await JsonAsync(await api.GetAsync($"/api/v1/people/{w.Child.Id}/risk"))).GetProperty("score");
        risk.GetProperty("offending").GetInt32().ShouldBe(4);
        var factor = risk.GetProperty("factors").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "Offending");
        factor.GetProperty("hidden").GetInt32().ShouldBe(0);
        factor.GetProperty("records").EnumerateArray().Single().GetProperty("link").GetString().ShouldStartWith("/police/occurrence?id=");
    }

    [Fact]
    public async Task Import_BadLines_RejectedWholeNamingEachLineAndNothingStored()
    {
        var w = await WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);

        var response = await PostFileAsync(api,
            Line(w, $"OK-{w.P.Suffix}"),
            Line(w, $"B1-{w.P.Suffix}", offence: "8N"),
            Line(w, $"B2-{w.P.Suffix}", on: Today.AddDays(3)),
            Line(w, $"B3-{w.P.Suffix}", offence: "", incident: "missing person", role: "offender"),
            Line(w, $"B4-{w.P.Suffix}", role: "bystander"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problems = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetProperty("file").EnumerateArray().Select(e => e.GetString()!).ToList();
        problems.ShouldContain(p => p.Contains("line 3") && p.Contains("offence") && p.Contains("8N"));
        problems.ShouldContain(p => p.Contains("line 4") && p.Contains("future"));
        problems.ShouldContain(p => p.Contains("line 5") && p.Contains("offender cannot be named in a missing person incident"));
        problems.ShouldContain(p => p.Contains("line 6") && p.Contains("bystander"));
        problems.ShouldNotContain(p => p.Contains("line 2"));
        (await app.AsSystemAsync((db, _) => db.Occurrences.CountAsync(o => o.OwnerOrganisationId == w.P.Police.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Import_NameWithoutPoliceReference_GoesToReviewWithCandidateAndIsNeverLinked()
    {
        var w = await WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);

        var summary = await JsonAsync(await PostFileAsync(api, Line(w, $"R-{w.P.Suffix}", personRef: "", role: "victim")));

        summary.GetProperty("sentToReview").GetInt32().ShouldBe(1);
        summary.GetProperty("linksAdded").GetInt32().ShouldBe(0);
        var review = await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.SingleAsync(r => r.OwnerOrganisationId == w.P.Police.Id));
        review.CandidatePersonId.ShouldBe(w.Child.Id);
        review.Status.ShouldBe(OccurrenceMatchStatus.Waiting);
        (await app.AsSystemAsync((db, _) => db.OccurrencePeople.CountAsync(l => l.PersonId == w.Child.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Intelligence_OtherPartners_SeeNoOccurrenceAndAHiddenCountInTheScore()
    {
        var w = await WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        await JsonAsync(await PostFileAsync(api, Line(w, $"INT-{w.P.Suffix}", category: "intelligence")));

        var police = await JsonAsync(await api.GetAsync($"/api/v1/people/{w.Child.Id}/occurrences"));
        police.GetProperty("occurrences").GetArrayLength().ShouldBe(1);

        var hub = await app.ApiClientAsync(w.HubWorker);
        var hubView = await JsonAsync(await hub.GetAsync($"/api/v1/people/{w.Child.Id}/occurrences"));
        hubView.GetProperty("occurrences").GetArrayLength().ShouldBe(0);
        var score = (await JsonAsync(await hub.GetAsync($"/api/v1/people/{w.Child.Id}/risk"))).GetProperty("score");
        var factor = score.GetProperty("factors").EnumerateArray().Single();
        factor.GetProperty("records").GetArrayLength().ShouldBe(0);
        factor.GetProperty("hidden").GetInt32().ShouldBe(1);

        var occurrenceId = await app.AsSystemAsync((db, _) => db.Occurrences.Where(o => o.OwnerOrganisationId == w.P.Police.Id).Select(o => o.Id).SingleAsync());
        var hubPages = await app.SignInAsync(w.HubWorker);
        (await hubPages.GetAsync($"/police/occurrence?id={occurrenceId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Occurrences_Analyst_SeesNone()
    {
        var w = await WorldAsync(app);
        await JsonAsync(await PostFileAsync(await app.ApiClientAsync(w.Officer), Line(w, $"AN-{w.P.Suffix}")));
        var analyst = await w.P.UserAsync(w.P.Police, Roles.Analyst);

        var seen = await app.AsSystemAsync(async (_, services) =>
        {
            await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = new Reader(analyst.Id, w.P.Police.Id, OrganisationType.Police, IsSystem: false, AggregatesOnly: true);
            var db = scope.ServiceProvider.GetRequiredService<Waypoint.Data.WaypointDbContext>();
            return await db.Occurrences.CountAsync(o => o.OwnerOrganisationId == w.P.Police.Id) + await db.OccurrencePeople.CountAsync(l => l.PersonId == w.Child.Id);
        });
        seen.ShouldBe(0);
    }

    [Fact]
    public async Task Command_PoliceImport_AppliesAndRejectsWithExitCodes()
    {
        var w = await WorldAsync(app);
        var path = Path.Combine(Path.GetTempPath(), $"occ-{w.P.Suffix}.csv");
        try
        {
            await File.WriteAllTextAsync(path, string.Join("\n", Header, Line(w, $"CLI-{w.P.Suffix}")));
            var (code, output) = await RunAsync(["--force", w.P.Police.Name, path]);
            code.ShouldBe(0, output);
            output.ShouldContain("1 added");
            await File.WriteAllTextAsync(path, string.Join("\n", Header, Line(w, $"CLI2-{w.P.Suffix}", role: "nobody")));
            (code, output) = await RunAsync(["--force", w.P.Police.Name, path]);
            code.ShouldBe(2);
            output.ShouldContain("line 2");
        }
        finally
        {
            File.Delete(path);
        }

        Task<(int, string)> RunAsync(string[] args) => app.AsSystemAsync(async (_, services) =>
        {
            var output = new StringWriter();
            var code = await PoliceCommands.ImportAsync(services, args, output, output, CancellationToken.None);
            return (code, output.ToString());
        });
    }
}

public sealed class OccurrenceImportTestsOnSqlite(SqliteApp app) : OccurrenceImportTests(app), IClassFixture<SqliteApp>;

public sealed class OccurrenceImportTestsOnPostgres(PostgresApp app) : OccurrenceImportTests(app), IClassFixture<PostgresApp>;
