using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Police.Places;

/// <summary>
/// Links a young person to a current place of concern the reader may see: as harmed or at risk
/// there, or as suspected of involvement, with the evidence and a review date within six months.
/// </summary>
public sealed class LinkModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public Person? Person { get; private set; }
    public IReadOnlyList<(string Value, string Text)> Places { get; private set; } = [];
    [BindProperty] public string? PlaceId { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Evidence { get; set; }
    [BindProperty] public DateInput ReviewOn { get; set; } = new();
    [BindProperty] public bool Intelligence { get; set; }
    public bool IsPolice => db.Reader.OrganisationType == OrganisationType.Police;
    public bool MayRecord { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public static IReadOnlyList<(string Value, string Text)> Roles { get; } =
        [(nameof(PlaceLinkRole.AtRisk), PlaceRules.Describe(PlaceLinkRole.AtRisk)), (nameof(PlaceLinkRole.Involved), PlaceRules.Describe(PlaceLinkRole.Involved))];

    private async Task<IActionResult?> OpenAsync(Guid id, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(id, PersonOperations.Write, "place link", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound();
        if (outcome == AccessOutcome.Forbidden)
            return Forbid();
        Person = opened!.Person;
        MayRecord = await PlacesOfConcern.MayRecordAsync(db, clock, ct);
        if (!MayRecord)
            return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Places = (await db.PlacesOfConcern.AsNoTracking().Where(PlaceRules.Counts(today)).OrderBy(p => p.Area!.Name).ThenBy(p => p.Name)
                .Select(p => new { p.Id, p.Name, Ward = p.Area!.Name }).ToListAsync(ct))
            .Select(p => (p.Id.ToString(), PlacesOfConcern.Title(p.Name, p.Ward))).ToList();
        return null;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await OpenAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await OpenAsync(id, ct) is { } refused)
            return refused;
        if (!MayRecord)
            return Forbid();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (!Guid.TryParse(PlaceId, out var placeId) || !Places.Any(p => p.Value == placeId.ToString()))
            Errors[nameof(PlaceId)] = "Choose a current place of concern";
        if (!Enum.TryParse<PlaceLinkRole>(Role, out var role) || !Enum.IsDefined(role) || int.TryParse(Role, out _))
            Errors[nameof(Role)] = "Choose how the young person is linked to the place";
        if (PlacesOfConcern.CheckEvidence(Evidence, "the evidence for the link") is { } evidenceError)
            Errors[nameof(Evidence)] = evidenceError;
        var (review, reviewError) = ReviewOn.Read("Review date");
        if ((reviewError ?? FlagRules.CheckReviewDate(review, today)) is { } problem)
            Errors[nameof(ReviewOn)] = problem;
        if (Errors.Count == 0 && await db.PlaceOfConcernLinks.AnyAsync(l => l.PlaceId == placeId && l.PersonId == id && l.Status == PlaceStatus.Active && l.ReviewOn >= today, ct))
            Errors[nameof(PlaceId)] = "The young person is already linked to this place";
        if (Errors.Count > 0)
            return Page();
        var link = new PlaceOfConcernLink
        {
            PlaceId = placeId,
            PersonId = id,
            Role = role,
            Evidence = Evidence!.Trim(),
            OwnerOrganisationId = db.Reader.OrganisationId,
            CategoryCode = PlacesOfConcern.CategoryFor(db, IsPolice && Intelligence),
            LinkedByUserId = db.Reader.UserId,
            LinkedAt = clock.GetUtcNow(),
            ReviewOn = review!.Value,
            Status = PlaceStatus.Active,
        };
        db.PlaceOfConcernLinks.Add(link);
        await access.AuditWriteAsync(id, AuditAction.Create, $"place:{placeId} linked {role} review {link.ReviewOn:yyyy-MM-dd}", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"Linked to the place of concern ({PlaceRules.Describe(role).ToLowerInvariant()}), to be reviewed by {link.ReviewOn:d MMMM yyyy}";
        return Redirect($"/people/{id}/risk#places");
    }
}
