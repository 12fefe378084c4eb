using System.Linq.Expressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>
/// A person the current reader has opened through the access policy, with the bases the audit row
/// recorded. It can only be made by <see cref="OpenAsync"/>, which applies the policy and audits
/// the look, so a service that takes an <see cref="OpenedPerson"/> knows the caller has checked:
/// the compiler, not a comment, enforces it.
/// </summary>
public sealed class OpenedPerson
{
    private OpenedPerson(Person person, IReadOnlyList<AccessBasis> bases)
    {
        Person = person;
        Bases = bases;
    }

    public Person Person { get; }
    public IReadOnlyList<AccessBasis> Bases { get; }
    public Guid Id => Person.Id;

    /// <summary>Opens a person for the current reader: null (a 404 for the caller) when the policy hides them; both outcomes are audited.</summary>
    internal static async Task<OpenedPerson?> OpenAsync(WaypointDbContext db, AuditTrail audit, Guid personId, string subject, CancellationToken ct)
    {
        // The person through the Person filter, the reader's bases, the reader's current grants and (PostgreSQL) the agreement's pairs in one statement.
        var read = await AccessPolicy.OpenExplainedAsync(db, personId, ct);
        if (read is null)
        {
            await audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, "no relationship"), ct);
            return null;
        }
        var (person, bases, flows) = read.Value;
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Read, subject, PersonAccess.DescribeBasis(bases)), ct);
        return new OpenedPerson(person, bases) { Flows = flows };
    }

    /// <summary>The agreement's flows to the reader when the open read them in its statement (PostgreSQL), for this request only.</summary>
    internal AgreementFlows? Flows { get; private init; }

    /// <summary>
    /// Opens the people a many-person document shows in detail (a meeting's pack): each through the
    /// Person filter, with the bases <see cref="AccessPolicy.ExplainManyAsync"/> gives, every one
    /// audited in one append (the action the caller names: Read for the page, Export for its PDF); one
    /// the reader may not see is left out and recorded as refused.
    /// </summary>
    internal static async Task<IReadOnlyDictionary<Guid, OpenedPerson>> OpenManyAsync(WaypointDbContext db, AuditTrail audit, IReadOnlyCollection<Guid> personIds,
        AuditAction action, string subject, CancellationToken ct)
    {
        var ids = personIds.Distinct().ToList();
        if (ids.Count == 0)
            return new Dictionary<Guid, OpenedPerson>();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var bases = await AccessPolicy.ExplainManyAsync(db, people.Keys, ct);
        var opened = people.Values.ToDictionary(p => p.Id, p => new OpenedPerson(p, bases.GetValueOrDefault(p.Id) ?? []));
        await audit.RecordAsync(ids.Select(id => opened.TryGetValue(id, out var o)
            ? new AuditEvent(id, action, subject, PersonAccess.DescribeBasis(o.Bases))
            : new AuditEvent(id, AuditAction.Denied, subject, "no relationship")).ToList(), ct);
        return opened;
    }
}

/// <summary>
/// The gate for person-level data used by pages and the API: opens one person (404 and an audited
/// refusal when the policy hides them), decides the named operations on an opened person (read,
/// write, grant; <see cref="PersonOperations"/>) and audits the people every list or search shows.
/// </summary>
public sealed class PersonAccess(WaypointDbContext db, AuditTrail audit, IAuthorizationService authorization, IHttpContextAccessor http)
{
    /// <summary>The person, or null (a 404 for the caller) when the reader may not see them; both outcomes are audited.</summary>
    public async Task<Person?> OpenAsync(Guid personId, string subject, CancellationToken ct = default) =>
        (await OpenExplainedAsync(personId, subject, ct))?.Person;

    /// <summary>As <see cref="OpenAsync"/>, with the bases the audit row recorded (for "why you can see this").</summary>
    public async Task<OpenedPerson?> OpenExplainedAsync(Guid personId, string subject, CancellationToken ct = default)
    {
        var opened = await OpenedPerson.OpenAsync(db, audit, personId, subject, ct);
        // The agreement's pairs read in the open's statement serve the rest of this request (FlowsAsync).
        flows ??= opened?.Flows;
        return opened;
    }

    /// <summary>
    /// Opens the people a many-person document shows in detail (a meeting's pack), audited in one
    /// append with the caller's action (Read, or Export for a PDF): their records are then read by id
    /// as the person page reads them (<see cref="RecordsOf{T}"/>, the summary card). One the reader may
    /// not see is absent from the answer, and recorded as refused.
    /// </summary>
    public Task<IReadOnlyDictionary<Guid, OpenedPerson>> OpenManyAsync(IReadOnlyCollection<Guid> personIds, AuditAction action, string subject, CancellationToken ct = default) =>
        OpenedPerson.OpenManyAsync(db, audit, personIds, action, subject, ct);

    /// <summary>
    /// Opens a person for an operation: <see cref="AccessOutcome.NotFound"/> (audited as Denied) when
    /// the reader may not see them, <see cref="AccessOutcome.Forbidden"/> when they may see but not do
    /// this (a break-glass reader writing, say), otherwise the opened person.
    /// </summary>
    public async Task<(AccessOutcome Outcome, OpenedPerson? Person)> OpenForAsync(Guid personId, PersonOperation operation, string subject, CancellationToken ct = default)
    {
        var opened = await OpenExplainedAsync(personId, subject, ct);
        if (opened is null)
            return (AccessOutcome.NotFound, null);
        return await MayAsync(opened, operation) ? (AccessOutcome.Allowed, opened) : (AccessOutcome.Forbidden, opened);
    }

    /// <summary>Whether the reader may do the operation on a person they have opened (the authorization handlers decide).</summary>
    public async Task<bool> MayAsync(OpenedPerson person, PersonOperation operation)
    {
        var user = http.HttpContext?.User;
        if (user is null)
            return db.ReaderIsSystem;
        return (await authorization.AuthorizeAsync(user, person, operation)).Succeeded;
    }

    private AgreementFlows? flows;

    /// <summary>
    /// What the current agreement lets reach the reader, read once per request (a page reads many
    /// records of one opened person) and passed to each query as a parameter.
    /// </summary>
    public async Task<AgreementFlows> FlowsAsync(CancellationToken ct = default) =>
        flows ??= await AccessPolicy.FlowsToReaderAsync(db, ct);

    /// <summary>As <see cref="FlowsAsync(CancellationToken)"/>, taking the pairs the person's open read in its statement when it did (a person opened elsewhere: a report's child).</summary>
    public async Task<AgreementFlows> FlowsAsync(OpenedPerson opened, CancellationToken ct = default) =>
        flows ??= opened.Flows ?? await AccessPolicy.FlowsToReaderAsync(db, ct);

    /// <summary>
    /// The opened person's categorised records of one kind that the reader may see: read by the
    /// person's id, without repeating the Person filter (the open applied it and audited the look),
    /// and each record only where it is the reader's organisation's own or the agreement lets its
    /// category flow from its owner's organisation type (the pairs of <paramref name="flows"/>).
    /// Do not join or concatenate a filtered set into the query it starts: EF reads every set of a
    /// query past the filters once one of them is.
    /// </summary>
    public IQueryable<T> RecordsOf<T>(OpenedPerson person, AgreementFlows flows) where T : class, ICategorisedRecord
    {
        var id = person.Id;
        var records = db.Unfiltered<T>("an opened person's records by the person's id: the open applied the Person filter and audited the look; the agreement's flow is applied from the request's pairs")
            .Where(r => r.PersonId == id);
        return records.Where(RecordRule<T>.Bound(db, FlowArguments.Of(flows)));
    }

    /// <summary>
    /// <see cref="RecordsOf{T}"/>'s rule in a compiled query (<see cref="CompiledPerModel{TQuery}"/>), whose
    /// values are the query's parameters: replaced by the rule's expression (<see cref="ExpandRecordRules{TQuery}"/>)
    /// before EF sees the query, so both read the one rule. Throws if ever run.
    /// </summary>
    public static bool Reaches<T>(WaypointDbContext db, T record, bool everything, Guid organisation, List<string> school, List<string> police,
        List<string> localAuthority, List<string> youth, List<string> housing, List<string> health, List<string> socialCare, List<string> charity,
        List<string> familyCentre) where T : class, ICategorisedRecord =>
        throw new InvalidOperationException("PersonAccess.Reaches was run instead of being expanded into a compiled query (ExpandRecordRules).");

    /// <summary>A compiled query's lambda with every <see cref="Reaches{T}"/> call replaced by <see cref="RecordsOf{T}"/>'s rule.</summary>
    public static Expression<TQuery> ExpandRecordRules<TQuery>(Expression<TQuery> query) =>
        (Expression<TQuery>)new RecordRuleExpander().Visit(query);

    /// <summary>
    /// The opened person's early-warning alerts that the reader may see, read by the person's id:
    /// the Alert filter's rule (an education record of the school whose records raised it) without
    /// repeating the Person filter, as <see cref="RecordsOf{T}"/> does (<see cref="SchoolRecordRule{T}"/>).
    /// </summary>
    public IQueryable<Alert> AlertsOf(OpenedPerson person, AgreementFlows flows) =>
        SchoolRecordsOf(db.Unfiltered<Alert>("an opened person's alerts by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs"),
            person, flows, RecordCategories.Education);

    /// <summary>The opened person's top-10 nominations that the reader may see (the TopTenNomination filter's rule, education records), read by the person's id.</summary>
    public IQueryable<TopTenNomination> TopTenNominationsOf(OpenedPerson person, AgreementFlows flows) =>
        SchoolRecordsOf(db.Unfiltered<TopTenNomination>("an opened person's top-10 nominations by the person's id: the open applied the Person filter and audited the look; the agreement's flow of education records from the school's type is applied from the request's pairs"),
            person, flows, RecordCategories.Education);

    private static IQueryable<T> SchoolRecordsOf<T>(IQueryable<T> unfiltered, OpenedPerson person, AgreementFlows flows, string category) where T : class, ISchoolRecord
    {
        var id = person.Id;
        return unfiltered.Where(r => r.PersonId == id)
            .Where(RuleBinding.Bind<T>(SchoolRecordRule<T>.Reaches, flows.Everything, flows.ReaderOrganisationId, flows.OwnerTypesOf(category)));
    }

    /// <summary>
    /// The opened person's cases that the reader may see, read by the person's id: the Case filter's
    /// rule without repeating the Person filter (<see cref="CaseRule"/>). Every case of the person is the
    /// reader's to see when the reader's hub triage grant covers the person's area (<see cref="SeesAllCasesOf"/>);
    /// otherwise those its organisation leads or is currently involved in through an involvement sourced from the case.
    /// </summary>
    public IQueryable<Case> CasesOf(OpenedPerson person, AgreementFlows flows)
    {
        var id = person.Id;
        return db.Unfiltered<Case>("an opened person's cases by the person's id: the open applied the Person filter and audited the look; the Case filter's lead, involvement and hub rules are applied here")
            .Where(c => c.PersonId == id)
            .Where(RuleBinding.Bind<Case>(CaseRule, db, SeesAllCasesOf(person, flows), flows.ReaderOrganisationId, db.Today));
    }

    /// <summary>Whether every case of an opened person is the reader's to see: the system, or a hub triage grant covering the person's area (a basis the open recorded).</summary>
    public static bool SeesAllCasesOf(OpenedPerson person, AgreementFlows flows) =>
        flows.Everything || person.Bases.Any(b => b.Kind == AccessBasisKind.PartnershipRole && b.Function == PartnershipFunction.HubTriage);

    /// <summary>
    /// The opened person's consent records that the reader may see, read by the person's id: the
    /// ConsentRecord filter's rule (case work owned by the agency that asked) without repeating the Person filter (<see cref="ConsentRule"/>).
    /// </summary>
    public IQueryable<ConsentRecord> ConsentRecordsOf(OpenedPerson person, AgreementFlows flows)
    {
        var id = person.Id;
        return db.Unfiltered<ConsentRecord>("an opened person's consent records by the person's id: the open applied the Person filter and audited the look; the agreement's flow of case work from the asking agency's type is applied from the request's pairs")
            .Where(r => r.PersonId == id)
            .Where(RuleBinding.Bind<ConsentRecord>(ConsentRule, flows.Everything, flows.ReaderOrganisationId, flows.OwnerTypesOf(RecordCategories.CaseWork)));
    }

    /// <summary>
    /// The Case filter's rule for an opened person's case (the Person filter decided by the open): every case when
    /// <c>all</c> (<see cref="SeesAllCasesOf"/>), else led by the reader's organisation or with a current involvement of it sourced from the case.
    /// Written once: <see cref="CasesOf"/> binds it, a compiled query names it with <see cref="CaseReaches"/>, and the Case filter
    /// reads it (<see cref="SharedPredicates.CaseRuleHolds"/>) with <c>all</c> the hub's area rule, after the Person filter on the case's child.
    /// </summary>
    internal static readonly Expression<Func<WaypointDbContext, Case, bool, Guid, DateOnly, bool>> CaseRule = (db, c, all, organisation, today) =>
        all || c.LeadOrganisationId == organisation
        || db.Set<InvolvementRelationship>().Any(i => i.SourceId == c.Id && i.OrganisationId == organisation
            && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today));

    /// <summary>The ConsentRecord filter's rule for an opened person's record: the asking agency's own, or case work flowing from its type (the owner types given).</summary>
    internal static readonly Expression<Func<ConsentRecord, bool, Guid, List<OrganisationType>, bool>> ConsentRule = (r, everything, organisation, ownerTypes) =>
        everything || r.AskedByOrganisationId == organisation || ownerTypes.Contains(r.AskedByOrganisation!.Type);

    /// <summary><see cref="SchoolRecordRule{T}"/> in a compiled query (expanded by <see cref="ExpandRecordRules{TQuery}"/>). Throws if ever run.</summary>
    public static bool SchoolRecordReaches<T>(T record, bool everything, Guid organisation, List<OrganisationType> ownerTypes) where T : class, ISchoolRecord =>
        throw new InvalidOperationException("PersonAccess.SchoolRecordReaches was run instead of being expanded into a compiled query (ExpandRecordRules).");

    /// <summary><see cref="CaseRule"/> in a compiled query (expanded by <see cref="ExpandRecordRules{TQuery}"/>). Throws if ever run.</summary>
    public static bool CaseReaches(WaypointDbContext db, Case c, bool all, Guid organisation, DateOnly today) =>
        throw new InvalidOperationException("PersonAccess.CaseReaches was run instead of being expanded into a compiled query (ExpandRecordRules).");

    private sealed record RelativeRow(Guid Id, string GivenName, string FamilyName, DateOnly? DateOfBirth, List<RelationshipKind> RecordedOnThem,
        bool Enrolment, bool Involvement, bool PartnershipRole, bool BreakGlass);

    // The relatives through the Person filter on the People root (their visibility, and with it the "person visible" half of the
    // PersonRelationship filter for every relationship read here, each naming a relative as its own side or the other), and the
    // relationship rows without their own filter (WithoutItsFilter lifts it alone: Unfiltered would lift the People root's too),
    // each only where it is the reader's organisation's or the agreement lets its category flow from its owner's type, from the
    // request's pairs (RecordsOf's rule): the filter's per-row agreement EXISTS was the statement's costliest part (issue 18).
    // The candidates as one set of ids, so each is found by its key: "named or related" as an OR over every
    // person could use no index (PostgreSQL scanned the whole register through the Person filter: 2 s at county).
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, DateOnly, DateTimeOffset, Guid, Guid, bool, List<string>, List<string>, List<string>,
        List<string>, List<string>, List<string>, List<string>, List<string>, List<string>, IAsyncEnumerable<RelativeRow>>> RelativesQuery =
        new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked(ExpandRecordRules(
            (Expression<Func<WaypointDbContext, Guid, DateOnly, DateTimeOffset, Guid, Guid, bool, List<string>, List<string>, List<string>,
                List<string>, List<string>, List<string>, List<string>, List<string>, List<string>, IQueryable<RelativeRow>>>)((db, id, today, now, org, user,
                everything, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre) =>
            db.People.AsNoTracking()
                .Where(p => db.WithoutItsFilter<PersonRelationship>("an opened person's own relationships, by RecordsOf's rule; the relative each names is read through the Person filter")
                        .Where(r => r.PersonId == id && Reaches(db, r, everything, org, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .Select(r => r.RelatedPersonId)
                    .Union(db.WithoutItsFilter<PersonRelationship>("the relationships recorded on others naming an opened person, by RecordsOf's rule; the relative whose each is, through the Person filter")
                        .Where(r => r.RelatedPersonId == id && Reaches(db, r, everything, org, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .Select(r => r.PersonId))
                    .Contains(p.Id))
                .Select(p => new RelativeRow(
                    p.Id,
                    p.GivenName,
                    p.FamilyName,
                    p.DateOfBirth,
                    db.WithoutItsFilter<PersonRelationship>("the relationships recorded on a relative naming an opened person, by RecordsOf's rule; the relative read through the Person filter")
                        .Where(r => r.PersonId == p.Id && r.RelatedPersonId == id
                            && Reaches(db, r, everything, org, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre))
                        .Select(r => r.Kind).ToList(),
                    db.Set<EnrolmentRelationship>().Any(e => e.PersonId == p.Id && e.SchoolId == org && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today)),
                    db.Set<InvolvementRelationship>().Any(i => i.PersonId == p.Id && i.OrganisationId == org && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today)),
                    db.PartnershipRoleGrants.Any(g => g.UserId == user && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)
                        && (g.AreaId == p.AreaId || g.AreaId == p.Area!.ParentId || g.AreaId == p.Area.Parent!.ParentId)),
                    db.BreakGlassGrants.Any(b => b.PersonId == p.Id && b.UserId == user && b.ExpiresAt > now))))))));

    /// <summary>
    /// The relatives an opened person's page names, in one statement: the people the person's own
    /// relationships name and those whose relationships name the person, each relationship only where
    /// <see cref="RecordsOf{T}"/>'s rule lets it reach the reader (the request's pairs) and each relative
    /// only through the Person filter, with the kinds recorded on the relative's side and the
    /// reader's bases for each (the same rules as <see cref="AccessPolicy.ExplainManyAsync"/>: the
    /// relationship rows the Person filter reads, the grants covering their ward, break-glass).
    /// Those returned are audited as listed with those bases (one append, no second read).
    /// </summary>
    public async Task<IReadOnlyList<NamedRelative>> RelativesAsync(OpenedPerson person, string subject, CancellationToken ct = default)
    {
        var f = FlowArguments.Of(await FlowsAsync(person, ct));
        var rows = new List<RelativeRow>();
        // Compiled once (the statement is the same for every reader and person): each value is a parameter.
        await foreach (var row in RelativesQuery.For(db)(db, person.Id, db.Today, db.Now, db.ReaderOrganisationId, db.ReaderUserId, f.Everything,
            f.School, f.Police, f.LocalAuthority, f.Youth, f.Housing, f.Health, f.SocialCare, f.Charity, f.FamilyCentre).WithCancellation(ct))
            rows.Add(row);
        var relatives = rows.Select(r =>
        {
            List<AccessBasis> bases = [];
            if (db.ReaderIsSystem)
                bases.Add(new AccessBasis(AccessBasisKind.System, "", null, null));
            else
            {
                if (r.Enrolment)
                    bases.Add(new AccessBasis(AccessBasisKind.Enrolment, "", null, null));
                if (r.Involvement)
                    bases.Add(new AccessBasis(AccessBasisKind.Involvement, "", null, null));
                if (r.PartnershipRole)
                    bases.Add(new AccessBasis(AccessBasisKind.PartnershipRole, "", null, null));
                if (r.BreakGlass)
                    bases.Add(new AccessBasis(AccessBasisKind.BreakGlass, "", null, null));
            }
            return new NamedRelative(r.Id, r.GivenName, r.FamilyName, r.DateOfBirth, r.RecordedOnThem, DescribeBasis(bases));
        }).ToList();
        if (relatives.Count > 0)
            await audit.RecordAsync(relatives.Select(r => new AuditEvent(r.Id, AuditAction.ListedInSearch, subject, r.Basis)).ToList(), ct);
        return relatives;
    }

    /// <summary>
    /// Whether the reader is shown the register's sex for an opened person. Sex is a pupil
    /// characteristic (issue 13, item 4): shown as the <see cref="RecordCategories.PupilCharacteristics"/>
    /// category is, to the school the person is on the roll of (its current enrolment is the reader's
    /// basis) and to a reader the sharing agreement lets that category reach from schools; not to
    /// police or other partners otherwise. The register keeps it for matching whoever may see it.
    /// </summary>
    public static bool ShowsRegisterSex(OpenedPerson person, AgreementFlows flows) => ShowsRegisterSex(person.Bases, flows);

    /// <summary>The same, for a reader's bases on a person read past the policy (the merge comparison): <see cref="AccessPolicy.ExplainAsync"/>.</summary>
    public static bool ShowsRegisterSex(IReadOnlyList<AccessBasis> bases, AgreementFlows flows) =>
        flows.Lets(RecordCategories.PupilCharacteristics, OrganisationType.School)
        || bases.Any(b => b.Kind is AccessBasisKind.Enrolment or AccessBasisKind.System);

    /// <summary>Records that the people shown in a list or search result were read, each with its basis.</summary>
    public Task AuditListedAsync(IReadOnlyCollection<Guid> personIds, string subject, CancellationToken ct = default) =>
        AuditShownAsync(personIds, AuditAction.ListedInSearch, subject, ct);

    /// <summary>
    /// Records that the people a many-person document showed in detail (a meeting's pack: Read; its
    /// PDF: Export) were read, each with its basis, in one append.
    /// </summary>
    public async Task AuditShownAsync(IReadOnlyCollection<Guid> personIds, AuditAction action, string subject, CancellationToken ct = default)
    {
        if (personIds.Count == 0)
            return;
        // The audit row records the kinds of basis only: asked as EXISTS, not read as rows (issue 18).
        var bases = await AccessPolicy.BasisKindsManyAsync(db, personIds, ct);
        var events = personIds.Distinct()
            .Select(id => new AuditEvent(id, action, subject, DescribeBasis(bases.GetValueOrDefault(id) ?? [])))
            .ToList();
        await audit.RecordAsync(events, ct);
    }

    /// <summary>Records a refused look at something of a person's (a report, a case) that the reader's relationships do not reach.</summary>
    public Task AuditDeniedAsync(Guid personId, string subject, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, "no relationship"), ct);

    /// <summary>Records that a duplicate check touched someone the reader was not shown (an identifier already held).</summary>
    public Task AuditDuplicateCheckAsync(Guid personId, string subject, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(personId, AuditAction.DuplicateCheck, subject, "duplicate check"), ct);

    /// <summary>
    /// Stages the audit row of a change to a person's data (create, update): call it before the
    /// SaveChanges that makes the change, which then saves both in one transaction, or neither.
    /// </summary>
    public async Task AuditWriteAsync(Guid personId, AuditAction action, string subject, CancellationToken ct = default)
    {
        var bases = await AccessPolicy.ExplainAsync(db, personId, ct);
        var basis = DescribeBasis(bases);
        // A record created in this save (a person just registered) has its relationship only once saved.
        if (bases.Count == 0)
            audit.StageWrite(new AuditEvent(personId, action, subject, basis), async c => DescribeBasis(await AccessPolicy.ExplainAsync(db, personId, c)));
        else
            audit.StageWrite(new AuditEvent(personId, action, subject, basis));
    }

    internal static string DescribeBasis(IReadOnlyList<AccessBasis> bases) =>
        bases.Count == 0 ? "none" : string.Join(", ", bases.Select(b => b.AuditLabel).Distinct());
}

/// <summary>
/// The (category, owner organisation type) pairs the current sharing agreement lets reach the
/// reader's organisation type, within each category's own restriction (police intelligence:
/// police only): the filters' agreement EXISTS, computed once for a request.
/// </summary>
public sealed class AgreementFlows
{
    private readonly FlowTable table;

    internal AgreementFlows(Guid readerOrganisationId, bool everything, IEnumerable<(string Category, OrganisationType OwnerType)> pairs)
        : this(readerOrganisationId, everything, new FlowTable(pairs))
    {
    }

    /// <summary>The flows of a table kept for the process (<see cref="AgreementPairs"/>: one per agreement version and reader type), for one reader.</summary>
    internal AgreementFlows(Guid readerOrganisationId, bool everything, FlowTable table)
    {
        ReaderOrganisationId = readerOrganisationId;
        Everything = everything;
        this.table = table;
    }

    /// <summary>The system reader: every record.</summary>
    public bool Everything { get; }
    public Guid ReaderOrganisationId { get; }

    /// <summary>The categories that flow to the reader from organisations of a type (shared: a query's parameter, never changed).</summary>
    public List<string> From(OrganisationType ownerType) => table.From(ownerType);

    /// <summary>The organisation types a category flows to the reader from (a query's list parameter).</summary>
    public List<OrganisationType> OwnerTypesOf(string category) => table.OwnerTypesOf(category);

    /// <summary>Whether a record of a category owned by an organisation of a type (and, when given, by that organisation) reaches the reader.</summary>
    public bool Lets(string category, OrganisationType ownerType, Guid? ownerOrganisationId = null) =>
        Everything || ownerOrganisationId == ReaderOrganisationId || table.Lets(category, ownerType);
}

/// <summary>
/// The (category, owner type) pairs of <see cref="AgreementFlows"/> as the lookups and list parameters the pages read: a pure
/// function of the pairs, so kept with them per agreement version and reader type (<see cref="AgreementPairs"/>), not rebuilt
/// for every request. Never changed once built: its lists are passed to queries as parameters by every request that shares it.
/// </summary>
internal sealed class FlowTable
{
    private const string Separator = "|";
    private readonly HashSet<string> keys;
    private readonly Dictionary<OrganisationType, List<string>> byOwnerType;
    private readonly Dictionary<string, List<OrganisationType>> ownerTypesByCategory;

    public FlowTable(IEnumerable<(string Category, OrganisationType OwnerType)> pairs)
    {
        var list = pairs.ToList();
        // RecordsOf names every owner type in its query: a type it does not name would be refused
        // everything silently, so a new one fails here until it is added there.
        if (Enum.GetValues<OrganisationType>().Length != 9)
            throw new InvalidOperationException("A new organisation type: add it to PersonAccess.RecordsOf's flow.");
        keys = list.Select(p => Key(p.Category, p.OwnerType)).ToHashSet(StringComparer.Ordinal);
        byOwnerType = Enum.GetValues<OrganisationType>().ToDictionary(t => t,
            t => list.Where(p => p.OwnerType == t).Select(p => p.Category).Distinct().Order(StringComparer.Ordinal).ToList());
        ownerTypesByCategory = list.Select(p => p.Category).Distinct(StringComparer.Ordinal).ToDictionary(c => c,
            c => byOwnerType.Where(t => t.Value.Contains(c)).Select(t => t.Key).Order().ToList(), StringComparer.Ordinal);
    }

    public List<string> From(OrganisationType ownerType) => byOwnerType[ownerType];

    /// <summary>The owner types of a category; a new empty list for a category nothing lets flow (the caller may not share one it could change).</summary>
    public List<OrganisationType> OwnerTypesOf(string category) =>
        ownerTypesByCategory.TryGetValue(category, out var types) ? types : [];

    public bool Lets(string category, OrganisationType ownerType) => keys.Contains(Key(category, ownerType));

    private static string Key(string category, OrganisationType ownerType) => category + Separator + ownerType;
}

/// <summary>
/// The rule by which a categorised record of an opened person reaches the reader, written once: the
/// reader's own organisation's, or the agreement lets its category flow from its owner's organisation
/// type (the categories that flow from each owner type, one list parameter each: the query's shape is
/// the same for every reader, agreement and page, so PostgreSQL's prepared plan serves all).
/// <see cref="PersonAccess.RecordsOf{T}"/> binds it to the request's flows; a compiled query names it
/// with <see cref="PersonAccess.Reaches{T}"/>, its values the query's parameters.
/// </summary>
internal static class RecordRule<T> where T : class, ICategorisedRecord
{
    public static readonly Expression<Func<WaypointDbContext, T, bool, Guid, List<string>, List<string>, List<string>, List<string>, List<string>,
        List<string>, List<string>, List<string>, List<string>, bool>> Reaches =
        (db, r, everything, organisation, school, police, localAuthority, youth, housing, health, socialCare, charity, familyCentre) =>
            everything || r.OwnerOrganisationId == organisation
            || db.Organisations.Any(o => o.Id == r.OwnerOrganisationId
                && ((o.Type == OrganisationType.School && school.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.Police && police.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.LocalAuthorityTeam && localAuthority.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.YouthService && youth.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.Housing && housing.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.Health && health.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.SocialCare && socialCare.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.Charity && charity.Contains(r.CategoryCode))
                    || (o.Type == OrganisationType.FamilyCentre && familyCentre.Contains(r.CategoryCode))));

    /// <summary>The rule over a record, its values read from <paramref name="values"/> (EF makes each a parameter, as it does a captured variable's).</summary>
    public static Expression<Func<T, bool>> Bound(WaypointDbContext db, FlowArguments values)
    {
        var record = Expression.Parameter(typeof(T), "r");
        var source = Expression.Constant(values);
        Expression Value(string name) => Expression.Property(source, name);
        var arguments = new Expression[]
        {
            Expression.Constant(db), record, Value(nameof(FlowArguments.Everything)), Value(nameof(FlowArguments.Organisation)),
            Value(nameof(FlowArguments.School)), Value(nameof(FlowArguments.Police)), Value(nameof(FlowArguments.LocalAuthority)),
            Value(nameof(FlowArguments.Youth)), Value(nameof(FlowArguments.Housing)), Value(nameof(FlowArguments.Health)),
            Value(nameof(FlowArguments.SocialCare)), Value(nameof(FlowArguments.Charity)), Value(nameof(FlowArguments.FamilyCentre)),
        };
        return Expression.Lambda<Func<T, bool>>(Substituted(Reaches, arguments), record);
    }

    /// <summary>The rule's body with its parameters replaced by the arguments given.</summary>
    public static Expression Substituted(LambdaExpression rule, IReadOnlyList<Expression> arguments) =>
        new ParameterSubstitution(rule.Parameters.Zip(arguments).ToDictionary(p => p.First, p => p.Second)).Visit(rule.Body);
}

/// <summary>
/// A school record's rule (AccessPolicy's FilterSchoolRecords: alerts, top-10 nominations) for an opened person, written once:
/// the reader's own school's, or where the agreement lets the category flow from the school's organisation type (the owner
/// types given, one list parameter: no flag decides the SQL, so its plan is the same for every reader).
/// <see cref="PersonAccess.AlertsOf"/> binds it; a compiled query names it with <see cref="PersonAccess.SchoolRecordReaches{T}"/>.
/// </summary>
internal static class SchoolRecordRule<T> where T : class, ISchoolRecord
{
    public static readonly Expression<Func<T, bool, Guid, List<OrganisationType>, bool>> Reaches = (r, everything, organisation, ownerTypes) =>
        everything || r.SchoolId == organisation || ownerTypes.Contains(r.School!.Type);
}

/// <summary>A rule over a record with its other parameters bound to values, each read as a query parameter (as a captured variable is).</summary>
internal static class RuleBinding
{
    public static Expression<Func<T, bool>> Bind<T>(LambdaExpression rule, params object[] values)
    {
        var record = Expression.Parameter(typeof(T), "r");
        var replacements = new Dictionary<ParameterExpression, Expression>();
        var v = 0;
        foreach (var parameter in rule.Parameters)
        {
            if (parameter.Type == typeof(T) && !replacements.Values.Contains(record))
            {
                replacements[parameter] = record;
                continue;
            }
            var value = values[v++];
            // The context itself as a constant (EF reads its sets); any other value through a box, which EF makes a parameter.
            replacements[parameter] = value is WaypointDbContext
                ? Expression.Constant(value, parameter.Type)
                : Expression.Field(Expression.Constant(Activator.CreateInstance(typeof(System.Runtime.CompilerServices.StrongBox<>).MakeGenericType(parameter.Type), value)),
                    nameof(System.Runtime.CompilerServices.StrongBox<int>.Value));
        }
        return Expression.Lambda<Func<T, bool>>(new ParameterSubstitution(replacements).Visit(rule.Body), record);
    }
}

/// <summary>The values <see cref="RecordRule{T}"/> reads for a request, from the agreement's flows to the reader.</summary>
public sealed record FlowArguments(bool Everything, Guid Organisation, List<string> School, List<string> Police, List<string> LocalAuthority,
    List<string> Youth, List<string> Housing, List<string> Health, List<string> SocialCare, List<string> Charity, List<string> FamilyCentre)
{
    public static FlowArguments Of(AgreementFlows flows) => new(flows.Everything, flows.ReaderOrganisationId,
        flows.From(OrganisationType.School), flows.From(OrganisationType.Police), flows.From(OrganisationType.LocalAuthorityTeam),
        flows.From(OrganisationType.YouthService), flows.From(OrganisationType.Housing), flows.From(OrganisationType.Health),
        flows.From(OrganisationType.SocialCare), flows.From(OrganisationType.Charity), flows.From(OrganisationType.FamilyCentre));
}

internal sealed class ParameterSubstitution(IReadOnlyDictionary<ParameterExpression, Expression> replacements) : ExpressionVisitor
{
    protected override Expression VisitParameter(ParameterExpression node) =>
        replacements.TryGetValue(node, out var replacement) ? replacement : node;
}

/// <summary>Replaces each <see cref="PersonAccess.Reaches{T}"/> call with <see cref="RecordRule{T}.Reaches"/> over the call's arguments.</summary>
internal sealed class RecordRuleExpander : ExpressionVisitor
{
    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (node.Method.DeclaringType != typeof(PersonAccess))
            return base.VisitMethodCall(node);
        LambdaExpression rule;
        switch (node.Method.Name)
        {
            case nameof(PersonAccess.Reaches) when node.Method.IsGenericMethod:
                rule = (LambdaExpression)typeof(RecordRule<>).MakeGenericType(node.Method.GetGenericArguments()[0])
                    .GetField(nameof(RecordRule<PersonIdentifier>.Reaches))!.GetValue(null)!;
                break;
            case nameof(PersonAccess.SchoolRecordReaches) when node.Method.IsGenericMethod:
                rule = (LambdaExpression)typeof(SchoolRecordRule<>).MakeGenericType(node.Method.GetGenericArguments()[0])
                    .GetField(nameof(SchoolRecordRule<Alert>.Reaches))!.GetValue(null)!;
                break;
            case nameof(PersonAccess.CaseReaches):
                rule = PersonAccess.CaseRule;
                break;
            default:
                return base.VisitMethodCall(node);
        }
        var arguments = node.Arguments.Select(a => Visit(a)!).ToList();
        return new ParameterSubstitution(rule.Parameters.Zip(arguments).ToDictionary(p => p.First, p => p.Second)).Visit(rule.Body);
    }
}

/// <summary>A relative named on an opened person's page (<see cref="PersonAccess.RelativesAsync"/>): visible to the reader, and audited with <see cref="Basis"/>.</summary>
public sealed record NamedRelative(Guid Id, string GivenName, string FamilyName, DateOnly? DateOfBirth, IReadOnlyList<RelationshipKind> RecordedOnThem, string Basis);

public enum AccessOutcome
{
    Allowed,
    NotFound,
    Forbidden,
}
