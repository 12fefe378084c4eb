namespace Waypoint.Domain;

public enum PersonKind
{
    YoungPerson,
    Adult,
}

public enum Sex
{
    Unknown,
    Female,
    Male,
}

/// <summary>A young person or a family member in the register.</summary>
public sealed class Person
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public PersonKind Kind { get; set; }
    public required string GivenName { get; set; }
    public required string FamilyName { get; set; }
    public string? PreferredName { get; set; }

    /// <summary>Middle names, as a school's Common Transfer File gives them.</summary>
    public string? MiddleNames { get; set; }

    /// <summary>The family name the person goes by, where it is not their legal one (a CTF's PreferredSurname).</summary>
    public string? PreferredFamilyName { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public Sex Sex { get; set; }

    /// <summary>The ward the person lives in; partnership-wide roles are scoped by it.</summary>
    public Guid AreaId { get; set; }
    public Area? Area { get; set; }
    public Guid? HouseholdId { get; set; }
    public Household? Household { get; set; }

    /// <summary>The organisation that first recorded the person.</summary>
    public Guid OwnerOrganisationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    // Search keys, kept in step with the names by the register (see NameKeys).
    public string SearchGivenName { get; set; } = "";
    public string SearchFamilyName { get; set; } = "";
    public string GivenNameKey { get; set; } = "";
    public string FamilyNameKey { get; set; } = "";

    /// <summary>The first three letters of <see cref="SearchFamilyName"/>: with the birthday, how the register's duplicate rules find candidates.</summary>
    public string SearchFamilyPrefix { get; set; } = "";

    public List<PersonIdentifier> Identifiers { get; set; } = [];

    /// <summary>Set when this entry was merged into another (issue 16): old links and searches go to the survivor; hidden from every reader but the system.</summary>
    public Guid? MergedIntoId { get; set; }
}

public sealed class Household
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string AddressLine1 { get; set; }
    public string? AddressLine2 { get; set; }
    public required string Town { get; set; }
    public required string Postcode { get; set; }
    public Guid AreaId { get; set; }
    public Guid OwnerOrganisationId { get; set; }
}

public enum IdentifierScheme
{
    Upn,
    PoliceReference,
    LocalId,
}

/// <summary>A categorised record: it belongs to an organisation and flows only where the sharing agreement allows.</summary>
public interface ICategorisedRecord
{
    Guid PersonId { get; }
    Guid OwnerOrganisationId { get; }
    string CategoryCode { get; }
}

public sealed class PersonIdentifier : ICategorisedRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public IdentifierScheme Scheme { get; set; }
    public required string Value { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public required string CategoryCode { get; set; }
}

public enum RelationshipKind
{
    Parent,
    Carer,
    StepParent,
    Grandparent,
    Sibling,
    HalfSibling,
    Other,
}

/// <summary>Person → related person ("Ann is the Parent of Ben" is PersonId=Ben, RelatedPersonId=Ann, Kind=Parent).</summary>
public sealed class PersonRelationship : ICategorisedRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid RelatedPersonId { get; set; }
    public Person? RelatedPerson { get; set; }
    public RelationshipKind Kind { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public required string CategoryCode { get; set; }
}

/// <summary>Age in whole years, as a birthday counts it (29 February counts on 28 February in other years).</summary>
public static class Ages
{
    public static int On(DateOnly dateOfBirth, DateOnly day) =>
        day.Year - dateOfBirth.Year - (day < dateOfBirth.AddYears(day.Year - dateOfBirth.Year) ? 1 : 0);
}
