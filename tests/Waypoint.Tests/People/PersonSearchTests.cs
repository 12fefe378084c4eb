using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// Finding a person through <c>GET /api/v1/people</c> the way practitioners type: typos, spelling
/// variants, surname first, a date of birth or an identifier alone. Each test's user sees only its
/// own partnership's pupils, so plain names are safe in a shared app.
/// </summary>
public abstract class PersonSearchTests(WaypointApp app)
{
    private sealed record Pupils(TestPartnership Partnership, HttpClient Client, Person JohnSmith, Person JaneSmith, Person JohnSmythe, Person MohammedKhan, Person CatherineHill, string Upn);

    // A UPN is one pupil's (a unique key of the register): each arrangement gets its own.
    private static int serial = 500;

    private async Task<Pupils> ArrangeAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Upn.Create(928, 4004, 11, Interlocked.Increment(ref serial) % 1000);
        var johnSmith = await p.YoungPersonAsync("John", "Smith", new DateOnly(2011, 3, 27), enrolledAt: p.School, upn: upn);
        var janeSmith = await p.YoungPersonAsync("Jane", "Smith", new DateOnly(2012, 4, 1), enrolledAt: p.School);
        var johnSmythe = await p.YoungPersonAsync("Jonathan", "Smythe", new DateOnly(2011, 3, 27), enrolledAt: p.School);
        var mohammed = await p.YoungPersonAsync("Mohammed", "Khan", new DateOnly(2010, 9, 9), enrolledAt: p.School);
        var catherine = await p.YoungPersonAsync("Catherine", "Hill", new DateOnly(2013, 2, 14), enrolledAt: p.School);
        // Pupils of another school in the same partnership: never found by this school's user.
        await p.YoungPersonAsync("John", "Smith", new DateOnly(2011, 3, 27), enrolledAt: p.OtherSchool);
        await p.YoungPersonAsync("Kathryn", "Hill", new DateOnly(2013, 2, 14), enrolledAt: p.OtherSchool);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));
        return new Pupils(p, client, johnSmith, janeSmith, johnSmythe, mohammed, catherine, upn);
    }

    [Theory]
    [InlineData("John Smiht")]
    [InlineData("Jonh Smith")]
    [InlineData("john  SMITH")]
    [InlineData("Jon Smith")]
    public async Task Search_TypoOrVariantOfFullName_FindsThePersonFirst(string name)
    {
        var s = await ArrangeAsync();

        var hits = await SearchAsync(s.Client, $"name={Uri.EscapeDataString(name)}");

        hits.ShouldNotBeEmpty();
        hits[0].ShouldBe(s.JohnSmith.Id);
    }

    [Fact]
    public async Task Search_SurnameFirst_FindsThePersonFirst()
    {
        var s = await ArrangeAsync();

        var hits = await SearchAsync(s.Client, "name=Smith%20John");

        hits[0].ShouldBe(s.JohnSmith.Id);
        hits.ShouldNotContain(s.MohammedKhan.Id);
    }

    [Theory]
    [InlineData("Muhammad Khan", "MohammedKhan")]
    [InlineData("Kathryn Hill", "CatherineHill")]
    public async Task Search_SpellingVariantOfGivenName_FindsThePerson(string name, string expected)
    {
        var s = await ArrangeAsync();
        var person = expected == "MohammedKhan" ? s.MohammedKhan : s.CatherineHill;

        var hits = await SearchAsync(s.Client, $"name={Uri.EscapeDataString(name)}");

        hits.ShouldBe([person.Id]);
    }

    [Fact]
    public async Task Search_SurnameOnly_FindsEveryoneOfThatNameTheReaderMaySee()
    {
        var s = await ArrangeAsync();

        var hits = await SearchAsync(s.Client, "name=Smith");

        hits.ShouldContain(s.JohnSmith.Id);
        hits.ShouldContain(s.JaneSmith.Id);
        hits.ShouldNotContain(s.MohammedKhan.Id);
        hits.ShouldNotContain(s.CatherineHill.Id);
    }

    [Fact]
    public async Task Search_DateOfBirthOnly_FindsEveryoneBornThatDayTheReaderMaySee()
    {
        var s = await ArrangeAsync();

        var hits = await SearchAsync(s.Client, "dateOfBirth=2011-03-27");

        hits.ShouldBe([s.JohnSmith.Id, s.JohnSmythe.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task Search_NameAndDateOfBirth_NarrowsToBoth()
    {
        var s = await ArrangeAsync();

        var hits = await SearchAsync(s.Client, "name=John%20Smith&dateOfBirth=2011-03-27");

        hits[0].ShouldBe(s.JohnSmith.Id);
        hits.ShouldNotContain(s.JaneSmith.Id);
    }

    // With a date of birth the search reads only the people of that day whose family name could match, by the
    // (date of birth, family key) and (date of birth, family prefix) indexes (issue 18): either order, a typo or a
    // sound-alike spelling must still find them, and never the other school's John Smith born the same day.
    [Theory]
    [InlineData("John Smith")]
    [InlineData("Smith John")]
    [InlineData("Jon Smyth")]
    [InlineData("Jonh Smiht")]
    [InlineData("Smiht Jonh")]
    public async Task Search_NameTypedAnyWayAndDateOfBirth_FindsThePersonOnly(string name)
    {
        var s = await ArrangeAsync();

        var hits = await SearchAsync(s.Client, $"name={Uri.EscapeDataString(name)}&dateOfBirth=2011-03-27");

        hits.ShouldContain(s.JohnSmith.Id);
        hits.ShouldNotContain(s.JaneSmith.Id);
        hits.ShouldAllBe(id => id == s.JohnSmith.Id || id == s.JohnSmythe.Id);
    }

    // The candidates are read without their wards (a name alone can match a thousand); the listed are named.
    [Theory]
    [InlineData("name=Smith")]
    [InlineData("name=John%20Smith&dateOfBirth=2011-03-27")]
    [InlineData("dateOfBirth=2011-03-27")]
    public async Task Search_EveryResult_NamesItsWard(string query)
    {
        var s = await ArrangeAsync();

        var response = await s.Client.GetAsync($"/api/v1/people?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var wards = (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("ward").GetString()).ToList();
        wards.ShouldNotBeEmpty();
        wards.ShouldAllBe(w => w == s.Partnership.Ward.Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Search_IdentifierOnly_FindsThePersonWhateverTheCase(bool lowerCase)
    {
        var s = await ArrangeAsync();
        var identifier = lowerCase ? $" {s.Upn.ToLowerInvariant()} " : s.Upn;

        var hits = await SearchAsync(s.Client, $"identifier={Uri.EscapeDataString(identifier)}");

        hits.ShouldBe([s.JohnSmith.Id]);
    }

    [Fact]
    public async Task Search_UnrelatedName_FindsNobody()
    {
        var s = await ArrangeAsync();

        (await SearchAsync(s.Client, "name=Zebedee%20Quartermaine")).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("name=%20%20", "name")]
    [InlineData("dateOfBirth=27/03/2011", "dateOfBirth")]
    [InlineData("dateOfBirth=2011-02-31", "dateOfBirth")]
    public async Task Search_NothingToSearchOrMalformedDate_Returns400ProblemNamingTheField(string query, string field)
    {
        var s = await ArrangeAsync();

        var response = await s.Client.GetAsync($"/api/v1/people?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    private static async Task<List<Guid>> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/people?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("id").GetGuid()).ToList();
    }
}

public sealed class PersonSearchTestsOnSqlite(SqliteApp app) : PersonSearchTests(app), IClassFixture<SqliteApp>;

public sealed class PersonSearchTestsOnPostgres(PostgresApp app) : PersonSearchTests(app), IClassFixture<PostgresApp>;
