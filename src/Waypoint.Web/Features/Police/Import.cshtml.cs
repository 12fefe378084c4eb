using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;

namespace Waypoint.Features.Police;

/// <summary>
/// An occurrences file the officer sent: its progress while it runs (a "Check progress" link
/// without script; with it the bar follows the job), then its summary or every problem. Only the
/// officer who sent it sees it; anyone else's job is not found.
/// </summary>
public sealed class ImportModel(WaypointDbContext db, OccurrenceImportJobs jobs) : PageModel
{
    public OccurrenceImportJobView? Job { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return NotFound();
        Job = await jobs.FindAsync(id, ct);
        return Job is null ? NotFound() : Page();
    }

    /// <summary>What the page's script polls: the job's status and percent done.</summary>
    public async Task<IActionResult> OnGetStatusAsync(Guid id, CancellationToken ct) =>
        IndexModel.IsPolice(db) && await jobs.FindAsync(id, ct) is { } job
            ? new JsonResult(new { job.Status, job.Percent, job.Stage, job.InProgress })
            : NotFound();
}
