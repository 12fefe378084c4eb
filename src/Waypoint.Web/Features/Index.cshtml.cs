using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Referrals;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features;

/// <summary>A link on the home page, shown only to readers whom its page lets in.</summary>
public sealed record HomeLink(string Href, string Text, string? Hint = null);

/// <summary>One thing to do today: what it is about, where to do it, and by when.</summary>
public sealed record DueItem(string Href, string Child, string What, DateOnly? Due, bool Overdue);

/// <summary>
/// Home, shaped by role: what the reader must do today (reports awaiting their triage, their
/// organisation's actions most urgent first, reviews of the cases it leads, leads offered to it,
/// alerts given to them) and only the links whose pages let this reader in, decided by the same
/// policies and rules those pages use. An analyst sees figures only: no person, no person link.
/// </summary>
public sealed class IndexModel(CurrentUserSummary current, WaypointDbContext db, Triage triage, PersonAccess access,
    Shared.ReaderPeople readerPeople, IAuthorizationService authorization, TimeProvider clock) : PageModel
{
    private const int Shown = 5;
    private const int ReviewNoticeDays = 7;

    /// <summary>Home counts the people the reader may see up to this many, and says "more than" past it.</summary>
    public const int VisibleCountBound = 10_000;

    /// <summary>Home's figures (open actions, overdue, reviews due) count up to this many and say "100+" past it.</summary>
    public const int FigureBound = 100;

    /// <summary>The hub queue is read whole, in its order, when it holds no more than this many reports (counted in the database past it).</summary>
    public const int QueueReadBound = Triage.QueueReadBound;

    /// <summary>A figure as home shows it: the number, or the bound and a plus past it.</summary>
    public static string Figure(int count) => count > FigureBound ? $"{FigureBound:N0}+" : count.ToString("N0");

    public new UserSummary? User { get; private set; }
    public bool AggregatesOnly { get; private set; }
    public int VisiblePeople { get; private set; }
    public int UnreviewedBreakGlass { get; private set; }
    public bool Triages { get; private set; }
    public int AwaitingTriage { get; private set; }
    public int OverdueTriage { get; private set; }
    public DateTimeOffset? NextTriageDue { get; private set; }
    public IReadOnlyList<DueItem> UrgentReports { get; private set; } = [];
    public int OpenActions { get; private set; }
    public int OverdueActions { get; private set; }
    public IReadOnlyList<DueItem> UrgentActions { get; private set; } = [];
    public int ReviewsDue { get; private set; }
    public IReadOnlyList<DueItem> Reviews { get; private set; } = [];
    public IReadOnlyList<DueItem> Offers { get; private set; } = [];
    public int AssignedAlerts { get; private set; }
    public IReadOnlyList<DueItem> Alerts { get; private set; } = [];
    public IReadOnlyList<HomeLink> PeopleLinks { get; private set; } = [];
    public IReadOnlyList<HomeLink> FigureLinks { get; private set; } = [];
    public IReadOnlyList<HomeLink> AdminLinks { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public bool NothingToDo => AwaitingTriage == 0 && OpenActions == 0 && ReviewsDue == 0 && Offers.Count == 0 && AssignedAlerts == 0;

    public async Task OnGetAsync(CancellationToken ct)
    {
        User = await current.GetAsync();
        var reader = db.Reader;
        AggregatesOnly = reader.AggregatesOnly;
        Now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var functions = await readerPeople.FunctionsAsync(ct);
        Triages = functions.Contains(PartnershipFunction.HubTriage) && !AggregatesOnly;
        await LoadLinksAsync(functions.Count > 0, ct);
        if (User?.IsDataProtectionOfficer == true)
            UnreviewedBreakGlass = await Audit.BreakGlassQueue.UnreviewedCountAsync(db, ct);
        // A count, not a read of anyone's record: nothing person-level is shown by it, so nothing to audit.
        // Counted up to a bound: a county-wide reader would otherwise count the whole register through
        // the policy on every visit to home (issue 18); past the bound the page says "more than".
        VisiblePeople = await VisiblePeopleAsync(ct);
        if (AggregatesOnly)
            return;
        // The people the reader's own relationships name, read whether or not the count above was remembered: the menu's
        // alerts badge counts only their alerts when they have been read (the layout, CurrentUserSummary.MenuCountsAsync), and otherwise asks
        // the Alert filter of the county's open alerts until it has found a hundred the reader may see. For a school's DSL
        // that was home's costliest statement once the count above was remembered (30.9 ms a call against 2.0 for the
        // candidates, county scale under load; issue 18). A reader holding a partnership function has none (no statement).
        await readerPeople.CandidatesAsync(ct);
        await LoadTodayAsync(today, ct);
    }

    /// <summary>
    /// The people the reader may see, counted through the Person filter up to the bound. A reader
    /// who holds a partnership function may see whole areas, and reaches the bound quickly; one who
    /// holds none (a school, an agency) may see only the people of its own current enrolments and
    /// involvements and its own break-glass grants, a few thousand among a county's register, and
    /// counting the register through the filter read all of it (0.9 s a visit for a DSL; issue 18).
    /// So for such a reader only those people are put to the filter: they are every person its
    /// bases can name (the filter's other basis, an area covered by a function, it does not hold),
    /// and the filter still decides which of them count.
    /// </summary>
    private async Task<int> VisiblePeopleAsync(CancellationToken ct)
    {
        // A reader whose functions reach past the bound (a county hub) counted 10,001 people through the Person
        // filter on every visit, home's costliest statement (issue 18); a school's DSL counted its few thousand
        // pupils through it on every visit (38.6 ms a call at county scale under load, home's costliest statement
        // for a DSL; issue 18). The figure is kept for the same reader with the same functions and organisation until
        // the next write this process makes through EF (a person added, an enrolment, involvement or grant changed:
        // WriteStamp) and at most a minute: a figure, no one's record.
        var key = (db.Reader.UserId, db.Reader.OrganisationId, string.Join(',', (await readerPeople.FunctionsAsync(ct)).Order()));
        // Two statements, never one: the candidates are read past the filters in a statement of their own
        // (ReaderPeople); mixed into this query they would make EF count People unfiltered.
        return await Counted.GetAsync(key, clock, async () => await readerPeople.CandidatesAsync(ct) is { } ids
            ? await db.People.Where(p => ids.Contains(p.Id)).Take(VisibleCountBound + 1).CountAsync(ct)
            : await db.People.Take(VisibleCountBound + 1).CountAsync(ct));
    }

    /// <summary>The readers' (with their organisation and functions) counts; past 10,000 readers all are forgotten.</summary>
    private static readonly KeptUntilWrite<(Guid User, Guid Organisation, string Functions), int> Counted = new(TimeSpan.FromMinutes(1), most: 10_000);

    private async Task LoadTodayAsync(DateOnly today, CancellationToken ct)
    {
        var reader = db.Reader;
        // The hub's queue as the hub page reads it: reports in areas the reader's triage grant covers.
        // Counted in the database (a county hub's queue is hundreds of reports), in one statement.
        var now = Now;
        // The queue read once, up to a bound, in its order (urgent first, then soonest due): its count, how many
        // are overdue, the next due and the top few from one statement through the filters, where a count and a
        // read each asked the Referral filter of every report in it. Past the bound (a queue longer than any hub
        // works through in a day) it is counted in the database instead, as before.
        // A reader with no current triage grant has no queue (Triageable asks for one): no statement for it.
        // The queue's rows carry no names: a join to the filtered People for every report in it took twice as long as the
        // queue itself (14.6 against 7.4 ms a call at county scale under load; issue 18). The few shown are named below.
        var queued = !Triages ? [] : await triage.QueueHeadAsync(ct);
        if (queued.Count > QueueReadBound)
        {
            var queue = await triage.Queue().GroupBy(r => 1)
                .Select(g => new { Count = g.Count(), Overdue = g.Count(r => r.DecisionDueBy < now), Next = g.Min(r => r.DecisionDueBy) }).FirstOrDefaultAsync(ct);
            AwaitingTriage = queue?.Count ?? 0;
            OverdueTriage = queue?.Overdue ?? 0;
            NextTriageDue = queue?.Next;
        }
        else
        {
            AwaitingTriage = queued.Count;
            OverdueTriage = queued.Count(r => r.DecisionDueBy < now);
            NextTriageDue = queued.Count == 0 ? null : queued.Min(r => r.DecisionDueBy);
        }
        var reports = queued.Take(Shown).ToList();

        // The organisation's open actions on open cases, as My work lists them; the soonest due first.
        // Counted up to the figure's bound: past it the figure says "100+" (a county hub owns thousands).
        var actions = await MyWork.OrganisationActionsQuery.LoadAsync(db, today, Shown, ct, countUpTo: FigureBound);
        OpenActions = actions.Open;
        OverdueActions = actions.Overdue;
        var urgent = actions.Soonest;
        UrgentActions = urgent.Select(a => new DueItem($"/cases/{a.CaseId}#actions-heading", a.Child, a.Description, a.DueOn, a.DueOn < today)).ToList();

        // Reviews are the lead's to hold: the cases it leads whose review is overdue or due within the week.
        // One statement along Cases (LeadOrganisationId, Status, NextReviewOn), soonest first, stopped past the
        // figure's bound: the count ("100+" past it) and the few shown, where a count and a read each asked the
        // Case filter of every due case the lead holds (a county hub leads about a thousand; issue 18). Named below.
        var dueReviews = await db.Cases.AsNoTracking().Where(c => c.Status == CaseStatus.Open && c.LeadOrganisationId == reader.OrganisationId
                && c.NextReviewOn != null && c.NextReviewOn <= today.AddDays(ReviewNoticeDays))
            .OrderBy(c => c.NextReviewOn).Take(FigureBound + 1)
            .Select(c => new { c.Id, c.PersonId, c.NextReviewOn }).ToListAsync(ct);
        // Ties broken here, among the rows read: ordered by the id too, PostgreSQL had to read every case of the last
        // date read (the index is (LeadOrganisationId, Status, NextReviewOn)) and ask the Case filter of each before it
        // sorted: 161 cases for 101 at county scale (wave 24d). The count is the same; the few shown are the soonest.
        dueReviews = dueReviews.OrderBy(c => c.NextReviewOn).ThenBy(c => c.Id).ToList();
        ReviewsDue = dueReviews.Count;
        var reviews = dueReviews.Take(Shown).ToList();

        // Leads offered to the organisation, as My work lists them: the offer lets it read the case while it decides.
        var offers = await db.CaseTransfers.AsNoTracking().Where(t => t.ToOrganisationId == reader.OrganisationId && t.Status == CaseTransferStatus.Pending)
            .OrderBy(t => t.RequestedAt).Take(Shown)
            .Select(t => new { t.CaseId, From = t.FromOrganisation!.Name, PersonId = db.Cases.Where(c => c.Id == t.CaseId).Select(c => (Guid?)c.PersonId).FirstOrDefault() })
            .ToListAsync(ct);

        // The alerts given to the reader, newest first, counted to the figure's bound ("100+" past it) and the few
        // shown from one statement, where a count and a read each asked the Alert filter.
        var assigned = await db.Alerts.AsNoTracking().Where(a => a.AssignedToUserId == reader.UserId && a.Status != AlertStatus.Closed)
            .OrderByDescending(a => a.RaisedAt).ThenBy(a => a.Id).Take(FigureBound + 1)
            .Select(a => new { a.Id, a.PersonId, a.Rule }).ToListAsync(ct);
        AssignedAlerts = assigned.Count;
        var alerts = assigned.Take(Shown).ToList();

        // The children of the few shown, named in one statement through the Person filter, where each list joined the
        // filtered People for every row it read (the queue's read took twice as long with the names: 14.6 against 7.4 ms
        // a call at county scale under load; issue 18). Every row above came through a filter that asks the Person
        // filter of its child, so every one is named; one that is not (a child hidden since) is left out.
        var children = reports.Select(r => r.PersonId).Concat(reviews.Select(c => c.PersonId)).Concat(offers.Select(o => o.PersonId).OfType<Guid>())
            .Concat(alerts.Select(a => a.PersonId)).Distinct().ToList();
        var names = children.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => children.Contains(p.Id))
            .Select(p => new { p.Id, Name = p.GivenName + " " + p.FamilyName }).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        reports = reports.Where(r => names.ContainsKey(r.PersonId)).ToList();
        UrgentReports = reports.Select(r => new DueItem($"/referrals/{r.Id}", names[r.PersonId],
            (r.ImmediateRisk ? "Immediate risk; decide by " : "Decide by ") + r.DecisionDueBy.ToLocalTime().ToString("d MMM HH:mm"), null, r.DecisionDueBy < Now)).ToList();
        reviews = reviews.Where(c => names.ContainsKey(c.PersonId)).ToList();
        Reviews = reviews.Select(c => new DueItem($"/cases/{c.Id}#reviews", names[c.PersonId], "Case review", c.NextReviewOn, c.NextReviewOn < today)).ToList();
        offers = offers.Where(o => o.PersonId is { } id && names.ContainsKey(id)).ToList();
        Offers = offers.Select(o => new DueItem($"/cases/{o.CaseId}", names[o.PersonId!.Value], $"Lead offered by {o.From}", null, false)).ToList();
        alerts = alerts.Where(a => names.ContainsKey(a.PersonId)).ToList();
        Alerts = alerts.Select(a => new DueItem($"/alerts/{a.Id}", names[a.PersonId], Waypoint.Features.Alerts.AlertRules.Of(a.Rule).Name, null, false)).ToList();

        // Every child the page names is audited as listed, as on My work.
        await access.AuditListedAsync(reports.Select(r => r.PersonId).Concat(urgent.Select(a => a.PersonId)).Concat(reviews.Select(c => c.PersonId))
            .Concat(offers.Select(o => o.PersonId!.Value)).Concat(alerts.Select(a => a.PersonId)).Distinct().ToList(), "home", ct);
    }

    /// <summary>Each link is shown on the rule its page applies, so no link on home answers "forbidden".</summary>
    private async Task LoadLinksAsync(bool holdsPartnershipFunction, CancellationToken ct)
    {
        var reader = db.Reader;
        var isSchool = reader.OrganisationType == OrganisationType.School && !reader.IsSystem;
        var people = new List<HomeLink>();
        if (!AggregatesOnly)
        {
            people.Add(new("/people", "Find a person"));
            people.Add(new("/people/new", "Add a person"));
            if (Triages)
                people.Add(new("/hub", "Hub queue", "child-concern reports awaiting triage"));
            // The top 10 page's own rule: a school's staff, or anyone holding a current partnership function.
            if (isSchool || holdsPartnershipFunction)
                people.Add(new("/schools/top-ten", "Top 10 at risk of exclusion"));
            if (isSchool)
                people.Add(new("/schools/imports", "Import your school's records", "Common Transfer File and CSV"));
        }
        PeopleLinks = people;

        var figures = new List<HomeLink>();
        if (await AllowsAsync(OversightPolicies.ExclusionDashboard))
            figures.Add(new("/schools/dashboard", "Suspensions and exclusions dashboard"));
        var partnershipFigures = await AllowsAsync(OversightPolicies.PartnershipFigures);
        if (partnershipFigures)
        {
            figures.Add(new("/reports/consent", "Consent rates by agency"));
            figures.Add(new("/statistics/violence", "Exclusion and violence", "rates with their intervals, no one named"));
            figures.Add(new("/statistics/benchmarking", "Benchmarking against neighbouring authorities", "DfE's published rates"));
            figures.Add(new("/statistics/outcomes", "Joint outcomes", "before and after early help, no one named"));
        }
        if (partnershipFigures || HttpContext.User.IsInRole(Roles.DataProtectionOfficer))
            figures.Add(new("/risk/equality", "Equality monitoring of risk profiling"));
        figures.Add(new("/statistics/exclusions", "Published exclusion statistics", "public, schools never named"));
        FigureLinks = figures;

        var admin = new List<HomeLink>();
        if (await AllowsAsync(Policies.OrganisationAdmin))
            admin.Add(new("/admin", "Organisations, users, areas and the sharing agreement"));
        if (await AllowsAsync(Policies.DataProtection))
        {
            admin.Add(new("/dpo", "Data protection: break-glass, retention, merges and the audit's last check"));
            admin.Add(new("/audit", "Search the audit log"));
            admin.Add(new("/audit/break-glass", "Break-glass access to review"));
        }
        AdminLinks = admin;
        ct.ThrowIfCancellationRequested();
    }

    private async Task<bool> AllowsAsync(string policy) => (await authorization.AuthorizeAsync(HttpContext.User, policy)).Succeeded;
}
