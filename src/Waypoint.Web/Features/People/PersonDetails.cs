using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record IdentifierView(IdentifierScheme Scheme, string Value, string RecordedBy);
public sealed record RelativeView(Guid PersonId, RelationshipKind Kind, string Name, DateOnly? DateOfBirth);
public sealed record EnrolmentView(string School, DateOnly StartDate, DateOnly? EndDate, int? YearGroup, bool IsDualRegistration);
public sealed record HouseholdView(string AddressLine1, string? AddressLine2, string Town, string Postcode);

public sealed record PersonDetailsView(
    Guid Id, PersonKind Kind, string GivenName, string FamilyName, string? PreferredName, DateOnly? DateOfBirth, Sex Sex, string Ward,
    HouseholdView? Household, IReadOnlyList<IdentifierView> Identifiers, IReadOnlyList<RelativeView> Relatives,
    int HiddenRelatives, IReadOnlyList<EnrolmentView> Enrolments, IReadOnlyList<AccessBasis> WhyVisible);

/// <summary>The person page and <c>GET /api/v1/people/{id}</c>: one read, through the policy, audited.</summary>
public static class PersonDetails
{
    public static async Task<PersonDetailsView?> LoadAsync(WaypointDbContext db, PersonAccess access, Guid id, string subject, CancellationToken ct = default)
    {
        var person = await access.OpenAsync(id, subject, ct);
        if (person is null)
            return null;

        var ward = await db.Areas.Where(a => a.Id == person.AreaId).Select(a => a.Name).FirstAsync(ct);
        var identifiers = await db.PersonIdentifiers.AsNoTracking().Where(i => i.PersonId == id)
            .OrderBy(i => i.Scheme).Select(i => new IdentifierView(i.Scheme, i.Value, i.OwnerOrganisation!.Name)).ToListAsync(ct);
        // Relationships are family records (filtered by category); the relative shows only if the reader may see them too.
        var relationships = await db.PersonRelationships.AsNoTracking().Where(r => r.PersonId == id)
            .Select(r => new { r.RelatedPersonId, r.Kind }).ToListAsync(ct);
        var relatedIds = relationships.Select(r => r.RelatedPersonId).ToList();
        var visibleRelatives = await db.People.AsNoTracking().Where(p => relatedIds.Contains(p.Id))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.DateOfBirth }).ToDictionaryAsync(p => p.Id, ct);
        var relatives = relationships.Where(r => visibleRelatives.ContainsKey(r.RelatedPersonId))
            .Select(r => visibleRelatives[r.RelatedPersonId] is var p ? new RelativeView(p.Id, r.Kind, $"{p.GivenName} {p.FamilyName}", p.DateOfBirth) : null!)
            .OrderBy(r => r.Kind).ThenBy(r => r.Name).ToList();
        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == id)
            .OrderByDescending(e => e.StartDate)
            .Select(e => new EnrolmentView(e.School!.Name, e.StartDate, e.EndDate, e.YearGroup, e.IsDualRegistration)).ToListAsync(ct);
        // The address is a family record owned by whoever recorded the household (not whoever first recorded the person).
        HouseholdView? household = null;
        if (person.HouseholdId is { } householdId
            && await db.Households.AsNoTracking().Where(h => h.Id == householdId).Select(h => (Guid?)h.OwnerOrganisationId).FirstOrDefaultAsync(ct) is { } householdOwner
            && await FamilyRecordsVisibleAsync(db, householdOwner, ct))
            household = await db.Households.AsNoTracking().Where(h => h.Id == householdId)
                .Select(h => new HouseholdView(h.AddressLine1, h.AddressLine2, h.Town, h.Postcode)).FirstOrDefaultAsync(ct);
        var why = await AccessPolicy.ExplainAsync(db, id, ct);
        if (relatives.Count > 0)
            await access.AuditListedAsync(relatives.Select(r => r.PersonId).ToList(), $"{subject}.relatives", ct);

        return new PersonDetailsView(person.Id, person.Kind, person.GivenName, person.FamilyName, person.PreferredName, person.DateOfBirth, person.Sex,
            ward, household, identifiers, relatives, relationships.Count - relatives.Count, enrolments, why);
    }

    private static Task<bool> FamilyRecordsVisibleAsync(WaypointDbContext db, Guid ownerOrganisationId, CancellationToken ct) =>
        AccessPolicy.CategoryVisibleAsync(db, ownerOrganisationId, RecordCategories.Family, ct);
}
