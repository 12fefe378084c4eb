using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Waypoint.Features.Meetings;

public sealed record SeriesRow(Guid Id, string Name, string Area, DateOnly? NextMeeting, int Meetings);

/// <summary>The meeting series the reader runs, sits on or is invited to, and whether they may set one up.</summary>
public sealed class IndexModel(MeetingWork meetings, TimeProvider clock) : PageModel
{
    [TempData] public string? Confirmation { get; set; }
    public bool MayRunSeries { get; private set; }
    public IReadOnlyList<SeriesRow> Series { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        MayRunSeries = await meetings.MayRunSeriesAsync(ct);
        Series = await meetings.VisibleSeries().AsNoTracking().OrderBy(s => s.Name)
            .Select(s => new SeriesRow(s.Id, s.Name, s.Area!.Name,
                s.Meetings.Where(m => m.Date >= today).OrderBy(m => m.Date).Select(m => (DateOnly?)m.Date).FirstOrDefault(),
                s.Meetings.Count))
            .Take(200).ToListAsync(ct);
        return Page();
    }
}
