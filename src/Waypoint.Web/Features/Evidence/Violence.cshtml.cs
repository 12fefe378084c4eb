using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Exclusion and violence for analysts (the partnership's and the force's) and partnership roles:
/// aggregates only, over academic years the reader chooses, for the partnership or one county or district.
/// </summary>
[Authorize(Policy = OversightPolicies.PartnershipFigures)]
public sealed class ViolenceModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    /// <summary>The longest window: five academic years.</summary>
    public const int MaxYears = 5;

    [BindProperty(SupportsGet = true)]
    public string? FromYear { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ToYear { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? District { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public ViolenceReport? Report { get; private set; }
    public IReadOnlyList<int> Years { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Districts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var current = AcademicYear.Of(today).StartYear;
        Years = Enumerable.Range(current - 10, 11).Reverse().ToList();
        Districts = (await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.County || a.Kind == AreaKind.District).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (a.Id, a.Name)).ToList();

        var from = Parse(FromYear, current - 1, nameof(FromYear), "Choose the first academic year from the list");
        var to = Parse(ToYear, current, nameof(ToYear), "Choose the last academic year from the list");
        Guid? district = null;
        if (!string.IsNullOrWhiteSpace(District))
        {
            if (Guid.TryParse(District, out var d) && Districts.Any(x => x.Id == d))
                district = d;
            else
                Errors[nameof(District)] = "Choose an area from the list, or the whole partnership";
        }
        if (Errors.Count == 0 && from > to)
            Errors[nameof(ToYear)] = "The last academic year must be the same as the first or after it";
        else if (Errors.Count == 0 && to - from + 1 > MaxYears)
            Errors[nameof(ToYear)] = $"Choose at most {MaxYears} academic years";
        FromYear = from.ToString(System.Globalization.CultureInfo.InvariantCulture);
        ToYear = to.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (Errors.Count > 0)
            return Page();

        Report = await ViolenceAnalysis.LoadAsync(db, from, to, today, district, StatisticsPublication.DefaultThreshold, ct);
        return Page();

        int Parse(string? value, int fallback, string field, string error)
        {
            if (string.IsNullOrWhiteSpace(value))
                return fallback;
            if (int.TryParse(value.Trim(), out var y) && Years.Contains(y))
                return y;
            Errors[field] = error;
            return fallback;
        }
    }
}
