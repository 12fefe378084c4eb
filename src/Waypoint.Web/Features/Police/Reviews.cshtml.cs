using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Police;

/// <summary>
/// The names from the force's files waiting for a person to decide who they are; the latest
/// decisions below; both as CSV or XLSX. The names are the force's own file as sent, not people of
/// the register, so the export is audited as one row. Police only.
/// </summary>
public sealed class ReviewsModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Name, DateOnly? DateOfBirth, OccurrenceRole Role, string Occurrence, string File, int Line, OccurrenceMatchStatus Status, DateTimeOffset? DecidedAt);

    public IReadOnlyList<Row> Waiting { get; private set; } = [];
    public IReadOnlyList<Row> Decided { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The waiting names and the latest decisions, as the page lists them.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return NotFound();
        await LoadAsync(ct);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Export, "police:reviews export", $"police ({Waiting.Count + Decided.Count} names from its files)"), ct);
        var table = new ExportTable("Names for review", ["Name in the file", "Date of birth", "Role", "Occurrence", "File", "Line", "Status", "Decided at"],
            Waiting.Concat(Decided).Select(r => (IReadOnlyList<object?>)[r.Name, r.DateOfBirth, PoliceLabels.Describe(r.Role), r.Occurrence, r.File, r.Line,
                r.Status switch { OccurrenceMatchStatus.Waiting => "Waiting", OccurrenceMatchStatus.Linked => "Linked", _ => "Dismissed" }, r.DecidedAt]).ToList());
        return ExportFile.Of(table, format, "police-names-for-review", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        // The names are the force's own file as sent (the filter keeps the queue to the force); no person of the register is named here.
        var rows = await db.OccurrenceMatchReviews.AsNoTracking()
            .OrderBy(r => r.Status).ThenBy(r => r.CreatedAt).Take(500)
            .Select(r => new { r.Id, r.GivenName, r.FamilyName, r.DateOfBirth, r.Role, r.Occurrence!.PoliceReference, r.FileName, r.Line, r.Status, r.DecidedAt })
            .ToListAsync(ct);
        var all = rows.Select(r => new Row(r.Id, $"{r.GivenName} {r.FamilyName}", r.DateOfBirth, r.Role, r.PoliceReference, r.FileName, r.Line, r.Status, r.DecidedAt)).ToList();
        Waiting = all.Where(r => r.Status == OccurrenceMatchStatus.Waiting).ToList();
        Decided = all.Where(r => r.Status != OccurrenceMatchStatus.Waiting).OrderByDescending(r => r.DecidedAt).Take(50).ToList();
    }
}
