using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Police.Places;

/// <summary>
/// The places of concern the reader may see, by ward, with how many young people are linked (no one
/// named here, nor in the CSV or XLSX of the same list, so neither is audited against anyone).
/// </summary>
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Title, string Owner, DateOnly ReviewOn, bool Lapsed, int AtRisk, int Involved);

    public IReadOnlyList<Row> Places { get; private set; } = [];
    public IReadOnlyList<Row> Lapsed { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await PlacesOfConcern.MayRecordAsync(db, clock, ct))
            return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The current and lapsed places as the page lists them.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (!await PlacesOfConcern.MayRecordAsync(db, clock, ct))
            return NotFound();
        await LoadAsync(ct);
        var table = new ExportTable("Places of concern", ["Place", "Recorded by", "Review by", "State", "At risk there", "Linked to the activity"],
            Places.Concat(Lapsed).Select(p => (IReadOnlyList<object?>)[p.Title, p.Owner, p.ReviewOn, p.Lapsed ? "Lapsed" : "Current", p.AtRisk, p.Involved]).ToList());
        return ExportFile.Of(table, format, "places-of-concern", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var places = await db.PlacesOfConcern.AsNoTracking().Where(p => p.Status == PlaceStatus.Active)
            .OrderBy(p => p.Area!.Name).ThenBy(p => p.Name)
            .Select(p => new
            {
                p.Id,
                p.Name,
                Ward = p.Area!.Name,
                Owner = p.OwnerOrganisation!.Name,
                p.ReviewOn,
                AtRisk = p.Links.Count(l => l.Role == PlaceLinkRole.AtRisk && l.Status == PlaceStatus.Active && l.ReviewOn >= today),
                Involved = p.Links.Count(l => l.Role == PlaceLinkRole.Involved && l.Status == PlaceStatus.Active && l.ReviewOn >= today),
            }).ToListAsync(ct);
        var rows = places.Select(p => new Row(p.Id, PlacesOfConcern.Title(p.Name, p.Ward), p.Owner, p.ReviewOn, p.ReviewOn < today, p.AtRisk, p.Involved)).ToList();
        Places = rows.Where(r => !r.Lapsed).ToList();
        Lapsed = rows.Where(r => r.Lapsed).ToList();
    }
}
