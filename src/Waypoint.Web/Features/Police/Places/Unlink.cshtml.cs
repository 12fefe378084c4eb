using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police.Places;

/// <summary>Ends a young person's link to a place (the organisation that made it), after a confirmation and with a reason.</summary>
public sealed class UnlinkModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public Person? Person { get; private set; }
    public PlaceOfConcernLink? Link { get; private set; }
    [BindProperty] public string? Reason { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    private async Task<IActionResult?> LoadAsync(Guid id, Guid linkId, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(id, PersonOperations.Write, "place link", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound();
        if (outcome == AccessOutcome.Forbidden)
            return Forbid();
        Person = opened!.Person;
        Link = await db.PlaceOfConcernLinks.Include(l => l.Place!).ThenInclude(p => p.Area)
            .FirstOrDefaultAsync(l => l.Id == linkId && l.PersonId == id && l.Status == PlaceStatus.Active, ct);
        if (Link is null)
            return NotFound();
        return Link.OwnerOrganisationId == db.Reader.OrganisationId ? null : Forbid();
    }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery] Guid linkId, CancellationToken ct) => await LoadAsync(id, linkId, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, [FromQuery] Guid linkId, CancellationToken ct)
    {
        if (await LoadAsync(id, linkId, ct) is { } refused)
            return refused;
        if (PlacesOfConcern.CheckEvidence(Reason, "why the link ends") is { } error)
        {
            Errors[nameof(Reason)] = error;
            return Page();
        }
        Link!.Status = PlaceStatus.Removed;
        Link.ReviewOutcome = $"Removed: {Reason!.Trim()}";
        Link.ReviewedAt = clock.GetUtcNow();
        Link.ReviewedByUserId = db.Reader.UserId;
        await access.AuditWriteAsync(id, AuditAction.Update, $"place:{Link.PlaceId} link removed", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "Link to the place of concern removed: it no longer counts anywhere";
        return Redirect($"/people/{id}/risk#places");
    }
}
