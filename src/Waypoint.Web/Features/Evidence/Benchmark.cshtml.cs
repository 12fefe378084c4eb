using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>Neighbour benchmarking: the partnership's published rates beside its chosen neighbours', its region's and England's, and its own live figures beside them.</summary>
[Authorize(Policy = OversightPolicies.PartnershipFigures)]
public sealed class BenchmarkModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? SchoolType { get; set; }

    public BenchmarkView? View { get; private set; }
    public PublishedTables? Live { get; private set; }
    public DfeImport? LastImport { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var type = DfeExclusionsImport.SchoolTypes.FirstOrDefault(t => string.Equals(t, SchoolType, StringComparison.OrdinalIgnoreCase)) ?? "Total";
        SchoolType = type;
        View = await Benchmarking.LoadAsync(db, type, ct);
        LastImport = await db.DfeImports.AsNoTracking().OrderByDescending(i => i.ImportedAt).FirstOrDefaultAsync(ct);
        if (type == "Total")
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var year = AcademicYear.Of(today);
            Live = await ExclusionStatistics.LoadAsync(db, year.Previous.StartYear, year.Previous.End, StatisticsPublication.DefaultThreshold, ct);
        }
        return Page();
    }
}
