using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Shell;

namespace Waypoint.Features.Provision;

/// <summary>Records a placement in alternative provision for a pupil: the inclusion team, or the school that suspended them.</summary>
public sealed class NewPlacementModel(PersonAccess access, Placements placements, WaypointDbContext db) : PersonPageModel(access)
{
    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty] public DateInput StartDate { get; set; } = new();
    [BindProperty] public DateInput EndDate { get; set; } = new();
    [BindProperty] public PlacementBasis? Basis { get; set; }
    [BindProperty] public string? HoursPerWeek { get; set; }
    [BindProperty] public string? Note { get; set; }

    /// <summary>The case it is recorded from, for the link back.</summary>
    [BindProperty(SupportsGet = true)] public Guid? CaseId { get; set; }

    public List<(string Value, string Text)> Services { get; private set; } = [];
    public bool MayPlace { get; private set; } = true;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await OpenAsync("placement.new", ct))
            return NotFound();
        // A reader who may see the pupil but not place them is told who can, rather than shown a form.
        MayPlace = await placements.MayPlaceAsync(Id, ct);
        if (MayPlace)
            await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "placement.new", ct) is { } refused)
            return refused;
        if (!await placements.MayPlaceAsync(Id, ct))
            return Forbid();
        var (start, startError) = StartDate.Read("Start date");
        var (end, endError) = EndDate.Read("End date");
        decimal? hours = null;
        if (!string.IsNullOrWhiteSpace(HoursPerWeek))
        {
            if (decimal.TryParse(HoursPerWeek.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var h))
                hours = h;
            else
                Errors["HoursPerWeek"] = "Hours a week must be a number, like 25 or 12.5";
        }
        if (startError is not null)
            Errors["StartDate"] = startError;
        if (endError is not null)
            Errors["EndDate"] = endError;
        // Dates or hours that did not read are refused before anything is checked against the store.
        var (placement, errors) = Errors.Count > 0 ? (null, new Dictionary<string, string>())
            : await placements.RecordAsync(Opened!, new RecordPlacement(Id, ServiceId, start, end, Basis, hours, Note), ct);
        if (placement is null)
        {
            foreach (var (k, v) in errors)
                Errors.TryAdd(k, v);
            await LoadAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = "Placement recorded";
        return Redirect($"/people/{Id}/school#placements");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Services = (await db.Set<Service>().AsNoTracking().Where(s => s.QaStatus != ServiceQaStatus.Suspended).OrderBy(s => s.Name)
                .Select(s => new { s.Id, s.Name, Provider = s.ProviderOrganisation!.Name, s.ApRegistration }).ToListAsync(ct))
            .OrderBy(s => s.ApRegistration == ApRegistration.NotApplicable).ThenBy(s => s.Name)
            .Select(s => (s.Id.ToString(), $"{s.Name} ({s.Provider})")).ToList();
}
