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
        await OpenForAsync(PersonOperations.Write, "person.identifiers", ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.identifiers", ct) is { } refused)
            return refused;
        if (Scheme is null || !ModelState.IsValid)
            Errors["Scheme"] = "Select the type of identifier";
        else if (RegisterPerson.ValidateIdentifier(Scheme.Value, Value) is { } error)
            Errors["Value"] = error;
        if (Errors.Count > 0)
            return Page();

        var value = Scheme == IdentifierScheme.Upn ? Upn.Normalise(Value!) : Value!.Trim().ToUpperInvariant();
        // One identifier belongs to one person: a second holder means a duplicate record, whoever can see it.
        var holder = await db.Unfiltered<PersonIdentifier>("one identifier belongs to one person: the duplicate check reads the whole register and names nobody")
            .Where(i => i.Scheme == Scheme && i.Value == value).Select(i => (Guid?)i.PersonId).FirstOrDefaultAsync(ct);
        if (holder == Id)
            Errors["Value"] = "This person already has this identifier";
        else if (holder is { } other)
        {
            // Whose it is stays hidden: the reader learns only that the hub has something to resolve,
            // and the look at the other record is audited against it.
            Errors["Value"] = "A possible duplicate record exists. The early-help hub can resolve it: report it to them with this identifier";
            await Access.AuditDuplicateCheckAsync(other, "person.identifiers duplicate check", ct);
        }
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
        TempData["Confirmation"] = "The identifier has been added";
        return BackToPerson();
    }
}
