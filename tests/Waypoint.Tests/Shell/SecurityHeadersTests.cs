using System.Net;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>The headers every page carries, and pages that keep to the CSP (no inline script or style for it to block).</summary>
public abstract class SecurityHeadersTests(WaypointApp app)
{
    [Theory]
    [InlineData("/sign-in")]
    [InlineData("/health/live")]
    [InlineData("/does-not-exist")]
    public async Task AnyResponse_CarriesTheSecurityHeaders(string url)
    {
        var response = await app.Anonymous().GetAsync(url);

        AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task SignedInPagesAndApi_CarryTheSecurityHeadersAndAreNotCached()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        var pupil = await p.YoungPersonAsync("Ava", "Stone", new DateOnly(2011, 4, 4), enrolledAt: p.School);
        var client = await app.SignInAsync(user);
        var api = await app.ApiClientAsync(user);

        foreach (var response in new[] { await client.GetAsync("/"), await client.GetAsync($"/people/{pupil.Id}"), await api.GetAsync($"/api/v1/people/{pupil.Id}") })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            AssertSecurityHeaders(response);
            // Person-level pages must not stay in a shared computer's browser cache.
            response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        }
    }

    [Fact]
    public async Task Pages_HaveNoInlineScriptStyleOrEventHandlers()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ava", $"Stone{p.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: p.School);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var pages = new[] { "/", "/people", $"/people?Name=Ava+Stone{p.Suffix}", "/people/new", $"/people/{pupil.Id}", $"/people/{Guid.NewGuid()}", $"/people/{pupil.Id}/break-glass", "/account" };

        var offences = new List<string>();
        foreach (var url in pages.Select(u => (Client: client, Url: u)).Append((Client: app.Anonymous(), Url: "/sign-in")))
        {
            var document = await url.Client.GetDocumentAsync(url.Url);
            document.QuerySelector("main, .govuk-main-wrapper").ShouldNotBeNull($"{url.Url} did not render a page");
            offences.AddRange(InlineCode(document).Select(o => $"{url.Url}: {o}"));
        }

        offences.ShouldBeEmpty();
    }

    internal static void AssertSecurityHeaders(HttpResponseMessage response)
    {
        var csp = response.Headers.GetValues("Content-Security-Policy").ShouldHaveSingleItem();
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d.Split(' ')[1..]);
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldNotContain("unsafe-eval");
        directives["frame-ancestors"].ShouldBe(["'none'"]);
        directives["script-src"].ShouldBe(["'self'"]);
        directives["style-src"].ShouldBe(["'self'"]);
        directives["object-src"].ShouldBe(["'none'"]);
        response.Headers.GetValues("X-Content-Type-Options").ShouldHaveSingleItem().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").ShouldHaveSingleItem().ShouldBeOneOf("no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin");
        response.Headers.GetValues("X-Frame-Options").ShouldHaveSingleItem().ShouldBe("DENY");
    }

    private static IEnumerable<string> InlineCode(IDocument document)
    {
        foreach (var script in document.QuerySelectorAll("script:not([src])"))
            yield return $"inline script \"{Shorten(script.TextContent)}\"";
        foreach (var _ in document.QuerySelectorAll("style"))
            yield return "a <style> element";
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name == "style")
                    yield return $"style=\"{attribute.Value}\" on <{element.LocalName}>";
                else if (attribute.Name.StartsWith("on", StringComparison.Ordinal))
                    yield return $"{attribute.Name} handler on <{element.LocalName}>";
                else if (attribute.Name is "href" or "src" && attribute.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                    yield return $"javascript: URL on <{element.LocalName}>";
            }
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s.Trim() : s.Trim()[..60] + "...";
}

public sealed class SecurityHeadersTestsOnSqlite(SqliteApp app) : SecurityHeadersTests(app), IClassFixture<SqliteApp>;

public sealed class SecurityHeadersTestsOnPostgres(PostgresApp app) : SecurityHeadersTests(app), IClassFixture<PostgresApp>;

/// <summary>The app as deployed (Production environment): HSTS is on for HTTPS requests.</summary>
public sealed class ProductionHeadersTests(ProductionHeadersTests.ProductionApp app) : IClassFixture<ProductionHeadersTests.ProductionApp>
{
    public sealed class ProductionApp() : WaypointApp(DatabaseKind.Sqlite)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
        }
    }

    [Fact]
    public async Task HttpsResponse_InProduction_CarriesHstsForAYear()
    {
        app.Services.GetRequiredService<IHostEnvironment>().IsProduction().ShouldBeTrue();
        // HSTS is never sent for localhost (the browser would pin it for every local app), so ask as a real host.
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://waypoint.example/"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/sign-in");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Strict-Transport-Security").ShouldHaveSingleItem().ShouldStartWith("max-age=31536000");
        SecurityHeadersTests.AssertSecurityHeaders(response);
    }

    [Fact]
    public async Task SignInCookies_InProduction_AreSecureAndHttpOnly()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://waypoint.example/"), AllowAutoRedirect = false });

        var response = await client.GetAsync("/sign-in");

        var antiforgery = response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("waypoint.af=", StringComparison.Ordinal)).ShouldHaveSingleItem();
        antiforgery.ShouldContain("secure", Case.Insensitive);
        antiforgery.ShouldContain("httponly", Case.Insensitive);
    }
}
