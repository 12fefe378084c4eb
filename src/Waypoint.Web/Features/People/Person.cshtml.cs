using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed class PersonModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public PersonDetailsView? Person { get; private set; }
    public int? Age { get; private set; }
    public Schools.SchoolRecordsView? SchoolRecords { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Person = await PersonDetails.LoadAsync(db, access, id, "person", ct);
        if (Person is null)
            return NotFound();
        SchoolRecords = await Schools.SchoolRecords.LoadAsync(db, id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        if (Person.DateOfBirth is { } dob)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            Age = today.Year - dob.Year - (today < dob.AddYears(today.Year - dob.Year) ? 1 : 0);
        }
        return Page();
    }

    public static string Describe(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.Upn => "Unique pupil number (UPN)",
        IdentifierScheme.PoliceReference => "Police reference",
        IdentifierScheme.LocalId => "Local id",
        _ => scheme.ToString(),
    };
}
