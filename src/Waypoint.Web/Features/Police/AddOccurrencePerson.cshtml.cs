using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Police;

/// <summary>Adds a person to the force's own occurrence: found by a name search over the people the reader may see, with a role the occurrence may have.</summary>
public sealed class AddOccurrencePersonModel(WaypointDbContext db, OccurrenceEntry entry, PersonAccess access) : PageModel
{
    public Occurrence? Occurrence { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty] public Guid? Person { get; set; }
    [BindProperty] public OccurrenceRole? Role { get; set; }
    public IReadOnlyList<PersonSearchHit> Results { get; private set; } = [];
    public Dictionary<string, string> Errors { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } occurrence)
            return NotFound();
        Occurrence = occurrence;
        await SearchAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromQuery] Guid id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } occurrence)
            return NotFound();
        Occurrence = occurrence;
        Errors = await entry.AddPersonAsync(occurrence, Person, Role, ct);
        if (Errors.Count == 0)
        {
            var name = await db.People.Where(p => p.Id == Person).Select(p => p.GivenName + " " + p.FamilyName).FirstAsync(ct);
            TempData["Confirmation"] = $"{name} added to occurrence {occurrence.PoliceReference} as {Risk.PoliceLabels.Describe(Role!.Value)}";
            return Redirect($"/police/occurrence?id={id}");
        }
        await SearchAsync(ct);
        return Page();
    }

    /// <summary>Only the force that recorded an occurrence adds people to it.</summary>
    private async Task<Occurrence?> FindAsync(Guid id, CancellationToken ct) =>
        IndexModel.IsPolice(db) ? await db.Occurrences.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.OwnerOrganisationId == db.Reader.OrganisationId, ct) : null;

    private async Task SearchAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Search))
            return;
        if (Search.Length > 100)
        {
            Errors.TryAdd(nameof(Search), "Enter a name of at most 100 characters");
            return;
        }
        Results = await PersonSearch.SearchAsync(db, new PersonSearchQuery(Search.Trim(), null, null, 20), ct);
        await access.AuditListedAsync(Results.Select(r => r.Id).ToList(), $"police:occurrence {Occurrence!.Id} search", ct);
    }
}
