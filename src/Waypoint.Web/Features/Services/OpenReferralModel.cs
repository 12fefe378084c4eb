using System.Text.Json.Serialization;

namespace Waypoint.Features.Services;

// The Open Referral UK (HSDS 3.0, UK profile) shapes the feed answers with. Names are the
// standard's (US spelling, snake_case); an empty value is left out, never null, because the
// schema's types are not nullable.

public sealed record OrukApiDetails(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("profile")] string Profile,
    [property: JsonPropertyName("openapi_url")] string OpenApiUrl);

public sealed record OrukPage<T>(
    [property: JsonPropertyName("total_items")] int TotalItems,
    [property: JsonPropertyName("total_pages")] int TotalPages,
    [property: JsonPropertyName("page_number")] int PageNumber,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("first_page")] bool FirstPage,
    [property: JsonPropertyName("last_page")] bool LastPage,
    [property: JsonPropertyName("empty")] bool Empty,
    [property: JsonPropertyName("contents")] IReadOnlyList<T> Contents);

public sealed record OrukOrganization(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description);

public sealed record OrukContact(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("service_id")] Guid ServiceId,
    [property: JsonPropertyName("name")] string Name);

public sealed record OrukSchedule(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("service_id")] Guid ServiceId,
    [property: JsonPropertyName("description")] string Description);

public sealed record OrukServiceArea(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("service_id")] Guid ServiceId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uri")] string? Uri);

public sealed record OrukCostOption(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("service_id")] Guid ServiceId,
    [property: JsonPropertyName("option")] string Option);

public sealed record OrukTaxonomy(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("uri")] string? Uri,
    [property: JsonPropertyName("version")] string? Version);

public sealed record OrukTaxonomyTerm(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("taxonomy_id")] Guid TaxonomyId,
    [property: JsonPropertyName("parent_id")] Guid? ParentId,
    [property: JsonPropertyName("term_uri")] string? TermUri,
    [property: JsonPropertyName("taxonomy")] string? Taxonomy);

public sealed record OrukAttribute(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("link_id")] Guid LinkId,
    [property: JsonPropertyName("taxonomy_term_id")] Guid TaxonomyTermId,
    [property: JsonPropertyName("link_type")] string LinkType,
    [property: JsonPropertyName("taxonomy_term")] OrukTaxonomyTerm TaxonomyTerm);

/// <summary>A service as the feed publishes it. The list leaves the nested arrays out; the single read fills them.</summary>
public sealed record OrukService(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("organization_id")] Guid OrganizationId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("fees")] string? Fees,
    [property: JsonPropertyName("accreditations")] string? Accreditations,
    [property: JsonPropertyName("minimum_age")] int? MinimumAge,
    [property: JsonPropertyName("maximum_age")] int? MaximumAge,
    [property: JsonPropertyName("assured_date")] string? AssuredDate,
    [property: JsonPropertyName("last_modified")] DateTimeOffset LastModified)
{
    [JsonPropertyName("organization")] public OrukOrganization? Organization { get; init; }
    [JsonPropertyName("contacts")] public IReadOnlyList<OrukContact>? Contacts { get; init; }
    [JsonPropertyName("schedules")] public IReadOnlyList<OrukSchedule>? Schedules { get; init; }
    [JsonPropertyName("service_areas")] public IReadOnlyList<OrukServiceArea>? ServiceAreas { get; init; }
    [JsonPropertyName("cost_options")] public IReadOnlyList<OrukCostOption>? CostOptions { get; init; }
    [JsonPropertyName("attributes")] public IReadOnlyList<OrukAttribute>? Attributes { get; init; }
}
