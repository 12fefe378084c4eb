using Waypoint.Domain;

namespace Waypoint.Features.Admin.Agreement;

/// <summary>One cell of the agreement: records of a category made by an owner type, read by a reader type.</summary>
public readonly record struct RuleKey(string CategoryCode, OrganisationType OwnerType, OrganisationType ReaderType)
{
    /// <summary>The form value of the cell's checkbox.</summary>
    public string Value => $"{CategoryCode}:{OwnerType}:{ReaderType}";

    public string Id => $"rule-{CategoryCode}-{OwnerType}-{ReaderType}";

    public static RuleKey Of(SharingRule rule) => new(rule.CategoryCode, rule.OwnerType, rule.ReaderType);

    public static bool TryParse(string? value, out RuleKey key)
    {
        key = default;
        var parts = value?.Split(':') ?? [];
        if (parts.Length != 3 || !Enum.TryParse<OrganisationType>(parts[1], out var owner) || !Enum.TryParse<OrganisationType>(parts[2], out var reader)
            || !Enum.IsDefined(owner) || !Enum.IsDefined(reader))
            return false;
        key = new RuleKey(parts[0], owner, reader);
        return true;
    }
}

/// <summary>A version's rules laid out for reading and editing: one grid per record category.</summary>
public sealed class SharingMatrix(IReadOnlyList<RecordCategory> categories, IReadOnlySet<RuleKey> allowed)
{
    public IReadOnlyList<RecordCategory> Categories => categories;
    public IReadOnlyList<OrganisationType> Types => Labels.OrganisationTypes;
    public IReadOnlySet<RuleKey> Allowed => allowed;

    public bool IsAllowed(RuleKey key) => allowed.Contains(key);

    /// <summary>A cell that may never be allowed, whatever the agreement says (police intelligence outside the police).</summary>
    public static bool IsForbidden(RecordCategory category, OrganisationType reader) => category.RestrictedTo is { } only && reader != only;

    public static string Describe(RecordCategory category, OrganisationType owner, OrganisationType reader) =>
        $"{category.Name}: made by {Labels.Of(owner).ToLowerInvariant()}, seen by {Labels.Of(reader).ToLowerInvariant()}";
}
