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
    public static async Task<PersonDetailsView?> LoadAsync(WaypointDbContext db, PersonAccess access, Guid id, string subject, CancellationToken ct = default) =>
        (await OpenAsync(db, access, id, subject, cardOn: null, ct))?.View;

    /// <summary>
    /// As <see cref="LoadAsync"/>, with the opened person; and, given the day it is shown on (<paramref name="cardOn"/>), the person's
    /// summary card read in the records' statement (the person page's identity bar: one round trip fewer than reading it apart).
    /// </summary>
    /// <remarks>
    /// Given <paramref name="scoreAnyone"/> as well, the score's facts as of <paramref name="cardOn"/> (<see cref="Risk.RiskFacts.OneWithStampInNextRead"/>:
    /// raw SQL by the opened person's id) are sent in the records' round trip for a young person, or for anyone when it is true;
    /// null when not asked for or when they did not ride (the score then reads them apart).
    /// </remarks>
    public static async Task<(PersonDetailsView View, OpenedPerson Opened, PersonSummaryView? Card)?> OpenAsync(WaypointDbContext db, PersonAccess access, Guid id,
        string subject, DateOnly? cardOn, CancellationToken ct = default) =>
        (await OpenAsync(db, access, id, subject, cardOn, scoreAnyone: null, ct)) is { } r ? (r.View, r.Opened, r.Card) : null;

    internal static async Task<(PersonDetailsView View, OpenedPerson Opened, PersonSummaryView? Card, Risk.RiskFacts.OneScored? ScoreFacts)?> OpenAsync(WaypointDbContext db,
        PersonAccess access, Guid id, string subject, DateOnly? cardOn, bool? scoreAnyone, CancellationToken ct)
    {
        if (await access.OpenExplainedAsync(id, subject, ct) is not { } opened)
            return null;
        var person = opened.Person;

        // The person is open (the Person filter applied, the look audited): their records are read by
        // id, each kind's category flow applied from the agreement's pairs read once for the request.
        var flows = await access.FlowsAsync(ct);
        var readerOrganisation = flows.ReaderOrganisationId;

        // The ward, the household (a family record owned by whoever recorded it), the identifiers,
        // enrolments, involvements and the person's own relationships in one round trip, compiled once; with the card when asked.
        // The score's facts (raw SQL by the opened person's id) ride in the same round trip when the page scores this person.
        var facts = cardOn is { } scoredOn && scoreAnyone is { } anyone && (anyone || person.Kind == PersonKind.YoungPerson)
            ? Risk.RiskFacts.OneWithStampInNextRead(db, opened.Id, scoredOn)
            : null;
        OpenedPersonRead.Row read;
        try
        {
            read = await OpenedPersonRead.ReadAsync(db, cardOn is null ? OpenedPersonRead.Parts.Records : OpenedPersonRead.Parts.RecordsAndCard, opened, flows)
                ?? throw new InvalidOperationException("An opened person was not found by id.");
        }
        finally
        {
            RidingRead.Forget(db);
        }
        var ward = read.Ward;
        var household = read.HouseholdOwner is { } owner && read.HouseholdOwnerType is { } ownerType && flows.Lets(RecordCategories.Family, ownerType, owner)
            ? new HouseholdView(read.AddressLine1!, read.AddressLine2, read.Town!, read.Postcode!)
            : null;
        var identifiers = read.Identifiers!;
        var enrolments = read.Enrolments!;
        var involvements = read.Involvements!.Where(row => flows.Lets(RecordCategories.CaseWork, row.OrganisationType, row.OrganisationId))
            .Select(row => new InvolvementView(row.Id, row.OrganisationId, row.Organisation, row.Reason, row.Source, row.StartDate, row.EndDate,
                row.OrganisationId == readerOrganisation))
            .ToList();

        // Relationships are family records recorded from either side: the person's own (read above, by id), and those
        // recorded on a relative (by the same rule, and only for a relative the reader may see), read with the relatives
        // themselves, through the Person filter, with the bases their audit records, in one statement. A relative is named
        // only if the reader may see them too; one of the person's own relationships naming anyone else is counted as hidden.
        var own = read.Relationships!.Select(r => (Other: r.RelatedPersonId, r.Kind)).ToList();
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
            person.AreaId, ward!, household, identifiers, relatives, hiddenRelatives, enrolments, involvements, why), opened,
            cardOn is { } on ? PersonSummaryCard.ViewOf(read, flows, on) : null, cardOn is { } day ? Risk.RiskFacts.OfRide(facts, day) : null);
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
