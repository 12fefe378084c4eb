using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Waypoint.Tests.Services;

/// <summary>
/// The published Open Referral UK 3.0 JSON Schemas (Services/OrukSchemas, copied unchanged from
/// the compiled UK profile the validator uses), evaluated by JsonSchema.Net with formats enforced:
/// the feed must fit the schema a consumer validates against, not only our reading of it.
/// </summary>
public static class OrukSchema
{
    private static readonly ConcurrentDictionary<string, JsonSchema> Loaded = new();

    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    /// <summary>Whether a published schema for this name ("service", "service_list"...) is held.</summary>
    public static bool Has(string name) => File.Exists(PathOf(name));

    /// <summary>Each place the document breaks the named schema, with the schema's message; empty when it fits.</summary>
    public static List<string> Problems(JsonElement document, string name)
    {
        var schema = Loaded.GetOrAdd(name, n => JsonSchema.FromFile(PathOf(n)));
        var results = schema.Evaluate(JsonNode.Parse(document.GetRawText()), Options);
        if (results.IsValid)
            return [];
        return results.Details
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{name} schema, {d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .DefaultIfEmpty($"{name} schema: not valid")
            .ToList();
    }

    /// <summary>
    /// A page of a kind against the published list schema. The UK profile's
    /// organization_list.json (at the commit copied) is the organization object itself, not a page,
    /// so an organisations page has each item checked against organization.json instead.
    /// </summary>
    public static List<string> PageProblems(JsonElement page, string itemKind)
    {
        if (itemKind != "organization")
            return Has($"{itemKind}_list") ? Problems(page, $"{itemKind}_list") : [];
        if (!page.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array)
            return [];
        return contents.EnumerateArray().SelectMany((item, i) => Problems(item, "organization").Select(p => $"$.contents[{i}]: {p}")).ToList();
    }

    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Services", "OrukSchemas", $"{name}.json");
}
