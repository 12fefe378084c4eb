using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Schools.Imports;

/// <summary>One import: its progress while it runs (the page refreshes itself, without script), then its summary or problems.</summary>
public sealed class JobModel(ImportJobs jobs) : PageModel
{
    public ImportJobView? Job { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Job = await jobs.FindAsync(id, ct);
        return Job is null ? NotFound() : Page();
    }

    /// <summary>What the page's script polls: the job's status and percent done.</summary>
    public async Task<IActionResult> OnGetStatusAsync(Guid id, CancellationToken ct) =>
        await jobs.FindAsync(id, ct) is { } job
            ? new JsonResult(new { job.Status, job.Percent, job.Stage, job.InProgress })
            : NotFound();
}
