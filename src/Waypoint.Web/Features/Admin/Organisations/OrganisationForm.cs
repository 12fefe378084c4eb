using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Admin.Organisations;

/// <summary>What a partnership administrator enters for an organisation; the type-specific fields apply to schools and police only.</summary>
public sealed class OrganisationInput
{
    public string? Name { get; set; }
    public OrganisationType? Type { get; set; }
    public Guid? AreaId { get; set; }
    public string? Urn { get; set; }
    public string? DfeNumber { get; set; }
    public SchoolPhase? Phase { get; set; }
    public string? PoliceForce { get; set; }
    public string? PoliceUnit { get; set; }

    public static OrganisationInput From(Organisation o) => new()
    {
        Name = o.Name,
        Type = o.Type,
        AreaId = o.AreaId,
        Urn = o.Urn,
        DfeNumber = o.DfeNumber,
        Phase = o.Phase,
        PoliceForce = o.PoliceForce,
        PoliceUnit = o.PoliceUnit,
    };
}

/// <summary>Checks and applies <see cref="OrganisationInput"/> for the new and edit pages alike.</summary>
public static class OrganisationForm
{
    public const int MaxNameLength = 160;
    public const int MaxPoliceFieldLength = 120;

    /// <summary>Field messages keyed by field name; empty when the input may be saved. <paramref name="editing"/> is the organisation being changed, if any.</summary>
    public static async Task<Dictionary<string, string>> ValidateAsync(WaypointDbContext db, OrganisationInput input, Guid? editing, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            errors[nameof(OrganisationInput.Name)] = "Enter the organisation's name";
        else if (name.Length > MaxNameLength)
            errors[nameof(OrganisationInput.Name)] = $"The name must be {MaxNameLength} characters or fewer";

        if (input.Type is null)
            errors[nameof(OrganisationInput.Type)] = "Select the type of organisation";

        if (input.AreaId is not { } areaId)
            errors[nameof(OrganisationInput.AreaId)] = "Select the area the organisation serves";
        else if (!await db.Areas.AnyAsync(a => a.Id == areaId, ct))
            errors[nameof(OrganisationInput.AreaId)] = "Select an area from the list";

        if (input.Type == OrganisationType.School)
        {
            var urn = input.Urn?.Trim();
            if (string.IsNullOrEmpty(urn))
                errors[nameof(OrganisationInput.Urn)] = "Enter the school's URN";
            else if (urn.Length != 6 || !urn.All(char.IsAsciiDigit))
                errors[nameof(OrganisationInput.Urn)] = "The URN must be 6 digits, for example 137245";
            else if (await db.Organisations.Where(o => o.Urn == urn && o.Id != editing).Select(o => o.Name).FirstOrDefaultAsync(ct) is { } holder)
                errors[nameof(OrganisationInput.Urn)] = $"URN {urn} already belongs to {holder}";

            if (!string.IsNullOrWhiteSpace(input.DfeNumber) && NormaliseDfeNumber(input.DfeNumber) is null)
                errors[nameof(OrganisationInput.DfeNumber)] = "The DfE number must be 7 digits: the 3-digit local authority number then the 4-digit establishment number, for example 928/4001";

            if (input.Phase is null)
                errors[nameof(OrganisationInput.Phase)] = "Select the school's phase";
        }

        if (input.Type == OrganisationType.Police)
        {
            var force = input.PoliceForce?.Trim();
            if (string.IsNullOrEmpty(force))
                errors[nameof(OrganisationInput.PoliceForce)] = "Enter the police force";
            else if (force.Length > MaxPoliceFieldLength)
                errors[nameof(OrganisationInput.PoliceForce)] = $"The force must be {MaxPoliceFieldLength} characters or fewer";
            if ((input.PoliceUnit?.Trim().Length ?? 0) > MaxPoliceFieldLength)
                errors[nameof(OrganisationInput.PoliceUnit)] = $"The unit must be {MaxPoliceFieldLength} characters or fewer";
        }
        return errors;
    }

    /// <summary>Copies valid input onto the organisation; fields that do not belong to its type are cleared.</summary>
    public static void Apply(OrganisationInput input, Organisation organisation)
    {
        organisation.Name = input.Name!.Trim();
        organisation.AreaId = input.AreaId!.Value;
        var school = organisation.Type == OrganisationType.School;
        organisation.Urn = school ? input.Urn!.Trim() : null;
        organisation.DfeNumber = school && !string.IsNullOrWhiteSpace(input.DfeNumber) ? NormaliseDfeNumber(input.DfeNumber) : null;
        organisation.Phase = school ? input.Phase : null;
        var police = organisation.Type == OrganisationType.Police;
        organisation.PoliceForce = police ? input.PoliceForce!.Trim() : null;
        organisation.PoliceUnit = police && !string.IsNullOrWhiteSpace(input.PoliceUnit) ? input.PoliceUnit.Trim() : null;
    }

    /// <summary>"928/4001", "928 4001" and "9284001" are the same DfE number, stored as 7 digits; null when it is not one.</summary>
    public static string? NormaliseDfeNumber(string value)
    {
        var digits = value.Trim().Replace("/", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        return digits.Length == 7 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    public static string FormatDfeNumber(string? stored) =>
        stored is { Length: 7 } ? $"{stored[..3]}/{stored[3..]}" : stored ?? "";

    /// <summary>Areas to choose from, counties first, each named with its kind.</summary>
    public static async Task<IReadOnlyList<AreaChoice>> AreaChoicesAsync(WaypointDbContext db, CancellationToken ct) =>
        (await db.Areas.AsNoTracking().Select(a => new { a.Id, a.Name, a.Kind }).ToListAsync(ct))
            .OrderBy(a => a.Kind).ThenBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Select(a => new AreaChoice(a.Id, a.Name, a.Kind)).ToList();
}

public sealed record AreaChoice(Guid Id, string Name, AreaKind Kind);

/// <summary>What the shared fields partial needs.</summary>
public sealed record OrganisationFields(OrganisationInput Input, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<AreaChoice> Areas, bool TypeFixed);
