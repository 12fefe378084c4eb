using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Features.Schools.Imports;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Police;

/// <summary>
/// A force's occurrences, the sending of an occurrences file (applied in the background: see
/// Import) and the names waiting for review; the
/// occurrences as CSV or XLSX (no one is named in them: the export is audited as one row). Police only.
/// </summary>
[RequestSizeLimit(OccurrenceImport.MaxFileBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = OccurrenceImport.MaxFileBytes + 1024 * 1024)]
public sealed class IndexModel(WaypointDbContext db, OccurrenceImportJobs imports, AuditTrail audit, TimeProvider clock) : PageModel
{
    /// <summary>The most occurrences one export holds, latest first.</summary>
    public const int ExportLimit = 10_000;

    public sealed record Row(Guid Id, string Text, int People, string? Ward);

    public IReadOnlyList<Row> Occurrences { get; private set; } = [];
    public int Waiting { get; private set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    /// <summary>The reader's own latest occurrences files.</summary>
    public IReadOnlyList<OccurrenceImportJobView> Imports { get; private set; } = [];

    public static bool IsPolice(WaypointDbContext db) => db.Reader.OrganisationType == OrganisationType.Police && !db.Reader.AggregatesOnly && !db.Reader.IsSystem;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IsPolice(db))
            return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsPolice(db))
            return NotFound();
        if (OccurrenceImportJobs.CheckUpload(Upload?.FileName, Upload?.Length ?? 0) is { } problem)
        {
            Errors[nameof(Upload)] = problem;
            await LoadAsync(ct);
            return Page();
        }
        // Applied in the background (all or nothing, as the sender); its page shows progress, then the summary or every problem.
        using var content = new MemoryStream((int)Upload!.Length);
        await Upload.CopyToAsync(content, ct);
        var id = await imports.QueueAsync(Upload.FileName, content.ToArray(), ct);
        return Redirect($"/police/import?id={id}");
    }

    /// <summary>The force's own occurrences, latest first, as the page lists them (with what and where in columns of their own).</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (!IsPolice(db))
            return NotFound();
        var org = db.Reader.OrganisationId;
        var rows = await db.Occurrences.AsNoTracking().Where(o => o.OwnerOrganisationId == org).OrderByDescending(o => o.OccurredOn).ThenBy(o => o.PoliceReference)
            .Take(ExportLimit)
            .Select(o => new { o.PoliceReference, o.OccurredOn, o.IncidentType, o.OffenceSubGroup, Ward = o.Area!.Name, o.Location, o.Outcome, o.CategoryCode, People = o.People.Count })
            .ToListAsync(ct);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Export, "police:occurrences export", $"police ({rows.Count} occurrences)"), ct);
        var table = new ExportTable("Occurrences", ["Reference", "Occurred on", "What", "Ward", "Location", "Outcome", "Category", "People linked"],
            rows.Select(o => (IReadOnlyList<object?>)[o.PoliceReference, o.OccurredOn,
                o.IncidentType is { } i ? PoliceLabels.Describe(i) : HomeOfficeOffences.Find(o.OffenceSubGroup)?.Name ?? o.OffenceSubGroup,
                o.Ward, o.Location, o.Outcome, o.CategoryCode, o.People]).ToList());
        return ExportFile.Of(table, format, "police-occurrences", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var org = db.Reader.OrganisationId;
        Occurrences = (await db.Occurrences.AsNoTracking().Where(o => o.OwnerOrganisationId == org).OrderByDescending(o => o.OccurredOn).Take(100)
                .Select(o => new { Occurrence = o, People = o.People.Count, Ward = o.Area!.Name }).ToListAsync(ct))
            .Select(o => new Row(o.Occurrence.Id, PoliceLabels.Describe(o.Occurrence), o.People, o.Ward)).ToList();
        Waiting = await db.OccurrenceMatchReviews.CountAsync(r => r.Status == OccurrenceMatchStatus.Waiting, ct);
        Imports = await imports.ListAsync(5, ct);
    }
}
