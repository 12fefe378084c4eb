using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>
/// The published exclusion statistics, open to anyone without signing in: the latest version the
/// partnership published for a year (or an earlier version asked for), its tables, and a CSV with
/// the same figures. Only frozen, suppressed figures are read here.
/// </summary>
[AllowAnonymous]
public sealed class StatisticsModel(WaypointDbContext db) : PageModel
{
    public PublishedTables? Tables { get; private set; }
    public StatisticsPublication? Publication { get; private set; }
    public IReadOnlyList<(int Year, int Version, DateTimeOffset PublishedAt)> Versions { get; private set; } = [];

    [BindProperty(SupportsGet = true)]
    public int? Year { get; set; }

    [BindProperty(SupportsGet = true)]
    public int? Version { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (Tables is null || Publication is null)
            return NotFound();
        return File(Encoding.UTF8.GetBytes(Tables.ToCsv()), "text/csv; charset=utf-8",
            $"exclusions-{Tables.AcademicYear}-{Tables.AcademicYear + 1 - 2000:00}-v{Publication.Version}.csv");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Versions = (await db.StatisticsPublications.AsNoTracking()
                .Select(p => new { p.AcademicYear, p.Version, p.PublishedAt }).ToListAsync(ct))
            .OrderByDescending(p => p.AcademicYear).ThenByDescending(p => p.Version)
            .Select(p => (p.AcademicYear, p.Version, p.PublishedAt)).ToList();
        if (Versions.Count == 0)
            return;
        var year = Year is { } y && Versions.Any(v => v.Year == y) ? y : Versions[0].Year;
        var latest = Versions.Where(v => v.Year == year).Max(v => v.Version);
        var version = Version is { } v && v >= 1 && v <= latest ? v : latest;
        Publication = await db.StatisticsPublications.AsNoTracking().SingleAsync(p => p.AcademicYear == year && p.Version == version, ct);
        Tables = JsonSerializer.Deserialize<PublishedTables>(Publication.Tables, StatisticsPublishing.Json);
    }
}
