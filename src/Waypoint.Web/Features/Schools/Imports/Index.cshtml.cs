using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

/// <summary>A school's imports, newest first. Only schools import; others are not found here.</summary>
public sealed class IndexModel(WaypointDbContext db, ImportJobs jobs, PupilMatchReviews reviews) : PageModel
{
    public IReadOnlyList<ImportJobView> Jobs { get; private set; } = [];

    /// <summary>Pupils waiting for the school's decision in the review queue.</summary>
    public int ToReview { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (db.Reader.OrganisationType != OrganisationType.School)
            return NotFound();
        Jobs = await jobs.ListAsync(50, ct);
        ToReview = await reviews.WaitingForSchoolAsync(ct);
        return Page();
    }
}
