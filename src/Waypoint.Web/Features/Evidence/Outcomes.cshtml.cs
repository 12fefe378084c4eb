using System.Globalization;
using System.Text;
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
/// The joint outcomes dashboard for analysts and partnership roles: each outcome the partnership
/// defined, before and after early help, against children reported and not taken on, for an
/// academic year beside the one before it; aggregates only, and a CSV of the same figures.
/// </summary>
[Authorize(Policy = OversightPolicies.PartnershipFigures)]
public sealed class OutcomesModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? District { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public OutcomesReport? Report { get; private set; }
    public IReadOnlyList<int> Years { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Districts { get; private set; } = [];

    /// <summary>Measures just added whose figures the background worker is still calculating (left out of the figures until ready).</summary>
    public IReadOnlyList<OutcomeMeasure> Calculating { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Report is null)
            return BadRequest();
        return File(Encoding.UTF8.GetBytes(Report.ToCsv()), "text/csv; charset=utf-8", $"joint-outcomes-{Year}.csv");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var current = AcademicYear.Of(today).StartYear;
        Years = Enumerable.Range(current - 10, 11).Reverse().ToList();
        Calculating = await db.OutcomeMeasures.AsNoTracking().Where(m => m.Calculating).OrderBy(m => m.Name).ToListAsync(ct);
        Districts = (await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.County || a.Kind == AreaKind.District).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => (a.Id, a.Name)).ToList();

        // A year ago by default: its 6 months after have passed for the cases closed early in it.
        var year = current - 1;
        if (!string.IsNullOrWhiteSpace(Year))
        {
            if (int.TryParse(Year.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var y) && Years.Contains(y))
                year = y;
            else
                Errors[nameof(Year)] = "Choose an academic year from the list";
        }
        Guid? district = null;
        if (!string.IsNullOrWhiteSpace(District))
        {
            if (Guid.TryParse(District, out var d) && Districts.Any(x => x.Id == d))
                district = d;
            else
                Errors[nameof(District)] = "Choose an area from the list, or the whole partnership";
        }
        Year = year.ToString(CultureInfo.InvariantCulture);
        if (Errors.Count > 0)
            return;
        Report = await OutcomesLinkedSuppression.LoadAsync(db, year, district, today, ct);
    }
}
