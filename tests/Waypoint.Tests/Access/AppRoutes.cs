using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Waypoint.Tests.Access;

/// <summary>What a route's key (its one route parameter) names.</summary>
public enum KeyKind
{
    /// <summary>No route parameter: a list, a form that creates, or a page about the reader.</summary>
    None,
    Person,
    Case,
    Referral,
    Alert,
    Notification,
    Import,
    User,
    Organisation,
    Area,
    BreakGlassGrant,
    PersonMerge,
    AgreementVersion,
    Service,
    ServiceReferral,
    MeetingSeries,
    Meeting,
    AgendaItem,
    MeetingInvitee,
    MeetingAction,
}

/// <summary>
/// One verb of one route of the running app: a Razor page handler (named handlers are called with
/// <c>?handler=X</c>) or a minimal API endpoint, and how to call it for one record.
/// </summary>
public sealed record AppRoute(string Pattern, string Verb, string? Handler, bool IsApi, IReadOnlyList<string> Segments, string? KeyParameter, KeyKind Key)
{
    public bool IsWrite => Verb != "GET";

    /// <summary>The route with its verb and handler, as the failures and the counts name it.</summary>
    public string Name => $"{Verb} {Pattern}{(Handler is null ? "" : "?handler=" + Handler)}";

    public string UrlFor(Guid? key)
    {
        if (KeyParameter is not null && key is null)
            throw new InvalidOperationException($"{Name} needs a {Key} id.");
        var path = "/" + string.Join("/", Segments.Select(s => s == "{" + KeyParameter + "}" ? key!.Value.ToString() : s));
        return Handler is null ? path : $"{path}?handler={Handler}";
    }

    public override string ToString() => Name;
}

/// <summary>
/// Every route of the app, read from its endpoint data source: each Razor page with every handler
/// its page model declares (<c>OnGet</c>, <c>OnPost</c>, <c>OnPost{X}Async</c>...), each minimal API
/// endpoint with every verb it maps. A route added tomorrow is found without anyone listing it;
/// a route whose key this test does not know is reported, never skipped.
/// </summary>
public static class AppRoutes
{
    private static readonly Dictionary<string, KeyKind> KeyBySegment = new(StringComparer.OrdinalIgnoreCase)
    {
        ["people"] = KeyKind.Person,
        ["cases"] = KeyKind.Case,
        ["referrals"] = KeyKind.Referral,
        ["alerts"] = KeyKind.Alert,
        ["notifications"] = KeyKind.Notification,
        ["imports"] = KeyKind.Import,
        ["users"] = KeyKind.User,
        ["organisations"] = KeyKind.Organisation,
        ["areas"] = KeyKind.Area,
        ["break-glass"] = KeyKind.BreakGlassGrant,
        ["merge"] = KeyKind.PersonMerge,
        ["versions"] = KeyKind.AgreementVersion,
        ["services"] = KeyKind.Service,
        ["find-a-service"] = KeyKind.Service,
        ["service-referrals"] = KeyKind.ServiceReferral,
        ["series"] = KeyKind.MeetingSeries,
        ["meetings"] = KeyKind.Meeting,
        ["agenda-items"] = KeyKind.AgendaItem,
        ["invitees"] = KeyKind.MeetingInvitee,
        ["actions"] = KeyKind.MeetingAction,
    };

    /// <summary>Route parameters that are not keys but have one sensible value.</summary>
    private static readonly Dictionary<string, string> KnownValues = new() { ["documentName"] = "v1" };

    public static IReadOnlyList<AppRoute> Discover(IServiceProvider services, out IReadOnlyList<string> unsupported)
    {
        var routes = new List<AppRoute>();
        var problems = new List<string>();
        var loader = services.GetRequiredService<PageLoader>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.Trim('/');
            if (!TrySegments(endpoint.RoutePattern, out var segments, out var keyParameter, out var key, out var problem))
            {
                problems.Add($"{pattern}: {problem}");
                continue;
            }
            var isApi = pattern.StartsWith("/api/", StringComparison.Ordinal);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = loader.LoadAsync(page, endpoint.Metadata).GetAwaiter().GetResult();
                foreach (var handler in compiled.HandlerMethods)
                    routes.Add(new AppRoute(pattern, handler.HttpMethod.ToUpperInvariant(), handler.Name, isApi, segments, keyParameter, key));
                continue;
            }
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            if (methods is null)
                continue; // fallbacks and static assets: no verb of their own, nothing of anyone's
            foreach (var verb in methods.Where(m => m != "HEAD" && m != "OPTIONS"))
                routes.Add(new AppRoute(pattern, verb, null, isApi, segments, keyParameter, key));
        }
        unsupported = problems;
        return routes.DistinctBy(r => r.Name).OrderBy(r => r.Pattern, StringComparer.Ordinal).ThenBy(r => r.Verb).ThenBy(r => r.Handler).ToList();
    }

    private static bool TrySegments(RoutePattern pattern, out List<string> texts, out string? keyParameter, out KeyKind key, out string? problem)
    {
        texts = [];
        keyParameter = null;
        key = KeyKind.None;
        problem = null;
        string? previous = null;
        foreach (var segment in pattern.PathSegments)
        {
            if (segment.IsSimple && segment.Parts[0] is RoutePatternLiteralPart literal)
            {
                texts.Add(literal.Content);
                previous = literal.Content;
                continue;
            }
            if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart { IsOptional: true })
                continue;
            if (segment.IsSimple && segment.Parts[0] is RoutePatternParameterPart parameter && keyParameter is null
                && previous is not null && KeyBySegment.TryGetValue(previous, out var kind))
            {
                keyParameter = parameter.Name;
                key = kind;
                texts.Add("{" + parameter.Name + "}");
                continue;
            }
            if (!segment.IsSimple && segment.Parts.All(part => part is RoutePatternLiteralPart || part is RoutePatternParameterPart pp && KnownValues.ContainsKey(pp.Name)))
            {
                texts.Add(string.Concat(segment.Parts.Select(part => part is RoutePatternLiteralPart l ? l.Content : KnownValues[((RoutePatternParameterPart)part).Name])));
                continue;
            }
            problem = $"segment {pattern.PathSegments.ToList().IndexOf(segment) + 1} needs a value this test cannot make up; teach AppRoutes.KeyBySegment (and AccessWorld the records of that kind) or KnownValues what it names";
            return false;
        }
        return true;
    }

    /// <summary>The page model's handler method for a page route (for the fuzz test's field names).</summary>
    public static MethodInfo? HandlerMethod(IServiceProvider services, AppRoute route)
    {
        var loader = services.GetRequiredService<PageLoader>();
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not { } page || "/" + endpoint.RoutePattern.RawText!.Trim('/') != route.Pattern)
                continue;
            var compiled = loader.LoadAsync(page, endpoint.Metadata).GetAwaiter().GetResult();
            return compiled.HandlerMethods.FirstOrDefault(h => h.HttpMethod.Equals(route.Verb, StringComparison.OrdinalIgnoreCase) && h.Name == route.Handler)?.MethodInfo;
        }
        return null;
    }

    public static bool IsPage(this AppRoute route) => !route.IsApi;

    /// <summary>The page model type of a page route (bound properties name the form's fields).</summary>
    public static Type? PageModelType(IServiceProvider services, AppRoute route) => HandlerMethod(services, route)?.DeclaringType is { } t && typeof(PageModel).IsAssignableFrom(t) ? t : null;
}
