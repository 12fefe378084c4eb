using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// "Your MIS's headings": a school tells Waypoint what a heading its system writes means, once,
/// instead of editing every export. Only schools import, so others are not found here.
/// </summary>
public sealed class HeadingsModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty] public ImportKind? Kind { get; set; }
    [BindProperty] public string? Heading { get; set; }
    [BindProperty] public string? Column { get; set; }
    [BindProperty] public bool Confirmed { get; set; }

    public Dictionary<string, string> Errors { get; private set; } = [];
    public IReadOnlyList<SavedHeading> Saved { get; private set; } = [];

    /// <summary>Set while the page asks the school to confirm forgetting a heading.</summary>
    public SavedHeading? Removing { get; private set; }

    private bool IsSchool => db.Reader.OrganisationType == OrganisationType.School;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IsSchool)
            return NotFound();
        Saved = await ImportHeadings.ListAsync(db, db.Reader.OrganisationId, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsSchool)
            return NotFound();
        Errors = await ImportHeadings.SaveAsync(db, Kind, Heading, Column, clock.GetUtcNow(), ct);
        if (Errors.Count > 0)
        {
            Saved = await ImportHeadings.ListAsync(db, db.Reader.OrganisationId, ct);
            return Page();
        }
        TempData["Confirmation"] = Column != ImportHeadings.PassOver
            ? $"\"{Heading!.Trim()}\" will be read as {Column} in {ImportLabels.Files(Kind!.Value)}"
            : $"\"{Heading!.Trim()}\" will be passed over in {ImportLabels.Files(Kind!.Value)}";
        return RedirectToPage();
    }

    /// <summary>Forgets a heading: first the page asks, then (with <see cref="Confirmed"/>) it is removed.</summary>
    public async Task<IActionResult> OnPostRemoveAsync(Guid mappingId, CancellationToken ct)
    {
        if (!IsSchool)
            return NotFound();
        var found = await ImportHeadings.FindAsync(db, mappingId, ct);
        if (found is null)
            return NotFound();
        if (!Confirmed)
        {
            Removing = found;
            return Page();
        }
        await ImportHeadings.RemoveAsync(db, mappingId, ct);
        TempData["Confirmation"] = $"\"{found.Heading}\" is forgotten: files with it will be refused until it is removed or saved again";
        return RedirectToPage();
    }
}
