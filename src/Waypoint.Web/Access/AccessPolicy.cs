using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Access;

/// <summary>A member of a child's family who may be linked to the child's case.</summary>
public sealed record FamilyCandidate(Guid PersonId, string Name, DateOnly? DateOfBirth, string Relationship);

/// <summary>An enrolment as the access policy's Person filter reads it: a relationship, not an education record.</summary>
public sealed class EnrolmentRelationship
{
    public Guid PersonId { get; set; }
    public Guid SchoolId { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
}

/// <summary>An involvement as the access policy's Person and Case filters read it.</summary>
public sealed class InvolvementRelationship
{
    public Guid PersonId { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid? SourceId { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
}

/// <summary>The kinds of relationship that let an organisation see a person.</summary>
public enum AccessBasisKind
{
    System,
    Enrolment,
    Involvement,
    PartnershipRole,
    BreakGlass,
}

/// <summary>One reason the current reader may see a person, for "why you can see this" and for the audit row.</summary>
public sealed record AccessBasis(AccessBasisKind Kind, string Description, DateOnly? From, DateTimeOffset? Until, PartnershipFunction? Function = null)
{
    public string AuditLabel => Kind switch
    {
        AccessBasisKind.Enrolment => "enrolment",
        AccessBasisKind.Involvement => "involvement",
        AccessBasisKind.PartnershipRole => "partnership role",
        AccessBasisKind.BreakGlass => "break-glass",
        _ => "system",
    };
}

/// <summary>
/// The one access policy (DESIGN.md, "Access control"). A person is visible while the reader's
/// organisation has a current relationship with them; within a visible person a categorised
/// record is visible to its owner and wherever the current sharing agreement lets its category
/// flow from the owner's organisation type to the reader's, and never past a category's own
/// restriction (police intelligence: police only, whatever a version of the agreement lists).
/// A reader who may see aggregates only (analysts) sees no person at all. Applied as query
/// filters, so lists, single reads, search, API, exports and reports all share it;
/// <see cref="ExplainAsync"/> states the same rules one by one for "why you can see this" and the audit.
/// </summary>
public static class AccessPolicy
{
    /// <summary>The key of a type's own filter when the policy names it (<see cref="PastTheFilters.WithoutItsFilter{T}"/> lifts that one alone).</summary>
    internal static string OwnFilterKey<T>() => "policy:" + typeof(T).Name;

    internal static void ApplyQueryFilters(ModelBuilder builder, WaypointDbContext db)
    {
        var rules = new SharedPredicates(db);

        builder.Entity<Person>().HasQueryFilter(rules.Expand<Person>(p =>
            db.ReaderIsSystem
            || (!db.ReaderAggregatesOnly
                // An entry merged into another is no one's to read: links and searches reach the survivor (issue 16).
                && p.MergedIntoId == null
                // The area first: PostgreSQL evaluates the alternatives in the order written and builds a hashed
                // alternative only when it first reaches it, so for a reader whose grant covers the person's area
                // (the hub, county-wide) the organisation's thousands of involvements are never hashed; for anyone
                // else the set of areas is empty and costs a probe of an empty hash.
                && (SharedPredicates.AreasCoveredByAnyFunction().Contains(p.AreaId)
                    || db.Set<EnrolmentRelationship>().Any(e => e.PersonId == p.Id && e.SchoolId == db.ReaderOrganisationId && SharedPredicates.IsCurrent(e.StartDate, e.EndDate))
                    || db.Set<InvolvementRelationship>().Any(i => i.PersonId == p.Id && i.OrganisationId == db.ReaderOrganisationId && SharedPredicates.IsCurrent(i.StartDate, i.EndDate))
                    || db.Set<BreakGlassGrant>().Any(b => b.PersonId == p.Id && b.UserId == db.ReaderUserId && b.ExpiresAt > db.Now)))));

        // A notice is its recipient's alone (not person-level data, but it may name someone they can see).
        builder.Entity<Notification>().HasQueryFilter(n => db.ReaderIsSystem || n.UserId == db.ReaderUserId);

        // A child-concern report: its reporter's organisation, and the hub practitioners whose
        // triage grant covers the area it was reported in; never past the child's own visibility.
        builder.Entity<Referral>().HasQueryFilter(rules.Expand<Referral>(r =>
            db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(r.PersonId)
                && (r.ReporterOrganisationId == db.ReaderOrganisationId
                    || SharedPredicates.AreasCoveredBy(PartnershipFunction.HubTriage).Contains(r.AreaId)))));

        // A case: its lead organisation, the organisations with a current involvement sourced from
        // the case (the team around the family, an agency offered the lead while it decides, the
        // social care team it was stepped up to; the members' own set is not read here, since its
        // filter reads this one), and the hub for the child's area.
        // The child's visibility is the Person filter applied once, on the join to c.Person that the hub's rule
        // reads the area through (a query naming the child shares that join): not a second EXISTS over People.
        // `c.Person != null` states it, and holds whether EF makes the join inner (a required navigation to a
        // filtered set: the row goes) or left (the null fails it). The rest is PersonAccess.CaseRule, which an
        // opened person's cases read too, its "every case" the hub's area rule: written first, for the reason the
        // Person filter gives its area first (a case the hub covers never hashes the organisation's involvements).
        builder.Entity<Case>().HasQueryFilter(rules.Expand<Case>(c =>
            db.ReaderIsSystem
            || (c.Person != null
                && SharedPredicates.CaseRuleHolds(c, SharedPredicates.AreasCoveredBy(PartnershipFunction.HubTriage).Contains(c.Person.AreaId)))));

        // A case's team, actions and history go with the case.
        builder.Entity<CaseMember>().HasQueryFilter(rules.Expand<CaseMember>(m => db.ReaderIsSystem || SharedPredicates.CaseVisible(m.CaseId)));
        builder.Entity<CaseAction>().HasQueryFilter(rules.Expand<CaseAction>(a => db.ReaderIsSystem || SharedPredicates.CaseVisible(a.CaseId)));
        // History lines written before notes stopped leaving one ("Note added (police intelligence)")
        // named a category that may be withheld from the reader: hidden from everyone but the system.
        builder.Entity<CaseEvent>().HasQueryFilter(rules.Expand<CaseEvent>(e => db.ReaderIsSystem
            || (SharedPredicates.CaseVisible(e.CaseId) && SharedPredicates.HistoryLineShown(e.Text))));
        builder.Entity<CaseGoal>().HasQueryFilter(rules.Expand<CaseGoal>(g => db.ReaderIsSystem || SharedPredicates.CaseVisible(g.CaseId)));
        builder.Entity<CaseReview>().HasQueryFilter(rules.Expand<CaseReview>(r => db.ReaderIsSystem || SharedPredicates.CaseVisible(r.CaseId)));
        builder.Entity<CaseTransfer>().HasQueryFilter(rules.Expand<CaseTransfer>(t => db.ReaderIsSystem || SharedPredicates.CaseVisible(t.CaseId)));
        // A family member on the case: with the case, and never past the family member's own visibility.
        builder.Entity<CaseFamilyMember>().HasQueryFilter(rules.Expand<CaseFamilyMember>(f => db.ReaderIsSystem
            || (SharedPredicates.CaseVisible(f.CaseId) && SharedPredicates.PersonVisible(f.PersonId))));

        // A case note: with the case, then by its category, as the agreement lets it flow from the
        // author's organisation type to the reader's.
        builder.Entity<CaseNote>().HasQueryFilter(rules.Expand<CaseNote>(n =>
            db.ReaderIsSystem
            || (SharedPredicates.CaseVisible(n.CaseId)
                && (n.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(n.CategoryCode, n.OwnerOrganisation!.Type)))));

        // A service referral: the two sides of it (the referrer's organisation and the service's provider),
        // each only while it may see the young person (the provider through the referral's own grant).
        builder.Entity<ServiceReferral>().HasQueryFilter(rules.Expand<ServiceReferral>(r => db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(r.PersonId)
                && (r.ReferrerOrganisationId == db.ReaderOrganisationId || r.ProviderOrganisationId == db.ReaderOrganisationId))));

        // A child on a meeting's agenda, and the actions the meeting agreed for them: with the child
        // (issuing the agenda is what lets the invited organisations see the child, through GrantRules).
        builder.Entity<AgendaItem>().HasQueryFilter(rules.Expand<AgendaItem>(i => db.ReaderIsSystem || SharedPredicates.PersonVisible(i.PersonId)));
        builder.Entity<MeetingAction>().HasQueryFilter(rules.Expand<MeetingAction>(a => db.ReaderIsSystem || SharedPredicates.PersonVisible(a.PersonId)));
        builder.Entity<MeetingReferralMark>().HasQueryFilter(rules.Expand<MeetingReferralMark>(m => db.ReaderIsSystem || SharedPredicates.PersonVisible(m.PersonId)));
        builder.Entity<ConsentRequest>().HasQueryFilter(rules.Expand<ConsentRequest>(r => db.ReaderIsSystem || SharedPredicates.PersonVisible(r.PersonId)));
        builder.Entity<MinutesCorrection>().HasQueryFilter(rules.Expand<MinutesCorrection>(c => db.ReaderIsSystem || SharedPredicates.PersonVisible(c.PersonId)));

        // Consent is case work owned by the agency that asked.
        builder.Entity<ConsentRecord>().HasQueryFilter(rules.Expand<ConsentRecord>(r =>
            db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(r.PersonId)
                && (r.AskedByOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(RecordCategories.CaseWork, r.AskedByOrganisation!.Type)))));

        builder.Entity<PersonIdentifier>().HasQueryFilter(rules.Expand<PersonIdentifier>(r =>
            db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(r.PersonId)
                && (r.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(r.CategoryCode, r.OwnerOrganisation!.Type)))));

        // Named, so that a query naming the relationships of people its root reads through the Person filter can lift this
        // filter alone (PastTheFilters.WithoutItsFilter: the relatives' statement, which applies the agreement's flow from the request's pairs).
        builder.Entity<PersonRelationship>().HasQueryFilter(OwnFilterKey<PersonRelationship>(), rules.Expand<PersonRelationship>(r =>
            db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(r.PersonId)
                && (r.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(r.CategoryCode, r.OwnerOrganisation!.Type)))));

        // Enrolments are both a relationship (the Person filter above reads them, as unfiltered
        // relationship rows, for the reader's own school) and education records: the pupil visible,
        // and then the reader's own school or wherever the agreement lets education flow.
        builder.Entity<Enrolment>().HasQueryFilter(rules.Expand<Enrolment>(e =>
            db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(e.PersonId)
                && (e.SchoolId == db.ReaderOrganisationId || SharedPredicates.Flows(RecordCategories.Education, OrganisationType.School)))));

        // A pupil an import could not match: the school that sent the file, and the inclusion officers
        // whose function covers the child the file's line may be (they confirm or reject the match).
        builder.Entity<PupilMatchReview>().HasQueryFilter(rules.Expand<PupilMatchReview>(r =>
            db.ReaderIsSystem
            || r.SchoolId == db.ReaderOrganisationId
            // Not through the CandidatePerson navigation: a required navigation to a filtered set is an
            // inner join, which would hide the school's own rows about a child it cannot see.
            || db.Set<Person>().Any(p => p.Id == r.CandidatePersonId
                && SharedPredicates.AreasCoveredBy(PartnershipFunction.InclusionOfficer).Contains(p.AreaId))));

        // Who is involved with a person is seen with the person; a household with anyone living in it the reader may see.
        builder.Entity<Involvement>().HasQueryFilter(rules.Expand<Involvement>(i => db.ReaderIsSystem || SharedPredicates.PersonVisible(i.PersonId)));
        builder.Entity<Household>().HasQueryFilter(h => db.ReaderIsSystem || db.Set<Person>().Any(p => p.HouseholdId == h.Id));

        // The relationship rows the filters above read, mapped onto the same tables without a filter
        // of their own: the Person filter cannot read the filtered Enrolment and Involvement sets,
        // whose filters read Person (EF would expand them into each other without end).
        builder.Entity<EnrolmentRelationship>().HasNoKey().ToView("Enrolments");
        builder.Entity<InvolvementRelationship>().HasNoKey().ToView("Involvements");

        FilterSchoolRecords<AttendanceRecord>(builder, rules, db, RecordCategories.Education);
        FilterSchoolRecords<Suspension>(builder, rules, db, RecordCategories.Education);
        FilterSchoolRecords<ManagedMove>(builder, rules, db, RecordCategories.Education);
        FilterSchoolRecords<PartTimeTimetable>(builder, rules, db, RecordCategories.Education);
        FilterSchoolRecords<BehaviourIncident>(builder, rules, db, RecordCategories.Behaviour);
        // Equality-monitoring characteristics: the school that recorded them, and only where the agreement lets their own category flow.
        FilterSchoolRecords<PupilCharacteristics>(builder, rules, db, RecordCategories.PupilCharacteristics);
        FilterSchoolRecords<PupilCharacteristicsChange>(builder, rules, db, RecordCategories.PupilCharacteristics);
        FilterSchoolRecords<TopTenNomination>(builder, rules, db, RecordCategories.Education);
        // An early-warning alert is education data about the pupil, owned by the school whose records raised it.
        FilterSchoolRecords<Alert>(builder, rules, db, RecordCategories.Education);
        builder.Entity<AlertEvent>().HasQueryFilter(e => db.ReaderIsSystem || db.Set<Alert>().Any(a => a.Id == e.AlertId));

        // Police information and risk (issue 13). An occurrence: the force that recorded it, and
        // where the agreement lets its category flow (police intelligence: police only) to a reader
        // who may see someone linked to it (its link rows read unfiltered, as the relationships above).
        builder.Entity<Occurrence>().HasQueryFilter(rules.Expand<Occurrence>(o => db.ReaderIsSystem
            || (!db.ReaderAggregatesOnly
                && (o.OwnerOrganisationId == db.ReaderOrganisationId
                    || (SharedPredicates.Flows(o.CategoryCode, o.OwnerOrganisation!.Type)
                        && db.Set<OccurrenceLinkRow>().Any(l => l.OccurrenceId == o.Id && SharedPredicates.PersonVisible(l.PersonId)))))));
        // A person's part in an occurrence: the person visible and the occurrence visible.
        builder.Entity<OccurrencePerson>().HasQueryFilter(rules.Expand<OccurrencePerson>(l => db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(l.PersonId) && db.Set<Occurrence>().Any(o => o.Id == l.OccurrenceId))));
        builder.Entity<OccurrenceLinkRow>().HasNoKey().ToView("OccurrencePeople");
        // A name in a police file that could not be matched: the force that sent it.
        builder.Entity<OccurrenceMatchReview>().HasQueryFilter(r => db.ReaderIsSystem || (!db.ReaderAggregatesOnly && r.OwnerOrganisationId == db.ReaderOrganisationId));
        // A flag: a categorised record, flowing by the agreement like any other.
        builder.Entity<PersonFlag>().HasQueryFilter(rules.Expand<PersonFlag>(f => db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(f.PersonId)
                && (f.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(f.CategoryCode, f.OwnerOrganisation!.Type)))));
        // Scores and cohort reviews go with the person (their explanations show only the records the reader may see).
        builder.Entity<RiskScore>().HasQueryFilter(rules.Expand<RiskScore>(s => db.ReaderIsSystem || SharedPredicates.PersonVisible(s.PersonId)));
        builder.Entity<CohortReview>().HasQueryFilter(rules.Expand<CohortReview>(r => db.ReaderIsSystem || SharedPredicates.PersonVisible(r.PersonId)));
        // A placement in alternative provision: an education record of its recorder's (the council or the school), with the pupil.
        builder.Entity<ProvisionPlacement>().HasQueryFilter(rules.Expand<ProvisionPlacement>(p => db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(p.PersonId)
                && (p.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(RecordCategories.Education, p.OwnerOrganisation!.Type)))));
        // A place of concern: its recorder's organisation, or where the agreement lets its category flow (intelligence: police only); never to aggregate readers.
        builder.Entity<PlaceOfConcern>().HasQueryFilter(rules.Expand<PlaceOfConcern>(p => db.ReaderIsSystem
            || (!db.ReaderAggregatesOnly && (p.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(p.CategoryCode, p.OwnerOrganisation!.Type)))));
        // A young person's link to a place: a categorised record, with the person and the place both visible.
        builder.Entity<PlaceOfConcernLink>().HasQueryFilter(rules.Expand<PlaceOfConcernLink>(l => db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(l.PersonId)
                && (l.OwnerOrganisationId == db.ReaderOrganisationId || SharedPredicates.Flows(l.CategoryCode, l.OwnerOrganisation!.Type))
                && db.Set<PlaceOfConcern>().Any(p => p.Id == l.PlaceId))));
    }

    /// <summary>
    /// School records follow the categorised-record rule with a category fixed by their type: the
    /// pupil visible, and either the reader's own school or the agreement letting the category flow
    /// from the school's organisation type to the reader's.
    /// </summary>
    private static void FilterSchoolRecords<T>(ModelBuilder builder, SharedPredicates rules, WaypointDbContext db, string category) where T : class, ISchoolRecord =>
        builder.Entity<T>().HasQueryFilter(rules.Expand<T>(r =>
            db.ReaderIsSystem
            || (SharedPredicates.PersonVisible(r.PersonId)
                && (r.SchoolId == db.ReaderOrganisationId || SharedPredicates.Flows(category, r.School!.Type)))));

    /// <summary>Every current basis on which the reader may see the person; empty means no access.</summary>
    public static async Task<IReadOnlyList<AccessBasis>> ExplainAsync(WaypointDbContext db, Guid personId, CancellationToken ct = default)
    {
        var all = await ExplainManyAsync(db, [personId], ct);
        return all.TryGetValue(personId, out var bases) ? bases : [];
    }

    /// <summary>The bases for several people at once (lists and search results are audited with them).</summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AccessBasis>>> ExplainManyAsync(
        WaypointDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken ct = default)
    {
        var result = personIds.Distinct().ToDictionary(id => id, _ => new List<AccessBasis>());
        if (result.Count == 0)
            return new Dictionary<Guid, IReadOnlyList<AccessBasis>>();
        if (db.ReaderIsSystem)
        {
            foreach (var list in result.Values)
                list.Add(new AccessBasis(AccessBasisKind.System, "System process", null, null));
            return Freeze(result);
        }
        if (db.Reader.AggregatesOnly)
            return Freeze(result);

        var ids = result.Keys.ToList();
        var today = db.Today;
        var now = db.Now;
        var org = db.ReaderOrganisationId;
        var user = db.ReaderUserId;

        // Each person's ward (with its district and county, for the reader's partnership roles) and
        // the reader's relationships with them, in one round trip; the reader's grants in another.
        var people = await db.Unfiltered<Person>("the people being explained: their wards, to match the reader's partnership roles, with the reader's relationships with them").AsNoTracking()
            .Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id,
                Ward = p.AreaId,
                District = p.Area!.ParentId,
                County = p.Area.Parent!.ParentId,
                Enrolments = db.Unfiltered<Enrolment>("the reader's own school's current enrolments are the relationship being explained")
                    .Where(e => e.PersonId == p.Id && e.SchoolId == org && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                    .OrderBy(e => e.StartDate).Select(e => new EnrolmentBasisRow(e.School!.Name, e.StartDate, e.EndDate, e.IsDualRegistration)).ToList(),
                // Read past the filters with the rest of this query: the Involvement filter's condition (the person
                // visible) reduces, for an involvement of the reader's own organisation, to the person not merged
                // away (checked below: a condition on the person inside the collection would need an APPLY, which SQLite lacks).
                Merged = p.MergedIntoId != null,
                Involvements = db.Involvements
                    .Where(i => i.PersonId == p.Id && i.OrganisationId == org && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today))
                    .OrderBy(i => i.StartDate).Select(i => new InvolvementBasisRow(i.Reason, i.Source, i.Organisation!.Name, i.StartDate, i.EndDate)).ToList(),
                BreakGlass = db.BreakGlassGrants.Where(b => b.PersonId == p.Id && b.UserId == user && b.ExpiresAt > now)
                    .OrderBy(b => b.GrantedAt).Select(b => new BreakGlassBasisRow(b.Reason, b.GrantedAt, b.ExpiresAt)).ToList(),
            })
            .ToListAsync(ct);
        var grants = await GrantsAsync(db, ct);

        foreach (var p in people)
            result[p.Id].AddRange(BasesOf(p.Ward, p.District, p.County, p.Enrolments, p.Merged ? [] : p.Involvements, grants, p.BreakGlass));

        return Freeze(result);
    }

    /// <summary>
    /// An opened case's history as the CaseEvent filter shows it, read by the case's id: the filter's
    /// own line rule (<see cref="SharedPredicates.HistoryLineShown"/>) without repeating the Case and
    /// Person filters, which opening the case through RecordAccess has just applied (issue 18: they
    /// were 3–4 ms of PostgreSQL planning on every case page). The system reader sees every line.
    /// </summary>
    public static IQueryable<CaseEvent> HistoryOf(WaypointDbContext db, OpenedCase opened)
    {
        var id = opened.Id;
        var everything = db.ReaderIsSystem;
        return db.Unfiltered<CaseEvent>("the history of a case just opened through RecordAccess, by its id, with the CaseEvent filter's own line rule")
            .Where(new SharedPredicates(db).Expand<CaseEvent>(e => e.CaseId == id && (everything || SharedPredicates.HistoryLineShown(e.Text))));
    }

    /// <summary>
    /// The kinds of basis on which the reader may see each of many people (what a read-audit row
    /// records: "enrolment, partnership role", never the descriptions), in one flat statement: the
    /// same relationships as <see cref="ExplainManyAsync"/> (own school's current enrolments, own
    /// organisation's current involvements unless the person was merged away, the reader's current
    /// grants covering the ward, its district or county, the reader's break-glass), each asked as an
    /// EXISTS. ExplainManyAsync read each person's rows as three collections with the descriptions, and
    /// the grants in a statement of their own, to be reduced to these labels: 11% of My work's CPU for
    /// its ~200 people (issue 18). Each kind is listed at most once, in ExplainManyAsync's order.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AccessBasis>>> BasisKindsManyAsync(
        WaypointDbContext db, IReadOnlyCollection<Guid> personIds, CancellationToken ct = default)
    {
        var result = personIds.Distinct().ToDictionary(id => id, _ => new List<AccessBasis>());
        if (result.Count == 0 || db.Reader.AggregatesOnly && !db.ReaderIsSystem)
            return Freeze(result);
        if (db.ReaderIsSystem)
        {
            foreach (var list in result.Values)
                list.Add(new AccessBasis(AccessBasisKind.System, "System process", null, null));
            return Freeze(result);
        }
        var ids = result.Keys.ToList();
        var today = db.Today;
        var now = db.Now;
        var org = db.ReaderOrganisationId;
        var user = db.ReaderUserId;
        // The relationship rows (no filter of their own, as the Person filter reads them) and the grants (none either).
        var rows = await db.Unfiltered<Person>("the people being explained: their wards, to match the reader's partnership roles, with the reader's relationships with them").AsNoTracking()
            .Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id,
                Enrolment = db.Set<EnrolmentRelationship>().Any(e => e.PersonId == p.Id && e.SchoolId == org && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today)),
                Involvement = p.MergedIntoId == null
                    && db.Set<InvolvementRelationship>().Any(i => i.PersonId == p.Id && i.OrganisationId == org && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today)),
                PartnershipRole = db.PartnershipRoleGrants.Any(g => g.UserId == user && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)
                    && (g.AreaId == p.AreaId || g.AreaId == p.Area!.ParentId || g.AreaId == p.Area.Parent!.ParentId)),
                BreakGlass = db.BreakGlassGrants.Any(b => b.PersonId == p.Id && b.UserId == user && b.ExpiresAt > now),
            })
            .ToListAsync(ct);
        foreach (var r in rows)
        {
            var list = result[r.Id];
            if (r.Enrolment)
                list.Add(new AccessBasis(AccessBasisKind.Enrolment, "", null, null));
            if (r.Involvement)
                list.Add(new AccessBasis(AccessBasisKind.Involvement, "", null, null));
            if (r.PartnershipRole)
                list.Add(new AccessBasis(AccessBasisKind.PartnershipRole, "", null, null));
            if (r.BreakGlass)
                list.Add(new AccessBasis(AccessBasisKind.BreakGlass, "", null, null));
        }
        return Freeze(result);
    }

    /// <summary>
    /// Opens one person for a signed-in reader in one statement: the person through the Person filter,
    /// with the reader's relationships with them (own school's current enrolments, own organisation's
    /// current involvements, the reader's break-glass) and the reader's current grants; the
    /// bases are made by the same code as <see cref="ExplainManyAsync"/>'s. Null when the filter hides the
    /// person. Every set read is filtered or has no filter of its own: the Person root keeps its filter.
    /// </summary>
    internal static async Task<(Person Person, IReadOnlyList<AccessBasis> Bases, AgreementFlows? Flows)?> OpenExplainedAsync(WaypointDbContext db, Guid personId, CancellationToken ct = default)
    {
        // The sign-in's check, when this request owes it (Identity/ReaderMiddleware): the PostgreSQL open reads the account's state in
        // its own statement; every other way checks first, in a statement of its own, and opens with the reader it leaves.
        var pending = db.DeferredSignIn;
        if (pending is not null && (!db.IsPostgres || db.ReaderIsSystem || db.Reader.AggregatesOnly))
        {
            await pending.CompleteAsync(null, ct);
            pending = null;
        }
        if (db.ReaderIsSystem || db.Reader.AggregatesOnly)
        {
            var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct);
            return person is null ? null : (person, await ExplainAsync(db, personId, ct), null);
        }
        // Compiled once per model (issue 18: the open's tree was the largest Waypoint step of the API's profile): every value a parameter.
        if (db.IsPostgres)
        {
            var both = await OpenQuery.For(db)(db, personId, db.Today, db.Now, db.ReaderOrganisationId, db.ReaderUserId, pending?.UserId ?? Guid.Empty);
            // Refused (thrown) when the account, its organisation or the session is no longer valid; false when the reader this
            // statement was given is out of date: opened again with the reader made afresh (the check is then done).
            if (pending is not null && !await pending.CompleteAsync(both?.Account, ct))
                return await OpenExplainedAsync(db, personId, ct);
            if (both is null)
                return null;
            // The pairs of the version the open found current, kept per version (AgreementPairs); with no version or more than one
            // current (never, publishing replaces the one in force in a transaction) read by the filters' own rule instead.
            var flows = both.CurrentVersions == 1
                ? new AgreementFlows(db.Reader.OrganisationId, everything: false, await AgreementPairs.OfVersionAsync(db, both.CurrentVersion!.Value, db.Reader.OrganisationType, ct))
                : await FlowsToReaderAsync(db, ct);
            return (both.Person, BasesOf(both.Person.AreaId, both.District, both.County, both.Enrolments, both.Involvements, both.Grants, both.BreakGlass), flows);
        }
        var row = await OpenQuerySqlite.For(db)(db, personId, db.Today, db.Now, db.ReaderOrganisationId, db.ReaderUserId);
        if (row is null)
            return null;
        var grants = await GrantsAsync(db, ct);
        return (row.Person, BasesOf(row.Person.AreaId, row.District, row.County, row.Enrolments, row.Involvements, grants, row.BreakGlass), null);
    }

    private sealed record OpenRow(Person Person, Guid? District, Guid? County, List<EnrolmentBasisRow> Enrolments, List<InvolvementBasisRow> Involvements,
        List<BreakGlassBasisRow> BreakGlass, List<GrantBasisRow> Grants, Guid? CurrentVersion, int CurrentVersions, AccountState? Account);

    /// <summary>
    /// The open's statement (PostgreSQL): the person through the Person filter with the reader's relationships with them, the
    /// reader's current grants (no filter of their own) and the current agreement version's id (and how many are current): the
    /// (category, owner type) pairs it lets reach the reader's organisation type are kept per version (<see cref="AgreementPairs"/>;
    /// read here as a collection, their 20 rows for a school multiplied the statement's rows by 20). The filtered enrolments and
    /// involvements: for the reader's own organisation their filters reduce to the person visible, which the root's filter has decided. With the signed-in account's state when the request's sign-in
    /// check rides on this statement (<paramref name="account"/>; Guid.Empty reads none): one snapshot for both.
    /// </summary>
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, DateOnly, DateTimeOffset, Guid, Guid, Guid, Task<OpenRow?>>> OpenQuery =
        new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, DateOnly, DateTimeOffset, Guid, Guid, Guid, OpenRow?>>(
            (db, personId, today, now, org, user, account) => db.People.AsNoTracking()
                .Where(p => p.Id == personId)
                .Select(p => new OpenRow(
                    p,
                    p.Area!.ParentId,
                    p.Area.Parent!.ParentId,
                    db.Enrolments
                        .Where(e => e.PersonId == p.Id && e.SchoolId == org && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                        .OrderBy(e => e.StartDate).Select(e => new EnrolmentBasisRow(e.School!.Name, e.StartDate, e.EndDate, e.IsDualRegistration)).ToList(),
                    db.Involvements
                        .Where(i => i.PersonId == p.Id && i.OrganisationId == org && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today))
                        .OrderBy(i => i.StartDate).Select(i => new InvolvementBasisRow(i.Reason, i.Source, i.Organisation!.Name, i.StartDate, i.EndDate)).ToList(),
                    db.BreakGlassGrants.Where(b => b.PersonId == p.Id && b.UserId == user && b.ExpiresAt > now)
                        .OrderBy(b => b.GrantedAt).Select(b => new BreakGlassBasisRow(b.Reason, b.GrantedAt, b.ExpiresAt)).ToList(),
                    db.PartnershipRoleGrants.Where(g => g.UserId == user && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
                        .OrderBy(g => g.Id).Select(g => new GrantBasisRow(g.AreaId, g.Function, g.Area!.Name, g.StartDate, g.EndDate)).ToList(),
                    db.SharingAgreementVersions.Where(v => v.IsCurrent).OrderBy(v => v.Id).Select(v => (Guid?)v.Id).FirstOrDefault(),
                    db.SharingAgreementVersions.Count(v => v.IsCurrent),
                    db.Users.Where(u => u.Id == account)
                        .Select(u => new AccountState(u.IsActive, u.SecurityStamp, u.ConcurrencyStamp, u.OrganisationId, u.Organisation!.Type, u.Organisation.IsActive,
                            u.DisplayName, u.Email, u.Organisation.Name))
                        .FirstOrDefault()))
                .FirstOrDefault())));

    private sealed record OpenRowSqlite(Person Person, Guid? District, Guid? County, List<EnrolmentBasisRow> Enrolments, List<InvolvementBasisRow> Involvements,
        List<BreakGlassBasisRow> BreakGlass);

    /// <summary>
    /// The open's statement on SQLite: as <see cref="OpenQuery"/> without the grants (a collection that does not depend on the
    /// person's row needs a lateral join, which SQLite lacks; the grants are read apart) and without the agreement's version
    /// (the request's pairs are read apart, by the filters' own rule, when it needs them).
    /// </summary>
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, DateOnly, DateTimeOffset, Guid, Guid, Task<OpenRowSqlite?>>> OpenQuerySqlite =
        new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, DateOnly, DateTimeOffset, Guid, Guid, OpenRowSqlite?>>(
            (db, personId, today, now, org, user) => db.People.AsNoTracking()
                .Where(p => p.Id == personId)
                .Select(p => new OpenRowSqlite(
                    p,
                    p.Area!.ParentId,
                    p.Area.Parent!.ParentId,
                    db.Enrolments
                        .Where(e => e.PersonId == p.Id && e.SchoolId == org && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                        .OrderBy(e => e.StartDate).Select(e => new EnrolmentBasisRow(e.School!.Name, e.StartDate, e.EndDate, e.IsDualRegistration)).ToList(),
                    db.Involvements
                        .Where(i => i.PersonId == p.Id && i.OrganisationId == org && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today))
                        .OrderBy(i => i.StartDate).Select(i => new InvolvementBasisRow(i.Reason, i.Source, i.Organisation!.Name, i.StartDate, i.EndDate)).ToList(),
                    db.BreakGlassGrants.Where(b => b.PersonId == p.Id && b.UserId == user && b.ExpiresAt > now)
                        .OrderBy(b => b.GrantedAt).Select(b => new BreakGlassBasisRow(b.Reason, b.GrantedAt, b.ExpiresAt)).ToList()))
                .FirstOrDefault())));

    private sealed record EnrolmentBasisRow(string School, DateOnly StartDate, DateOnly? EndDate, bool IsDualRegistration);
    private sealed record InvolvementBasisRow(string Reason, InvolvementSource Source, string Organisation, DateOnly StartDate, DateOnly? EndDate);
    private sealed record BreakGlassBasisRow(string Reason, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt);
    private sealed record GrantBasisRow(Guid AreaId, PartnershipFunction Function, string Area, DateOnly StartDate, DateOnly? EndDate);

    /// <summary>The reader's current partnership grants, with the area each names.</summary>
    private static Task<List<GrantBasisRow>> GrantsAsync(WaypointDbContext db, CancellationToken ct)
    {
        var today = db.Today;
        var user = db.ReaderUserId;
        return db.PartnershipRoleGrants.AsNoTracking()
            .Where(g => g.UserId == user && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => new GrantBasisRow(g.AreaId, g.Function, g.Area!.Name, g.StartDate, g.EndDate))
            .ToListAsync(ct);
    }

    /// <summary>A person's bases, in the order "why you can see this" lists them, from the rows read for them.</summary>
    private static List<AccessBasis> BasesOf(Guid ward, Guid? district, Guid? county, IEnumerable<EnrolmentBasisRow> enrolments,
        IEnumerable<InvolvementBasisRow> involvements, IEnumerable<GrantBasisRow> grants, IEnumerable<BreakGlassBasisRow> breakGlass)
    {
        var list = new List<AccessBasis>();
        foreach (var e in enrolments)
            list.Add(new AccessBasis(AccessBasisKind.Enrolment,
                $"{(e.IsDualRegistration ? "Dual registration" : "Current enrolment")} at {e.School}",
                e.StartDate, e.EndDate?.ToDateTime(TimeOnly.MaxValue) is { } until ? new DateTimeOffset(until, TimeSpan.Zero) : null));
        foreach (var i in involvements)
            list.Add(new AccessBasis(AccessBasisKind.Involvement,
                $"{i.Organisation} is involved ({DescribeSource(i.Source)}): {i.Reason}",
                i.StartDate, i.EndDate?.ToDateTime(TimeOnly.MaxValue) is { } until ? new DateTimeOffset(until, TimeSpan.Zero) : null));
        foreach (var g in grants.Where(g => g.AreaId == ward || g.AreaId == district || g.AreaId == county))
            list.Add(new AccessBasis(AccessBasisKind.PartnershipRole,
                $"Your partnership role, {DescribeFunction(g.Function)}, covers {g.Area}",
                g.StartDate, g.EndDate?.ToDateTime(TimeOnly.MaxValue) is { } until ? new DateTimeOffset(until, TimeSpan.Zero) : null, g.Function));
        foreach (var b in breakGlass)
            list.Add(new AccessBasis(AccessBasisKind.BreakGlass,
                $"Break-glass access you opened, reason: {b.Reason}", DateOnly.FromDateTime(b.GrantedAt.UtcDateTime), b.ExpiresAt));
        return list;
    }

    /// <summary>
    /// Whether a record of a category owned by an organisation may flow to the reader (for records
    /// that are not a filtered set of their own, such as a household's address).
    /// </summary>
    public static async Task<bool> CategoryVisibleAsync(WaypointDbContext db, Guid ownerOrganisationId, string categoryCode, CancellationToken ct = default)
    {
        if (db.ReaderIsSystem || ownerOrganisationId == db.ReaderOrganisationId)
            return true;
        return await RulesLetting(db, categoryCode, db.ReaderOrganisationType)
            .AnyAsync(s => db.Organisations.Any(o => o.Id == ownerOrganisationId && o.Type == s.OwnerType), ct);
    }

    /// <summary>
    /// The (category, owner type) pairs the current agreement lets reach the reader's organisation
    /// type: the same rule as the filters' (<see cref="SharedPredicates.RuleHolds"/>), in one query.
    /// </summary>
    public static async Task<AgreementFlows> FlowsToReaderAsync(WaypointDbContext db, CancellationToken ct = default)
    {
        var reader = db.Reader;
        if (reader.IsSystem)
            return new AgreementFlows(reader.OrganisationId, everything: true, []);
        if (reader.AggregatesOnly)
            return new AgreementFlows(Guid.Empty, everything: false, []);
        var pairs = await RulesReachingReader(db).Select(s => new { s.CategoryCode, s.OwnerType }).Distinct().ToListAsync(ct);
        return new AgreementFlows(reader.OrganisationId, everything: false, pairs.Select(p => (p.CategoryCode, p.OwnerType)));
    }

    /// <summary>The current agreement's sharing rules that let a (category, owner type) reach the reader's kind of organisation.</summary>
    private static IQueryable<SharingRule> RulesReachingReader(WaypointDbContext db)
    {
        var readerType = db.Reader.OrganisationType;
        var rules = new SharedPredicates(db);
        return db.SharingRules.Where(rules.Expand<SharingRule>(s => SharedPredicates.RuleHolds(s, s.CategoryCode, readerType)));
    }

    /// <summary>Whether a current grant of a partnership function held by the reader covers an area (the ward, its district or its county).</summary>
    public static Task<bool> CoversAreaAsync(WaypointDbContext db, PartnershipFunction function, Guid areaId, CancellationToken ct = default)
    {
        var rules = new SharedPredicates(db);
        return db.Areas.Where(rules.Expand<Area>(a => SharedPredicates.AreasCoveredBy(function).Contains(a.Id))).AnyAsync(a => a.Id == areaId, ct);
    }

    /// <summary>
    /// Whether the reader's organisation may act on an alert it can see (acknowledge, assign, note,
    /// close): the organisations the alert is addressed to, which are the school whose records raised
    /// it, the inclusion team whose function covers the pupil's area, and the lead organisation of the
    /// pupil's open case. Others the agreement lets read it (the police, say) may read it and nothing more.
    /// </summary>
    public static async Task<bool> AlertAddressedToReaderAsync(WaypointDbContext db, Alert alert, CancellationToken ct = default)
    {
        var reader = db.Reader;
        if (reader.IsSystem || alert.SchoolId == reader.OrganisationId)
            return true;
        var bases = await ExplainAsync(db, alert.PersonId, ct);
        if (bases.Any(b => b.Function == PartnershipFunction.InclusionOfficer))
            return true;
        return await db.Cases.AnyAsync(c => c.PersonId == alert.PersonId && c.Status == CaseStatus.Open && c.LeadOrganisationId == reader.OrganisationId, ct);
    }

    /// <summary>
    /// How many notes on the given cases (those the reader may see) are in categories the agreement
    /// does not let flow to the reader: a number, so that they know to ask, never a category or an
    /// author. The case page and the chronology both show it.
    /// </summary>
    public static async Task<int> WithheldNotesAsync(WaypointDbContext db, IQueryable<Guid> caseIds, CancellationToken ct = default)
    {
        var all = await db.Unfiltered<CaseNote>("a count of the notes on cases the reader may see that the agreement withholds, never their content")
            .CountAsync(n => caseIds.Contains(n.CaseId), ct);
        return all - await db.CaseNotes.CountAsync(n => caseIds.Contains(n.CaseId), ct);
    }

    /// <summary>
    /// Whether the current agreement lets a category flow from one type of organisation to another
    /// (whether an organisation may be given a case to lead, for instance), whoever is reading.
    /// </summary>
    public static Task<bool> CategoryFlowsAsync(WaypointDbContext db, OrganisationType ownerType, OrganisationType readerType, string categoryCode, CancellationToken ct = default) =>
        RulesLetting(db, categoryCode, readerType).AnyAsync(s => s.OwnerType == ownerType, ct);

    /// <summary>The current agreement's rules letting a category reach a type of organisation, within the category's own restriction.</summary>
    private static IQueryable<SharingRule> RulesLetting(WaypointDbContext db, string categoryCode, OrganisationType readerType) =>
        db.SharingRules.Where(SharedPredicates.RuleLets(db, categoryCode, readerType));

    /// <summary>
    /// The child's family as the reader may know it, to link to the child's case: the relatives in
    /// the relationships the reader may see and the people of the child's household where its
    /// address (a family record) flows to the reader. They are named (name and date of birth)
    /// even when the reader has no relationship with them yet, since linking them to the case is
    /// what gives one; nothing else about them is read. The caller has opened the child.
    /// </summary>
    /// <param name="flows">What the agreement lets reach the reader, when the caller has it for the request
    /// (<see cref="PersonAccess.FlowsAsync"/>: on PostgreSQL read in the open's statement): whether the
    /// household's address flows is then decided from it rather than by a statement of its own.</param>
    public static async Task<IReadOnlyList<FamilyCandidate>> FamilyOfAsync(WaypointDbContext db, Guid childId, CancellationToken ct = default, Func<Task<AgreementFlows>>? flows = null)
    {
        var related = await db.PersonRelationships.AsNoTracking().Where(r => r.PersonId == childId)
            .Select(r => new { Other = r.RelatedPersonId, r.Kind, Inverse = false })
            .Concat(db.PersonRelationships.AsNoTracking().Where(r => r.RelatedPersonId == childId).Select(r => new { Other = r.PersonId, r.Kind, Inverse = true }))
            .ToListAsync(ct);
        var labels = related.GroupBy(r => r.Other).ToDictionary(g => g.Key, g => Relationships.Describe(g.First().Kind, g.First().Inverse));
        // The child's household (through the Person and Household filters) with its owner's type, in one statement.
        var household = await db.People.AsNoTracking().Where(p => p.Id == childId && p.HouseholdId != null)
            .Select(p => new
            {
                Id = (Guid?)p.Household!.Id,
                p.Household.OwnerOrganisationId,
                OwnerType = db.Organisations.Where(o => o.Id == p.Household.OwnerOrganisationId).Select(o => (OrganisationType?)o.Type).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        var householdFlows = household?.Id is not null && (flows is not null && household.OwnerType is { } ownerType
            ? (await flows()).Lets(RecordCategories.Family, ownerType, household.OwnerOrganisationId)
            : await CategoryVisibleAsync(db, household.OwnerOrganisationId, RecordCategories.Family, ct));
        var ids = labels.Keys.ToList();
        var householdId = householdFlows ? household!.Id : null;
        if (ids.Count == 0 && householdId is null)
            return [];
        // The relatives and, where its address flows to the reader, the household's other members, in one statement.
        var people = await db.Unfiltered<Person>("relatives and household members (where its address flows to the reader) are named (name, date of birth) to be linked to the case, which is what gives access to them").AsNoTracking()
            .Where(p => ids.Contains(p.Id) || (householdId != null && p.HouseholdId == householdId && p.Id != childId))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.DateOfBirth }).ToListAsync(ct);
        return people.Select(p => new FamilyCandidate(p.Id, $"{p.GivenName} {p.FamilyName}", p.DateOfBirth, labels.GetValueOrDefault(p.Id) ?? "Same household"))
            .OrderBy(p => p.Relationship).ThenBy(p => p.Name).ToList();
    }

    public static string DescribeSource(InvolvementSource source) => source switch
    {
        InvolvementSource.Explicit => "added to the team",
        InvolvementSource.Referral => "referral",
        InvolvementSource.TeamAroundFamily => "team around the family",
        InvolvementSource.ServiceReferral => "service referral",
        InvolvementSource.Meeting => "meeting agenda",
        InvolvementSource.CaseTransfer => "offered the lead of a case",
        InvolvementSource.StepUp => "case stepped up",
        _ => source.ToString(),
    };

    public static string DescribeFunction(PartnershipFunction function) => function switch
    {
        PartnershipFunction.HubTriage => "early-help hub triage",
        PartnershipFunction.InclusionOfficer => "inclusion officer",
        _ => function.ToString(),
    };

    private static Dictionary<Guid, IReadOnlyList<AccessBasis>> Freeze(Dictionary<Guid, List<AccessBasis>> d) =>
        d.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<AccessBasis>)kv.Value);
}
