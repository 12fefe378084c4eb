using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Meetings;

public sealed record SeriesRow(Guid Id, string Name, string Area, DateOnly? NextMeeting, int Meetings);

/// <summary>
/// The meeting series the reader runs, sits on or is invited to, and whether they may set one up;
/// the same list as CSV or XLSX. A series names no child, so neither the page nor its export audits anyone.
/// </summary>
public sealed class IndexModel(MeetingWork meetings, TimeProvider clock) : PageModel
{
    public const int Limit = 200;

    [TempData] public string? Confirmation { get; set; }
    public bool MayRunSeries { get; private set; }
    public IReadOnlyList<SeriesRow> Series { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        MayRunSeries = await meetings.MayRunSeriesAsync(ct);
        Series = await ListAsync(ct);
        return Page();
    }

    /// <summary>The list the page shows, row for row, as CSV or XLSX.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        var rows = await ListAsync(ct);
        var table = new ExportTable("Meeting series", ["Series", "Area", "Next meeting", "Meetings"],
            rows.Select(s => (IReadOnlyList<object?>)[s.Name, s.Area, s.NextMeeting, s.Meetings]).ToList());
        return ExportFile.Of(table, format, "meeting-series", Today);
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private Task<List<SeriesRow>> ListAsync(CancellationToken ct)
    {
        var today = Today;
        return meetings.VisibleSeries().AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new SeriesRow(s.Id, s.Name, s.Area!.Name,
                s.Meetings.Where(m => m.Date >= today).OrderBy(m => m.Date).Select(m => (DateOnly?)m.Date).FirstOrDefault(),
                s.Meetings.Count))
            .Take(Limit).ToListAsync(ct);
    }
}
