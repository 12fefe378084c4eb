using System.Text.RegularExpressions;
using Shouldly;

namespace Waypoint.Tests.Infrastructure;

/// <summary>
/// That a page (its HTML, or a JSON body) does not name someone. Shouldly's <c>ShouldNotContain</c> compares a substring
/// without regard to case, so a short generated name ("Dov", "Zora") turns up now and then inside the random base64 of an
/// antiforgery token: a three-letter name across a person's five sections, each with its tokens, about one run in twenty.
/// A name is looked for as a word of its own, in its own case.
/// </summary>
public static class PageText
{
    public static void ShouldNotName(this string page, string name) =>
        Regex.IsMatch(page, $"(?<![A-Za-z0-9]){Regex.Escape(name)}(?![A-Za-z0-9])")
            .ShouldBeFalse($"the page names \"{name}\"");
}
