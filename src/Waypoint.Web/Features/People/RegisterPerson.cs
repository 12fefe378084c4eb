using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>What a practitioner enters to add someone to the register (page and API alike).</summary>
public sealed class NewPerson
{
    public PersonKind Kind { get; set; } = PersonKind.YoungPerson;
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? PreferredName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public Sex Sex { get; set; }
    public Guid? WardId { get; set; }
    public string? Upn { get; set; }
    public string? PoliceReference { get; set; }
    public string? LocalId { get; set; }

    /// <summary>Why the creator's organisation is involved; it becomes their involvement, so they can see whom they added.</summary>
    public string? Reason { get; set; }
}

public sealed record RegisterResult(Guid? PersonId, IReadOnlyDictionary<string, string> Errors, IReadOnlyList<PersonSearchHit> LikelyDuplicates)
{
    public bool Succeeded => PersonId is not null;
}

/// <summary>
/// Adds a person after searching for them: likely duplicates (same date of birth and a
/// sound-alike name, or a shared identifier) are returned for the user to check unless they
/// confirm. The creator's organisation gains an explicit involvement with the reason given.
/// </summary>
public sealed class RegisterPerson(WaypointDbContext db, PersonAccess access, TimeProvider clock)
{
    public const int MaxNameLength = 100;

    public async Task<RegisterResult> RunAsync(NewPerson input, bool duplicatesChecked, CancellationToken ct = default)
    {
        var errors = Validate(input);
        if (errors.Count > 0)
            return new RegisterResult(null, errors, []);
        var reader = db.Reader;
        if (reader.IsSystem || reader.OrganisationId == Guid.Empty)
            throw new InvalidOperationException("Only a signed-in practitioner can register a person.");
        if (!await db.Areas.AnyAsync(a => a.Id == input.WardId && a.Kind == AreaKind.Ward, ct))
            return new RegisterResult(null, new Dictionary<string, string> { [nameof(NewPerson.WardId)] = "Select the ward the person lives in" }, []);

        if (!duplicatesChecked)
        {
            var duplicates = await LikelyDuplicatesAsync(input, ct);
            if (duplicates.Count > 0)
            {
                await access.AuditListedAsync(duplicates.Select(d => d.Id).ToList(), "person.duplicate-check", ct);
                return new RegisterResult(null, new Dictionary<string, string>(), duplicates);
            }
        }

        var now = clock.GetUtcNow();
        var person = new Person
        {
            Kind = input.Kind,
            GivenName = input.GivenName!.Trim(),
            FamilyName = input.FamilyName!.Trim(),
            PreferredName = string.IsNullOrWhiteSpace(input.PreferredName) ? null : input.PreferredName.Trim(),
            DateOfBirth = input.DateOfBirth,
            Sex = input.Sex,
            AreaId = input.WardId!.Value,
            OwnerOrganisationId = reader.OrganisationId,
            CreatedAt = now,
        };
        if (!string.IsNullOrWhiteSpace(input.Upn))
            person.Identifiers.Add(NewIdentifier(person, IdentifierScheme.Upn, Upn.Normalise(input.Upn), CategoryOf(IdentifierScheme.Upn), reader));
        if (!string.IsNullOrWhiteSpace(input.PoliceReference))
            person.Identifiers.Add(NewIdentifier(person, IdentifierScheme.PoliceReference, input.PoliceReference.Trim().ToUpperInvariant(), CategoryOf(IdentifierScheme.PoliceReference), reader));
        if (!string.IsNullOrWhiteSpace(input.LocalId))
            person.Identifiers.Add(NewIdentifier(person, IdentifierScheme.LocalId, input.LocalId.Trim().ToUpperInvariant(), CategoryOf(IdentifierScheme.LocalId), reader));

        db.People.Add(person);
        db.Involvements.Add(new Involvement
        {
            PersonId = person.Id,
            OrganisationId = reader.OrganisationId,
            Source = InvolvementSource.Explicit,
            Reason = input.Reason!.Trim(),
            StartDate = DateOnly.FromDateTime(now.UtcDateTime),
            // Recording someone gives a grant like any other: for a set period, renewed by a decision.
            EndDate = GrantRules.DefaultEnd(DateOnly.FromDateTime(now.UtcDateTime)),
            AddedByUserId = reader.UserId,
            AddedAt = now,
        });
        await access.AuditWriteAsync(person.Id, AuditAction.Create, "person", ct);
        await db.SaveChangesAsync(ct);
        return new RegisterResult(person.Id, new Dictionary<string, string>(), []);
    }

    public static Dictionary<string, string> Validate(NewPerson input)
    {
        var errors = ValidateDetails(input.Kind, input.GivenName, input.FamilyName, input.PreferredName, input.DateOfBirth, input.WardId);
        if (!string.IsNullOrWhiteSpace(input.Upn) && ValidateIdentifier(IdentifierScheme.Upn, input.Upn) is { } upnError)
            errors[nameof(NewPerson.Upn)] = upnError;
        if (!string.IsNullOrWhiteSpace(input.PoliceReference) && ValidateIdentifier(IdentifierScheme.PoliceReference, input.PoliceReference) is { } policeError)
            errors[nameof(NewPerson.PoliceReference)] = policeError;
        if (!string.IsNullOrWhiteSpace(input.LocalId) && ValidateIdentifier(IdentifierScheme.LocalId, input.LocalId) is { } localError)
            errors[nameof(NewPerson.LocalId)] = localError;
        if (string.IsNullOrWhiteSpace(input.Reason))
            errors[nameof(NewPerson.Reason)] = "Say why your organisation is involved with this person";
        else if (input.Reason.Trim().Length > 500)
            errors[nameof(NewPerson.Reason)] = "The reason must be 500 characters or fewer";
        return errors;
    }

    /// <summary>The rules for a person's own details, shared by adding and editing.</summary>
    public static Dictionary<string, string> ValidateDetails(PersonKind kind, string? givenName, string? familyName, string? preferredName, DateOnly? dateOfBirth, Guid? wardId)
    {
        var errors = new Dictionary<string, string>();
        void Name(string field, string? value, string label, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required) errors[field] = $"Enter the {label}";
            }
            else if (value.Trim().Length > MaxNameLength)
                errors[field] = $"The {label} must be {MaxNameLength} characters or fewer";
            else if (NameKeys.Normalise(value).Length == 0)
                errors[field] = $"The {label} must contain letters";
        }
        Name(nameof(NewPerson.GivenName), givenName, "first name", required: true);
        Name(nameof(NewPerson.FamilyName), familyName, "last name", required: true);
        Name(nameof(NewPerson.PreferredName), preferredName, "preferred name", required: false);
        if (dateOfBirth is { } dob)
        {
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            if (dob > today)
                errors[nameof(NewPerson.DateOfBirth)] = "Date of birth must be in the past";
            else if (dob < today.AddYears(-120))
                errors[nameof(NewPerson.DateOfBirth)] = "Date of birth must be within the last 120 years";
        }
        else if (kind == PersonKind.YoungPerson)
            errors[nameof(NewPerson.DateOfBirth)] = "Enter the young person's date of birth";
        if (wardId is null)
            errors[nameof(NewPerson.WardId)] = "Select the ward the person lives in";
        return errors;
    }

    /// <summary>The category an identifier belongs to: who issued it decides who may see it.</summary>
    public static string CategoryOf(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.Upn => RecordCategories.Education,
        IdentifierScheme.PoliceReference => RecordCategories.PoliceGeneral,
        _ => RecordCategories.CaseWork,
    };

    /// <summary>Null if the identifier is well formed for its scheme, else the message.</summary>
    public static string? ValidateIdentifier(IdentifierScheme scheme, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return "Enter the identifier";
        if (scheme == IdentifierScheme.Upn)
            return People.Upn.Validate(value);
        var v = value.Trim();
        var label = scheme == IdentifierScheme.PoliceReference ? "A police reference" : "A local id";
        return v.Length > 40 || !v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '/')
            ? $"{label} has up to 40 letters, digits, hyphens or slashes"
            : null;
    }

    /// <summary>Possible duplicates the reader may see: a sound-alike name with the same date of birth, or a shared identifier.</summary>
    private async Task<IReadOnlyList<PersonSearchHit>> LikelyDuplicatesAsync(NewPerson input, CancellationToken ct)
    {
        var hits = await PersonSearch.SearchAsync(db, new PersonSearchQuery($"{input.GivenName} {input.FamilyName}", input.DateOfBirth, null, 10), ct);
        var identifiers = new[] { input.Upn, input.PoliceReference, input.LocalId }
            .Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim().ToUpperInvariant()).ToList();
        if (identifiers.Count == 0)
            return hits;
        var byIdentifier = await db.People.AsNoTracking()
            .Where(p => p.Identifiers.Any(i => identifiers.Contains(i.Value)))
            .Select(p => new PersonSearchHit(p.Id, p.Kind, p.GivenName, p.FamilyName, p.DateOfBirth, p.Area!.Name, 1.0))
            .ToListAsync(ct);
        return byIdentifier.Concat(hits).DistinctBy(h => h.Id).ToList();
    }

    private static PersonIdentifier NewIdentifier(Person person, IdentifierScheme scheme, string value, string category, Reader reader) => new()
    {
        PersonId = person.Id,
        Scheme = scheme,
        Value = value,
        OwnerOrganisationId = reader.OrganisationId,
        CategoryCode = category,
    };
}
