using System.Linq.Expressions;
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
    Guid Id, PersonKind Kind, string GivenName, string FamilyName, string? PreferredName, DateOnly? DateOfBirth, Sex? Sex, Guid WardId, string Ward,
    HouseholdView? Household, IReadOnlyList<IdentifierView> Identifiers, IReadOnlyList<RelativeView> Relatives,
    int HiddenRelatives, IReadOnlyList<EnrolmentView> Enrolments, IReadOnlyList<InvolvementView> Involvements, IReadOnlyList<AccessBasis> WhyVisible);

/// <summary>The person page and <c>GET /api/v1/people/{id}</c>: one read, through the policy, audited.</summary>
public static class PersonDetails
{
    private sealed record InvolvementRow(Guid Id, Guid OrganisationId, string Organisation, OrganisationType OrganisationType, string Reason,
        InvolvementSource Source, DateOnly StartDate, DateOnly? EndDate);
    private sealed record RelationshipRow(Guid Id, Guid RelatedPersonId, RelationshipKind Kind);
    private sealed record RecordsRow(string Ward, Guid? HouseholdOwner, OrganisationType? HouseholdOwnerType, string AddressLine1, string? AddressLine2,
        string Town, string Postcode, List<IdentifierView> Identifiers, List<EnrolmentView> Enrolments, List<InvolvementRow> Involvements,
        List<RelationshipRow> Relationships);

    /// <summary>
    /// An opened person's records by id, past the filters (the open applied the Person filter and
    /// audited the look): identifiers and relationships by <see cref="PersonAccess.RecordsOf{T}"/>'s rule
    /// (<see cref="PersonAccess.Reaches{T}"/>); enrolments, education records owned by schools, the reader's own
    /// school's or every school's where education flows from schools; involvements, case work of the involved
    /// organisation, filtered by its type by the caller. Compiled once: every value is a parameter.
    /// </summary>
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, bool, Guid, bool, List<string>, List<string>, List<string>, List<string>, List<string>,
        List<string>, List<string>, List<string>, List<string>, Task<RecordsRow?>>> RecordsQuery = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked(PersonAccess.ExpandRecordRules(
            (Expression<Func<WaypointDbContext, Guid, bool, Guid, bool, List<string>, List<string>, List<string>, List<string>, List<string>,
                List<string>, List<string>, List<string>, List<string>, RecordsRow?>>)((db, id, everything, organisation, educationFlows,
                school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre) =>
            db.Unfiltered<Person>("the opened person's ward and household, by the person's id (the open applied the Person filter)").AsNoTracking()
                .Where(p => p.Id == id)
                // Each collection correlated with the row (p.Id, not the id parameter): SQLite has no lateral join for one that is not. The id too, as RecordsOf reads it, for the index.
                .Select(p => new RecordsRow(
                    p.Area!.Name,
                    (Guid?)p.Household!.OwnerOrganisationId,
                    db.Organisations.Where(o => o.Id == p.Household!.OwnerOrganisationId).Select(o => (OrganisationType?)o.Type).FirstOrDefault(),
                    p.Household!.AddressLine1,
                    p.Household.AddressLine2,
                    p.Household.Town,
                    p.Household.Postcode,
                    db.Unfiltered<PersonIdentifier>("an opened person's identifiers by the person's id, by PersonAccess.RecordsOf's rule (the open applied the Person filter)")
                        .Where(i => i.PersonId == id && i.PersonId == p.Id && PersonAccess.Reaches(db, i, everything, organisation, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .OrderBy(i => i.Scheme).ThenBy(i => i.Id)
                        .Select(i => new IdentifierView(i.Scheme, i.Value, i.OwnerOrganisation!.Name)).ToList(),
                    db.Unfiltered<Enrolment>("an opened person's enrolments by the person's id: the reader's own school's, or every school's where education flows from schools")
                        .Where(e => e.PersonId == id && e.PersonId == p.Id && (educationFlows || e.SchoolId == organisation))
                        .OrderByDescending(e => e.StartDate).ThenBy(e => e.Id)
                        .Select(e => new EnrolmentView(e.School!.Name, e.StartDate, e.EndDate, e.YearGroup, e.IsDualRegistration, e.School.Urn)).ToList(),
                    db.Unfiltered<Involvement>("an opened person's involvements by the person's id; each shown where case work flows from the involved organisation's type")
                        .Where(i => i.PersonId == id && i.PersonId == p.Id)
                        .OrderByDescending(i => i.EndDate == null).ThenByDescending(i => i.StartDate).ThenBy(i => i.Id)
                        .Select(i => new InvolvementRow(i.Id, i.OrganisationId, i.Organisation!.Name, i.Organisation.Type, i.Reason, i.Source, i.StartDate, i.EndDate))
                        .ToList(),
                    // The person's own relationships (family records recorded on them); those recorded on a relative are read with the relatives.
                    db.Unfiltered<PersonRelationship>("an opened person's own relationships by the person's id, by PersonAccess.RecordsOf's rule (the open applied the Person filter)")
                        .Where(r => r.PersonId == id && r.PersonId == p.Id && PersonAccess.Reaches(db, r, everything, organisation, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .Select(r => new RelationshipRow(r.Id, r.RelatedPersonId, r.Kind)).ToList()))
                .FirstOrDefault())))));

    public static async Task<PersonDetailsView?> LoadAsync(WaypointDbContext db, PersonAccess access, Guid id, string subject, CancellationToken ct = default) =>
        (await OpenAsync(db, access, id, subject, ct))?.View;

    /// <summary>As <see cref="LoadAsync"/>, with the opened person, whose other records the caller then reads by id (the person page's card).</summary>
    public static async Task<(PersonDetailsView View, OpenedPerson Opened)?> OpenAsync(WaypointDbContext db, PersonAccess access, Guid id, string subject, CancellationToken ct = default)
    {
        if (await access.OpenExplainedAsync(id, subject, ct) is not { } opened)
            return null;
        var person = opened.Person;

        // The person is open (the Person filter applied, the look audited): their records are read by
        // id, each kind's category flow applied from the agreement's pairs read once for the request.
        var flows = await access.FlowsAsync(ct);
        var readerOrganisation = flows.ReaderOrganisationId;

        // The ward, the household (a family record owned by whoever recorded it), the identifiers,
        // enrolments, involvements and the person's own relationships in one round trip, compiled once.
        var f = FlowArguments.Of(flows);
        var read = await RecordsQuery.For(db)(db, id, f.Everything, readerOrganisation, flows.Lets(RecordCategories.Education, OrganisationType.School),
            f.School, f.Police, f.LocalAuthority, f.Youth, f.Housing, f.Health, f.SocialCare, f.Charity, f.FamilyCentre)
            ?? throw new InvalidOperationException("An opened person was not found by id.");
        var ward = read.Ward;
        var household = read.HouseholdOwner is { } owner && read.HouseholdOwnerType is { } ownerType && flows.Lets(RecordCategories.Family, ownerType, owner)
            ? new HouseholdView(read.AddressLine1, read.AddressLine2, read.Town, read.Postcode)
            : null;
        var identifiers = read.Identifiers;
        var enrolments = read.Enrolments;
        var involvements = read.Involvements.Where(row => flows.Lets(RecordCategories.CaseWork, row.OrganisationType, row.OrganisationId))
            .Select(row => new InvolvementView(row.Id, row.OrganisationId, row.Organisation, row.Reason, row.Source, row.StartDate, row.EndDate,
                row.OrganisationId == readerOrganisation))
            .ToList();

        // Relationships are family records recorded from either side: the person's own (read above, by id), and those
        // recorded on a relative (by the same rule, and only for a relative the reader may see), read with the relatives
        // themselves, through the Person filter, with the bases their audit records, in one statement. A relative is named
        // only if the reader may see them too; one of the person's own relationships naming anyone else is counted as hidden.
        var own = read.Relationships.Select(r => (Other: r.RelatedPersonId, r.Kind)).ToList();
        var named = await access.RelativesAsync(opened, $"{subject}.relatives", ct);
        var visibleRelatives = named.ToDictionary(r => r.Id);
        var relationships = own.Select(r => (r.Other, r.Kind, Inverse: false))
            .Concat(named.SelectMany(r => r.RecordedOnThem.Select(kind => (Other: r.Id, Kind: kind, Inverse: true))))
            .Distinct().ToList();
        var relatives = relationships.Where(r => visibleRelatives.ContainsKey(r.Other))
            .Select(r =>
            {
                var p = visibleRelatives[r.Other];
                return new RelativeView(p.Id, Relationships.Describe(r.Kind, r.Inverse), $"{p.GivenName} {p.FamilyName}", p.DateOfBirth);
            })
            .DistinctBy(r => (r.PersonId, r.Relationship))
            .OrderBy(r => r.Relationship).ThenBy(r => r.Name).ToList();
        var hiddenRelatives = relationships.Where(r => !visibleRelatives.ContainsKey(r.Other)).Select(r => r.Other).Distinct().Count();

        var why = opened.Bases;
        return (new PersonDetailsView(person.Id, person.Kind, person.GivenName, person.FamilyName, person.PreferredName, person.DateOfBirth,
            PersonAccess.ShowsRegisterSex(opened, flows) ? person.Sex : null,
            person.AreaId, ward, household, identifiers, relatives, hiddenRelatives, enrolments, involvements, why), opened);
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
