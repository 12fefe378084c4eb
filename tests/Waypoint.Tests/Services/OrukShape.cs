using System.Text.Json;

namespace Waypoint.Tests.Services;

/// <summary>
/// The published Open Referral UK 3.0 schema (<see cref="OrukSchema"/>) for each whole document,
/// then, stricter than it, the parts of that schema (HSDS 3.0 with the UK profile) that the
/// feed's objects must meet: required fields, types, formats and the status enum. Copied in
/// part from the compiled UK schemas (tpximpact/OpenReferralApi, OpenReferralApi/Schemas/V3.0-UK,
/// commit eba7ab33; Open Referral UK, CC BY-SA 4.0). The page envelope is checked here too: the
/// UK list schemas wrap it in a keyword validators ignore.
/// </summary>
public static class OrukShape
{
    private sealed record Field(string Type, string? Format = null, string? Object = null, string[]? Enum = null);

    private static readonly Dictionary<string, (string[] Required, Dictionary<string, Field> Fields)> Objects = new()
    {
        ["api_details"] = (["version", "profile", "openapi_url"], new()
        {
            ["version"] = new("string"),
            ["profile"] = new("string"),
            ["openapi_url"] = new("string", "uri"),
        }),
        ["service"] = (["id", "name", "status"], new()
        {
            ["id"] = new("string", "uuid"),
            ["organization_id"] = new("string", "uuid"),
            ["name"] = new("string"),
            ["description"] = new("string"),
            ["url"] = new("string", "uri"),
            ["email"] = new("string", "email"),
            ["status"] = new("string", Enum: ["active", "inactive", "defunct", "temporarily closed"]),
            ["fees"] = new("string"),
            ["accreditations"] = new("string"),
            ["minimum_age"] = new("number"),
            ["maximum_age"] = new("number"),
            ["assured_date"] = new("string"),
            ["assurer_email"] = new("string", "email"),
            ["alert"] = new("string"),
            ["last_modified"] = new("string", "date-time"),
            ["schedules"] = new("array", Object: "schedule"),
            ["service_areas"] = new("array", Object: "service_area"),
            ["organization"] = new("object", Object: "organization"),
            ["cost_options"] = new("array", Object: "cost_option"),
            ["contacts"] = new("array", Object: "contact"),
            ["attributes"] = new("array", Object: "attribute"),
            ["service_at_locations"] = new("array"),
            ["languages"] = new("array"),
            ["funding"] = new("array"),
        }),
        ["organization"] = (["id", "name", "description"], new()
        {
            ["id"] = new("string", "uuid"),
            ["name"] = new("string"),
            ["description"] = new("string"),
            ["email"] = new("string", "email"),
            ["website"] = new("string", "uri"),
            ["uri"] = new("string", "uri"),
        }),
        ["contact"] = (["id"], new() { ["id"] = new("string", "uuid"), ["service_id"] = new("string", "uuid"), ["name"] = new("string"), ["title"] = new("string") }),
        ["schedule"] = (["id"], new() { ["id"] = new("string", "uuid"), ["service_id"] = new("string", "uuid"), ["description"] = new("string") }),
        ["service_area"] = (["id"], new()
        {
            ["id"] = new("string", "uuid"),
            ["service_id"] = new("string", "uuid"),
            ["name"] = new("string"),
            ["extent_type"] = new("string"),
            ["uri"] = new("string"),
        }),
        ["cost_option"] = (["id"], new() { ["id"] = new("string", "uuid"), ["service_id"] = new("string", "uuid"), ["option"] = new("string"), ["amount"] = new("number") }),
        ["attribute"] = (["id"], new()
        {
            ["id"] = new("string", "uuid"),
            ["link_id"] = new("string", "uuid"),
            ["taxonomy_term_id"] = new("string", "uuid"),
            ["link_type"] = new("string"),
            ["taxonomy_term"] = new("object", Object: "taxonomy_term"),
        }),
        ["taxonomy"] = (["id", "name", "description"], new()
        {
            ["id"] = new("string", "uuid"),
            ["name"] = new("string"),
            ["description"] = new("string"),
            ["uri"] = new("string", "uri"),
            ["version"] = new("string"),
        }),
        ["taxonomy_term"] = (["id", "name", "description"], new()
        {
            ["id"] = new("string", "uuid"),
            ["name"] = new("string"),
            ["description"] = new("string"),
            ["parent_id"] = new("string", "uuid"),
            ["taxonomy"] = new("string"),
            ["taxonomy_id"] = new("string", "uuid"),
            ["term_uri"] = new("string", "uri"),
            ["term"] = new("string"),
        }),
    };

    /// <summary>What is wrong with an object of a kind ("service", "taxonomy"...), each problem with its JSON path; empty when it fits.</summary>
    public static List<string> Check(JsonElement element, string kind, string path = "$")
    {
        var problems = new List<string>();
        if (element.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{path}: not an object");
            return problems;
        }
        if (path == "$" && OrukSchema.Has(kind))
            problems.AddRange(OrukSchema.Problems(element, kind));
        var (required, fields) = Objects[kind];
        foreach (var name in required.Where(r => !element.TryGetProperty(r, out _)))
            problems.Add($"{path}.{name}: required");
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (!fields.TryGetValue(property.Name, out var field))
            {
                problems.Add($"{at}: not a field of the UK {kind}");
                continue;
            }
            problems.AddRange(CheckValue(property.Value, field, at));
        }
        return problems;
    }

    private static IEnumerable<string> CheckValue(JsonElement value, Field field, string at)
    {
        switch (field.Type)
        {
            case "string" when value.ValueKind != JsonValueKind.String:
            case "number" when value.ValueKind != JsonValueKind.Number:
            case "object" when value.ValueKind != JsonValueKind.Object:
            case "array" when value.ValueKind != JsonValueKind.Array:
                yield return $"{at}: {value.ValueKind} where the schema has {field.Type}";
                yield break;
        }
        if (field.Type == "string")
        {
            var text = value.GetString()!;
            var ok = field.Format switch
            {
                "uuid" => Guid.TryParseExact(text, "D", out _),
                "uri" => Uri.TryCreate(text, UriKind.Absolute, out _),
                "email" => text.Contains('@'),
                "date-time" => DateTimeOffset.TryParse(text, out _) && text.Contains('T'),
                _ => true,
            };
            if (!ok)
                yield return $"{at}: '{text}' is not a {field.Format}";
            if (field.Enum is { } allowed && !allowed.Contains(text))
                yield return $"{at}: '{text}' is not one of {string.Join(", ", allowed)}";
        }
        if (field.Type == "object" && field.Object is { } kind)
            foreach (var p in Check(value, kind, at))
                yield return p;
        if (field.Type == "array" && field.Object is { } itemKind)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray())
                foreach (var p in Check(item, itemKind, $"{at}[{i++}]"))
                    yield return p;
        }
    }

    /// <summary>The page envelope (api_reference "Page"): every field there, of its type, and agreeing with the contents.</summary>
    public static List<string> CheckPage(JsonElement page, string itemKind)
    {
        var problems = OrukSchema.PageProblems(page, itemKind);
        foreach (var name in new[] { "total_items", "total_pages", "page_number", "size" })
            if (!page.TryGetProperty(name, out var n) || n.ValueKind != JsonValueKind.Number)
                problems.Add($"$.{name}: missing or not a number");
        foreach (var name in new[] { "first_page", "last_page", "empty" })
            if (!page.TryGetProperty(name, out var b) || b.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                problems.Add($"$.{name}: missing or not true/false");
        if (!page.TryGetProperty("contents", out var contents) || contents.ValueKind != JsonValueKind.Array)
        {
            problems.Add("$.contents: missing or not an array");
            return problems;
        }
        if (problems.Count == 0)
        {
            if (page.GetProperty("size").GetInt32() != contents.GetArrayLength())
                problems.Add("$.size: not the number of items on the page");
            if (page.GetProperty("empty").GetBoolean() != (contents.GetArrayLength() == 0))
                problems.Add("$.empty: does not say whether the page is empty");
        }
        var i = 0;
        foreach (var item in contents.EnumerateArray())
            problems.AddRange(Check(item, itemKind, $"$.contents[{i++}]"));
        return problems;
    }

    /// <summary>Every null anywhere in a document (the schema's types are not nullable).</summary>
    public static List<string> Nulls(JsonElement element, string path = "$")
    {
        var found = new List<string>();
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                found.Add(path);
                break;
            case JsonValueKind.Object:
                foreach (var p in element.EnumerateObject())
                    found.AddRange(Nulls(p.Value, $"{path}.{p.Name}"));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                    found.AddRange(Nulls(item, $"{path}[{i++}]"));
                break;
        }
        return found;
    }
}
