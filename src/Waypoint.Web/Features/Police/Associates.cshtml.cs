using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police;

/// <summary>Someone named with the young person in an occurrence, on the same side of it.</summary>
public sealed record Associate(Guid PersonId, string Name, int SharedOccurrences, IReadOnlyList<string> References, DateOnly Latest);

/// <summary>
/// A young person's associates (contextual safeguarding): people named in the same occurrence on
/// the same side of it (both suspected or offending, or both victims, witnesses or missing), over
/// the occurrences and people the reader may see. Shown to the police only, and never a risk
/// factor: the Gangs Matrix scored people for whom they were seen with; no score here reads this.
/// </summary>
public sealed class AssociatesModel(WaypointDbContext db, PersonAccess access) : PageModel
{
    public Person? Person { get; private set; }
    public bool IsPolice { get; private set; }
    public IReadOnlyList<Associate> Associates { get; private set; } = [];

    /// <summary>Victim, witness and missing person on one side; suspect, offender and subject of concern on the other.</summary>
    public static bool VictimSide(OccurrenceRole role) => Domain.RiskMatrixRules.VictimSide.Contains(role);

    public static string Initial(string name) => name.Trim() is { Length: > 0 } n ? n[..1] : "?";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Person = await access.OpenAsync(id, "police:associates", ct);
        if (Person is null)
            return NotFound();
        IsPolice = IndexModel.IsPolice(db);
        if (!IsPolice)
            return Page();
        Associates = await FindAsync(db, id, ct);
        await access.AuditListedAsync(Associates.Select(a => a.PersonId).ToList(), $"police:associates of {id}", ct);
        return Page();
    }

    /// <summary>Through the reader's filters: an occurrence or person they may not see adds nobody.</summary>
    public static async Task<IReadOnlyList<Associate>> FindAsync(WaypointDbContext db, Guid personId, CancellationToken ct)
    {
        var mine = await db.OccurrencePeople.AsNoTracking().Where(l => l.PersonId == personId).Select(l => new { l.OccurrenceId, l.Role }).ToListAsync(ct);
        var occurrenceIds = mine.Select(m => m.OccurrenceId).Distinct().ToList();
        var others = await db.OccurrencePeople.AsNoTracking().Where(l => occurrenceIds.Contains(l.OccurrenceId) && l.PersonId != personId)
            .Select(l => new { l.OccurrenceId, l.PersonId, l.Role, l.Person!.GivenName, l.Person.FamilyName, l.Occurrence!.PoliceReference, l.Occurrence.OccurredOn })
            .ToListAsync(ct);
        return others.Where(o => mine.Any(m => m.OccurrenceId == o.OccurrenceId && VictimSide(m.Role) == VictimSide(o.Role)))
            .GroupBy(o => o.PersonId)
            .Select(g => new Associate(g.Key, $"{g.First().GivenName} {g.First().FamilyName}", g.Select(o => o.OccurrenceId).Distinct().Count(),
                g.Select(o => o.PoliceReference).Distinct().Order().ToList(), g.Max(o => o.OccurredOn)))
            .OrderByDescending(a => a.SharedOccurrences).ThenByDescending(a => a.Latest).ToList();
    }
}
