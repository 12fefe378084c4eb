using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Shell;

namespace Waypoint.Features.People;

public sealed class IndexModel(WaypointDbContext db, PersonAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Identifier { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput Dob { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<PersonSearchHit> Results { get; private set; } = [];
    public bool Searched { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (dob, dobError) = Dob.Read("Date of birth", DateRange.Birth(DateOnly.FromDateTime(DateTime.UtcNow)));
        if (dobError is not null)
            Errors["DateOfBirth"] = dobError;
        if (Name?.Length > 200)
            Errors["Name"] = "Name must be 200 characters or fewer";
        if (Identifier?.Length > 40)
            Errors["Identifier"] = "An identifier is at most 40 characters";
        var query = new PersonSearchQuery(Name, dob, Identifier);
        Searched = !query.IsEmpty || Errors.Count > 0;
        if (!Searched || Errors.Count > 0)
            return;
        Results = await PersonSearch.SearchAsync(db, query, ct);
        await access.AuditListedAsync(Results.Select(r => r.Id).ToList(), "people.search", ct);
    }
}
