using System.Net;
using System.Text.Json;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The public Open Referral UK feed: its shape against the UK 3.0 schema, CORS, paging, filters, and what it never publishes.</summary>
public abstract class OpenReferralFeedTests(WaypointApp app)
{
    private const string Feed = "/openreferral/v3";

    private async Task<(HttpResponseMessage Response, JsonElement Json)> GetAsync(string url, HttpClient? client = null)
    {
        var response = await (client ?? app.Anonymous()).GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void ShouldAllowAnyOrigin(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values).ShouldBeTrue($"{response.RequestMessage!.RequestUri} carries no CORS header");

    private static List<decimal> Numbers(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => [element.GetDecimal()],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Numbers(p.Value)).ToList(),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Numbers).ToList(),
        _ => [],
    };

    private static string[] Ids(JsonElement page) => page.GetProperty("contents").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToArray();

    private Task<Service> FullServiceAsync(TestPartnership p, string name, Action<Service>? change = null) =>
        app.AddServiceAsync(p, name, s =>
        {
            s.Cost = "Free to families";
            s.ContactName = "Referrals team";
            s.Email = "referrals@example.org";
            s.Phone = "01632 960 001";
            s.Website = "https://example.org/step-forward";
            s.OpeningTimes = "Term time, 9am to 3pm";
            s.LastReviewedOn = new DateOnly(2026, 9, 1);
            s.NextReviewOn = new DateOnly(2027, 3, 1);
            s.ApRegistration = ApRegistration.Registered;
            s.OfstedUrn = "149999";
            s.Places = 17;
            s.Occupied = 13;
            s.WaitingList = 23;
            s.Needs.Add(new ServiceNeed { ServiceId = s.Id, TaxonomyTermId = ServiceData.PersistentAbsence });
            change?.Invoke(s);
        });

    [Fact]
    public async Task Root_Anonymous_NamesVersionProfileAndItsOwnOpenApi()
    {
        var (response, json) = await GetAsync($"{Feed}/");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldAllowAnyOrigin(response);
        OrukShape.Check(json, "api_details").ShouldBeEmpty();
        json.GetProperty("version").GetString().ShouldBe("HSDS-UK-3.0");
        var openApi = new Uri(json.GetProperty("openapi_url").GetString()!);
        openApi.AbsolutePath.ShouldBe("/openapi/openreferral.json");
        var document = await app.Anonymous().GetStringAsync(openApi.AbsolutePath);
        document.ShouldContain($"\"{Feed}/services\"");
        document.ShouldContain($"\"{Feed}/services/{{id}}\"");
        document.ShouldNotContain("/api/v1/");
        (await app.Anonymous().GetStringAsync("/openapi/v1.json")).ShouldNotContain(Feed);
        (await GetAsync(Feed)).Response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Services_ListAndDetail_FitTheUkSchemaWithNoNulls()
    {
        var p = await TestPartnership.CreateAsync(app);
        var full = await FullServiceAsync(p, "Step Forward");
        var bare = await app.AddServiceAsync(p, "Bare", s => { s.MinimumAge = null; s.MaximumAge = null; });

        var (list, page) = await GetAsync($"{Feed}/services?search={p.Suffix}");

        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        list.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        ShouldAllowAnyOrigin(list);
        OrukShape.CheckPage(page, "service").ShouldBeEmpty();
        OrukShape.Nulls(page).ShouldBeEmpty();
        Ids(page).ShouldBe([bare.Id.ToString(), full.Id.ToString()]);

        var (one, service) = await GetAsync($"{Feed}/services/{full.Id}");

        one.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldAllowAnyOrigin(one);
        OrukShape.Check(service, "service").ShouldBeEmpty();
        OrukShape.Nulls(service).ShouldBeEmpty();
        service.GetProperty("status").GetString().ShouldBe("active");
        service.GetProperty("organization").GetProperty("id").GetString().ShouldBe(p.Charity.Id.ToString());
        service.GetProperty("description").GetString()!.ShouldContain("How to refer: Telephone the referrals team");
        service.GetProperty("accreditations").GetString().ShouldBe("Registered school, Ofsted URN 149999");
        service.GetProperty("assured_date").GetString().ShouldBe("2026-09-01");
        service.GetProperty("minimum_age").GetInt32().ShouldBe(11);
        service.GetProperty("attributes").EnumerateArray().Select(a => a.GetProperty("taxonomy_term_id").GetString())
            .ShouldBe([ServiceData.PersistentAbsence.ToString(), ServiceData.RiskOfExclusion.ToString()], ignoreOrder: true);
        service.GetProperty("service_areas")[0].GetProperty("name").GetString().ShouldBe(p.District.Name);
        // The same ids for the child objects on every call, so consumers can follow them.
        (await GetAsync($"{Feed}/services/{full.Id}")).Json.GetProperty("attributes")[0].GetProperty("id").GetString()
            .ShouldBe(service.GetProperty("attributes")[0].GetProperty("id").GetString());
        var (_, bareJson) = await GetAsync($"{Feed}/services/{bare.Id}");
        OrukShape.Check(bareJson, "service").ShouldBeEmpty();
        bareJson.TryGetProperty("minimum_age", out _).ShouldBeFalse();
        bareJson.TryGetProperty("contacts", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Services_SuspendedOrInternal_NeverPublished()
    {
        var p = await TestPartnership.CreateAsync(app);
        var published = await FullServiceAsync(p, "Published");
        var suspended = await FullServiceAsync(p, "Suspended", s => { s.QaStatus = ServiceQaStatus.Suspended; s.ProviderOrganisationId = p.Youth.Id; });

        var (_, page) = await GetAsync($"{Feed}/services?search={p.Suffix}");
        var (missing, problem) = await GetAsync($"{Feed}/services/{suspended.Id}");
        var (_, detail) = await GetAsync($"{Feed}/services/{published.Id}");
        var (_, organisations) = await GetAsync($"{Feed}/organizations?per_page=500");

        Ids(page).ShouldBe([published.Id.ToString()]);
        page.GetProperty("total_items").GetInt32().ShouldBe(1);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        ShouldAllowAnyOrigin(missing);
        problem.GetProperty("status").GetInt32().ShouldBe(404);
        // Capacity (17 places, 13 taken, 23 waiting), the QA status and the next review stay inside the partnership.
        Numbers(detail).ShouldBe([11, 16], ignoreOrder: true);
        var raw = detail.GetRawText();
        foreach (var internalValue in new[] { "2027-03-01", "Approved", "places", "occupied", "waiting", "qa_status", "review" })
            raw.ShouldNotContain(internalValue, Shouldly.Case.Insensitive);
        var providers = organisations.GetProperty("contents").EnumerateArray().Select(o => o.GetProperty("id").GetString()).ToList();
        providers.ShouldContain(p.Charity.Id.ToString());
        providers.ShouldNotContain(p.Youth.Id.ToString());
        providers.ShouldNotContain(p.School.Id.ToString());
        OrukShape.CheckPage(organisations, "organization").ShouldBeEmpty();
    }

    [Fact]
    public async Task Services_Paging_EdgesAndTraversal()
    {
        var p = await TestPartnership.CreateAsync(app);
        var made = new List<Service>();
        foreach (var name in new[] { "Alpha", "Bravo", "Charlie" })
            made.Add(await app.AddServiceAsync(p, name));

        var (_, first) = await GetAsync($"{Feed}/services?search={p.Suffix}&per_page=2");
        var (_, last) = await GetAsync($"{Feed}/services?search={p.Suffix}&per_page=2&page=2");
        var (_, beyond) = await GetAsync($"{Feed}/services?search={p.Suffix}&per_page=2&page=3");
        var (_, exact) = await GetAsync($"{Feed}/services?search={p.Suffix}&per_page=3");
        var (_, none) = await GetAsync($"{Feed}/services?search=nothing-{p.Suffix}");

        OrukShape.CheckPage(first, "service").ShouldBeEmpty();
        (first.GetProperty("total_items").GetInt32(), first.GetProperty("total_pages").GetInt32(), first.GetProperty("size").GetInt32()).ShouldBe((3, 2, 2));
        (first.GetProperty("first_page").GetBoolean(), first.GetProperty("last_page").GetBoolean()).ShouldBe((true, false));
        (last.GetProperty("page_number").GetInt32(), last.GetProperty("size").GetInt32(), last.GetProperty("last_page").GetBoolean()).ShouldBe((2, 1, true));
        Ids(first).Concat(Ids(last)).ShouldBe(made.Select(s => s.Id.ToString()));
        (beyond.GetProperty("empty").GetBoolean(), beyond.GetProperty("page_number").GetInt32(), beyond.GetProperty("size").GetInt32()).ShouldBe((true, 3, 0));
        (exact.GetProperty("total_pages").GetInt32(), exact.GetProperty("last_page").GetBoolean()).ShouldBe((1, true));
        OrukShape.CheckPage(none, "service").ShouldBeEmpty();
        (none.GetProperty("total_items").GetInt32(), none.GetProperty("total_pages").GetInt32(), none.GetProperty("empty").GetBoolean()).ShouldBe((0, 1, true));
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=abc")]
    [InlineData("per_page=0")]
    [InlineData("per_page=501")]
    [InlineData("minimum_age=-1")]
    [InlineData("maximum_age=old")]
    [InlineData("taxonomy_term_id=not-a-uuid")]
    [InlineData("waypoint_area=1")]
    public async Task Services_InvalidParameter_400NamingItWithCors(string query)
    {
        var (response, problem) = await GetAsync($"{Feed}/services?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        ShouldAllowAnyOrigin(response);
        problem.GetProperty("errors").TryGetProperty(query.Split('=')[0], out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Services_Filters_CombineWithAnd()
    {
        var p = await TestPartnership.CreateAsync(app);
        var match = await app.AddServiceAsync(p, "Match");
        await app.AddServiceAsync(p, "Other need", s => s.Needs[0].TaxonomyTermId = ServiceData.PersistentAbsence);
        await app.AddServiceAsync(p, "Older", s => { s.MinimumAge = 16; s.MaximumAge = 19; });
        await app.AddServiceAsync(p, "Younger", s => { s.MinimumAge = 4; s.MaximumAge = 10; });
        await app.AddServiceAsync(p, "Elsewhere", s => s.Areas[0].AreaId = p.OtherDistrict.Id);
        var county = await app.AddServiceAsync(p, "Countywide", s => s.Areas[0].AreaId = p.County.Id);

        var (_, page) = await GetAsync($"{Feed}/services?text={p.Suffix}&taxonomy_term_id={ServiceData.RiskOfExclusion}&minimum_age=13&maximum_age=14&waypoint_area={p.Ward.Id}");
        var (_, byOrganisation) = await GetAsync($"{Feed}/services?search={p.Suffix}&organization_id={p.Youth.Id}");

        Ids(page).ShouldBe([county.Id.ToString(), match.Id.ToString()], ignoreOrder: true);
        page.GetProperty("total_items").GetInt32().ShouldBe(2);
        byOrganisation.GetProperty("total_items").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Preflight_AnyOrigin_AnsweredWithoutSignIn()
    {
        var request = new HttpRequestMessage(HttpMethod.Options, $"{Feed}/services");
        request.Headers.Add("Origin", "https://directory.example.org");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        var response = await app.Anonymous().SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
        response.Headers.GetValues("Access-Control-Allow-Methods").Single().ShouldContain("GET");
    }

    [Fact]
    public async Task Taxonomies_AndTerms_FitTheUkSchema()
    {
        var (taxonomies, page) = await GetAsync($"{Feed}/taxonomies");
        var (terms, termPage) = await GetAsync($"{Feed}/taxonomy_terms?per_page=5&top_only=true");
        var (_, byTaxonomy) = await GetAsync($"{Feed}/taxonomy_terms?taxonomy_id={Waypoint.Data.NeedsTaxonomy.Id}");

        taxonomies.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldAllowAnyOrigin(taxonomies);
        OrukShape.CheckPage(page, "taxonomy").ShouldBeEmpty();
        Ids(page).ShouldContain(Waypoint.Data.NeedsTaxonomy.Id.ToString());
        terms.StatusCode.ShouldBe(HttpStatusCode.OK);
        OrukShape.CheckPage(termPage, "taxonomy_term").ShouldBeEmpty();
        OrukShape.Nulls(termPage).ShouldBeEmpty();
        termPage.GetProperty("size").GetInt32().ShouldBe(5);
        byTaxonomy.GetProperty("total_items").GetInt32().ShouldBe(Waypoint.Data.NeedsTaxonomy.Terms.Length);
    }

    [Fact]
    public async Task Services_SignedIn_SameAnswerAsAnonymous()
    {
        var p = await TestPartnership.CreateAsync(app);
        await app.AddServiceAsync(p, "Seen by all");
        var signedIn = await app.SignInAsync(await p.UserAsync(p.School));

        var anonymous = await app.Anonymous().GetStringAsync($"{Feed}/services?search={p.Suffix}");
        var withCookie = await signedIn.GetStringAsync($"{Feed}/services?search={p.Suffix}");

        withCookie.ShouldBe(anonymous);
    }
}

public sealed class OpenReferralFeedTestsOnSqlite(SqliteApp app) : OpenReferralFeedTests(app), IClassFixture<SqliteApp>;

public sealed class OpenReferralFeedTestsOnPostgres(PostgresApp app) : OpenReferralFeedTests(app), IClassFixture<PostgresApp>;
