using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police;

/// <summary>One occurrence as the reader may see it: its people only where the reader may see them, and the rest counted.</summary>
public sealed class OccurrenceModel(WaypointDbContext db, PersonAccess access) : PageModel
{
    public Occurrence? Occurrence { get; private set; }
    public string? Ward { get; private set; }
    public IReadOnlyList<(Guid PersonId, string Name, OccurrenceRole Role)> People { get; private set; } = [];
    public int Hidden { get; private set; }
    public bool IsOwner => Occurrence is { } o && IndexModel.IsPolice(db) && o.OwnerOrganisationId == db.Reader.OrganisationId;

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid id, CancellationToken ct)
    {
        Occurrence = await db.Occurrences.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct);
        if (Occurrence is null)
            return NotFound();
        Ward = Occurrence.AreaId is { } a ? await db.Areas.Where(x => x.Id == a).Select(x => x.Name).FirstOrDefaultAsync(ct) : null;
        People = (await db.OccurrencePeople.AsNoTracking().Where(l => l.OccurrenceId == id)
                .Select(l => new { l.PersonId, l.Person!.GivenName, l.Person.FamilyName, l.Role }).ToListAsync(ct))
            .Select(l => (l.PersonId, $"{l.GivenName} {l.FamilyName}", l.Role)).ToList();
        Hidden = await db.Unfiltered<OccurrencePerson>("a count of the people in an occurrence the reader may not see, never who they are").CountAsync(l => l.OccurrenceId == id, ct) - People.Count;
        await access.AuditListedAsync(People.Select(p => p.PersonId).ToList(), $"police:occurrence {id}", ct);
        return Page();
    }
}
