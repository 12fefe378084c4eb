using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// The search API's paging and orders (issue 17's leftover) and the search's bounded reading at scale
/// (issue 18): pages never overlap, never list or count someone the reader may not see, and say how
/// many there are and where the next and previous pages are; with more candidates than the search
/// counts, the people named exactly as typed still come first.
/// </summary>
public abstract class SearchApiPagingTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A name of letters only (the search keeps letters), unique to the partnership.</summary>
    private static string Letters(string suffix) => new(suffix.Where(char.IsLetterOrDigit).Select(c => char.IsDigit(c) ? (char)('a' + (c - '0')) : char.ToLowerInvariant(c)).ToArray());

    private static string Base26(int i, int width = 3)
    {
        var chars = new char[width];
        for (var k = width - 1; k >= 0; k--, i /= 26)
            chars[k] = (char)('a' + i % 26);
        return new string(chars);
    }

    private static List<Guid> Ids(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ToList();
    }

    private static string? Link(HttpResponseMessage response, string rel) =>
        response.Headers.TryGetValues("Link", out var values)
            ? string.Join(",", values).Split(',').Select(l => l.Trim()).FirstOrDefault(l => l.EndsWith($"rel=\"{rel}\"", StringComparison.Ordinal)) is { } link
                ? link[(link.IndexOf('<') + 1)..link.IndexOf('>')]
                : null
            : null;

    [Fact]
    public async Task Api_PagesYoungestFirst_WithCountAndLinks_NeverTheHidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = $"Pager{p.Suffix}";
        var pupils = new List<Person>();
        for (var i = 0; i < 23; i++)
            pupils.Add(await p.YoungPersonAsync($"Kid{Base26(i)}", family, Today.AddYears(-15).AddDays(i * 3), enrolledAt: p.School));
        for (var i = 0; i < 3; i++)
            await p.YoungPersonAsync($"Hidden{Base26(i)}", family, Today.AddYears(-12), enrolledAt: p.OtherSchool);
        var dsl = await p.UserAsync(p.School);
        var api = await app.ApiClientAsync(dsl);

        var first = await api.GetAsync($"/api/v1/people?name={family}&sort=YoungestFirst&pageSize=10");
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.GetValues("X-Total-Count").Single().ShouldBe("23");
        first.Headers.Contains("X-Total-Count-Is-Lower-Bound").ShouldBeFalse();
        Link(first, "prev").ShouldBeNull();
        var next = Link(first, "next");
        next.ShouldNotBeNull();
        next.ShouldContain("page=2");
        next.ShouldContain("sort=YoungestFirst");
        var second = await api.GetAsync(next);
        var third = await api.GetAsync(Link(second, "next")!);

        Link(third, "next").ShouldBeNull();
        Link(third, "prev")!.ShouldContain("page=2");
        var pages = new[] { Ids(await first.Content.ReadAsStringAsync()), Ids(await second.Content.ReadAsStringAsync()), Ids(await third.Content.ReadAsStringAsync()) };
        pages.Select(x => x.Count).ShouldBe([10, 10, 3]);
        // Youngest first across the pages: the pupils were born 3 days apart, the last the youngest.
        pages.SelectMany(x => x).ShouldBe(pupils.OrderByDescending(x => x.DateOfBirth).Select(x => x.Id));
    }

    [Theory]
    [InlineData("pageSize=0")]
    [InlineData("pageSize=101")]
    [InlineData("page=0")]
    [InlineData("page=41")]
    [InlineData("sort=Shoe")]
    public async Task Api_PagingOutOfBounds_IsRefused(string paging)
    {
        var p = await TestPartnership.CreateAsync(app);
        var api = await app.ApiClientAsync(await p.UserAsync(p.School));

        var response = await api.GetAsync($"/api/v1/people?name=Bound{p.Suffix}&{paging}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OpenApi_DescribesPagingSortAndTheirHeaders()
    {
        var client = app.CreateClient();

        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));

        var get = doc.RootElement.GetProperty("paths").GetProperty("/api/v1/people").GetProperty("get");
        var parameters = get.GetProperty("parameters").EnumerateArray().Select(x => x.GetProperty("name").GetString()).ToList();
        new[] { "name", "dateOfBirth", "sort", "page", "pageSize" }.ShouldBeSubsetOf(parameters);
        var headers = get.GetProperty("responses").GetProperty("200").GetProperty("headers");
        headers.TryGetProperty("X-Total-Count", out _).ShouldBeTrue();
        headers.TryGetProperty("Link", out _).ShouldBeTrue();
    }

    /// <summary>
    /// More candidates than the search reads (1,000 people whose family names start as the one typed
    /// and sort before it), 30 people named exactly as typed whom the hub's district grant covers and 3
    /// in the other district it does not: the exact names come first, paged in name order, counted as
    /// "more than", and the other district's never appear.
    /// </summary>
    [Fact]
    public async Task MoreCandidatesThanCounted_ExactNamesFirstInNameOrder_NeverTheHidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var tag = Letters(p.Suffix);
        var word = $"quorn{tag}";
        var exact = new List<Person>();
        var hidden = new List<Person>();
        var others = new List<Person>();
        Person New(string given, string familyName, Area ward) => new()
        {
            Kind = PersonKind.Adult,
            GivenName = given,
            FamilyName = familyName,
            DateOfBirth = Today.AddYears(-30),
            AreaId = ward.Id,
            OwnerOrganisationId = p.Hub.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        // Given names in reverse order of creation, so that name order is not insertion order.
        for (var i = 0; i < 30; i++)
            exact.Add(New($"Given{Base26(29 - i)}", $"Quorn{tag}", p.Ward));
        for (var i = 0; i < 3; i++)
            hidden.Add(New($"Away{Base26(i)}", $"Quorn{tag}", p.OtherWard));
        for (var i = 0; i < PersonSearch.CountLimit; i++)
            others.Add(New($"Other{Base26(i)}", $"Quoa{tag}{Base26(i)}", p.Ward));
        await app.AsSystemAsync(async db =>
        {
            db.People.AddRange(exact.Concat(hidden).Concat(others));
            await db.SaveChangesAsync();
        });
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        var api = await app.ApiClientAsync(hub);

        var responses = new List<HttpResponseMessage>();
        for (var page = 1; page <= 3; page++)
            responses.Add(await api.GetAsync($"/api/v1/people?name={word}&pageSize=10&page={page}"));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        responses[0].Headers.GetValues("X-Total-Count-Is-Lower-Bound").Single().ShouldBe("true");
        var listed = new List<Guid>();
        foreach (var r in responses)
            listed.AddRange(Ids(await r.Content.ReadAsStringAsync()));
        listed.ShouldBe(exact.OrderBy(x => x.GivenName, StringComparer.Ordinal).Select(x => x.Id));
        listed.ShouldNotContain(id => hidden.Any(h => h.Id == id));
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries
            .Where(e => e.Action == AuditAction.ListedInSearch && e.UserId == hub.Id).Select(e => e.PersonId).ToListAsync());
        audited.ShouldBe(listed.Select(id => (Guid?)id), ignoreOrder: true);
    }
}

public sealed class SearchApiPagingTestsOnSqlite(SqliteApp app) : SearchApiPagingTests(app), IClassFixture<SqliteApp>;

public sealed class SearchApiPagingTestsOnPostgres(PostgresApp app) : SearchApiPagingTests(app), IClassFixture<PostgresApp>;
