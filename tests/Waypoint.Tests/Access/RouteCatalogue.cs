namespace Waypoint.Tests.Access;

/// <summary>How the matrix treats a discovered route.</summary>
public enum RouteRole
{
    /// <summary>A GET keyed by a person-level record: opened for those who may see it, 404 and a Denied row for the rest.</summary>
    KeyedRead,
    /// <summary>A POST/PUT/DELETE keyed by a person-level record (in the path or, for unkeyed routes, a personId in the body).</summary>
    KeyedWrite,
    /// <summary>A GET with no key that lists or exports people: never names anyone the reader may not see, and audits whom it names.</summary>
    List,
    /// <summary>Creates a new record or acts on the reader's own things only; not a way to reach someone else's record.</summary>
    Creates,
    /// <summary>Holds nothing of any person (sign-in, administration of the partnership, the API reference).</summary>
    NotPersonLevel,
    /// <summary>Not classified: the discovery test fails until someone says what it is.</summary>
    Unclassified,
}

/// <summary>
/// What the matrix needs to know about routes beyond what discovery finds: which unkeyed routes
/// hold nothing of anyone (with why), which create, the JSON bodies of API writes, and the
/// documented answers that are not the usual 200/404. Everything else is derived from the route,
/// so a new keyed route is covered without being listed here; a new unkeyed route is a List
/// (the strictest reading) until someone says otherwise.
/// </summary>
public static class RouteCatalogue
{
    public static readonly IReadOnlySet<KeyKind> PersonLevelKeys = new HashSet<KeyKind>
    {
        KeyKind.Person, KeyKind.Case, KeyKind.Referral, KeyKind.Alert, KeyKind.Notification, KeyKind.Import, KeyKind.ServiceReferral,
    };

    /// <summary>Keys of partnership administration: the records are users, organisations, areas and agreement versions, not people.</summary>
    public static readonly IReadOnlyDictionary<KeyKind, string> NotPersonLevelKeys = new Dictionary<KeyKind, string>
    {
        [KeyKind.User] = "a user account of the partnership (administration; the function grants are pinned by GrantTests)",
        [KeyKind.Organisation] = "an organisation of the partnership (administration)",
        [KeyKind.Area] = "an area of the partnership (administration)",
        [KeyKind.AgreementVersion] = "a version of the information-sharing agreement (administration)",
        [KeyKind.Service] = "a service of the directory: partnership data, no person (issue 14)",
        [KeyKind.MeetingSeries] = "a meeting series: its name, area, chair and members, no person (issue 12)",
        [KeyKind.Meeting] = "a meeting: the children on its agenda are read through the policy's AgendaItem filter and audited as listed; pinned by the Meetings tests (issue 12)",
        [KeyKind.AgendaItem] = "a child on an agenda, read through the policy's AgendaItem filter (404 when hidden) by those who run the meeting only; pinned by the Meetings tests (issue 12)",
        [KeyKind.MeetingInvitee] = "an organisation invited to a meeting, no person (issue 12)",
        [KeyKind.MeetingAction] = "marks a meeting action done: its owner organisation only, read through the policy's MeetingAction filter (404 otherwise); pinned by the Meetings tests (issue 12)",
        [KeyKind.BreakGlassGrant] = "the data-protection officer's review of a break-glass access (role-gated; covered by Audit tests)",
        [KeyKind.PersonMerge] = "a merge of two register entries, taken back by a partnership administrator only (role-gated, read past the policy by design and audited; pinned by MergeTests, issue 16)",
    };

    /// <summary>Unkeyed routes (pattern, any verb) that hold nothing of any person, with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotPersonLevel = new Dictionary<string, string>
    {
        ["/account"] = "the reader's own account",
        ["/admin"] = "administration home",
        ["/admin/agreement"] = "the information-sharing agreement",
        ["/admin/agreement/draft"] = "the information-sharing agreement",
        ["/admin/agreement/versions"] = "the information-sharing agreement",
        ["/admin/alert-thresholds"] = "partnership settings",
        ["/admin/areas"] = "administration of areas",
        ["/admin/areas/new"] = "administration of areas",
        ["/admin/meetings"] = "partnership settings: how long an agenda's access lasts (issue 12)",
        ["/admin/merge"] = "duplicate entries and merges for the partnership administrator only (role-gated, read past the policy by design and audited; pinned by MergeTests, issue 16)",
        ["/admin/merge/compare"] = "two entries side by side for the partnership administrator only (role-gated, read past the policy by design and audited; pinned by MergeTests, issue 16)",
        ["/admin/organisations"] = "administration of organisations",
        ["/admin/organisations/new"] = "administration of organisations",
        ["/admin/safeguarding-lead"] = "an organisation's setting",
        ["/admin/triage"] = "partnership settings",
        ["/admin/users"] = "administration of users",
        ["/admin/users/new"] = "administration of users",
        ["/api-reference"] = "the API's documentation",
        ["/api/v1/audit/verify"] = "the audit chain's integrity, no rows",
        ["/api/v1/me"] = "the reader's own account",
        ["/api/v1/token"] = "sign-in",
        ["/openapi/v1.json"] = "the API's description",
        ["/data-protection/challenges"] = "open challenges to records: register ids and kinds of record only, the reader's organisation's own or, for the data-protection officer, all (pinned by ChallengeTests, issue 16)",
        ["/data-protection/challenges/resolve"] = "one challenge, for the organisation that owns the record (which alone resolves it) and the data-protection officer; 404 for anyone else, audited as a read (pinned by ChallengeTests, issue 16)",
        ["/data-protection/restrictions"] = "the data-protection officer's restrictions of processing: register ids and reasons only (role-gated; pinned by RestrictedProcessingTests, issue 16)",
        ["/data-protection/restrictions/lift"] = "the data-protection officer lifts a restriction of processing (role-gated; pinned by RestrictedProcessingTests, issue 16)",
        ["/audit"] = "the data-protection officer's audit search (role-gated; covered by Audit tests)",
        ["/audit/archive"] = "the audit log's archived months: ids, counts and seals, no rows (role-gated; covered by AuditArchiveTests)",
        ["/audit/archive/dispose"] = "disposal of an archived audit month under the retention schedule, no rows shown (role-gated; covered by AuditArchiveTests)",
        ["/audit/break-glass"] = "the data-protection officer's break-glass queue (role-gated; covered by Audit tests)",
        ["/audit/export"] = "the data-protection officer's audit export (role-gated; covered by Audit tests)",
        ["/audit/verify"] = "the audit chain's integrity, no rows",
        ["/error"] = "the error page",
        ["/risk/matrix"] = "the risk matrix's versions: factors and change notes, no person (role-gated; issue 13)",
        ["/risk/matrix/draft"] = "prepares the next version of the risk matrix: no person (role-gated; issue 13)",
        ["/risk/matrix/publish"] = "the data-protection officer publishes the draft matrix: no person named, scores recomputed by the system (role-gated; issue 13)",
        ["/risk/equality"] = "equality monitoring: suppressed counts and ratios by characteristic, no person (role-gated; EqualityMonitoringTests)",
        ["/risk/oversight"] = "the data-protection officer's oversight of profiling, people by id only (role-gated; covered by FlagAndCohortTests)",
        ["/sign-in"] = "sign-in",
        ["/sign-in/code"] = "sign-in",
        ["/sign-in/enrol"] = "sign-in",
        ["/sign-out"] = "sign-out",
        ["/openreferral/v3"] = "the public Open Referral UK feed: published services, no person (issue 14)",
        ["/openreferral/v3/services"] = "the public Open Referral UK feed: published services, no person (issue 14)",
        ["/openreferral/v3/taxonomies"] = "the public Open Referral UK feed: taxonomies (issue 14)",
        ["/openreferral/v3/taxonomy_terms"] = "the public Open Referral UK feed: taxonomy terms (issue 14)",
        ["/openreferral/v3/organizations"] = "the public Open Referral UK feed: providers of published services (issue 14)",
        ["/police/occurrence"] = "one occurrence by ?id=: the filters decide (404 unless the reader may see it), and it names only the people the reader may see, counting the rest (OccurrenceImportTests); per person, occurrences, flags and scores are matrix-checked through /people/{id}/... (issue 13)",
        ["/police/area-crime"] = "public street-level crime counts by ward: no person (issue 13)",
        ["/police/reviews"] = "a force's own queue of names from its files, as its files gave them; no person of the register is named (issue 13)",
        ["/police/review"] = "one queued name by ?id= (the queue's filter: the force's own, 404 otherwise); candidates are only people the reader may see, audited as listed (OccurrenceEntryAndReviewTests)",
        ["/police/review/confirm"] = "confirms a queued name's link or dismissal by ?id=: the force's own queue, the person opened for write through PersonAccess (OccurrenceEntryAndReviewTests)",
        ["/police/occurrences/new"] = "records a force's own occurrence: no person (issue 13)",
        ["/police/occurrence/add-person"] = "adds a person to the force's own occurrence by ?id= (404 for anyone else); the search finds only people the reader may see and the person is opened for write through PersonAccess (OccurrenceEntryAndReviewTests)",
        ["/police"] = "a force's own occurrences: references, wards and counts, no person named (issue 13)",
        ["/police/import"] = "one occurrences file by ?id=, its sender's own (404 for anyone else, police officers only): progress, counts, or the file's own problems; no person of the register (OccurrenceImportJobTests)",
        ["/police/places"] = "places of concern the reader may see, with counts of linked young people: no person named (issue 13)",
        ["/police/places/new"] = "records a place of concern: a ward or named location, no person (issue 13)",
        ["/police/place"] = "one place of concern by ?id=: the place filter decides (404 otherwise), and it names only the linked people the link filter lets the reader see, audited as listed (PlacesOfConcernTests)",
        ["/police/place/review"] = "reviews the recorder's own place of concern by ?id= (404 for anyone else): no person (PlacesOfConcernTests)",
        ["/police/place/remove"] = "removes the recorder's own place of concern by ?id= (404 for anyone else) after a confirmation: no person (PlacesOfConcernTests)",
        ["/risk/settings"] = "the partnership's profiling thresholds: no person (role-gated; RiskSettingsTests)",
        ["/services"] = "the services directory: partnership data, no person (issue 14)",
        ["/find-a-service"] = "the public finder: published services, no sign-in, no person (issue 14)",
        ["/meetings"] = "the meeting series the reader runs, sits on or is invited to: no person (issue 12)",
        ["/meetings/series/new"] = "sets up a meeting series: no person (issue 12)",
        ["/api/v1/meetings/series"] = "the meeting series the reader runs, sits on or is invited to: no person (issue 12)",
        ["/services/new"] = "adds a service to the directory: partnership data, no person (issue 14)",
        ["/placements/end"] = "ends one placement by ?id=: the placement filter decides (404 and a Denied row unless the reader may see it), then the inclusion team or the suspending school only (PlacementTests, issue 14)",
        ["/api/v1/placement"] = "one placement by ?id=: the placement filter decides (404 and a Denied row unless the reader may see it; PlacementTests, issue 14)",
        ["/api/v1/placement/end"] = "ends one placement named in the body: the placement filter decides (404 and a Denied row unless the reader may see it; PlacementTests, issue 14)",
        ["/services/import"] = "imports services into the directory from a CSV or Open Referral UK file: partnership data, no person (issue 14)",
        ["/provision/term-dates"] = "the local authority's term dates for the sixth-day watch: partnership data, no person (partnership administrators only; TermDatesTests, issue 14)",
        ["/api/v1/services/import"] = "imports services into the directory from a CSV or Open Referral UK file: partnership data, no person (issue 14)",
        ["/api/v1/services/export"] = "the services directory as a file: partnership data, no person (issue 14)",
        ["/statistics/exclusions"] = "the public exclusion statistics: published, suppressed counts, no person (issue 15)",
        ["/statistics/exclusions/publish"] = "publishes the exclusion statistics: suppressed counts, no person (issue 15)",
        ["/dpo"] = "the data-protection officer's dashboard: counts only, no person (role-gated; issue 16, RetentionTests)",
        ["/retention"] = "the data-protection officer's retention queue: record kinds, owners and dates, no person named (role-gated; issue 16, RetentionTests)",
        ["/retention/review"] = "one queued record by ?id=: its kind, owner and dates, no person named (role-gated; issue 16, RetentionTests)",
        ["/retention/dispose"] = "the confirmation and disposal of one queued record by ?id=, no person named (role-gated; issue 16, RetentionTests)",
        ["/retention/schedules"] = "the partnership's retention periods: no person (issue 16)",
        ["/retention/schedule"] = "one record type's retention period: no person (issue 16)",
        ["/subject-access"] = "the data-protection officer's subject-access requests: requesters and clocks (DPO only, 404 and a Denied row for others; pinned by SubjectAccessTests, issue 16)",
        ["/subject-access/new"] = "the DPO records a subject-access request, finding the person in the whole register by design, each listed entry audited (DPO only, 404 for others; SubjectAccessTests, issue 16)",
        ["/subject-access/request"] = "one subject-access request by ?id=: its clock, compiling what is held, audited against the person (DPO only, 404 for others; SubjectAccessTests, issue 16)",
        ["/subject-access/redactions"] = "the redactions of one subject-access copy by ?id= (DPO only, 404 for others; SubjectAccessTests, issue 16)",
        ["/subject-access/issue"] = "the confirmation and issue of one subject-access copy by ?id=, audited (DPO only, 404 for others; SubjectAccessTests, issue 16)",
        ["/subject-access/download"] = "an issued subject-access copy by ?id=, audited (DPO only, 404 for others; SubjectAccessTests, issue 16)",
        ["/subject-access/settings"] = "the partnership's subject-access settings: no person (DPO only; issue 16)",
        ["/subject-access/police"] = "a force's own records waiting in subject-access copies, released or withheld by the force (police users only, 404 for others; SubjectAccessTests, issue 16)",
        ["/statistics/violence"] = "exclusion and violence for analysts and partnership roles: suppressed counts and rates, no person (issue 15)",
        ["/statistics/benchmarking"] = "DfE's published local-authority rates against the chosen neighbours: no person (issue 15)",
        ["/statistics/benchmarking/manage"] = "imports DfE's local-authority tables and chooses the neighbours: no person (issue 15)",
        ["/api/v1/statistics/exclusions"] = "the public list of published exclusion statistics: no person (issue 15)",
        ["/api/v1/statistics/exclusions/published"] = "the public published exclusion statistics: suppressed counts, no person (issue 15)",
        ["/api/v1/statistics/benchmarking"] = "DfE's published local-authority rates against the chosen neighbours: no person (issue 15)",
        ["/api/v1/statistics/violence"] = "exclusion and violence for analysts and partnership roles: suppressed counts and rates, no person (issue 15)",
        ["/statistics/outcomes"] = "the joint outcomes framework for analysts and partnership roles: suppressed counts and percentages, no person (issue 15)",
        ["/statistics/outcomes/measures"] = "defines the joint outcomes framework's measures: no person (issue 15)",
        ["/statistics/outcomes/measures/remove"] = "removes one outcome measure by ?id= after a confirmation: no person (issue 15)",
        ["/api/v1/statistics/outcomes"] = "the joint outcomes framework for analysts and partnership roles: suppressed counts and percentages, no person (issue 15)",
    };

    /// <summary>Unkeyed writes that create a new record, or act on the reader's own things, with why (and where they are pinned).</summary>
    public static readonly IReadOnlyDictionary<string, string> Creates = new Dictionary<string, string>
    {
        ["POST /people/new"] = "registers a new person (duplicate-check disclosure pinned by GrantTests)",
        ["POST /api/v1/people"] = "registers a new person",
        ["POST /schools/imports/new"] = "a school's own file (the enrolment grant is pinned by GrantTests)",
        ["POST /api/v1/imports"] = "a school's own file (the enrolment grant is pinned by GrantTests)",
        ["POST /schools/imports/headings"] = "a school's own import settings: headings, no person (pinned by ImportHeadingsTests)",
        ["POST /police"] = "queues a force's own occurrences file: links only people the register holds its police reference for (pinned by OccurrenceImportTests, OccurrenceImportJobTests)",
        ["POST /api/v1/police/occurrences/import"] = "a force's own occurrences file: links only people the register holds its police reference for (pinned by OccurrenceImportTests)",
        ["POST /notifications?handler=MarkAllRead"] = "the reader's own notices",
        ["POST /notifications?handler=MarkGroupRead"] = "the reader's own notices of one day and kind (pinned by NotificationTests)",
        ["POST /people/{id:guid}/break-glass"] = "break-glass is the documented way to open a person the reader cannot see (pinned by the break-glass tests)",
    };

    /// <summary>Extra queries for list routes, so that searches list someone ({family} is the persona's family name).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ListQueries = new Dictionary<string, string[]>
    {
        ["/people"] = ["?Name={family}", "?Dob.Day={day}&Dob.Month={month}&Dob.Year={year}"],
        ["/api/v1/people"] = ["?name={family}", "?dateOfBirth={dob}"],
        ["/api/v1/alerts"] = ["", "?status=New"],
        ["/alerts"] = ["", "?Status=New", "?show=all&RaisedFrom.Day=1&RaisedFrom.Month=1&RaisedFrom.Year=2000", "?show=all&handler=Export&format=csv"],
        ["/cases"] = ["", "?Status=All", "?Status=All&Mine=true&Sort=Name", "?Status=All&handler=Export&format=csv"],
        ["/hub"] = ["", "?Status=All", "?Status=All&handler=Export&format=csv"],
    };

    /// <summary>
    /// The JSON body of each API write, with {person} for the target person's id, {org} for an
    /// organisation and {today} for today's date. An API write without a body here fails the
    /// discovery test until one is written.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ApiBodies = new Dictionary<string, string>
    {
        ["POST /api/v1/people/{id:guid}/consent"] =
            """{"forOrganisationId":"{org}","method":"Telephone","askedOn":"{today}","answeredBy":"Parent (matrix)","outcome":"Given","scope":"Matrix: sharing with the team","expiresOn":null,"caseId":null}""",
        ["POST /api/v1/alerts/{id:guid}/acknowledge"] = "{}",
        ["POST /api/v1/service-referrals"] =
            """{"personId":"{person}","serviceId":"{org}","reason":"Matrix: a mentor","urgency":"Routine","lawfulBasis":"PublicTask"}""",
        ["POST /api/v1/service-referrals/{id:guid}/accept"] = "{}",
        ["POST /api/v1/service-referrals/{id:guid}/decline"] = """{"reason":"Matrix: no places"}""",
        ["POST /api/v1/service-referrals/{id:guid}/wait"] = "{}",
        ["POST /api/v1/service-referrals/{id:guid}/start"] = """{"on":"{today}"}""",
        ["POST /api/v1/service-referrals/{id:guid}/end"] = """{"on":"{today}","endReason":"Completed","outcome":"Matrix: done"}""",
        ["POST /api/v1/service-referrals/{id:guid}/withdraw"] = "{}",
        ["POST /api/v1/placements"] = """{"personId":"{person}","serviceId":"{org}","startDate":"{today}","basis":"FullTime","hoursPerWeek":25}""",
        ["POST /api/v1/referrals"] = """{"personId":"{person}","categories":["RiskOfExclusion"],"whatIsKnown":"Matrix: a concern","immediateRisk":false,"lawfulBasis":"PublicTask"}""",
        ["POST /api/v1/people"] =
            """{"kind":"YoungPerson","givenName":"Matrix","familyName":"Created","dateOfBirth":"2012-03-03","sex":"Unknown","wardId":null,"reason":"matrix","confirmNotDuplicate":true}""",
    };

    /// <summary>Keyed GETs that open the record but answer with something other than 200 when it is visible.</summary>
    public static int ExpectedVisibleStatus(AppRoute route) => route.Key switch
    {
        KeyKind.Notification => 302, // marks the notice read and goes on to what it is about
        _ => 200,
    };

    /// <summary>Keyed GETs that take a key but deliberately show nothing of the record, with why.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotReads = new Dictionary<string, string>
    {
        ["GET /people/{id:guid}/break-glass"] = "the break-glass form is for people the reader cannot see; it shows only a reason box",
        ["GET /people/{id:guid}/places/unlink"] = "the confirmation for one link to a place named in the query (?linkId=); without it there is nothing to confirm (404), and the person is opened through PersonAccess first",
        ["GET /people/{id:guid}/flags/remove"] = "the confirmation for one flag named in the query (?flagId=); without it there is nothing to confirm, and the person is opened and audited first",
    };

    public static RouteRole RoleOf(AppRoute route)
    {
        if (Creates.ContainsKey(route.Name))
            return RouteRole.Creates;
        if (route.Key != KeyKind.None)
        {
            if (NotPersonLevelKeys.ContainsKey(route.Key))
                return RouteRole.NotPersonLevel;
            if (!PersonLevelKeys.Contains(route.Key))
                return RouteRole.Unclassified;
            return route.IsWrite ? RouteRole.KeyedWrite : RouteRole.KeyedRead;
        }
        if (NotPersonLevel.ContainsKey(route.Pattern))
            return RouteRole.NotPersonLevel;
        if (Creates.ContainsKey(route.Name))
            return RouteRole.Creates;
        if (!route.IsWrite)
            return RouteRole.List;
        // An unkeyed write names its record in the body (a personId); the matrix aims that at someone hidden.
        return RouteRole.KeyedWrite;
    }
}
