using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Police.Places;

/// <summary>Records a place of concern: a ward, optionally a named location in it, the evidence, and a review date within six months.</summary>
public sealed class NewModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty] public string? AreaId { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public DateInput ReviewOn { get; set; } = new();
    [BindProperty] public bool Intelligence { get; set; }
    public bool IsPolice => db.Reader.OrganisationType == OrganisationType.Police;
    public IReadOnlyList<(string Value, string Text)> Wards { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await PlacesOfConcern.MayRecordAsync(db, clock, ct))
            return NotFound();
        await LoadWardsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await PlacesOfConcern.MayRecordAsync(db, clock, ct))
            return NotFound();
        await LoadWardsAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!Guid.TryParse(AreaId, out var areaId) || !Wards.Any(w => w.Value == areaId.ToString()))
            Errors[nameof(AreaId)] = "Choose the ward the place is in";
        if (Name is { Length: > PlaceOfConcern.MaxNameLength })
            Errors[nameof(Name)] = $"The name of the location must be {PlaceOfConcern.MaxNameLength} characters or fewer";
        if (PlacesOfConcern.CheckEvidence(Evidence, "the evidence that makes it a place of concern") is { } evidenceError)
            Errors[nameof(Evidence)] = evidenceError;
        var (review, reviewError) = ReviewOn.Read("Review date");
        if ((reviewError ?? FlagRules.CheckReviewDate(review, today)) is { } problem)
            Errors[nameof(ReviewOn)] = problem;
        if (Errors.Count > 0)
            return Page();
        var place = new PlaceOfConcern
        {
            AreaId = areaId,
            Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
            Evidence = Evidence!.Trim(),
            OwnerOrganisationId = db.Reader.OrganisationId,
            CategoryCode = PlacesOfConcern.CategoryFor(db, IsPolice && Intelligence),
            RecordedByUserId = db.Reader.UserId,
            RecordedAt = clock.GetUtcNow(),
            ReviewOn = review!.Value,
            Status = PlaceStatus.Active,
        };
        db.PlacesOfConcern.Add(place);
        audit.StageWrite(new AuditEvent(null, AuditAction.Create, $"place:{place.Id} recorded review {place.ReviewOn:yyyy-MM-dd}", "place of concern"));
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"Place of concern recorded, to be reviewed by {place.ReviewOn:d MMMM yyyy}";
        return Redirect($"/police/place?id={place.Id}");
    }

    private async Task LoadWardsAsync(CancellationToken ct) =>
        Wards = (await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Ward).OrderBy(a => a.Name).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .Select(a => (a.Id.ToString(), a.Name)).ToList();
}
