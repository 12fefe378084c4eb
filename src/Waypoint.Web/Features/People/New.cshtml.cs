using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;
using Waypoint.Shell;

namespace Waypoint.Features.People;

public sealed class NewModel(WaypointDbContext db, RegisterPerson register, TimeProvider clock) : PageModel
{
    [BindProperty] public NewPerson Input { get; set; } = new();
    [BindProperty] public DateInput Dob { get; set; } = new();
    [BindProperty] public bool DuplicatesChecked { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<PersonSearchHit> Duplicates { get; private set; } = [];
    public IReadOnlyList<Choice> Wards { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (db.Reader.AggregatesOnly)
            return Forbid();
        await LoadWardsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // An analyst sees figures only: a person they registered would be one they then could not see.
        if (db.Reader.AggregatesOnly)
            return Forbid();
        // Model binding errors (a malformed ward id, say) are reported as field errors, never a crash.
        foreach (var (key, entry) in ModelState.Where(m => m.Value?.Errors.Count > 0))
            Errors[key.Replace("Input.", "", StringComparison.Ordinal)] = "Enter a valid value";
        var (dob, dobError) = Dob.Read("Date of birth", DateRange.Birth(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
        Input.DateOfBirth = dob;
        if (Errors.Count == 0)
        {
            var result = await register.RunAsync(Input, DuplicatesChecked, ct);
            if (result.Succeeded)
            {
                TempData["Confirmation"] = "The person was registered";
                return Redirect($"/people/{result.PersonId}");
            }
            foreach (var (k, v) in result.Errors)
                Errors[k] = v;
            Duplicates = result.LikelyDuplicates;
        }
        if (dobError is not null)
            Errors["DateOfBirth"] = dobError;
        await LoadWardsAsync(ct);
        return Page();
    }

    private async Task LoadWardsAsync(CancellationToken ct) => Wards = await Lookups.WardsAsync(db, ct);
}
