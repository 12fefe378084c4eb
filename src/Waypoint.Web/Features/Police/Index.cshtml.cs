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
/// A force's occurrences, its import of an occurrences file and the names waiting for review; the
/// occurrences as CSV or XLSX (no one is named in them: the export is audited as one row). Police only.
/// </summary>
[RequestSizeLimit(OccurrenceImport.MaxFileBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = OccurrenceImport.MaxFileBytes + 1024 * 1024)]
public sealed class IndexModel(WaypointDbContext db, OccurrenceImport import, AuditTrail audit, TimeProvider clock) : PageModel
{
    /// <summary>The most occurrences one export holds, latest first.</summary>
    public const int ExportLimit = 10_000;

    public sealed record Row(Guid Id, string Text, int People, string? Ward);

    public IReadOnlyList<Row> Occurrences { get; private set; } = [];
    public int Waiting { get; private set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<ImportProblem> Problems { get; private set; } = [];

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
        if (Upload is null || Upload.Length == 0)
            Errors[nameof(Upload)] = "Choose an occurrences file (CSV)";
        else if (Upload.Length > OccurrenceImport.MaxFileBytes)
            Errors[nameof(Upload)] = "The file must be smaller than 16 MB";
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        await using var stream = Upload!.OpenReadStream();
        var outcome = await import.ApplyAsync(stream, Path.GetFileName(Upload.FileName), db.Reader.OrganisationId, db.Reader.UserId, ct);
        if (outcome.Summary is { } s)
        {
            TempData["Confirmation"] = $"{Path.GetFileName(Upload.FileName)} imported: {s.Lines} lines, {s.OccurrencesAdded} occurrences added, {s.OccurrencesChanged} changed, {s.OccurrencesUnchanged} unchanged; "
                + $"{s.LinksAdded} people linked, {s.LinksUnchanged} already linked, {s.SentToReview} sent to review; {s.ScoresChanged} risk scores changed.";
            return RedirectToPage();
        }
        Problems = outcome.Problems;
        Errors[nameof(Upload)] = $"The file was not imported and nothing was changed: correct the {Problems.Count} problem{(Problems.Count == 1 ? "" : "s")} below and send the whole file again";
        await LoadAsync(ct);
        return Page();
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
    }
}
