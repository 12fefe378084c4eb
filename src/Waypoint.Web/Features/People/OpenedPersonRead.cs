using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>
/// An opened person's parts read by the person's id past the filters (the open applied the Person filter and audited the
/// look), in one statement written once and compiled in three forms (issue 18): the records the identity bar and the API
/// show (<see cref="PersonDetails"/>: ward, household, identifiers, enrolments, involvements, the person's own
/// relationships), the summary card (<see cref="PersonSummaryCard"/>: open alerts, top-10 standing, open case, latest
/// consent, whether a challenge is shown), or both (the person page: one round trip where it took two). Each part keeps its
/// filter's rule: identifiers and relationships by <see cref="PersonAccess.RecordsOf{T}"/>'s (<see cref="PersonAccess.Reaches{T}"/>),
/// alerts and nominations by the school-record rule, cases by the Case rule, enrolments where education flows from schools
/// or the reader's own school's; involvements and consent records are filtered by the caller from the request's pairs
/// (<see cref="AgreementFlows.Lets"/>, case work by the owner's type: the rule of the ConsentRecord filter), which keeps the
/// statement within EF's fifteen parameters of a compiled query.
/// </summary>
internal static class OpenedPersonRead
{
    internal enum Parts
    {
        Records,
        Card,
        RecordsAndCard,
    }

    internal sealed record InvolvementRow(Guid Id, Guid OrganisationId, string Organisation, OrganisationType OrganisationType, string Reason,
        InvolvementSource Source, DateOnly StartDate, DateOnly? EndDate);

    internal sealed record RelationshipRow(Guid Id, Guid RelatedPersonId, RelationshipKind Kind);

    internal sealed record ConsentRow(Guid AskedBy, OrganisationType AskedByType, ConsentOutcome Outcome, string ForOrganisation, DateOnly AskedOn, DateOnly? ExpiresOn);

    /// <summary>The statement's row: the parts not asked for are their type's default (null, 0, false).</summary>
    internal sealed record Row(
        string? Ward, Guid? HouseholdOwner, OrganisationType? HouseholdOwnerType, string? AddressLine1, string? AddressLine2, string? Town, string? Postcode,
        List<IdentifierView>? Identifiers, List<EnrolmentView>? Enrolments, List<InvolvementRow>? Involvements, List<RelationshipRow>? Relationships,
        int OpenAlerts, int? TopTenRank, string? TopTenSchool, string? TopTenUrn, DateTimeOffset? TopTenSince,
        Guid? CaseId, TriageOutcome CaseLevel, string? CaseLead, string? CasePractitioner, DateOnly? CaseReview,
        List<ConsentRow>? Consents, bool Disputed);

    /// <summary>The parts asked for, in one round trip: every value a parameter of the compiled statement.</summary>
    internal static Task<Row?> ReadAsync(WaypointDbContext db, Parts parts, OpenedPerson opened, AgreementFlows flows)
    {
        var f = FlowArguments.Of(flows);
        var query = parts switch
        {
            Parts.Records => RecordsQuery,
            Parts.Card => CardQuery,
            _ => BothQuery,
        };
        return query.For(db)(db, opened.Id, f.Everything, f.Organisation, flows.OwnerTypesOf(RecordCategories.Education), PersonAccess.SeesAllCasesOf(opened, flows),
            db.Today, f.School, f.Police, f.LocalAuthority, f.Youth, f.Housing, f.Health, f.SocialCare, f.Charity, f.FamilyCentre);
    }

    /// <summary>A part of the records; replaced by its type's default where the records are not asked for.</summary>
    private static T Records<T>(T part) => throw new InvalidOperationException("OpenedPersonRead.Records was run instead of being chosen (PartsChosen).");

    /// <summary>A part of the card; replaced by its type's default where the card is not asked for.</summary>
    private static T Card<T>(T part) => throw new InvalidOperationException("OpenedPersonRead.Card was run instead of being chosen (PartsChosen).");

    private static readonly Expression<Func<WaypointDbContext, Guid, bool, Guid, List<OrganisationType>, bool, DateOnly, List<string>, List<string>, List<string>,
        List<string>, List<string>, List<string>, List<string>, List<string>, List<string>, Row?>> Statement =
        (db, id, everything, organisation, educationTypes, allCases, day, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre) =>
            db.Unfiltered<Person>("the opened person, by id, as the root of its records and summary card read by the person's id (the open applied the Person filter)").AsNoTracking()
                .Where(p => p.Id == id)
                // Each collection correlated with the row (p.Id, not the id parameter): SQLite has no lateral join for one that is not. The id too, as RecordsOf reads it, for the index.
                // The card's parts are scalar subqueries (SQLite has no APPLY for a nested row per part).
                .Select(p => new Row(
                    Records(p.Area!.Name),
                    Records((Guid?)p.Household!.OwnerOrganisationId),
                    Records(db.Organisations.Where(o => o.Id == p.Household!.OwnerOrganisationId).Select(o => (OrganisationType?)o.Type).FirstOrDefault()),
                    Records(p.Household!.AddressLine1),
                    Records(p.Household.AddressLine2),
                    Records(p.Household.Town),
                    Records(p.Household.Postcode),
                    Records(db.Unfiltered<PersonIdentifier>("an opened person's identifiers by the person's id, by PersonAccess.RecordsOf's rule (the open applied the Person filter)")
                        .Where(i => i.PersonId == id && i.PersonId == p.Id && PersonAccess.Reaches(db, i, everything, organisation, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .OrderBy(i => i.Scheme).ThenBy(i => i.Id)
                        .Select(i => new IdentifierView(i.Scheme, i.Value, i.OwnerOrganisation!.Name)).ToList()),
                    // Education records owned by schools: every school's where education flows from schools (the school type among its owner types), else the reader's own school's.
                    Records(db.Unfiltered<Enrolment>("an opened person's enrolments by the person's id: the reader's own school's, or every school's where education flows from schools")
                        .Where(e => e.PersonId == id && e.PersonId == p.Id && (everything || educationTypes.Contains(OrganisationType.School) || e.SchoolId == organisation))
                        .OrderByDescending(e => e.StartDate).ThenBy(e => e.Id)
                        .Select(e => new EnrolmentView(e.School!.Name, e.StartDate, e.EndDate, e.YearGroup, e.IsDualRegistration, e.School.Urn)).ToList()),
                    Records(db.Unfiltered<Involvement>("an opened person's involvements by the person's id; each shown where case work flows from the involved organisation's type")
                        .Where(i => i.PersonId == id && i.PersonId == p.Id)
                        .OrderByDescending(i => i.EndDate == null).ThenByDescending(i => i.StartDate).ThenBy(i => i.Id)
                        .Select(i => new InvolvementRow(i.Id, i.OrganisationId, i.Organisation!.Name, i.Organisation.Type, i.Reason, i.Source, i.StartDate, i.EndDate))
                        .ToList()),
                    // The person's own relationships (family records recorded on them); those recorded on a relative are read with the relatives.
                    Records(db.Unfiltered<PersonRelationship>("an opened person's own relationships by the person's id, by PersonAccess.RecordsOf's rule (the open applied the Person filter)")
                        .Where(r => r.PersonId == id && r.PersonId == p.Id && PersonAccess.Reaches(db, r, everything, organisation, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .Select(r => new RelationshipRow(r.Id, r.RelatedPersonId, r.Kind)).ToList()),
                    Card(db.Unfiltered<Alert>("an opened person's alerts by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs")
                        .Count(a => a.PersonId == id && a.Status != AlertStatus.Closed && PersonAccess.SchoolRecordReaches(a, everything, organisation, educationTypes))),
                    Card(db.Unfiltered<TopTenNomination>("an opened person's top-10 nominations by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs")
                        .Where(n => n.PersonId == id && n.WithdrawnAt == null && PersonAccess.SchoolRecordReaches(n, everything, organisation, educationTypes)).OrderBy(n => n.Rank)
                        .Select(n => (int?)n.Rank).FirstOrDefault()),
                    Card(db.Unfiltered<TopTenNomination>("an opened person's top-10 nominations by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs")
                        .Where(n => n.PersonId == id && n.WithdrawnAt == null && PersonAccess.SchoolRecordReaches(n, everything, organisation, educationTypes)).OrderBy(n => n.Rank)
                        .Select(n => n.School!.Name).FirstOrDefault()),
                    Card(db.Unfiltered<TopTenNomination>("an opened person's top-10 nominations by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs")
                        .Where(n => n.PersonId == id && n.WithdrawnAt == null && PersonAccess.SchoolRecordReaches(n, everything, organisation, educationTypes)).OrderBy(n => n.Rank)
                        .Select(n => n.School!.Urn).FirstOrDefault()),
                    Card(db.Unfiltered<TopTenNomination>("an opened person's top-10 nominations by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs")
                        .Where(n => n.PersonId == id && n.WithdrawnAt == null && PersonAccess.SchoolRecordReaches(n, everything, organisation, educationTypes)).OrderBy(n => n.Rank)
                        .Select(n => (DateTimeOffset?)n.NominatedAt).FirstOrDefault()),
                    Card(db.Unfiltered<Case>("an opened person's cases by the person's id: the open applied the Person filter and audited the look; the Case filter's lead, involvement and hub rules are applied here")
                        .Where(c => c.PersonId == id && c.Status == CaseStatus.Open && PersonAccess.CaseReaches(db, c, allCases, organisation, day))
                        .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id)
                        .Select(c => (Guid?)c.Id).FirstOrDefault()),
                    Card(db.Unfiltered<Case>("an opened person's cases by the person's id: the open applied the Person filter and audited the look; the Case filter's lead, involvement and hub rules are applied here")
                        .Where(c => c.PersonId == id && c.Status == CaseStatus.Open && PersonAccess.CaseReaches(db, c, allCases, organisation, day))
                        .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id)
                        .Select(c => c.Level).FirstOrDefault()),
                    Card(db.Unfiltered<Case>("an opened person's cases by the person's id: the open applied the Person filter and audited the look; the Case filter's lead, involvement and hub rules are applied here")
                        .Where(c => c.PersonId == id && c.Status == CaseStatus.Open && PersonAccess.CaseReaches(db, c, allCases, organisation, day))
                        .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id)
                        .Select(c => c.LeadOrganisation!.Name).FirstOrDefault()),
                    Card(db.Unfiltered<Case>("an opened person's cases by the person's id: the open applied the Person filter and audited the look; the Case filter's lead, involvement and hub rules are applied here")
                        .Where(c => c.PersonId == id && c.Status == CaseStatus.Open && PersonAccess.CaseReaches(db, c, allCases, organisation, day))
                        .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id)
                        .Select(c => db.Users.Where(u => u.Id == c.LeadPractitionerId).Select(u => u.DisplayName).FirstOrDefault()).FirstOrDefault()),
                    Card(db.Unfiltered<Case>("an opened person's cases by the person's id: the open applied the Person filter and audited the look; the Case filter's lead, involvement and hub rules are applied here")
                        .Where(c => c.PersonId == id && c.Status == CaseStatus.Open && PersonAccess.CaseReaches(db, c, allCases, organisation, day))
                        .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id)
                        .Select(c => c.NextReviewOn).FirstOrDefault()),
                    // Newest first; the caller shows the first whose asking agency's case work flows to the reader (the ConsentRecord filter's rule).
                    Card(db.Unfiltered<ConsentRecord>("an opened person's consent records by the person's id; the latest shown of those where case work flows from the asking agency's type, chosen by the caller from the request's pairs")
                        .Where(r => r.PersonId == id && r.PersonId == p.Id)
                        .OrderByDescending(r => r.AskedOn).ThenByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id)
                        .Select(r => new ConsentRow(r.AskedByOrganisationId, r.AskedByOrganisation!.Type, r.Outcome, r.ForOrganisation!.Name, r.AskedOn, r.ExpiresOn)).ToList()),
                    // Register rows, no query filter of their own: whether the banner has anything to look at (it checks the records).
                    Card(db.RecordChallenges.Where(Challenges.ChallengeWork.Shown).Any(c => c.PersonId == id))))
                .FirstOrDefault();

    private static CompiledPerModel<Func<WaypointDbContext, Guid, bool, Guid, List<OrganisationType>, bool, DateOnly, List<string>, List<string>, List<string>,
        List<string>, List<string>, List<string>, List<string>, List<string>, List<string>, Task<Row?>>> Compiled(Parts parts) =>
        new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked(PersonAccess.ExpandRecordRules(
            (Expression<Func<WaypointDbContext, Guid, bool, Guid, List<OrganisationType>, bool, DateOnly, List<string>, List<string>, List<string>,
                List<string>, List<string>, List<string>, List<string>, List<string>, List<string>, Row?>>)new PartsChosen(parts).Visit(Statement)))));

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, bool, Guid, List<OrganisationType>, bool, DateOnly, List<string>, List<string>, List<string>,
        List<string>, List<string>, List<string>, List<string>, List<string>, List<string>, Task<Row?>>> RecordsQuery = Compiled(Parts.Records),
        CardQuery = Compiled(Parts.Card),
        BothQuery = Compiled(Parts.RecordsAndCard);

    /// <summary>Keeps the parts asked for (their marker removed) and puts each other part's default in its place.</summary>
    private sealed class PartsChosen(Parts parts) : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.DeclaringType != typeof(OpenedPersonRead) || node.Method.Name is not (nameof(Records) or nameof(Card)))
                return base.VisitMethodCall(node);
            var kept = node.Method.Name == nameof(Records) ? parts != Parts.Card : parts != Parts.Records;
            var type = node.Method.ReturnType;
            return kept ? Visit(node.Arguments[0]) : Expression.Constant(type.IsValueType ? Activator.CreateInstance(type) : null, type);
        }
    }
}
