using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>A form posted without this session's antiforgery token (cross-site request forgery) is refused and changes nothing.</summary>
public abstract class AntiforgeryTests(WaypointApp app)
{
    [Fact]
    public async Task AddPerson_NoAntiforgeryToken_Returns400PageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var before = await PeopleCountAsync();

        var response = await client.PostAsync("/people/new", new FormUrlEncodedContent(NewPersonForm(p)));

        await AssertRefusedAsync(response);
        (await PeopleCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task AddPerson_AnotherSessionsToken_Returns400PageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var victim = await app.SignInAsync(await p.UserAsync(p.School));
        var attacker = await app.SignInAsync(await p.UserAsync(p.Housing));
        var attackersToken = Clients.AntiforgeryToken(await (await attacker.GetAsync("/people/new")).Content.ReadAsStringAsync())!;
        var before = await PeopleCountAsync();

        var response = await victim.PostAsync("/people/new", new FormUrlEncodedContent(new Dictionary<string, string>(NewPersonForm(p)) { ["__RequestVerificationToken"] = attackersToken }));

        await AssertRefusedAsync(response);
        (await PeopleCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task AddPerson_GarbledToken_Returns400PageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var token = Clients.AntiforgeryToken(await (await client.GetAsync("/people/new")).Content.ReadAsStringAsync())!;
        var before = await PeopleCountAsync();

        var response = await client.PostAsync("/people/new", new FormUrlEncodedContent(new Dictionary<string, string>(NewPersonForm(p)) { ["__RequestVerificationToken"] = token[..^4] + "AAAA" }));

        await AssertRefusedAsync(response);
        (await PeopleCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task AddPerson_RightToken_IsAccepted()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var before = await PeopleCountAsync();

        var response = await client.PostFormAsync("/people/new", NewPersonForm(p));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        (await PeopleCountAsync()).ShouldBe(before + 1);
    }

    [Fact]
    public async Task BreakGlass_NoAntiforgeryToken_Returns400PageAndGrantsNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ivy", "Marsh", new DateOnly(2010, 5, 5), enrolledAt: p.OtherSchool);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await client.PostAsync($"/people/{pupil.Id}/break-glass",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "A forged request should never open a record" }));

        await AssertRefusedAsync(response);
        (await app.AsSystemAsync((db, _) => db.BreakGlassGrants.CountAsync(b => b.PersonId == pupil.Id))).ShouldBe(0);
        (await client.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SignIn_NoAntiforgeryToken_Returns400Page()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);

        var response = await app.Anonymous().PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = user.Email, ["Password"] = user.Password }));

        await AssertRefusedAsync(response);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector("h1")!.TextContent.ShouldBe("Sorry, there is a problem with that request");
    }

    private Task<int> PeopleCountAsync() => app.AsSystemAsync((db, _) => db.People.CountAsync());

    private static Dictionary<string, string> NewPersonForm(TestPartnership p) => new()
    {
        ["Input.Kind"] = "YoungPerson",
        ["Input.GivenName"] = "Forged",
        ["Input.FamilyName"] = $"Request{p.Suffix}",
        ["Dob.Day"] = "3",
        ["Dob.Month"] = "3",
        ["Dob.Year"] = "2012",
        ["Input.Sex"] = "Unknown",
        ["Input.WardId"] = p.Ward.Id.ToString(),
        ["Input.Reason"] = "New pupil joining in year",
        ["DuplicatesChecked"] = "true",
    };
}

public sealed class AntiforgeryTestsOnSqlite(SqliteApp app) : AntiforgeryTests(app), IClassFixture<SqliteApp>;

public sealed class AntiforgeryTestsOnPostgres(PostgresApp app) : AntiforgeryTests(app), IClassFixture<PostgresApp>;
