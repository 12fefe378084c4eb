using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Meetings;

public sealed record MeetingRow(Guid Id, DateOnly Date, TimeOnly StartTime, string Where, bool AgendaIssued, int Children);

/// <summary>A meeting series: who sits on it, its meetings past and coming, and (for those who run it) scheduling the next.</summary>
public sealed class SeriesModel(WaypointDbContext db, MeetingWork meetings, SeriesOutcomes outcomes) : PageModel
{
    [TempData] public string? Confirmation { get; set; }
    [BindProperty] public DateInput Date { get; set; } = new();
    [BindProperty] public string? StartTime { get; set; }
    [BindProperty] public string? DurationMinutes { get; set; }
    [BindProperty] public string? Place { get; set; }
    [BindProperty] public string? OnlineLink { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public MeetingSeries Series { get; private set; } = null!;
    public string Chair { get; private set; } = "";
    public IReadOnlyList<string> Members { get; private set; } = [];
    public IReadOnlyList<MeetingRow> Meetings { get; private set; } = [];
    public bool MayManage { get; private set; }
    public IReadOnlyList<MeetingOutcome> Outcomes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        DurationMinutes = "90";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        if (!MayManage)
            return Forbid();
        var (date, dateError) = Date.Read("Date of the meeting");
        if (dateError is not null)
            Errors["Date"] = dateError;
        TimeOnly? start = TimeOnly.TryParseExact(StartTime?.Trim(), ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
        int? minutes = int.TryParse(DurationMinutes, out var m) ? m : null;
        if (!string.IsNullOrWhiteSpace(DurationMinutes) && minutes is null)
            Errors["DurationMinutes"] = "The length of the meeting must be a number of minutes";
        if (Errors.Count == 0)
        {
            var (meeting, errors) = await meetings.ScheduleAsync(Series, new ScheduleInput(date, start, minutes, Place, OnlineLink), ct);
            if (meeting is not null)
            {
                TempData["Confirmation"] = $"Meeting scheduled for {meeting.Date:d MMMM yyyy}; the standing members are invited";
                return Redirect($"/meetings/{meeting.Id}");
            }
            foreach (var (k, v) in errors)
                Errors[k] = v;
            if (!string.IsNullOrWhiteSpace(StartTime) && start is null)
                Errors["StartTime"] = "Enter the time the meeting starts in hours and minutes, for example 14:00";
        }
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var series = await meetings.VisibleSeries().AsNoTracking().Include(s => s.Members).Include(s => s.Area).FirstOrDefaultAsync(s => s.Id == id, ct);
        if (series is null)
            return NotFound();
        Series = series;
        MayManage = meetings.MayManage(series);
        Chair = await db.Users.AsNoTracking().Where(u => u.Id == series.ChairUserId).Select(u => u.DisplayName + ", " + u.Organisation!.Name).FirstOrDefaultAsync(ct) ?? "";
        var memberIds = series.Members.Select(m => m.OrganisationId).ToList();
        Members = await db.Organisations.AsNoTracking().Where(o => memberIds.Contains(o.Id)).OrderBy(o => o.Name).Select(o => o.Name).ToListAsync(ct);
        // The number of children on each agenda, whoever the reader is: a count names nobody.
        var rows = await db.Set<Meeting>().AsNoTracking().Where(m => m.SeriesId == id).OrderByDescending(m => m.Date)
            .Select(m => new { m.Id, m.Date, m.StartTime, m.Place, m.OnlineLink, m.AgendaIssuedAt }).Take(100).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.Unfiltered<AgendaItem>("the number of children on each of a series' agendas, a count only")
            .Where(i => ids.Contains(i.MeetingId) && i.RemovedAt == null).GroupBy(i => i.MeetingId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        Meetings = rows.Select(r => new MeetingRow(r.Id, r.Date, r.StartTime, r.Place ?? "Online", r.AgendaIssuedAt is not null,
            counts.FirstOrDefault(c => c.Key == r.Id)?.Count ?? 0)).ToList();
        Outcomes = await outcomes.ForSeriesAsync(id, ct);
        return null;
    }
}
