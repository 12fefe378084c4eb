using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The access promise of DESIGN.md, route by route and persona by persona: a person-level route
/// opens a person only while the reader's organisation (or partnership role) has a current
/// relationship with them; otherwise it is a 404, as for someone who does not exist, and the
/// attempt is audited. Search, lists and counts never include anyone else.
/// </summary>
public abstract partial class AccessMatrixTests(AccessWorld world)
{
    public static TheoryData<string> Personas => new(AccessWorld.PersonaKeys);

    private WaypointApp App => world.App;

    [Fact]
    public void Discover_RunningApp_FindsEveryKnownPersonRouteAndCanCallThemAll()
    {
        world.Routes.Select(r => r.Pattern).ShouldContain("/people/{id:guid}");
        world.Routes.Select(r => r.Pattern).ShouldContain("/api/v1/people/{id:guid}");
        world.Routes.Select(r => r.Pattern).ShouldContain("/people/{id:guid}/break-glass");
        world.Routes.Select(r => r.Pattern).ShouldNotContain("/people");
        world.Routes.Select(r => r.Pattern).ShouldNotContain("/people/new");
        world.UnsupportedRoutes.ShouldBeEmpty();
        PersonRoutes.NotReads.Keys.ShouldBeSubsetOf(world.Routes.Select(r => r.Pattern));
    }

    [Fact]
    public async Task PersonRoutes_Anonymous_NeverReachTheRecord()
    {
        var persona = world["school-practitioner"];
        var visible = persona.Cases.First(c => c.WithRelationship).Person;
        var anonymous = App.Anonymous();

        foreach (var route in world.Routes)
        {
            var response = await anonymous.GetAsync(route.UrlFor(visible.Id));
            if (route.IsApi)
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, route.Pattern);
            else
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Redirect, route.Pattern);
                response.LocationPath().ShouldBe("/sign-in", route.Pattern);
            }
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(visible.GivenName);
        }
    }

    [Fact]
    public async Task NotReadingRoutes_PersonTheReaderCannotSee_RevealNothingAndAuditNoRead()
    {
        var persona = world["school-practitioner"];
        var hidden = persona.Cases.First(c => !c.WithRelationship).Person;

        foreach (var route in world.Routes.Where(r => PersonRoutes.NotReads.ContainsKey(r.Pattern)))
        {
            var client = route.IsApi ? persona.Api : persona.Pages;
            var before = await LastAuditIdAsync();
            var forHidden = await client.GetAsync(route.UrlFor(hidden.Id));
            var forNobody = await client.GetAsync(route.UrlFor(Guid.NewGuid()));

            // The same answer as for an id nobody has: the route cannot be used to learn who exists.
            forHidden.StatusCode.ShouldBe(forNobody.StatusCode, route.Pattern);
            var body = await forHidden.Content.ReadAsStringAsync();
            body.ShouldNotContain(hidden.GivenName);
            body.ShouldNotContain(hidden.FamilyName);
            (await AuditSinceAsync(before, persona, hidden.Id)).ShouldNotContain(a => a.Action == AuditAction.Read);
        }
    }

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Search_ByNameOrDateOfBirth_ListsOnlyPeopleThePersonaMaySee(string key)
    {
        var persona = world[key];
        var expectedByName = Visible(persona, p => p.FamilyName == persona.FamilyName);
        var expectedByDob = Visible(persona, p => p.DateOfBirth == persona.DateOfBirth);
        var dob = persona.DateOfBirth;

        var apiByName = await ApiSearchAsync(persona, $"name={persona.FamilyName}");
        var apiByFullName = await ApiSearchAsync(persona, $"name={persona.Cases[0].Person.GivenName}%20{persona.FamilyName}");
        var apiByDob = await ApiSearchAsync(persona, $"dateOfBirth={dob:yyyy-MM-dd}");
        var pageByName = await PageSearchAsync(persona, $"Name={persona.FamilyName}");
        var pageByDob = await PageSearchAsync(persona, $"Dob.Day={dob.Day}&Dob.Month={dob.Month}&Dob.Year={dob.Year}");

        apiByName.ShouldBe(expectedByName, ignoreOrder: true, "API search by family name");
        apiByDob.ShouldBe(expectedByDob, ignoreOrder: true, "API search by date of birth");
        pageByName.ShouldBe(expectedByName, ignoreOrder: true, "page search by family name");
        pageByDob.ShouldBe(expectedByDob, ignoreOrder: true, "page search by date of birth");
        apiByFullName.ShouldBeSubsetOf(expectedByName);
        if (persona.Cases[0].WithRelationship)
            apiByFullName.ShouldContain(persona.Cases[0].Person.Id);
        expectedByName.Count.ShouldBe(persona.Cases.Count(c => c.WithRelationship));
    }

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Home_Count_IsThePeopleThePersonaMaySee(string key)
    {
        var persona = world[key];
        var expected = world.People.Count(p => world.ExpectedBasis(persona, p) is not null);

        var home = await persona.Pages.GetAsync("/");
        var text = (await home.Content.ReadAsStringAsync()).ReplaceLineEndings(" ");

        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        var match = VisibleCount().Match(text);
        match.Success.ShouldBeTrue("the home page states how many people the organisation can see");
        int.Parse(match.Groups[1].Value.Replace(",", "")).ShouldBe(expected);
    }

    /// <summary>The personas whose every grant a process made (issue 12's agenda, issue 14's service referral).</summary>
    public static TheoryData<string> ProcessPersonas => new("meeting-invitee", "service-provider");

    [Fact]
    public void ProcessGrants_AgendaAndServiceReferralLifecycles_StartAndEndWhereTheIssuesSay()
    {
        // The world ran the app's own meeting work and referral lifecycle; each grant they left must be the declared period.
        world.ProcessMismatches.ShouldBeEmpty();
        foreach (var key in new[] { "meeting-invitee", "service-provider" })
        {
            world[key].Cases.ShouldContain(c => c.WithRelationship, key);
            world[key].Cases.ShouldContain(c => !c.WithRelationship, key);
        }
    }

    [Theory]
    [MemberData(nameof(ProcessPersonas))]
    public async Task WhyVisible_AccessAProcessGave_NamesTheMeetingOrTheServiceReferral(string key)
    {
        var persona = world[key];
        var failures = new List<string>();
        var expected = persona.Cases.Where(c => world.ExpectedWhy.ContainsKey(c.Person.Id)).ToList();
        expected.ShouldNotBeEmpty();
        foreach (var c in expected)
        {
            var document = await persona.Pages.GetDocumentAsync($"/people/{c.Person.Id}");
            var why = document.QuerySelector("#why-visible")?.TextContent ?? "";
            foreach (var words in world.ExpectedWhy[c.Person.Id].Where(w => !why.Contains(w, StringComparison.Ordinal)))
                failures.Add($"{key} / {c.Description}: \"why you can see this\" does not say \"{words}\" ({why.Trim()})");
        }
        failures.ShouldBeEmpty();
    }

    private List<Guid> Visible(Persona persona, Func<WorldPerson, bool> matches) =>
        world.People.Where(p => matches(p) && world.ExpectedBasis(persona, p) is not null).Select(p => p.Id).ToList();

    private static async Task<List<Guid>> ApiSearchAsync(Persona persona, string query)
    {
        var response = await persona.Api.GetAsync($"/api/v1/people?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, query);
        var hits = await response.Content.ReadFromJsonAsync<JsonElement[]>();
        return hits!.Select(h => h.GetProperty("id").GetGuid()).ToList();
    }

    private static async Task<List<Guid>> PageSearchAsync(Persona persona, string query)
    {
        var document = await persona.Pages.GetDocumentAsync($"/people?{query}");
        document.QuerySelector("#results").ShouldNotBeNull($"/people?{query} shows a result heading");
        return document.QuerySelectorAll("table.govuk-table a[href^='/people/']")
            .Select(a => Guid.Parse(a.GetAttribute("href")!["/people/".Length..])).ToList();
    }

    private Task<long> LastAuditIdAsync() =>
        App.AsSystemAsync((db, _) => db.AuditEntries.OrderByDescending(a => a.Id).Select(a => a.Id).FirstOrDefaultAsync());

    private Task<List<AuditEntry>> AuditSinceAsync(long after, Persona persona, Guid personId) =>
        App.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Id > after && a.UserId == persona.User.Id && a.PersonId == personId).ToListAsync());

    private static string Describe(IEnumerable<AuditEntry> rows) =>
        string.Join("; ", rows.Select(a => $"{a.Action} \"{a.Basis}\"")) is { Length: > 0 } s ? s : "none";

    [GeneratedRegex(@"can see ([\d,]+) (?:person|people)")]
    private static partial Regex VisibleCount();
}

public sealed class AccessMatrixTestsOnSqlite(SqliteAccessWorld world) : AccessMatrixTests(world), IClassFixture<SqliteAccessWorld>;

public sealed class AccessMatrixTestsOnPostgres(PostgresAccessWorld world) : AccessMatrixTests(world), IClassFixture<PostgresAccessWorld>;
