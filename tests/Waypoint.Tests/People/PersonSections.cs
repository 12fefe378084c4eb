using System.Net;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// The sections of the person page, each a URL of its own. A test that says something must not
/// show reads every section, so splitting the page can never hide a leak in a section not looked at.
/// </summary>
public static class PersonSections
{
    /// <summary>The path after <c>/people/{id}</c> of each section: the summary, then the others in the sub-navigation's order.</summary>
    public static readonly IReadOnlyList<string> Paths = ["", "/school", "/cases", "/police-and-risk", "/family"];

    public static string Url(Guid personId, string section = "") => $"/people/{personId}{section}";

    /// <summary>Every section's body text, one after another; each section must answer 200.</summary>
    public static async Task<string> AllTextAsync(HttpClient client, Guid personId)
    {
        var texts = new List<string>();
        foreach (var section in Paths)
        {
            var response = await client.GetAsync(Url(personId, section));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, section);
            texts.Add(Clients.Parse(await response.Content.ReadAsStringAsync()).Body!.TextContent);
        }
        return string.Join("\n", texts);
    }

    /// <summary>Every section's whole HTML (attributes and links included), for checks of what must not appear anywhere.</summary>
    public static async Task<string> AllHtmlAsync(HttpClient client, Guid personId)
    {
        var pages = new List<string>();
        foreach (var section in Paths)
        {
            var response = await client.GetAsync(Url(personId, section));
            response.StatusCode.ShouldBe(HttpStatusCode.OK, section);
            pages.Add(await response.Content.ReadAsStringAsync());
        }
        return string.Join("\n", pages);
    }
}
