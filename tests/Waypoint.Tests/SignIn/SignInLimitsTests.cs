using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.SignIn;

/// <summary>
/// The app with real sign-in limits, a hasher that counts its verifications, and each request's
/// network address taken from a test header (in-process requests have none).
/// </summary>
public abstract class SignInLimitsApp(DatabaseKind kind) : WaypointApp(kind)
{
    public const string AddressHeader = "X-Test-Address";

    public CountingHasher Hasher { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("SignInLimits:PerAddressPermits", "20"),
        new("SignInLimits:PerAddressWindow", "00:01:00"),
        new("SignInLimits:PerAccountPermits", "10"),
        new("SignInLimits:PerAccountWindow", "00:15:00"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter, AddressFromHeader>();
            var real = services.Single(s => s.ServiceType == typeof(IPasswordHasher<WaypointUser>));
            services.Remove(real);
            services.AddScoped<IPasswordHasher<WaypointUser>>(sp =>
            {
                Hasher.Inner = (IPasswordHasher<WaypointUser>)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!);
                return Hasher;
            });
        });
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (http.Request.Headers.TryGetValue(AddressHeader, out var address))
                    http.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                return nextMiddleware(http);
            });
            next(app);
        };
    }

    public HttpClient From(string address)
    {
        var client = this.Anonymous();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }
}

public sealed class CountingHasher : IPasswordHasher<WaypointUser>
{
    private int verifications;

    public IPasswordHasher<WaypointUser> Inner { get; set; } = new PasswordHasher<WaypointUser>();

    public int Verifications => Volatile.Read(ref verifications);

    public string HashPassword(WaypointUser user, string password) => Inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(WaypointUser user, string hashedPassword, string providedPassword)
    {
        Interlocked.Increment(ref verifications);
        return Inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
    }
}

public sealed class SignInLimitsSqliteApp() : SignInLimitsApp(DatabaseKind.Sqlite);

public sealed class SignInLimitsPostgresApp() : SignInLimitsApp(DatabaseKind.Postgres);

/// <summary>Unknown accounts cost what known ones do, and attempts are limited per address and per account.</summary>
public abstract class SignInLimitsTests(SignInLimitsApp app)
{
    private static int nextAddress;

    private static string NewAddress()
    {
        var n = Interlocked.Increment(ref nextAddress);
        return $"198.51.{n / 250 % 250}.{n % 250 + 1}";
    }

    private static string UnknownEmail() => $"nobody-{Guid.NewGuid():N}@test.invalid";

    [Fact]
    public async Task SignInAndToken_UnknownEmail_VerifiesAPasswordHashAsAKnownAccountDoes()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);

        var before = app.Hasher.Verifications;
        await app.From(NewAddress()).PostFormAsync("/sign-in", new() { ["Email"] = UnknownEmail(), ["Password"] = "a-guess-at-a-password" });
        var afterPage = app.Hasher.Verifications;
        await app.From(NewAddress()).PostAsJsonAsync("/api/v1/token", new { email = UnknownEmail(), password = "a-guess-at-a-password", code = "123456" });
        var afterToken = app.Hasher.Verifications;
        await app.From(NewAddress()).PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = "a-guess-at-a-password" });
        var afterKnown = app.Hasher.Verifications;

        (afterPage - before).ShouldBe(1);
        (afterToken - afterPage).ShouldBe(1);
        (afterKnown - afterToken).ShouldBe(1);
    }

    [Fact]
    public async Task SignIn_UnknownEmailAndWrongPassword_TakeComparableTimeAndSayTheSame()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var unknown = new List<double>();
        var known = new List<double>();
        var pages = new List<string>();

        // Alternated, so that a slow moment of a shared machine falls on both.
        for (var i = 0; i < 5; i++)
        {
            foreach (var (email, times) in new[] { (UnknownEmail(), unknown), (user.Email, known) })
            {
                var client = app.From(NewAddress());
                var token = Clients.AntiforgeryToken(await (await client.GetAsync("/sign-in")).Content.ReadAsStringAsync())!;
                var watch = Stopwatch.StartNew();
                var response = await client.PostAsync("/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Email"] = email,
                    ["Password"] = $"wrong-password-{i}",
                    ["__RequestVerificationToken"] = token,
                }));
                times.Add(watch.Elapsed.TotalMilliseconds);
                pages.Add(Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#Email-error")!.TextContent);
            }
        }

        var (u, k) = (Median(unknown), Median(known));
        // Before: about 7 ms against 288 (a ratio of 40). The hash dominates both now.
        (Math.Max(u, k) / Math.Min(u, k)).ShouldBeLessThan(3, $"median unknown {u:F0} ms, known {k:F0} ms");
        pages.Distinct().ShouldHaveSingleItem().ShouldContain("The email address or password is not right");
    }

    [Fact]
    public async Task Token_FortyQuickRequestsFromOneAddress_429WithRetryAfterAndAnotherAddressIsNotAffected()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var attacker = app.From(NewAddress());

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++)
            responses.Add(await attacker.PostAsJsonAsync("/api/v1/token", new { email = UnknownEmail(), password = "a-guess-at-a-password", code = "123456" }));
        var someoneElse = await app.From(NewAddress()).PostAsJsonAsync("/api/v1/token", new { email = user.Email, password = user.Password, code = user.CurrentCode() });

        responses.Take(20).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Unauthorized);
        var refused = responses.Skip(20).ToList();
        refused.ShouldAllBe(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        refused[0].Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        var problem = await refused[0].Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("detail").GetString()!.ShouldStartWith("Too many attempts. Try again in 1 minute");
        someoneElse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Token_ManyAttemptsAtOneAccountFromManyAddresses_429AndAnotherAccountIsNotAffected()
    {
        var p = await TestPartnership.CreateAsync(app);
        var target = await p.UserAsync(p.School);
        var other = await p.UserAsync(p.School);

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 11; i++)
            responses.Add(await app.From(NewAddress()).PostAsJsonAsync("/api/v1/token", new { email = target.Email, password = $"guess-{i}-of-a-password", code = "123456" }));
        var otherAccount = await app.From(NewAddress()).PostAsJsonAsync("/api/v1/token", new { email = other.Email, password = other.Password, code = other.CurrentCode() });

        responses.Take(10).ShouldAllBe(r => r.StatusCode == HttpStatusCode.Unauthorized);
        responses[10].StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        responses[10].Headers.RetryAfter!.Delta!.Value.ShouldBeInRange(TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        otherAccount.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignIn_TooManyAttemptsAtOneAccount_PageSaysTryAgainInMinutesWith429()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);

        HttpResponseMessage? last = null;
        for (var i = 0; i < 11; i++)
            last = await app.From(NewAddress()).PostFormAsync("/sign-in", new() { ["Email"] = user.Email.ToUpperInvariant(), ["Password"] = $"guess-{i}-of-a-password" });

        last!.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        last.Headers.RetryAfter.ShouldNotBeNull();
        var page = Clients.Parse(await last.Content.ReadAsStringAsync());
        page.QuerySelector("#Email-error")!.TextContent.ShouldContain("Too many attempts. Try again in 15 minutes.");
        page.QuerySelector(".govuk-error-summary").ShouldNotBeNull();
    }

    [Fact]
    public async Task SignIn_TooManyAttemptsFromOneAddress_ErrorPageSaysTryAgainWith429()
    {
        var client = app.From(NewAddress());

        HttpResponseMessage? last = null;
        for (var i = 0; i < 21; i++)
            last = await client.PostFormAsync("/sign-in", new() { ["Email"] = UnknownEmail(), ["Password"] = "a-guess-at-a-password" });
        var fromElsewhere = await app.From(NewAddress()).PostFormAsync("/sign-in", new() { ["Email"] = UnknownEmail(), ["Password"] = "a-guess-at-a-password" });

        last!.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        last.Headers.RetryAfter.ShouldNotBeNull();
        var page = Clients.Parse(await last.Content.ReadAsStringAsync());
        page.QuerySelector("h1")!.TextContent.ShouldBe("Too many attempts");
        page.QuerySelector("main")!.TextContent.ShouldContain("Too many attempts. Try again in 1 minute.");
        fromElsewhere.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

public sealed class SignInLimitsTestsOnSqlite(SignInLimitsSqliteApp app) : SignInLimitsTests(app), IClassFixture<SignInLimitsSqliteApp>;

public sealed class SignInLimitsTestsOnPostgres(SignInLimitsPostgresApp app) : SignInLimitsTests(app), IClassFixture<SignInLimitsPostgresApp>;
