using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record IdentifierView(IdentifierScheme Scheme, string Value, string RecordedBy);
public sealed record RelativeView(Guid PersonId, string Relationship, string Name, DateOnly? DateOfBirth);
public sealed record EnrolmentView(string School, DateOnly StartDate, DateOnly? EndDate, int? YearGroup, bool IsDualRegistration, string? Urn = null)
{
    /// <summary>With the URN: two schools can share a name.</summary>
    public string SchoolWithUrn => Shared.SchoolNames.WithUrn(School, Urn);
}
public sealed record HouseholdView(string AddressLine1, string? AddressLine2, string Town, string Postcode);
public sealed record InvolvementView(Guid Id, Guid OrganisationId, string Organisation, string Reason, InvolvementSource Source, DateOnly StartDate, DateOnly? EndDate, bool IsOwn);

public sealed record PersonDetailsView(
    Guid Id, PersonKind Kind, string GivenName, string FamilyName, string? PreferredName, DateOnly? DateOfBirth, Sex Sex, Guid WardId, string Ward,
    HouseholdView? Household, IReadOnlyList<IdentifierView> Identifiers, IReadOnlyList<RelativeView> Relatives,
    int HiddenRelatives, IReadOnlyList<EnrolmentView> Enrolments, IReadOnlyList<InvolvementView> Involvements, IReadOnlyList<AccessBasis> WhyVisible);

/// <summary>The person page and <c>GET /api/v1/people/{id}</c>: one read, through the policy, audited.</summary>
public static class PersonDetails
{
    public static async Task<PersonDetailsView?> LoadAsync(WaypointDbContext db, PersonAccess access, Guid id, string subject, CancellationToken ct = default)
    {
        if (await access.OpenExplainedAsync(id, subject, ct) is not { } opened)
            return null;
        var person = opened.Person;

        var ward = await db.Areas.Where(a => a.Id == person.AreaId).Select(a => a.Name).FirstAsync(ct);
        var identifiers = await db.PersonIdentifiers.AsNoTracking().Where(i => i.PersonId == id)
            .OrderBy(i => i.Scheme).Select(i => new IdentifierView(i.Scheme, i.Value, i.OwnerOrganisation!.Name)).ToListAsync(ct);

        // Relationships are family records (filtered by category) recorded from either side; the
        // relative is named only if the reader may see them too.
        // Both sides in one round trip.
        var relationships = (await db.PersonRelationships.AsNoTracking().Where(r => r.PersonId == id)
                .Select(r => new { Other = r.RelatedPersonId, r.Kind, Inverse = false })
                .Concat(db.PersonRelationships.AsNoTracking().Where(r => r.RelatedPersonId == id).Select(r => new { Other = r.PersonId, r.Kind, Inverse = true }))
                .ToListAsync(ct))
            .DistinctBy(r => (r.Other, r.Kind, r.Inverse)).ToList();
        var relatedIds = relationships.Select(r => r.Other).Distinct().ToList();
        var visibleRelatives = await db.People.AsNoTracking().Where(p => relatedIds.Contains(p.Id))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.DateOfBirth }).ToDictionaryAsync(p => p.Id, ct);
        var relatives = relationships.Where(r => visibleRelatives.ContainsKey(r.Other))
            .Select(r =>
            {
                var p = visibleRelatives[r.Other];
                return new RelativeView(p.Id, Relationships.Describe(r.Kind, r.Inverse), $"{p.GivenName} {p.FamilyName}", p.DateOfBirth);
            })
            .DistinctBy(r => (r.PersonId, r.Relationship))
            .OrderBy(r => r.Relationship).ThenBy(r => r.Name).ToList();
        var hiddenRelatives = relationships.Where(r => !visibleRelatives.ContainsKey(r.Other)).Select(r => r.Other).Distinct().Count();

        var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == id)
            .OrderByDescending(e => e.StartDate)
            .Select(e => new EnrolmentView(e.School!.Name, e.StartDate, e.EndDate, e.YearGroup, e.IsDualRegistration, e.School.Urn)).ToListAsync(ct);
        var involvements = await VisibleInvolvementsAsync(db, id, ct);

        // The address is a family record owned by whoever recorded the household.
        HouseholdView? household = null;
        // Read with its owner in one round trip; shown only where the category flows (a check
        // that needs no query when the reader's own organisation recorded it).
        if (person.HouseholdId is { } householdId
            && await db.Households.AsNoTracking().Where(h => h.Id == householdId)
                .Select(h => new { h.OwnerOrganisationId, View = new HouseholdView(h.AddressLine1, h.AddressLine2, h.Town, h.Postcode) })
                .FirstOrDefaultAsync(ct) is { } recorded
            && await AccessPolicy.CategoryVisibleAsync(db, recorded.OwnerOrganisationId, RecordCategories.Family, ct))
            household = recorded.View;
        var why = opened.Bases;
        if (relatives.Count > 0)
            await access.AuditListedAsync(relatives.Select(r => r.PersonId).Distinct().ToList(), $"{subject}.relatives", ct);

        return new PersonDetailsView(person.Id, person.Kind, person.GivenName, person.FamilyName, person.PreferredName, person.DateOfBirth, person.Sex,
            person.AreaId, ward, household, identifiers, relatives, hiddenRelatives, enrolments, involvements, why);
    }

    /// <summary>
    /// Who else is working with the person. An involvement is case work of the involved
    /// organisation, so it shows where the agreement lets case work flow from that organisation's
    /// type to the reader's (and always to the organisation itself).
    /// </summary>
    private static async Task<IReadOnlyList<InvolvementView>> VisibleInvolvementsAsync(WaypointDbContext db, Guid personId, CancellationToken ct)
    {
        var reader = db.Reader;
        var rows = await db.Involvements.AsNoTracking().Where(i => i.PersonId == personId)
            .OrderByDescending(i => i.EndDate == null).ThenByDescending(i => i.StartDate)
            .Select(i => new { i.Id, i.OrganisationId, Organisation = i.Organisation!.Name, OrganisationType = i.Organisation.Type, i.Reason, i.Source, i.StartDate, i.EndDate })
            .ToListAsync(ct);
        var visibleTypes = new Dictionary<OrganisationType, bool>();
        var result = new List<InvolvementView>();
        foreach (var row in rows)
        {
            var own = row.OrganisationId == reader.OrganisationId;
            if (!own && !reader.IsSystem)
            {
                if (!visibleTypes.TryGetValue(row.OrganisationType, out var visible))
                    visibleTypes[row.OrganisationType] = visible = await AccessPolicy.CategoryVisibleAsync(db, row.OrganisationId, RecordCategories.CaseWork, ct);
                if (!visible)
                    continue;
            }
            result.Add(new InvolvementView(row.Id, row.OrganisationId, row.Organisation, row.Reason, row.Source, row.StartDate, row.EndDate, own));
        }
        return result;
    }
}

public static class Relationships
{
    /// <summary>How a relationship reads from the person's side; inverse means it was recorded from the other person's side.</summary>
    public static string Describe(RelationshipKind kind, bool inverse) => (kind, inverse) switch
    {
        (RelationshipKind.Parent, false) => "Parent",
        (RelationshipKind.Parent, true) => "Child",
        (RelationshipKind.Carer, false) => "Carer",
        (RelationshipKind.Carer, true) => "Cared-for child",
        (RelationshipKind.StepParent, false) => "Step-parent",
        (RelationshipKind.StepParent, true) => "Step-child",
        (RelationshipKind.Grandparent, false) => "Grandparent",
        (RelationshipKind.Grandparent, true) => "Grandchild",
        (RelationshipKind.Sibling, _) => "Sibling",
        (RelationshipKind.HalfSibling, _) => "Half-sibling",
        _ => "Other family member",
    };

    public static string Label(RelationshipKind kind) => Describe(kind, inverse: false);
}
