using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Shouldly;
using Waypoint.Tests.Access;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Fuzz;

/// <summary>
/// Every route and verb the app has, called by a signed-in persona who may see the record, with
/// random and boundary values from a fixed seed (issue 10: "bad input is never a 500"). Each 5xx
/// is printed with what reproduces it. Bounded: a few requests per route, a few hundred in all.
/// </summary>
public abstract class FuzzTests(AccessWorld world)
{
    private const int Seed = 20261204;
    private const int WritesPerRoute = 4;
    private const int ReadsPerRoute = 2;

    private IReadOnlyDictionary<KeyKind, Guid> meetingKeys = new Dictionary<KeyKind, Guid>();

    private static readonly string[] Boundary =
    [
        "", " ", new string('x', 5000), "Zoë 🚸 日本語 \u202Eevil", "-1", "-2147483649", "99", "9999999999999999999999", "0",
        "0001-01-01", "9999-12-31", "31/12/9999", "00/00/0000", "NaN", "null", "true", "00000000-0000-0000-0000-000000000000",
        "../../etc/passwd", "<script>alert(1)</script>", "' OR 1=1 --", "\0", "1e308", "2026-02-30",
    ];

    /// <summary>Query keys the app's GETs read outside their page models (chronology ranges, list filters, search).</summary>
    private static readonly string[] QueryKeys = ["from", "to", "status", "name", "dateOfBirth", "identifier", "page", "school", "kind", "Status", "Search", "Name"];

    /// <summary>Posts that end the persona's session: sent last, so the rest run signed in.</summary>
    private static readonly string[] SessionEnders = ["POST /sign-out", "POST /account?handler=SignOutEverywhere", "POST /account?handler=ChangePassword"];

    [Fact]
    public async Task EveryRouteAndVerb_RandomAndBoundaryValues_NeverAnswer5xx()
    {
        var random = new Random(Seed);
        var failures = new List<string>();
        var requests = 0;
        var routes = world.AllRoutes.Where(r => !SessionEnders.Contains(r.Name)).ToList();
        meetingKeys = await world.MeetingKeysAsync(world["school-practitioner"]);
        async Task FuzzAsync(AppRoute route)
        {
            var persona = PersonaFor(route);
            var url = UrlFor(route, persona);
            if (url is null)
            {
                failures.Add($"{route.Name}: no record the fuzz persona {persona.Key} may see; teach FuzzTests.UrlFor");
                return;
            }
            var client = route.IsApi ? persona.Api : persona.Pages;
            var names = FieldNames(route);
            for (var i = 0; i < (route.IsWrite ? WritesPerRoute : ReadsPerRoute + 2); i++)
            {
                HttpRequestMessage message;
                string body;
                if (!route.IsWrite && i >= ReadsPerRoute)
                {
                    // Every query key at once at the far ends of the calendar (issue 10: ?to=9999-12-31, ?from=0001-01-01).
                    var (edge, part) = i == ReadsPerRoute ? ("9999-12-31", "to") : ("0001-01-01", "from");
                    var query = string.Join("&", names.Concat(QueryKeys).Distinct().Where(n => n.Contains(part, StringComparison.OrdinalIgnoreCase))
                        .Select(n => $"{Uri.EscapeDataString(n)}={edge}"));
                    message = new HttpRequestMessage(HttpMethod.Get, url + (url.Contains('?') ? "&" : "?") + query);
                    body = "";
                }
                else if (!route.IsWrite)
                {
                    var query = string.Join("&", names.Concat(QueryKeys).Where(_ => random.Next(3) == 0).Select(n => $"{Uri.EscapeDataString(n)}={Uri.EscapeDataString(Pick(random))}"));
                    message = new HttpRequestMessage(HttpMethod.Get, url + (query.Length == 0 ? "" : (url.Contains('?') ? "&" : "?") + query));
                    body = "";
                }
                else if (route.IsApi)
                {
                    body = JsonBody(route, random);
                    message = new HttpRequestMessage(new HttpMethod(route.Verb), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                }
                else
                {
                    var fields = await world.FormFieldsAsync(route, $"fuzz{requests}") ?? [];
                    foreach (var name in names.Where(n => !fields.ContainsKey(n)))
                        fields[name] = "";
                    foreach (var name in fields.Keys.ToList())
                    {
                        if (random.Next(4) == 0)
                            fields.Remove(name);
                        else if (random.Next(2) == 0)
                            fields[name] = Pick(random);
                    }
                    body = string.Join("&", fields.Select(f => $"{f.Key}={Shorten(f.Value)}"));
                    fields["__RequestVerificationToken"] = await Forms.TokenAsync(persona.Pages);
                    message = new HttpRequestMessage(new HttpMethod(route.Verb), url) { Content = new FormUrlEncodedContent(fields) };
                }
                var target = message.RequestUri!.OriginalString;
                var response = await client.SendAsync(message);
                requests++;
                if ((int)response.StatusCode >= 500)
                    failures.Add($"{(int)response.StatusCode} {route.Verb} {(target.Length > 1000 ? Shorten(target) : target)} as {persona.Key} body: {body}");
            }
        }

        foreach (var route in routes)
            await FuzzAsync(route);

        // A handler the page does not have, once per page (issue 10: 400 or 405, never a 500).
        foreach (var pattern in world.AllRoutes.Where(r => !r.IsApi).Select(r => r.Pattern).Distinct())
        {
            var route = world.AllRoutes.First(r => r.Pattern == pattern && !r.IsApi);
            var persona = PersonaFor(route);
            if (UrlFor(route with { Handler = null, Verb = "POST" }, persona) is not { } url)
                continue;
            var handler = "NoSuch" + random.Next(1000);
            var response = await persona.Pages.PostAsync($"{url}?handler={handler}",
                new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await Forms.TokenAsync(persona.Pages) }));
            requests++;
            if ((int)response.StatusCode >= 500)
                failures.Add($"{(int)response.StatusCode} POST {url}?handler={handler} as {persona.Key} (a handler the page does not have)");
        }

        foreach (var route in world.AllRoutes.Where(r => SessionEnders.Contains(r.Name)))
            await FuzzAsync(route);

        TestContext.Current.TestOutputHelper?.WriteLine($"Fuzz: {requests} requests over {world.AllRoutes.Count} route-verb-handlers, seed {Seed}, {failures.Count} answered 5xx.");
        failures.ShouldBeEmpty();
    }

    private Persona PersonaFor(AppRoute route) =>
        route.Pattern.StartsWith("/admin", StringComparison.Ordinal) ? world["partnership-admin"]
        : route.Pattern.Contains("/audit", StringComparison.Ordinal) ? world["data-protection-officer"]
        : route.Pattern.StartsWith("/hub", StringComparison.Ordinal) || route.Pattern.StartsWith("/referrals", StringComparison.Ordinal)
            || route.Pattern.StartsWith("/api/v1/referrals", StringComparison.Ordinal) ? world["hub-triage-for-district"]
        : world["school-practitioner"];

    /// <summary>The route's address for a record the persona may see (or the partnership's own, for administration).</summary>
    private string? UrlFor(AppRoute route, Persona persona)
    {
        string? key = route.Key switch
        {
            KeyKind.None => null,
            KeyKind.User => world["charity-practitioner"].User.Id.ToString(),
            KeyKind.Organisation => world.Partnership.Charity.Id.ToString(),
            KeyKind.Area => world.Partnership.OtherWard.Id.ToString(),
            KeyKind.AgreementVersion => "1",
            KeyKind.BreakGlassGrant => Guid.NewGuid().ToString(),
            KeyKind.PersonMerge => Guid.NewGuid().ToString(), // an unknown merge answers 404
            KeyKind.Service => Guid.NewGuid().ToString(), // the directory holds no person: an unknown service answers 404
            KeyKind.MeetingSeries or KeyKind.Meeting or KeyKind.AgendaItem or KeyKind.MeetingInvitee or KeyKind.MeetingAction => meetingKeys.GetValueOrDefault(route.Key).ToString(),
            _ => world.RecordsFor(persona).FirstOrDefault(r => r.Kind == route.Key && world.MayRead(persona, r))?.Id.ToString(),
        };
        if (route.Key != KeyKind.None && key is null)
            return null;
        return route.UrlFor(route.Key == KeyKind.None ? null : Guid.Empty).Replace(Guid.Empty.ToString(), key);
    }

    /// <summary>The names a page handler binds: its parameters and the model's bound properties (a DateInput as its three boxes).</summary>
    private List<string> FieldNames(AppRoute route)
    {
        if (route.IsApi || AppRoutes.HandlerMethod(world.App.Services, route) is not { } method)
            return [];
        var names = method.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken) && p.Name != "id").Select(p => p.Name!).ToList();
        foreach (var property in method.DeclaringType!.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<BindPropertyAttribute>() is not { } bind || (!route.IsWrite && !bind.SupportsGet))
                continue;
            var name = bind.Name ?? property.Name;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type.IsClass && type != typeof(string) && !type.IsGenericType)
                names.AddRange(type.GetProperties().Where(p => p.CanWrite).Select(p => $"{name}.{p.Name}"));
            else
                names.Add(name);
        }
        return names;
    }

    private string JsonBody(AppRoute route, Random random)
    {
        var template = RouteCatalogue.ApiBodies.GetValueOrDefault(route.Name, "{}")
            .Replace("{person}", world["school-practitioner"].Cases[0].Person.Id.ToString())
            .Replace("{org}", world.Partnership.Hub.Id.ToString())
            .Replace("{today}", world.Today.ToString("yyyy-MM-dd"));
        switch (random.Next(8))
        {
            case 0: return "[]";
            case 1: return "{\"unclosed\": ";
            case 2: return "";
        }
        var json = JsonNode.Parse(template)!.AsObject();
        foreach (var name in json.Select(p => p.Key).ToList())
        {
            switch (random.Next(5))
            {
                case 0: json.Remove(name); break;
                case 1: json[name] = Pick(random); break;
                case 2: json[name] = random.Next(2) == 0 ? JsonValue.Create(99) : JsonValue.Create(-1L << 40); break;
                case 3: json[name] = new JsonArray(JsonValue.Create(Pick(random))); break;
            }
        }
        return json.ToJsonString();
    }

    private static string Pick(Random random) =>
        random.Next(4) == 0 ? new string((char)random.Next(32, 0x2FFF), random.Next(1, 40)) : Boundary[random.Next(Boundary.Length)];

    private static string Shorten(string value) => value.Length <= 200 ? value : $"{value[..40]}...({value.Length} characters)";
}

public sealed class FuzzTestsOnSqlite(SqliteFuzzWorld world) : FuzzTests(world), IClassFixture<SqliteFuzzWorld>;

public sealed class FuzzTestsOnPostgres(PostgresFuzzWorld world) : FuzzTests(world), IClassFixture<PostgresFuzzWorld>;

/// <summary>A world of its own: the fuzz posts at will, so it must not share the matrix's.</summary>
public sealed class SqliteFuzzWorld() : AccessWorld(new SqliteApp());

public sealed class PostgresFuzzWorld() : AccessWorld(new PostgresApp());
