using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police;

/// <summary>The names from the force's files waiting for a person to decide who they are; the latest decisions below. Police only.</summary>
public sealed class ReviewsModel(WaypointDbContext db) : PageModel
{
    public sealed record Row(Guid Id, string Name, DateOnly? DateOfBirth, OccurrenceRole Role, string Occurrence, string File, int Line, OccurrenceMatchStatus Status, DateTimeOffset? DecidedAt);

    public IReadOnlyList<Row> Waiting { get; private set; } = [];
    public IReadOnlyList<Row> Decided { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return NotFound();
        // The names are the force's own file as sent (the filter keeps the queue to the force); no person of the register is named here.
        var rows = await db.OccurrenceMatchReviews.AsNoTracking()
            .OrderBy(r => r.Status).ThenBy(r => r.CreatedAt).Take(500)
            .Select(r => new { r.Id, r.GivenName, r.FamilyName, r.DateOfBirth, r.Role, r.Occurrence!.PoliceReference, r.FileName, r.Line, r.Status, r.DecidedAt })
            .ToListAsync(ct);
        var all = rows.Select(r => new Row(r.Id, $"{r.GivenName} {r.FamilyName}", r.DateOfBirth, r.Role, r.PoliceReference, r.FileName, r.Line, r.Status, r.DecidedAt)).ToList();
        Waiting = all.Where(r => r.Status == OccurrenceMatchStatus.Waiting).ToList();
        Decided = all.Where(r => r.Status != OccurrenceMatchStatus.Waiting).OrderByDescending(r => r.DecidedAt).Take(50).ToList();
        return Page();
    }
}
