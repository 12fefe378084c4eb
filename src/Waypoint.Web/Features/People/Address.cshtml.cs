using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>The household's address: one record shared by everyone living there, a family record of the organisation that keeps it.</summary>
public sealed partial class AddressModel(WaypointDbContext db, PersonAccess access) : PersonPageModel(access)
{
    [BindProperty] public string? AddressLine1 { get; set; }
    [BindProperty] public string? AddressLine2 { get; set; }
    [BindProperty] public string? Town { get; set; }
    [BindProperty] public string? Postcode { get; set; }
    public int HouseholdMembers { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.address", ct) is { } refused)
            return refused;
        if (Person!.HouseholdId is { } householdId)
        {
            var household = await db.Unfiltered<Household>("the address is shown only where the family category flows to the reader, checked next")
                .AsNoTracking().FirstAsync(h => h.Id == householdId, ct);
            if (await AccessPolicy.CategoryVisibleAsync(db, household.OwnerOrganisationId, RecordCategories.Family, ct))
                (AddressLine1, AddressLine2, Town, Postcode) = (household.AddressLine1, household.AddressLine2, household.Town, household.Postcode);
        }
        await CountMembersAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.address", ct) is { } refused)
            return refused;
        if (!await AddressVisibleAsync(ct))
        {
            // The GET showed no address; a POST must not overwrite, for everyone in the household,
            // what the agreement hides from this reader.
            Errors["AddressLine1"] = "This household's address is kept by another agency and is not shared with your organisation, so you cannot change it. Ask the early-help hub";
            await CountMembersAsync(ct);
            return Page();
        }
        Check("AddressLine1", AddressLine1, "address line 1", 120, required: true);
        Check("AddressLine2", AddressLine2, "address line 2", 120, required: false);
        Check("Town", Town, "town or city", 80, required: true);
        var postcode = NormalisePostcode(Postcode);
        if (string.IsNullOrWhiteSpace(Postcode))
            Errors["Postcode"] = "Enter the postcode";
        else if (postcode is null)
            Errors["Postcode"] = "Enter a real postcode, like NN8 1AB";
        if (Errors.Count > 0)
        {
            await CountMembersAsync(ct);
            return Page();
        }

        var reader = db.Reader;
        Household? household = Person!.HouseholdId is { } id
            ? await db.Unfiltered<Household>("the reader's right to change this address was checked above").FirstAsync(h => h.Id == id, ct)
            : null;
        if (household is null)
        {
            household = new Household { AddressLine1 = "", Town = "", Postcode = "", AreaId = Person.AreaId, OwnerOrganisationId = reader.OrganisationId };
            db.Households.Add(household);
            var person = await db.People.FirstAsync(p => p.Id == Id, ct);
            person.HouseholdId = household.Id;
        }
        household.AddressLine1 = AddressLine1!.Trim();
        household.AddressLine2 = string.IsNullOrWhiteSpace(AddressLine2) ? null : AddressLine2.Trim();
        household.Town = Town!.Trim();
        household.Postcode = postcode!;
        // The address is the household's: the change is a write for everyone living there, audited
        // against each of them in the change's own transaction.
        var residents = await db.Unfiltered<Person>("an address change is audited against every resident of the household")
            .Where(p => p.HouseholdId == household.Id).Select(p => p.Id).ToListAsync(ct);
        foreach (var resident in residents.Append(Id).Distinct())
            await Access.AuditWriteAsync(resident, AuditAction.Update, "person.address", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = residents.Count > 1 ? $"The address has been saved for the {residents.Count} people living there" : "The address has been saved";
        return BackToPerson();
    }

    /// <summary>Upper case with one space before the inward code; null if it is not a UK postcode shape.</summary>
    public static string? NormalisePostcode(string? value)
    {
        var compact = (value ?? "").Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return PostcodeShape().IsMatch(compact) ? $"{compact[..^3]} {compact[^3..]}" : null;
    }

    [GeneratedRegex("^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")]
    private static partial Regex PostcodeShape();

    private void Check(string field, string? value, string label, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
                Errors[field] = $"Enter the {label}";
        }
        else if (value.Trim().Length > max)
            Errors[field] = $"The {label} must be {max} characters or fewer";
    }

    private async Task<bool> AddressVisibleAsync(CancellationToken ct)
    {
        if (Person!.HouseholdId is not { } householdId)
            return true;
        var owner = await db.Unfiltered<Household>("whether the household's address flows to the reader decides whether they may change it")
            .Where(h => h.Id == householdId).Select(h => h.OwnerOrganisationId).FirstAsync(ct);
        return await AccessPolicy.CategoryVisibleAsync(db, owner, RecordCategories.Family, ct);
    }

    private async Task CountMembersAsync(CancellationToken ct) =>
        HouseholdMembers = Person!.HouseholdId is { } id
            ? await db.Unfiltered<Person>("the number of people sharing an address, told to whoever changes it").CountAsync(p => p.HouseholdId == id, ct)
            : 0;
}
