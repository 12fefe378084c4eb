using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.SignIn;

/// <summary>Password plus authenticator code, lockout, first-time enrolment, bearer tokens and signing out everywhere.</summary>
public abstract class SignInTests(WaypointApp app)
{
    [Fact]
    public async Task SignIn_PasswordAndCurrentCode_SignsInAndShowsTheHomePage()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = app.Anonymous();

        var password = await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        var code = await client.PostFormAsync("/sign-in/code", new() { ["Code"] = user.CurrentCode() });
        var home = await client.GetAsync("/");

        password.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        password.Headers.Location!.OriginalString.ShouldStartWith("/sign-in/code");
        code.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        code.Headers.Location!.OriginalString.ShouldBe("/");
        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await home.Content.ReadAsStringAsync()).ShouldContain(p.School.Name);
    }

    [Fact]
    public async Task Code_UsedOnce_RefusedASecondTimeOnThePageAndForATokenButALaterCodeWorks()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var code = user.CurrentCode();
        var first = app.Anonymous();
        await first.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        (await first.PostFormAsync("/sign-in/code", new() { ["Code"] = code })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Someone who saw the code (over a shoulder, or through a phishing page) tries it within the minute.
        var replay = app.Anonymous();
        await replay.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        var again = await replay.PostFormAsync("/sign-in/code", new() { ["Code"] = code });
        var token = await app.Anonymous().PostAsJsonAsync("/api/v1/token", new { email = user.Email, password = user.Password, code });

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).ShouldContain("There is a problem");
        (await replay.GetAsync("/")).LocationPath().ShouldBe("/sign-in");
        token.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var later = await replay.PostFormAsync("/sign-in/code", new() { ["Code"] = user.CurrentCode() });
        later.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        later.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task SignIn_PasswordOnly_IsNotSignedIn()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = app.Anonymous();

        await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        var home = await client.GetAsync("/");

        home.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home.LocationPath().ShouldBe("/sign-in");
    }

    [Fact]
    public async Task Code_WrongCode_ShowsErrorAndCountsTowardsLockout()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = app.Anonymous();
        await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });

        var response = await client.PostFormAsync("/sign-in/code", new() { ["Code"] = WrongCode(user) });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector("#Code-error")!.TextContent.ShouldContain("The security code is not right");
        page.QuerySelector(".govuk-error-summary a[href='#Code']").ShouldNotBeNull();
        (await FailedCountAsync(user)).ShouldBe(1);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Code_FiveWrongCodes_LocksTheAccount()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = app.Anonymous();
        await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });

        for (var i = 0; i < 5; i++)
            await client.PostFormAsync("/sign-in/code", new() { ["Code"] = WrongCode(user) });
        var rightCode = await client.PostFormAsync("/sign-in/code", new() { ["Code"] = user.CurrentCode() }, formPage: "/sign-in");
        var again = await app.Anonymous().PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });

        rightCode.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        rightCode.Headers.Location!.OriginalString.ShouldStartWith("/sign-in");
        rightCode.Headers.Location!.OriginalString.ShouldNotStartWith("/sign-in/code");
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).ShouldContain("The email address or password is not right");
    }

    [Fact]
    public async Task SignIn_FiveWrongPasswords_LocksEvenTheRightPasswordOut()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = app.Anonymous();

        var responses = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = $"not-the-password-{i}" });
            wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
            responses.Add(await wrong.Content.ReadAsStringAsync());
        }
        var right = await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });

        responses[0].ShouldContain("The email address or password is not right");
        right.StatusCode.ShouldBe(HttpStatusCode.OK);
        // Refused with the same words as a wrong password: the page must not reveal which emails have accounts.
        (await right.Content.ReadAsStringAsync()).ShouldContain("The email address or password is not right");
        var lockoutEnd = await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync());
        lockoutEnd.ShouldNotBeNull().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var token = await app.Anonymous().PostAsJsonAsync("/api/v1/token", new { email = user.Email, password = user.Password, code = user.CurrentCode() });
        token.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignIn_NoAuthenticatorYet_EnrolsWithTheKeyShownThenIsSignedIn()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (email, password) = await UserWithoutAuthenticatorAsync(p);
        var client = app.Anonymous();

        var first = await client.PostFormAsync("/sign-in", new() { ["Email"] = email, ["Password"] = password });
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        first.Headers.Location!.OriginalString.ShouldStartWith("/sign-in/enrol");
        var enrolPage = await client.GetDocumentAsync("/sign-in/enrol");
        var key = enrolPage.QuerySelector(".govuk-inset-text code")!.TextContent.Replace(" ", "").ToUpperInvariant();
        key.Length.ShouldBeGreaterThanOrEqualTo(16);
        var wrong = await client.PostFormAsync("/sign-in/enrol", new() { ["Code"] = WrongCode(key) });
        var enrolled = await client.PostFormAsync("/sign-in/enrol", new() { ["Code"] = Totp.Code(key) });
        var home = await client.GetAsync("/");

        wrong.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await wrong.Content.ReadAsStringAsync()).ShouldContain("Enter the 6-digit code your authenticator app shows");
        enrolled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        enrolled.Headers.Location!.OriginalString.ShouldBe("/");
        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync())).ShouldBeTrue();
    }

    [Fact]
    public async Task Enrol_AccountThatAlreadyHasAnAuthenticator_IsSentBackToSignIn()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = app.Anonymous();
        await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });

        var enrol = await client.GetAsync("/sign-in/enrol");

        // Replacing an authenticator must need the old one; the password alone must not show a new key.
        enrol.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        enrol.LocationPath().ShouldBe("/sign-in");
    }

    [Fact]
    public async Task Token_RightCredentials_GivesABearerTokenForTheApi()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = await app.ApiClientAsync(user);

        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/me");

        me.GetProperty("id").GetGuid().ShouldBe(user.Id);
    }

    [Fact]
    public async Task Token_WrongCode_Returns401ProblemAndCountsTowardsLockout()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);

        var response = await app.Anonymous().PostAsJsonAsync("/api/v1/token", new { email = user.Email, password = user.Password, code = WrongCode(user) });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString().ShouldBe("Sign-in refused.");
        (await FailedCountAsync(user)).ShouldBe(1);
    }

    [Fact]
    public async Task Token_WrongPasswordOrUnknownEmail_Returns401WithTheSameProblem()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);

        var wrongPassword = await app.Anonymous().PostAsJsonAsync("/api/v1/token", new { email = user.Email, password = "not-the-password", code = user.CurrentCode() });
        var unknown = await app.Anonymous().PostAsJsonAsync("/api/v1/token", new { email = $"nobody-{p.Suffix}@test.invalid", password = user.Password, code = user.CurrentCode() });

        wrongPassword.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // No difference between the two, so the endpoint cannot be used to find out which emails have accounts.
        var a = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        var b = await wrongPassword.Content.ReadFromJsonAsync<JsonElement>();
        (a.GetProperty("title").GetString(), a.GetProperty("detail").GetString()).ShouldBe((b.GetProperty("title").GetString(), b.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Token_MissingFields_Returns400ProblemNamingEachMissingField()
    {
        var client = app.Anonymous();

        var none = await client.PostAsJsonAsync("/api/v1/token", new { });
        var emailOnly = await client.PostAsJsonAsync("/api/v1/token", new { email = "someone@test.invalid", code = "12345" });

        none.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        none.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var errors = (await none.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Order().ShouldBe(["code", "email", "password"]);
        errors.GetProperty("password")[0].GetString().ShouldBe("Enter the password.");
        var partial = (await emailOnly.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        emailOnly.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        partial.EnumerateObject().Select(e => e.Name).Order().ShouldBe(["code", "password"]);
    }

    [Fact]
    public async Task Token_NoBody_Returns400Problem()
    {
        var response = await app.Anonymous().PostAsync("/api/v1/token", new StringContent("", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Api_GarbageToken_Returns401(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/api/v1/me");

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Api_ExpiredToken_Returns401ButTheSameTokenUnexpiredIsAccepted()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var expired = await TokenAsync(user, DateTimeOffset.UtcNow.AddMinutes(-1));
        var current = await TokenAsync(user, DateTimeOffset.UtcNow.AddMinutes(10));

        var withExpired = await WithToken(expired).GetAsync("/api/v1/me");
        var withCurrent = await WithToken(current).GetAsync("/api/v1/me");

        withExpired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        withCurrent.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Api_NoToken_Returns401AndCookieSessionIsNotEnough()
    {
        var p = await TestPartnership.CreateAsync(app);
        var cookie = await app.SignInAsync(await p.UserAsync(p.School));

        (await app.Anonymous().GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await cookie.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEveryCookieSessionAndToken()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var here = await app.SignInAsync(user);
        var elsewhere = await app.SignInAsync(user);
        var api = await app.ApiClientAsync(user);
        (await elsewhere.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var signOut = await here.PostFormAsync("/account?handler=SignOutEverywhere", [], formPage: "/account");

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signOut.Headers.Location!.OriginalString.ShouldBe("/sign-out");
        var elsewhereAfter = await elsewhere.GetAsync("/");
        elsewhereAfter.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        elsewhereAfter.LocationPath().ShouldBe("/sign-in");
        (await elsewhere.GetAsync("/people")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await here.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var apiAfter = await api.GetAsync("/api/v1/me");
        apiAfter.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        apiAfter.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task SignOutEverywhere_WithoutAntiforgeryToken_IsRefusedAndSessionsLast()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var client = await app.SignInAsync(user);
        var api = await app.ApiClientAsync(user);

        var forged = await client.PostAsync("/account?handler=SignOutEverywhere", new FormUrlEncodedContent([]));

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("password1234", "PasswordTooCommon")]
    [InlineData("Password123!", "PasswordTooCommon")]
    [InlineData("short-words", "PasswordTooShort")]
    [InlineData("aaaaaaaaaaaaaaaa", "PasswordRequiresUniqueChars")]
    public async Task CreateUser_WeakPassword_IsRefusedWithTheReason(string password, string code)
    {
        var p = await TestPartnership.CreateAsync(app);

        var result = await app.AsSystemAsync((_, services) => services.GetRequiredService<UserManager<WaypointUser>>().CreateAsync(NewUser(p), password));

        result.Succeeded.ShouldBeFalse();
        var error = result.Errors.ShouldHaveSingleItem();
        error.Code.ShouldBe(code);
        error.Description.ShouldBe(code switch
        {
            "PasswordTooCommon" => "Choose a password that is harder to guess: this one is commonly used or contains your email name. Three random words work well.",
            "PasswordTooShort" => "Passwords must be at least 12 characters.",
            _ => error.Description,
        });
    }

    [Fact]
    public async Task CreateUser_PasswordContainingTheEmailName_IsRefused()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = NewUser(p);

        var result = await app.AsSystemAsync((_, services) => services.GetRequiredService<UserManager<WaypointUser>>().CreateAsync(user, $"my-{user.Email!.Split('@')[0]}-pass"));

        result.Errors.ShouldHaveSingleItem().Code.ShouldBe("PasswordTooCommon");
    }

    [Fact]
    public async Task CreateUser_ThreeRandomWords_IsAccepted()
    {
        var p = await TestPartnership.CreateAsync(app);

        var result = await app.AsSystemAsync((_, services) => services.GetRequiredService<UserManager<WaypointUser>>().CreateAsync(NewUser(p), "kettle-saffron-meadow"));

        result.Succeeded.ShouldBeTrue();
    }

    private HttpClient WithToken(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A token as the token endpoint would issue it, with the expiry chosen by the test.</summary>
    private Task<string> TokenAsync(TestUser user, DateTimeOffset expires) =>
        app.AsSystemAsync(async (_, services) =>
        {
            var users = services.GetRequiredService<UserManager<WaypointUser>>();
            var principal = await services.GetRequiredService<SignInManager<WaypointUser>>().CreateUserPrincipalAsync((await users.FindByIdAsync(user.Id.ToString()))!);
            var options = services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityServices.BearerScheme);
            var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = expires.AddHours(-1), ExpiresUtc = expires }, IdentityServices.BearerScheme);
            return options.BearerTokenProtector.Protect(ticket);
        });

    private Task<int> FailedCountAsync(TestUser user) =>
        app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == user.Id).Select(u => u.AccessFailedCount).SingleAsync());

    private static WaypointUser NewUser(TestPartnership p)
    {
        var email = $"new-{Guid.NewGuid():N}@test.invalid";
        return new WaypointUser { UserName = email, Email = email, DisplayName = "New user", OrganisationId = p.School.Id, CreatedAt = DateTimeOffset.UtcNow };
    }

    private async Task<(string Email, string Password)> UserWithoutAuthenticatorAsync(TestPartnership p)
    {
        var user = NewUser(p);
        const string password = "kettle-saffron-meadow";
        var result = await app.AsSystemAsync(async (_, services) =>
        {
            var users = services.GetRequiredService<UserManager<WaypointUser>>();
            var created = await users.CreateAsync(user, password);
            return created.Succeeded ? await users.AddToRoleAsync(user, Roles.Practitioner) : created;
        });
        result.Succeeded.ShouldBeTrue();
        return (user.Email!, password);
    }

    private static string WrongCode(TestUser user) => WrongCode(user.TotpSecret);

    /// <summary>A code that no window the server accepts (a few steps either side of now) would give.</summary>
    private static string WrongCode(string secret)
    {
        var now = DateTimeOffset.UtcNow;
        var accepted = Enumerable.Range(-4, 9).Select(step => Totp.Code(secret, now.AddSeconds(step * 30))).ToHashSet();
        return Enumerable.Range(0, 20).Select(i => (i * 111_111 % 1_000_000).ToString("D6")).First(c => !accepted.Contains(c));
    }
}

public sealed class SignInTestsOnSqlite(SqliteApp app) : SignInTests(app), IClassFixture<SqliteApp>;

public sealed class SignInTestsOnPostgres(PostgresApp app) : SignInTests(app), IClassFixture<PostgresApp>;
