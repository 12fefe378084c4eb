using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The matrix over every route and verb the app has (issue 10, point 8): every GET keyed by a
/// person-level record, every list and export, and every write, for every persona both ways.
/// </summary>
public abstract partial class AccessMatrixTests
{
    [Fact]
    public void Discover_EveryRouteAndVerb_IsClassifiedAndEveryKeyCanBeFilled()
    {
        var all = world.AllRoutes;
        var byRole = all.GroupBy(RouteCatalogue.RoleOf).ToDictionary(g => g.Key, g => g.ToList());
        var personGets = PersonRoutes.Discover(App.Services, out _);
        var report = new StringBuilder()
            .AppendLine($"Before (GET routes keyed by a person id): {personGets.Count} routes, 1 verb.")
            .AppendLine($"Now: {all.Count} route-verb-handlers over {all.Select(r => r.Pattern).Distinct().Count()} routes and {all.Select(r => r.Verb).Distinct().Count()} verbs ({string.Join(", ", all.Select(r => r.Verb).Distinct())}).");
        foreach (var (role, routes) in byRole.OrderBy(g => g.Key))
            report.AppendLine($"  {role}: {routes.Count}").AppendLine("    " + string.Join("\n    ", routes.Select(r => r.Name)));
        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());

        world.UnsupportedAllRoutes.ShouldBeEmpty();
        byRole.GetValueOrDefault(RouteRole.Unclassified, []).Select(r => r.Name).ShouldBeEmpty("routes whose key the matrix does not know");
        all.Where(r => r.IsApi && r.IsWrite && !RouteCatalogue.ApiBodies.ContainsKey(r.Name) && RouteCatalogue.RoleOf(r) == RouteRole.KeyedWrite)
            .Select(r => r.Name).ShouldBeEmpty("API writes with no body in RouteCatalogue.ApiBodies");
        all.Select(r => r.Name).ShouldContain("POST /alerts/{id:guid}?handler=Close");
        all.Select(r => r.Name).ShouldContain("POST /cases/{id:guid}?handler=AddNote");
        all.Select(r => r.Name).ShouldContain("POST /api/v1/people/{id:guid}/consent");
        all.Count.ShouldBeGreaterThan(personGets.Count);
    }

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task KeyedReads_EveryRecordKind_OpenOnlyForThoseWhoMaySeeAndAuditBoth(string key)
    {
        var persona = world[key];
        var failures = new List<string>();
        var routes = world.AllRoutes.Where(r => RouteCatalogue.RoleOf(r) == RouteRole.KeyedRead && !RouteCatalogue.NotReads.ContainsKey(r.Name)).ToList();
        routes.Select(r => r.Key).Distinct().Count().ShouldBe(RouteCatalogue.PersonLevelKeys.Count, "a GET for every person-level key");

        foreach (var record in world.RecordsFor(persona))
        {
            var visible = world.MayRead(persona, record);
            foreach (var route in routes.Where(r => r.Key == record.Kind))
            {
                var client = route.IsApi ? persona.Api : persona.Pages;
                var before = await LastAuditIdAsync();
                var response = await client.GetAsync(route.UrlFor(record.Id));
                var body = await response.Content.ReadAsStringAsync();
                var where = $"GET {route.UrlFor(record.Id)} ({route.Name}) as {key}, {record}";
                var audited = record.Person is null ? [] : await AuditSinceAsync(before, persona, record.Person.Id);
                var status = (int)response.StatusCode;

                if (visible)
                {
                    var expected = PersonRoutes.OnlyForTheCurrentSchool(route.Pattern) && !world.IsCurrentSchoolOf(persona, record.Person!)
                        ? 403
                        : RouteCatalogue.ExpectedVisibleStatus(route);
                    if (status != expected)
                        failures.Add($"{where}: expected {expected}, got {status}");
                    else if (expected == 200 && record.Person is { } shown && !route.Pattern.Contains("/school/", StringComparison.Ordinal)
                             && !body.Contains(shown.GivenName, StringComparison.Ordinal) && !body.Contains(shown.Id.ToString(), StringComparison.OrdinalIgnoreCase))
                        failures.Add($"{where}: 200 without the person in it");
                    if (record.Person is not null)
                    {
                        var basis = record.Kind == KeyKind.Person ? world.ExpectedBasis(persona, record.Person) : null;
                        if (!audited.Any(a => a.Action == AuditAction.Read && (basis is null || a.Basis == basis)))
                            failures.Add($"{where}: no Read audit row{(basis is null ? "" : $" with basis \"{basis}\"")} (rows: {Describe(audited)})");
                        if (audited.Any(a => a.Action == AuditAction.Denied))
                            failures.Add($"{where}: a Denied row for a record the reader may see");
                    }
                }
                else
                {
                    if (status != 404)
                        failures.Add($"{where}: expected 404, got {status}");
                    if (record.Person is { } hidden)
                    {
                        if (Names(body, hidden))
                            failures.Add($"{where}: the response names the person");
                        if (audited.Count(a => a.Action == AuditAction.Denied) != 1 || audited.Any(a => a.Action != AuditAction.Denied))
                            failures.Add($"{where}: expected exactly one Denied audit row, got: {Describe(audited)}");
                    }
                }
            }
        }

        failures.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Lists_EveryListAndExport_NameOnlyPeopleThePersonaMaySeeAndAuditThem(string key)
    {
        var persona = world[key];
        var failures = new List<string>();
        var everyone = world.People.Concat(world.AllPersonas.Select(world.WriteTarget)).ToList();
        foreach (var route in world.AllRoutes.Where(r => RouteCatalogue.RoleOf(r) == RouteRole.List))
        {
            var queries = RouteCatalogue.ListQueries.GetValueOrDefault(route.Pattern, [""]);
            foreach (var query in queries)
            {
                var url = route.UrlFor(null);
                url += (url.Contains('?') ? "&" : "?") + Fill(query.TrimStart('?'), persona);
                var before = await LastAuditIdAsync();
                var response = await (route.IsApi ? persona.Api : persona.Pages).GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                var where = $"GET {url} ({route.Name}) as {key}";
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{where}: {(int)response.StatusCode}");
                foreach (var person in everyone.Where(p => Lists(body, p)))
                {
                    if (world.ExpectedBasis(persona, person) is null)
                        failures.Add($"{where}: names {person}, whom the persona may not see");
                    else if (!(await AuditSinceAsync(before, persona, person.Id)).Any(a => a.Action is AuditAction.Read or AuditAction.ListedInSearch or AuditAction.Export))
                        failures.Add($"{where}: names {person} without a Read, ListedInSearch or Export audit row");
                }
            }
        }
        failures.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Writes_RecordThePersonaCannotSee_AreRefusedAuditedAndChangeNothing(string key)
    {
        var persona = world[key];
        var target = world.WriteTarget(persona);
        var failures = new List<string>();
        var sent = new List<string>();
        var snapshot = await world.SnapshotAsync();

        foreach (var route in world.AllRoutes.Where(r => RouteCatalogue.RoleOf(r) == RouteRole.KeyedWrite))
        {
            var keys = route.Key switch
            {
                KeyKind.None => [(Guid?)null],
                KeyKind.Person => [target.Id],
                _ => world.WriteRecordsFor(persona).Where(r => r.Kind == route.Key).Select(r => (Guid?)r.Id)
                    .Concat(world.RecordsFor(persona).Where(r => r.Kind == route.Key && !world.MayRead(persona, r) && r.Person is null).Select(r => (Guid?)r.Id)).ToList(),
            };
            if (keys.Count == 0)
                failures.Add($"{route.Name}: the world has no record of kind {route.Key} this persona may not see; teach AccessWorld to make one");
            foreach (var id in keys)
            {
                var before = await LastAuditIdAsync();
                var (response, request) = await SendWriteAsync(persona, route, id, target, $"{key}-{sent.Count}");
                sent.Add(request);
                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;
                var where = $"{request} as {key}";
                var audited = await AuditSinceAsync(before, persona, target.Id);
                if (route.Key == KeyKind.None)
                {
                    // Someone hidden is answered as someone who does not exist: a refusal, or the same answer as for a made-up id.
                    var (nobody, _) = await SendWriteAsync(persona, route, null, target with { Id = Guid.NewGuid() }, $"{key}-{sent.Count}-nobody");
                    if (status is not (403 or 404) && (status != (int)nobody.StatusCode || status is >= 300 and < 400))
                        failures.Add($"{where}: expected 403 or 404 (or the answer for a made-up id, {(int)nobody.StatusCode}) for someone the persona may not see, got {status}");
                    if (audited.Any(a => a.Action != AuditAction.Denied))
                        failures.Add($"{where}: audit rows other than Denied: {Describe(audited)}");
                }
                else
                {
                    if (status != 404)
                        failures.Add($"{where}: expected 404, got {status}");
                    var attached = route.Key is KeyKind.Person or KeyKind.Case or KeyKind.Referral or KeyKind.Alert;
                    if (attached && (audited.Count(a => a.Action == AuditAction.Denied) != 1 || audited.Any(a => a.Action != AuditAction.Denied)))
                        failures.Add($"{where}: expected exactly one Denied audit row, got: {Describe(audited)}");
                }
                if (Names(body, target))
                    failures.Add($"{where}: the response names the person");
            }
        }

        var changes = AccessWorld.Differences(snapshot, await world.SnapshotAsync());
        if (changes.Count > 0)
            failures.Add($"refused writes changed the database:\n      {string.Join("\n      ", changes)}\n    requests sent (the tag in a changed row names its request):\n      {string.Join("\n      ", sent)}");
        failures.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Writes_VisibleRecordNotTheirsToChange_AreRefusedAndChangeNothing(string key)
    {
        var persona = world[key];
        var failures = new List<string>();
        var snapshot = await world.SnapshotAsync();
        var sent = new List<string>();
        foreach (var record in world.RecordsFor(persona).Where(r => world.MayRead(persona, r) && world.MayWrite(persona, r) == false))
        {
            foreach (var route in world.AllRoutes.Where(r => r.Key == record.Kind && RouteCatalogue.RoleOf(r) == RouteRole.KeyedWrite))
            {
                var (response, request) = await SendWriteAsync(persona, route, record.Id, record.Person!, $"{key}-v{sent.Count}");
                sent.Add(request);
                if ((int)response.StatusCode is not (403 or 404))
                    failures.Add($"{request} as {key} on {record}: expected 403 or 404, got {(int)response.StatusCode}");
            }
        }
        var changes = AccessWorld.Differences(snapshot, await world.SnapshotAsync());
        if (changes.Count > 0)
            failures.Add($"refused writes changed the database:\n      {string.Join("\n      ", changes)}\n    requests sent:\n      {string.Join("\n      ", sent)}");
        failures.ShouldBeEmpty();
    }

    private async Task<(HttpResponseMessage Response, string Request)> SendWriteAsync(Persona persona, AppRoute route, Guid? id, WorldPerson target, string tag)
    {
        var url = route.UrlFor(id);
        var method = new HttpMethod(route.Verb);
        if (route.IsApi)
        {
            var json = RouteCatalogue.ApiBodies.GetValueOrDefault(route.Name, "{}")
                .Replace("{person}", target.Id.ToString())
                .Replace("{org}", persona.Organisation.Id.ToString())
                .Replace("{today}", world.Today.ToString("yyyy-MM-dd"));
            var message = new HttpRequestMessage(method, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            return (await persona.Api.SendAsync(message), $"{route.Verb} {url} {json}");
        }
        var fields = await world.FormFieldsAsync(route, tag) ?? [];
        foreach (var name in fields.Keys.ToList())
        {
            // The form was read from someone else's page: aim it at the target, and never carry another world person's name.
            if (name.EndsWith("PersonId", StringComparison.OrdinalIgnoreCase))
                fields[name] = target.Id.ToString();
            else if (world.People.Any(p => p.GivenName == fields[name]))
                fields[name] = target.GivenName;
            else if (world.People.Any(p => p.FamilyName == fields[name]))
                fields[name] = target.FamilyName;
        }
        var body = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = await Forms.TokenAsync(persona.Pages) };
        var response = await persona.Pages.SendAsync(new HttpRequestMessage(method, url) { Content = new FormUrlEncodedContent(body) });
        return (response, $"{route.Verb} {url} {string.Join("&", fields.Select(f => $"{f.Key}={f.Value}"))}");
    }

    /// <summary>Whether a response names the person (the id the caller sent in the address does not count).</summary>
    private static bool Names(string body, WorldPerson person) =>
        body.Contains($"{person.GivenName} {person.FamilyName}", StringComparison.OrdinalIgnoreCase)
        || body.Contains($"{person.FamilyName}, {person.GivenName}", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a list names or links to the person.</summary>
    private static bool Lists(string body, WorldPerson person) =>
        Names(body, person) || body.Contains(person.Id.ToString(), StringComparison.OrdinalIgnoreCase);

    private static string Fill(string query, Persona persona) => query
        .Replace("{family}", persona.FamilyName)
        .Replace("{day}", persona.DateOfBirth.Day.ToString())
        .Replace("{month}", persona.DateOfBirth.Month.ToString())
        .Replace("{year}", persona.DateOfBirth.Year.ToString())
        .Replace("{dob}", persona.DateOfBirth.ToString("yyyy-MM-dd"));
}
