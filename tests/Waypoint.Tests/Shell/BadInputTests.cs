using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>Input no page or endpoint expects is refused with a status and a message, never a 500.</summary>
public abstract class BadInputTests(WaypointApp app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/schools/dashboard")]
    public async Task Post_PageWithNoPostHandler_405WithAllow(string url)
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await client.PostFormAsync(url, [], formPage: "/");

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed, await response.Content.ReadAsStringAsync());
        response.Content.Headers.Allow.ShouldContain("GET");
        response.Content.Headers.Allow.ShouldNotContain("POST");
    }

    [Fact]
    public async Task Post_PageWithNamedHandlersOnly_400ForAnUnknownHandler()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var none = await client.PostFormAsync("/account", []);
        var unknown = await client.PostFormAsync("/account?handler=NoSuchThing", [], formPage: "/account");

        none.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        Clients.Parse(await unknown.Content.ReadAsStringAsync()).QuerySelector("h1")!.TextContent.ShouldBe("Sorry, there is a problem with that request");
    }

    [Fact]
    public async Task Post_PersonPageOfSomeoneVisible_405AndNoReadRecorded()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ada", "Lane", new DateOnly(2011, 2, 3), enrolledAt: p.School);
        var user = await p.UserAsync(p.School);
        var client = await app.SignInAsync(user);

        var person = await client.PostFormAsync($"/people/{pupil.Id}", [], formPage: "/");
        var chronology = await client.PostFormAsync($"/people/{pupil.Id}/chronology", [], formPage: "/");

        person.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        chronology.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == user.Id && a.PersonId == pupil.Id)))
            .ShouldBe(0, "a refused POST showed nothing, so it read nothing");
    }

    [Fact]
    public async Task Post_PersonPageOfSomeoneNotVisible_404AndOneDeniedRowAsItsGetGives()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ivy", "Marsh", new DateOnly(2010, 5, 5), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.School);
        var client = await app.SignInAsync(user);

        var response = await client.PostFormAsync($"/people/{pupil.Id}", [], formPage: "/");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.PersonId == pupil.Id).ToListAsync());
        audited.ShouldHaveSingleItem().Action.ShouldBe(AuditAction.Denied);
    }

    [Theory]
    [InlineData("to=9999-12-31", "The 'to' date must be between 1 January 1900 and 31 December 2099")]
    [InlineData("from=0001-01-01", "The 'from' date must be between 1 January 1900 and 31 December 2099")]
    public async Task ChronologyApi_DateOutOfRange_400WithMessage(string query, string message)
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ada", "Lane", new DateOnly(2011, 2, 3), enrolledAt: p.School);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));

        var response = await client.GetAsync($"/api/v1/people/{pupil.Id}/chronology?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var field = query[..query.IndexOf('=')];
        problem.GetProperty("errors").GetProperty(field)[0].GetString().ShouldBe(message, "the error is reported under the parameter that is wrong");
    }

    [Theory]
    [InlineData("99")]
    [InlineData("1")]
    public async Task ApiEnumQuery_ANumber_400NamingTheParameter(string value)
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));

        var response = await client.GetAsync($"/api/v1/alerts?status={value}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("errors").GetProperty("status")[0].GetString().ShouldBe("status must be one of Open, Closed, All.");
        (await client.GetAsync("/api/v1/alerts?status=Opened")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "a name the enum does not have is refused by binding");
        (await client.GetAsync("/api/v1/alerts?status=Closed")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ChronologyPage_DateOutOfRange_ShowsTheRange()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ada", "Lane", new DateOnly(2011, 2, 3), enrolledAt: p.School);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await client.GetAsync($"/people/{pupil.Id}/chronology?To.Day=31&To.Month=12&To.Year=9999");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("must be between 1 January 1900 and 31 December 2099");
    }

    [Fact]
    public async Task AddPerson_SexAsANumber_400PageNamingTheFieldAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var before = await PeopleCountAsync();

        var response = await client.PostFormAsync("/people/new", NewPersonForm(p, sex: "99"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Sex must be one of the options shown");
        (await PeopleCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task AddPerson_BornBefore1900_RefusedWithTheRange()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var before = await PeopleCountAsync();

        var response = await client.PostFormAsync("/people/new", NewPersonForm(p, year: "1850"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Date of birth must be between 1 January 1900 and today");
        (await PeopleCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task RecordSuspension_Dated9999_RefusedWithTheRange()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ada", "Lane", new DateOnly(2011, 2, 3), enrolledAt: p.School);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await client.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", new()
        {
            ["Start.Day"] = "31",
            ["Start.Month"] = "12",
            ["Start.Year"] = "9999",
            ["Sessions"] = "2",
            ["Outcome"] = "NotReviewed",
            ["Reasons[0]"] = "VA",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("The start date must be between 1 January 1900 and ");
        (await app.AsSystemAsync((db, _) => db.Suspensions.CountAsync(s => s.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Theory]
    [InlineData("sex", 99, "Must be one of:")]
    [InlineData("sex", "99", "Must be one of:")]
    [InlineData("sex", "Other-ish", "Must be one of:")]
    [InlineData("dateOfBirth", "0001-01-01", "Must be between 1 January 1900 and 31 December 2099")]
    public async Task ApiCreatePerson_FieldOutOfRange_ValidationProblemNamingTheField(string field, object value, string message)
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));
        var body = new Dictionary<string, object?>
        {
            ["kind"] = "YoungPerson",
            ["givenName"] = "Dan",
            ["familyName"] = $"Field{p.Suffix}",
            ["dateOfBirth"] = "2011-01-01",
            ["sex"] = "Male",
            ["wardId"] = p.Ward.Id,
            ["reason"] = "New pupil joining in year",
        };
        body[field] = value;
        var before = await PeopleCountAsync();

        var response = await client.PostAsJsonAsync("/api/v1/people", body);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldStartWith(message);
        (await PeopleCountAsync()).ShouldBe(before);
    }

    private Task<int> PeopleCountAsync() => app.AsSystemAsync((db, _) => db.People.IgnoreQueryFilters().CountAsync());

    private static Dictionary<string, string> NewPersonForm(TestPartnership p, string sex = "Unknown", string year = "2012") => new()
    {
        ["Input.Kind"] = "YoungPerson",
        ["Input.GivenName"] = "Bad",
        ["Input.FamilyName"] = $"Input{p.Suffix}",
        ["Dob.Day"] = "3",
        ["Dob.Month"] = "3",
        ["Dob.Year"] = year,
        ["Input.Sex"] = sex,
        ["Input.WardId"] = p.Ward.Id.ToString(),
        ["Input.Reason"] = "New pupil joining in year",
        ["DuplicatesChecked"] = "true",
    };
}

public sealed class BadInputTestsOnSqlite(SqliteApp app) : BadInputTests(app), IClassFixture<SqliteApp>;

public sealed class BadInputTestsOnPostgres(PostgresApp app) : BadInputTests(app), IClassFixture<PostgresApp>;
