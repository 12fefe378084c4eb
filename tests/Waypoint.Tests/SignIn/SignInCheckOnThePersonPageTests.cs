using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.SignIn;

/// <summary>
/// The person page (HTML and API) makes the sign-in's check in its first statement, from what an earlier request found for
/// the same account and stamp (Identity/ReaderMiddleware; issue 18). Whatever changed between two requests is held on the
/// very next one, never honoured even once: each test opens the person twice (the second already through the remembered
/// account), changes one thing, and asks once more.
/// </summary>
public abstract class SignInCheckOnThePersonPageTests(WaypointApp app)
{
    [Fact]
    public async Task RoleRemoved_BetweenTwoReads_NextRequestSignedOut()
    {
        var (p, pupil, reader, browser, api) = await ArrangeAsync(Roles.Practitioner, Roles.OrganisationAdmin);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var changed = await admin.PostFormAsync($"/admin/users/{reader.Id}?handler=Roles", new() { ["Roles"] = Roles.Practitioner }, formPage: $"/admin/users/{reader.Id}");

        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await ShouldBeSignedOutAsync(browser, api, pupil.Id);
    }

    [Fact]
    public async Task AccountDeactivated_BetweenTwoReads_NextRequestSignedOut()
    {
        var (_, pupil, reader, browser, api) = await ArrangeAsync();

        // Straight in the database, the stamp untouched: the open's own reading of the account must refuse.
        await app.AsSystemAsync(db => db.Users.Where(u => u.Id == reader.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));

        await ShouldBeSignedOutAsync(browser, api, pupil.Id);
    }

    [Fact]
    public async Task OrganisationDeactivated_BetweenTwoReads_NextRequestSignedOut()
    {
        var (p, pupil, _, browser, api) = await ArrangeAsync();

        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id).ExecuteUpdateAsync(o => o.SetProperty(x => x.IsActive, false)));

        await ShouldBeSignedOutAsync(browser, api, pupil.Id);
    }

    [Fact]
    public async Task AccountDeactivated_PersonNotVisible_SignedOutNotNotFound()
    {
        var (p, _, reader, browser, api) = await ArrangeAsync();
        var stranger = await p.YoungPersonAsync("Rowan", "Fell", new DateOnly(2011, 2, 2), enrolledAt: p.OtherSchool);
        (await api.GetAsync($"/api/v1/people/{stranger.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        await app.AsSystemAsync(db => db.Users.Where(u => u.Id == reader.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));

        await ShouldBeSignedOutAsync(browser, api, stranger.Id);
    }

    [Fact]
    public async Task GrantRevoked_BetweenTwoReads_NextRequestNotFound()
    {
        var p = await TestPartnership.CreateAsync(app);
        var person = await p.YoungPersonAsync("Ellis", "Marsh", new DateOnly(2012, 4, 4), ward: p.Ward);
        var reader = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        var browser = await app.SignInAsync(reader);
        var api = await app.ApiClientAsync(reader);
        await ReadTwiceAsync(browser, api, person.Id);

        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        await app.AsSystemAsync(db => db.PartnershipRoleGrants.Where(g => g.UserId == reader.Id).ExecuteUpdateAsync(g => g.SetProperty(x => x.EndDate, yesterday)));

        (await api.GetAsync($"/api/v1/people/{person.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync($"/people/{person.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync($"/people/{person.Id}/family")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RolesChangedWithoutTheStamp_BetweenTwoReads_NextRequestReadsThemAfresh()
    {
        var (_, pupil, reader, browser, api) = await ArrangeAsync();

        // The account's manager changes the roles without renewing the security stamp (only its concurrency stamp):
        // an account left with the analyst's role alone sees aggregates only, so the person is no longer found.
        await app.AsSystemAsync(async (_, services) =>
        {
            var users = services.GetRequiredService<UserManager<WaypointUser>>();
            var user = await users.FindByIdAsync(reader.Id.ToString()) ?? throw new InvalidOperationException("No such account.");
            (await users.AddToRoleAsync(user, Roles.Analyst)).Succeeded.ShouldBeTrue();
            (await users.RemoveFromRoleAsync(user, Roles.Practitioner)).Succeeded.ShouldBeTrue();
            return true;
        });

        (await api.GetAsync($"/api/v1/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await browser.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private async Task<(TestPartnership P, Person Pupil, TestUser Reader, HttpClient Browser, HttpClient Api)> ArrangeAsync(params string[] roles)
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Noor", $"Fold{p.Suffix}", new DateOnly(2012, 6, 1), enrolledAt: p.School);
        var reader = await p.UserAsync(p.School, roles);
        var browser = await app.SignInAsync(reader);
        var api = await app.ApiClientAsync(reader);
        await ReadTwiceAsync(browser, api, pupil.Id);
        return (p, pupil, reader, browser, api);
    }

    /// <summary>Twice on each channel: the first request checks in its own statement and remembers the account; the second folds.</summary>
    private static async Task ReadTwiceAsync(HttpClient browser, HttpClient api, Guid personId)
    {
        for (var i = 0; i < 2; i++)
        {
            (await api.GetAsync($"/api/v1/people/{personId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await browser.GetAsync($"/people/{personId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }

    private static async Task ShouldBeSignedOutAsync(HttpClient browser, HttpClient api, Guid personId)
    {
        (await api.GetAsync($"/api/v1/people/{personId}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var page = await browser.GetAsync($"/people/{personId}");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.ShouldStartWith("/sign-in");
    }
}

public sealed class SignInCheckOnThePersonPageTestsOnSqlite(SqliteApp app) : SignInCheckOnThePersonPageTests(app), IClassFixture<SqliteApp>;

public sealed class SignInCheckOnThePersonPageTestsOnPostgres(PostgresApp app) : SignInCheckOnThePersonPageTests(app), IClassFixture<PostgresApp>;
