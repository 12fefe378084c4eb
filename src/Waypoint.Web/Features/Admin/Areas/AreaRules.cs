using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Admin.Areas;

/// <summary>
/// The shape of the area tree: counties at the top, districts in a county, wards in a district.
/// Partnership-wide functions reach down from an area to the wards in it, so a ward out of place
/// would silently fall outside (or inside) someone's reach.
/// </summary>
public static class AreaRules
{
    public const int MaxNameLength = 120;
    public const int MaxCodeLength = 12;

    /// <summary>The kind of area a parent of this kind holds; a ward holds none.</summary>
    public static AreaKind? ChildKind(AreaKind parent) => parent switch
    {
        AreaKind.County => AreaKind.District,
        AreaKind.District => AreaKind.Ward,
        _ => null,
    };

    public static AreaKind? ParentKind(AreaKind kind) => kind switch
    {
        AreaKind.District => AreaKind.County,
        AreaKind.Ward => AreaKind.District,
        _ => null,
    };

    /// <summary>Messages for the name and code fields, with the name unique among its siblings.</summary>
    public static async Task ValidateNameAsync(WaypointDbContext db, Dictionary<string, string> errors, string? name, string? code, AreaKind kind, Guid? parentId, Guid? editing, CancellationToken ct)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            errors["Name"] = "Enter the area's name";
        else if (trimmed.Length > MaxNameLength)
            errors["Name"] = $"The name must be {MaxNameLength} characters or fewer";
        else
        {
            var lower = trimmed.ToLowerInvariant();
            if (await db.Areas.AnyAsync(a => a.Kind == kind && a.ParentId == parentId && a.Id != editing && a.Name.ToLower() == lower, ct))
                errors["Name"] = $"There is already a {Labels.Of(kind).ToLowerInvariant()} called {trimmed} {(parentId is null ? "" : "in this area")}".TrimEnd();
        }
        if ((code?.Trim().Length ?? 0) > MaxCodeLength)
            errors["Code"] = $"The code must be {MaxCodeLength} characters or fewer";
    }

    /// <summary>The message for a parent that does not fit the kind, or null when it fits.</summary>
    public static string? ParentError(AreaKind kind, Area? parent) => (kind, parent?.Kind) switch
    {
        (AreaKind.County, null) => null,
        (AreaKind.County, _) => "A county is at the top of the tree: leave the parent area empty",
        (AreaKind.District, AreaKind.County) => null,
        (AreaKind.District, _) => "A district must sit in a county: select its county",
        (AreaKind.Ward, AreaKind.District) => null,
        (AreaKind.Ward, _) => "A ward must sit in a district: select its district",
        _ => "Select a parent area",
    };
}
