using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Waypoint.Tests.Access;

/// <summary>A GET route of the running app that takes a person's id, and how to call it for one person.</summary>
public sealed record PersonRoute(string Pattern, string Name, bool IsApi, IReadOnlyList<string> Segments, string PersonParameter)
{
    public string UrlFor(Guid personId) =>
        "/" + string.Join("/", Segments.Select(s => s == "{" + PersonParameter + "}" ? personId.ToString() : s));

    public override string ToString() => Pattern;
}

/// <summary>
/// Finds every person-level GET route in the app's endpoint data source (Razor pages and minimal
/// APIs alike): a route with a parameter straight after a <c>people</c> segment, or a parameter
/// named <c>personId</c>. A new person-level route is therefore tested without anyone listing it.
/// </summary>
public static class PersonRoutes
{
    /// <summary>
    /// Routes that take a person's id but deliberately show nothing of the person, with why. Each
    /// is still checked to reveal nothing (see AccessMatrixTests).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotReads = new Dictionary<string, string>
    {
        ["/people/{id:guid}/break-glass"] = "the break-glass form is for people the reader cannot see; it shows only a reason box",
    };

    /// <summary>
    /// Forms for recording school records: the person is opened (and audited) like any read, but
    /// only a user of the pupil's current school may use the form; anyone else who may see the
    /// pupil gets 403. Someone who may not see the pupil still gets 404.
    /// </summary>
    public static bool OnlyForTheCurrentSchool(PersonRoute route) => OnlyForTheCurrentSchool(route.Pattern);

    public static bool OnlyForTheCurrentSchool(string pattern) =>
        pattern.StartsWith("/people/{id:guid}/school/", StringComparison.Ordinal);

    public static IReadOnlyList<PersonRoute> Discover(IServiceProvider services, out IReadOnlyList<string> unsupported)
    {
        var routes = new List<PersonRoute>();
        var problems = new List<string>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is not null && !methods.Contains("GET"))
                continue;
            var segments = endpoint.RoutePattern.PathSegments;
            var personParameter = PersonParameter(segments);
            if (personParameter is null)
                continue;
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var texts = new List<string>();
            foreach (var segment in segments)
            {
                if (segment.IsSimple && segment.Parts[0] is RoutePatternLiteralPart literal)
                    texts.Add(literal.Content);
                else if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart parameter && parameter.Name == personParameter.Name)
                    texts.Add("{" + parameter.Name + "}");
                else if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart { IsOptional: true })
                    continue;
                else
                {
                    problems.Add($"{pattern}: segment {segments.ToList().IndexOf(segment) + 1} needs a value this test cannot make up; teach PersonRoutes how to fill it");
                    texts.Clear();
                    break;
                }
            }
            if (texts.Count > 0)
                routes.Add(new PersonRoute(pattern, endpoint.DisplayName ?? pattern, pattern.StartsWith("/api/", StringComparison.Ordinal), texts, personParameter.Name));
        }
        unsupported = problems;
        return routes.DistinctBy(r => r.Pattern).OrderBy(r => r.Pattern, StringComparer.Ordinal).ToList();
    }

    private static RoutePatternParameterPart? PersonParameter(IReadOnlyList<RoutePatternPathSegment> segments)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            if (!segments[i].IsSimple || segments[i].Parts[0] is not RoutePatternParameterPart parameter)
                continue;
            if (string.Equals(parameter.Name, "personId", StringComparison.OrdinalIgnoreCase))
                return parameter;
            if (i > 0 && segments[i - 1].IsSimple && segments[i - 1].Parts[0] is RoutePatternLiteralPart { Content: var previous }
                && string.Equals(previous, "people", StringComparison.OrdinalIgnoreCase))
                return parameter;
        }
        return null;
    }
}
