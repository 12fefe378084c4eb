using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

/// <summary>Choose the kind of file and send it; the import runs in the background and its page shows progress.</summary>
[RequestSizeLimit(ImportJob.MaxFileBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = ImportJob.MaxFileBytes + 1024 * 1024)]
public sealed class NewModel(WaypointDbContext db, ImportJobs jobs) : PageModel
{
    [BindProperty] public ImportKind? Kind { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public IActionResult OnGet() => db.Reader.OrganisationType == OrganisationType.School ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (db.Reader.OrganisationType != OrganisationType.School)
            return NotFound();
        if (Kind is not { } kind || !ImportLabels.IsSchoolKind(kind))
            Errors[nameof(Kind)] = "Select what kind of file this is";
        if (ImportJobs.CheckUpload(Upload?.FileName, Upload?.Length ?? 0) is { } problem)
            Errors[nameof(Upload)] = problem;
        if (Errors.Count > 0)
            return Page();
        using var content = new MemoryStream((int)Upload!.Length);
        await Upload.CopyToAsync(content, ct);
        var id = await jobs.QueueAsync(Kind!.Value, Upload.FileName, content.ToArray(), ct);
        return Redirect($"/schools/imports/{id}");
    }
}
