using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Waypoint.Identity;

namespace Waypoint.Features.Api;

public sealed record ApiOperation(
    string Method, string Path, string? Summary, string Group, bool Anonymous, string Access,
    IReadOnlyList<ApiParameter> Parameters, ApiBody? RequestBody, IReadOnlyList<ApiResponse> Responses)
{
    public string Anchor => string.Concat($"{Method}-{Path}".ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')).Replace("--", "-").Trim('-');
}

public sealed record ApiParameter(string Name, string Where, string Type, bool Required);
public sealed record ApiBody(string ContentType, ApiSchema Schema);
public sealed record ApiResponse(int Status, string Meaning, ApiSchema? Schema);

/// <summary>A type as the reference shows it: a readable name and, for an object, its JSON fields one level deep.</summary>
public sealed record ApiSchema(string TypeName, IReadOnlyList<ApiField> Fields);
public sealed record ApiField(string Name, string Type, bool Required);

/// <summary>
/// The API reference, read at run time from the same endpoint metadata (ApiExplorer) that the
/// OpenAPI document is built from, so the page cannot drift from the routes it describes.
/// </summary>
public static partial class ApiReference
{
    public const string Prefix = "api/v1";

    public static IReadOnlyList<ApiOperation> Describe(IApiDescriptionGroupCollectionProvider provider) =>
        provider.ApiDescriptionGroups.Items
            .SelectMany(g => g.Items)
            .Where(d => d.RelativePath is { } path && (path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal)))
            .Select(Describe)
            .OrderBy(o => o.Group == Unsecured ? 0 : 1).ThenBy(o => o.Group, StringComparer.Ordinal)
            .ThenBy(o => o.Anonymous ? 0 : 1).ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => MethodOrder(o.Method))
            .ToList();

    private const string Unsecured = "Tokens and your account";

    private static ApiOperation Describe(ApiDescription d)
    {
        var metadata = d.ActionDescriptor.EndpointMetadata;
        var summary = metadata.OfType<IEndpointSummaryMetadata>().LastOrDefault()?.Summary;
        var tag = metadata.OfType<ITagsMetadata>().SelectMany(t => t.Tags).LastOrDefault(t => t != "v1");
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        List<string> policies = anonymous ? [] : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var access = anonymous ? "None: this is how you get a token" : string.Join("; ", policies.Select(DescribePolicy).Prepend("A bearer token").Distinct());

        var parameters = d.ParameterDescriptions
            .Where(p => p.Source != BindingSource.Body)
            .Select(p => new ApiParameter(p.Name, DescribeSource(p.Source), DescribeType(p.Type), p.IsRequired))
            .ToList();
        var body = d.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body) is { Type: { } bodyType }
            ? new ApiBody(d.SupportedRequestFormats.FirstOrDefault()?.MediaType ?? "application/json", Schema(bodyType))
            : null;

        var responses = d.SupportedResponseTypes
            .Select(r => new ApiResponse(r.StatusCode, DescribeStatus(r.StatusCode), r.Type is null || r.Type == typeof(void) ? null : Schema(r.Type)))
            .ToList();
        // Every secured operation can refuse a missing token, and a role policy a token without the role.
        if (!anonymous && responses.All(r => r.Status != 401))
            responses.Add(new ApiResponse(401, DescribeStatus(401), null));
        if (policies.Any(p => p != Policies.Api) && responses.All(r => r.Status != 403))
            responses.Add(new ApiResponse(403, DescribeStatus(403), null));

        return new ApiOperation(d.HttpMethod ?? "GET", DisplayPath(d.RelativePath!), summary, anonymous ? Unsecured : tag ?? Unsecured, anonymous, access,
            parameters, body, responses.OrderBy(r => r.Status).ToList());
    }

    /// <summary>The path as the OpenAPI document and a caller write it: no route constraints, no trailing slash.</summary>
    public static string DisplayPath(string relativePath) =>
        "/" + RouteParameter().Replace(relativePath, m => "{" + m.Groups[1].Value + "}").TrimEnd('/');

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    private static int MethodOrder(string method) => Array.IndexOf(["GET", "POST", "PUT", "PATCH", "DELETE"], method) is var i and >= 0 ? i : 9;

    private static string DescribePolicy(string policy) => policy switch
    {
        Policies.Api => "A bearer token",
        Policies.DataProtection => "the data-protection officer role",
        Policies.PartnershipAdmin => "the partnership administrator role",
        Policies.OrganisationAdmin => "an organisation or partnership administrator role",
        _ => $"the {policy} policy",
    };

    private static string DescribeSource(BindingSource? source) =>
        source == BindingSource.Path ? "path"
        : source == BindingSource.Query ? "query"
        : source == BindingSource.Header ? "header"
        : source == BindingSource.Form || source == BindingSource.FormFile ? "form"
        : source?.DisplayName.ToLowerInvariant() ?? "query";

    public static string DescribeStatus(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No content",
        400 => "The request is invalid: problem details name each field",
        401 => "No valid token, or the credentials were refused",
        403 => "The token's account lacks the role this needs",
        404 => "Not found, or not visible to you",
        409 => "Conflict",
        _ => $"HTTP {status}",
    };

    public static ApiSchema Schema(Type type)
    {
        var element = ElementType(type) ?? type;
        var fields = IsObject(element)
            ? element.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
                .Select(p => new ApiField(JsonName(p), DescribeType(p.PropertyType),
                    p.GetCustomAttribute<RequiredAttribute>() is not null || p.GetCustomAttribute<RequiredMemberAttribute>() is not null
                    || p.GetCustomAttribute<JsonRequiredAttribute>() is not null))
                .ToList()
            : [];
        return new ApiSchema(DescribeType(type), fields);
    }

    public static string DescribeType(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner)
            return DescribeType(inner);
        if (type.IsEnum)
            return "one of " + string.Join(", ", Enum.GetNames(type));
        if (ElementType(type) is { } element)
            return "list of " + DescribeType(element);
        if (type == typeof(HttpValidationProblemDetails) || type == typeof(ValidationProblemDetails))
            return "validation problem details (RFC 7807)";
        if (type == typeof(ProblemDetails))
            return "problem details (RFC 7807)";
        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => "string",
            TypeCode.Boolean => "boolean",
            TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.Byte => "integer",
            TypeCode.Decimal or TypeCode.Double or TypeCode.Single => "number",
            _ when type == typeof(Guid) => "uuid",
            _ when type == typeof(DateOnly) => "date (yyyy-mm-dd)",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "date and time (ISO 8601)",
            _ when type == typeof(TimeSpan) => "duration",
            _ => type.Name,
        };
    }

    private static bool IsObject(Type t) =>
        (t.IsClass || (t.IsValueType && !t.IsPrimitive && !t.IsEnum)) && t != typeof(string) && t.Namespace?.StartsWith("System", StringComparison.Ordinal) != true
        && t != typeof(HttpValidationProblemDetails) && t != typeof(ProblemDetails);

    private static Type? ElementType(Type t)
    {
        if (t == typeof(string))
            return null;
        if (t.IsArray)
            return t.GetElementType();
        var enumerable = t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? t
            : t.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }

    private static string JsonName(PropertyInfo p) =>
        p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name);
}
