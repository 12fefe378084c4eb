using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Police;

/// <summary>Records one occurrence by hand, checked as an imported line is; the people are added next, chosen from the register. Police only.</summary>
public sealed class NewOccurrenceModel(WaypointDbContext db, OccurrenceEntry entry) : PageModel
{
    [BindProperty] public string? PoliceReference { get; set; }
    [BindProperty] public DateInput OccurredOn { get; set; } = new();
    [BindProperty] public string? Offence { get; set; }
    [BindProperty] public string? Incident { get; set; }
    [BindProperty] public Guid? WardId { get; set; }
    [BindProperty] public string? Location { get; set; }
    [BindProperty] public string? Latitude { get; set; }
    [BindProperty] public string? Longitude { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public bool Intelligence { get; set; }
    public IReadOnlyList<(string Value, string Text)> Wards { get; private set; } = [];
    public Dictionary<string, string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return NotFound();
        var (date, dateError) = OccurredOn.Read("Date of the occurrence");
        var (id, errors) = await entry.RecordAsync(new OccurrenceForm(PoliceReference, date, Offence, Incident, WardId, Location, Latitude, Longitude, Outcome, Intelligence), ct);
        if (dateError is not null)
            errors["OccurredOn"] = dateError;
        if (id is { } created && errors.Count == 0)
        {
            TempData["Confirmation"] = $"Occurrence {PoliceReference!.Trim()} recorded: now add the people involved";
            return Redirect($"/police/occurrence?id={created}");
        }
        Errors = errors;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Wards = (await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Ward).OrderBy(a => a.Name).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .Select(a => (a.Id.ToString(), a.Name)).ToList();
}
