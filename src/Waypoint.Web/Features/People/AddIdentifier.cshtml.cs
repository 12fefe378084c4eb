using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed class AddIdentifierModel(WaypointDbContext db, PersonAccess access) : PersonPageModel(access)
{
    [BindProperty] public IdentifierScheme? Scheme { get; set; }
    [BindProperty] public string? Value { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await OpenAsync("person.identifiers", ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await OpenAsync("person.identifiers", ct))
            return NotFound();
        if (Scheme is null || !ModelState.IsValid)
            Errors["Scheme"] = "Select the type of identifier";
        else if (RegisterPerson.ValidateIdentifier(Scheme.Value, Value) is { } error)
            Errors["Value"] = error;
        if (Errors.Count > 0)
            return Page();

        var value = Scheme == IdentifierScheme.Upn ? Upn.Normalise(Value!) : Value!.Trim().ToUpperInvariant();
        // One identifier belongs to one person: a second holder means a duplicate record, whoever can see it.
        var holder = await db.PersonIdentifiers.IgnoreQueryFilters().Where(i => i.Scheme == Scheme && i.Value == value).Select(i => (Guid?)i.PersonId).FirstOrDefaultAsync(ct);
        if (holder == Id)
            Errors["Value"] = "This person already has this identifier";
        else if (holder is not null)
            Errors["Value"] = "This identifier is already recorded for another person in Waypoint. Ask the early-help hub to check for a duplicate record";
        if (Errors.Count > 0)
            return Page();

        db.PersonIdentifiers.Add(new PersonIdentifier
        {
            PersonId = Id,
            Scheme = Scheme!.Value,
            Value = value,
            OwnerOrganisationId = db.Reader.OrganisationId,
            CategoryCode = RegisterPerson.CategoryOf(Scheme.Value),
        });
        await Access.AuditWriteAsync(Id, AuditAction.Create, "person.identifiers", ct);
        await db.SaveChangesAsync(ct);
        return BackToPerson();
    }
}
