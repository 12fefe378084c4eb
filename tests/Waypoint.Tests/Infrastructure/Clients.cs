using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Waypoint.Tests.Infrastructure;

/// <summary>Signed-in HTTP clients: through the sign-in pages (cookie) or the token endpoint (bearer).</summary>
public static class Clients
{
    private static readonly HtmlParser Parser = new();

    public static HttpClient Anonymous(this WaypointApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the real pages: password, then the authenticator code.</summary>
    public static async Task<HttpClient> SignInAsync(this WaypointApp app, TestUser user)
    {
        var client = app.Anonymous();
        var password = await client.PostFormAsync("/sign-in", new() { ["Email"] = user.Email, ["Password"] = user.Password });
        if (password.StatusCode != HttpStatusCode.Redirect || password.Headers.Location?.OriginalString.StartsWith("/sign-in/code") != true)
            throw new InvalidOperationException($"The password step did not lead to the code step: {(int)password.StatusCode} {password.Headers.Location}");
        var code = await client.PostFormAsync("/sign-in/code", new() { ["Code"] = user.CurrentCode() });
        if (code.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"The code step failed: {(int)code.StatusCode}");
        return client;
    }

    /// <summary>A client carrying a bearer token from <c>POST /api/v1/token</c>.</summary>
    public static async Task<HttpClient> ApiClientAsync(this WaypointApp app, TestUser user)
    {
        var client = app.Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/token", new { email = user.Email, password = user.Password, code = user.CurrentCode() });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    /// <summary>GETs the page the form is on, then posts the fields with its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, Dictionary<string, string> fields, string? formPage = null)
    {
        var page = await client.GetAsync(formPage ?? url);
        var html = await page.Content.ReadAsStringAsync();
        var token = AntiforgeryToken(html);
        var body = new Dictionary<string, string>(fields);
        if (token is not null)
            body["__RequestVerificationToken"] = token;
        return await client.PostAsync(url, new FormUrlEncodedContent(body));
    }

    public static string? AntiforgeryToken(string html) =>
        Parser.ParseDocument(html).QuerySelector("input[name=__RequestVerificationToken]") is IHtmlInputElement input ? input.Value : null;

    public static async Task<IHtmlDocument> GetDocumentAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);

    private sealed record TokenResponse(string AccessToken);
}

public static class ResponseExtensions
{
    /// <summary>The path a redirect points to, without its query (Location is usually relative here).</summary>
    public static string LocationPath(this HttpResponseMessage response) =>
        response.Headers.Location switch
        {
            null => throw new InvalidOperationException($"No Location header on a {(int)response.StatusCode} response."),
            { IsAbsoluteUri: true } absolute => absolute.AbsolutePath,
            var relative => relative.OriginalString.Split('?')[0],
        };
}
