using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Referrals;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.MyWork;

public sealed record MyCase(Guid Id, string Child, string Level, bool IAmLead, DateOnly? NextReviewOn, bool ReviewOverdue);

public sealed record MyOffer(Guid CaseId, string Child, string From, DateTimeOffset At);

public sealed record MyAction(Guid CaseId, string Child, string Description, DateOnly DueOn, bool Overdue);

public sealed record MyAlert(Guid Id, string Pupil, string Rule);

/// <summary>
/// A practitioner's day: the open cases they lead or their organisation is in, the actions their
/// organisation owns (overdue first), the reports awaiting their triage and the alerts given to
/// them. Every list reads through the policy's filters; the children listed are audited as listed (as exported, for a file).
/// </summary>
public sealed class IndexModel(WaypointDbContext db, PersonAccess access, Triage triage, TimeProvider clock) : PageModel
{
    public IReadOnlyList<MyCase> Cases { get; private set; } = [];
    public IReadOnlyList<MyAction> Actions { get; private set; } = [];
    public int AwaitingTriage { get; private set; }
    public int OverdueTriage { get; private set; }
    public IReadOnlyList<MyAlert> Alerts { get; private set; } = [];
    public IReadOnlyList<MyOffer> Offers { get; private set; } = [];

    /// <summary>Service referrals (issue 14): to the reader's organisation's services awaiting an answer, and the reader's own still open. Counts only: the list names them.</summary>
    public int ServiceReferralsToAnswer { get; private set; }
    public int MyOpenServiceReferrals { get; private set; }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync("my-work", AuditAction.ListedInSearch, ct);

    /// <summary>Everything the page lists, one row per item, as CSV or XLSX; each child on it audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        await LoadAsync("my-work.export", AuditAction.Export, ct, whole: true);
        var rows = new List<IReadOnlyList<object?>>();
        rows.AddRange(Offers.Select(o => (IReadOnlyList<object?>)["Lead offered", o.Child, $"From {o.From}", DateOnly.FromDateTime(o.At.UtcDateTime), false]));
        rows.AddRange(Actions.Select(a => (IReadOnlyList<object?>)["Action", a.Child, a.Description, a.DueOn, a.Overdue]));
        rows.AddRange(Cases.Select(c => (IReadOnlyList<object?>)[c.IAmLead ? "Case you lead" : "Case", c.Child, c.Level, c.NextReviewOn, c.ReviewOverdue]));
        rows.AddRange(Alerts.Select(a => (IReadOnlyList<object?>)["Alert assigned to you", a.Pupil, a.Rule, null, false]));
        var table = new ExportTable("My work", ["What", "Child", "Detail", "Date (due, review or offered)", "Overdue"], rows);
        return ExportFile.Of(table, format, "my-work", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    private async Task LoadAsync(string subject, AuditAction audited, CancellationToken ct, bool whole = false)
    {
        var reader = db.Reader;
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var cases = await CasesAsync(reader.UserId, whole, ct);
        Cases = cases.Select(c => new MyCase(c.Id, c.Child, TriageLabels.Describe(c.Level), c.LeadPractitionerId == reader.UserId,
            c.NextReviewOn, c.NextReviewOn < today)).ToList();
        // Leads offered to the reader's organisation: the offer itself lets it read the case while it decides.
        var offers = await db.CaseTransfers.AsNoTracking().Where(t => t.ToOrganisationId == reader.OrganisationId && t.Status == CaseTransferStatus.Pending)
            .OrderBy(t => t.RequestedAt).Take(50)
            .Select(t => new { t.CaseId, t.RequestedAt, From = t.FromOrganisation!.Name, Child = db.Cases.Where(c => c.Id == t.CaseId).Select(c => new { c.PersonId, Name = c.Person!.GivenName + " " + c.Person.FamilyName }).First() })
            .ToListAsync(ct);
        Offers = offers.Select(o => new MyOffer(o.CaseId, o.Child.Name, o.From, o.RequestedAt)).ToList();
        Cases = Cases.Where(c => !offers.Any(o => o.CaseId == c.Id)).ToList();
        // The page lists the soonest due and counts the rest to a bound; a file has every one (up to the export's limit).
        var organisationActions = whole
            ? await OrganisationActionsQuery.LoadAsync(db, today, ExportLimit, ct)
            : await OrganisationActionsQuery.LoadAsync(db, today, ActionsShown, ct, countUpTo: ActionsCounted);
        var actions = organisationActions.Soonest;
        Actions = actions.Select(a => new MyAction(a.CaseId, a.Child, a.Description, a.DueOn, a.DueOn < today)).ToList();
        (ActionsOpen, ActionsOverdue, MoreActionsThanCounted) = (organisationActions.Open, organisationActions.Overdue, organisationActions.MoreThanCounted);
        // Both counts in one statement: My work is opened all day (issue 18's statement budget).
        var referrals = await db.Set<ServiceReferral>()
            .Where(r => (r.ProviderOrganisationId == reader.OrganisationId && (r.Status == ServiceReferralStatus.Sent || r.Status == ServiceReferralStatus.Accepted))
                || (r.ReferrerUserId == reader.UserId && (r.Status == ServiceReferralStatus.Sent || r.Status == ServiceReferralStatus.Accepted
                    || r.Status == ServiceReferralStatus.Waiting || r.Status == ServiceReferralStatus.Started)))
            .GroupBy(r => 1)
            .Select(g => new
            {
                ToAnswer = g.Count(r => r.ProviderOrganisationId == reader.OrganisationId && (r.Status == ServiceReferralStatus.Sent || r.Status == ServiceReferralStatus.Accepted)),
                Mine = g.Count(r => r.ReferrerUserId == reader.UserId),
            })
            .FirstOrDefaultAsync(ct);
        ServiceReferralsToAnswer = referrals?.ToAnswer ?? 0;
        MyOpenServiceReferrals = referrals?.Mine ?? 0;
        // The queue read as home reads it (one statement text for both pages), counted here; past the bound counted in the
        // database. It once carried the cases' count too, as one statement: PostgreSQL planned that one afresh on every
        // call (4.8 ms of planning and 11.9 of execution a visit for a county hub under load; wave 24d), where this read
        // is planned once per connection. The cases are counted (to the bound) only when the first page is full.
        var queued = await triage.QueueHeadAsync(ct);
        if (queued.Count > Triage.QueueReadBound)
        {
            var queue = await triage.Queue().GroupBy(r => 1).Select(g => new { Count = g.Count(), Overdue = g.Count(r => r.DecisionDueBy < now) }).FirstOrDefaultAsync(ct);
            (AwaitingTriage, OverdueTriage) = (queue?.Count ?? 0, queue?.Overdue ?? 0);
        }
        else
            (AwaitingTriage, OverdueTriage) = (queued.Count, queued.Count(r => r.DecisionDueBy < now));
        if (casesToCount)
            CasesTotal = await CountFirstPages.For(db)(db, reader.UserId) ?? 0;
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.AssignedToUserId == reader.UserId && a.Status != AlertStatus.Closed)
            .OrderByDescending(a => a.RaisedAt).Take(50)
            .Select(a => new { a.Id, a.PersonId, a.Person!.GivenName, a.Person.FamilyName, a.Rule }).ToListAsync(ct);
        Alerts = alerts.Select(a => new MyAlert(a.Id, $"{a.GivenName} {a.FamilyName}", Waypoint.Features.Alerts.AlertRules.Of(a.Rule).Name)).ToList();
        // Every child the page names is audited (listed, or exported for a file): cases, offers, actions and alerts alike.
        await access.AuditShownAsync(cases.Select(c => c.PersonId).Concat(offers.Select(o => o.Child.PersonId))
            .Concat(actions.Select(a => a.PersonId)).Concat(alerts.Select(a => a.PersonId)).Distinct().ToList(), audited, subject, ct);
    }

    /// <summary>
    /// Cases a page: a county hub may see every open case in the county (thousands), which no one reads down as one
    /// list; the page shows 25 with their count and the links to the others, as GOV.UK's lists do (issue 18).
    /// </summary>
    public const int PageSize = 25;

    /// <summary>The soonest due actions the page lists; how far it counts them (past it, "more than").</summary>
    public const int ActionsShown = 25;
    public const int ActionsCounted = 100;

    /// <summary>The most cases and actions a file holds.</summary>
    public const int ExportLimit = 5000;

    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    /// <summary>The open cases the list holds (every page).</summary>
    public int CasesTotal { get; private set; }
    public int PageCount => Math.Max(1, (CasesTotal + PageSize - 1) / PageSize);
    public int ShownFrom => Cases.Count == 0 ? 0 : (PageNumber - 1) * PageSize + 1;
    public int ShownTo => (PageNumber - 1) * PageSize + Cases.Count;

    /// <summary>The organisation's open actions counted (up to one more than <see cref="ActionsCounted"/>), of them overdue, and whether there are more.</summary>
    public int ActionsOpen { get; private set; }
    public int ActionsOverdue { get; private set; }
    public bool MoreActionsThanCounted { get; private set; }

    /// <summary>What the actions' table holds: all the open actions, or the soonest due of how many (the file has them all).</summary>
    public string ActionsCaption
    {
        get
        {
            if (Actions.Count >= ActionsOpen && !MoreActionsThanCounted)
                return "Open actions, soonest due first";
            var open = MoreActionsThanCounted ? $"more than {ActionsCounted}" : ActionsOpen.ToString(CultureInfo.InvariantCulture);
            var overdue = ActionsOverdue == 0 ? "" : ActionsOverdue > ActionsCounted ? $" (more than {ActionsCounted} overdue)" : $" ({ActionsOverdue} overdue)";
            return $"The {Actions.Count} soonest due of {open} open actions{overdue}; the download has them all";
        }
    }

    /// <summary>A page of My work's cases.</summary>
    public string Link(int page) => page > 1 ? string.Create(CultureInfo.InvariantCulture, $"/my-work?p={page}") : "/my-work";

    private sealed record CaseRow(Guid Id, Guid PersonId, string Child, TriageOutcome Level, Guid? LeadPractitionerId, DateOnly? NextReviewOn);

    private sealed record CaseCounts(int Open, int Led);

    /// <summary>
    /// How many pages past the one shown the cases are counted: each case counted goes through the Case filter (every open
    /// case in the county took 100 ms a visit for a county hub; issue 18), so past that the page says "more than".
    /// </summary>
    public const int PagesCountedAhead = 3;

    /// <summary>The first page is full and the cases are still to be counted (after the triage queue).</summary>
    private bool casesToCount;

    /// <summary>The cases were counted up to <see cref="CasesCounted"/> and there are more.</summary>
    public bool MoreCasesThanCounted => CasesTotal > CasesCounted;
    public int CasesCounted { get; private set; }

    /// <summary>
    /// One page of the open cases the reader may see, those they lead first, each part newest first (a file: every one, up
    /// to the export's limit), all through the Case filter. The page is read from the part or parts it falls in, each
    /// along its index (Cases (LeadPractitionerId, Status, OpenedAt), then Cases (Status, OpenedAt, Id)) and stopped at
    /// the page's end. The cases are counted (one statement) only when the first page is full, or to find where a later
    /// page begins, and only as far as a few pages past the one shown. Two plain reads merged here, not one UNION ALL:
    /// EF's Concat after a projection answered 500 on PostgreSQL.
    /// </summary>
    private async Task<List<CaseRow>> CasesAsync(Guid userId, bool whole, CancellationToken ct)
    {
        PageNumber = whole ? 1 : Math.Max(1, PageNumber);
        CasesCounted = (PageNumber + PagesCountedAhead) * PageSize;
        CaseCounts? counts = null;
        if (PageNumber > 1)
        {
            // Where the reader's own cases end decides where a later page begins: counted (as far as the open ones) with them.
            counts = await CountCases.For(db)(db, userId, CasesCounted + 1, CasesCounted + 1) ?? new CaseCounts(0, 0);
            CasesTotal = counts.Open;
            // A page past the end shows the last page, so the range said is always the range shown.
            PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        }
        var (skip, take) = whole ? (0, ExportLimit) : ((PageNumber - 1) * PageSize, PageSize);
        var led = counts?.Led ?? int.MaxValue;
        var rows = new List<CaseRow>();
        if (skip < led)
            rows.AddRange(await ToListAsync(LedCases.For(db)(db, userId, skip, take), ct));
        if (rows.Count < take && (counts is null || counts.Open > counts.Led))
            rows.AddRange(await ToListAsync(OtherCases.For(db)(db, userId, counts is null ? 0 : Math.Max(0, skip - counts.Led), take - rows.Count), ct));
        // A full first page: the cases are counted after the triage queue (LoadAsync).
        casesToCount = counts is null && !whole && rows.Count == take;
        if (counts is null)
            CasesTotal = rows.Count;
        return rows;
    }

    // Compiled once (issue 18: My work is opened all day; no expression tree walked and looked up on each visit).
    // The Case filter applies to a compiled query as to any other, with this request's reader (CompiledPerModel).
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, int, int, Task<CaseCounts?>>> CountCases = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, int, int, CaseCounts?>>(
        (WaypointDbContext db, Guid userId, int openUpTo, int ledUpTo) => db.Users.Where(u => u.Id == userId)
            .Select(u => new CaseCounts(db.Cases.Where(c => c.Status == CaseStatus.Open).Take(openUpTo).Count(),
                db.Cases.Where(c => c.LeadPractitionerId == userId && c.Status == CaseStatus.Open).Take(ledUpTo).Count()))
            .FirstOrDefault())));

    /// <summary>How far the first page counts the open cases (<see cref="CasesCounted"/> on page 1).</summary>
    private const int FirstPagesCounted = (1 + PagesCountedAhead) * PageSize;

    /// <summary>
    /// The open cases counted for the first page, up to <see cref="FirstPagesCounted"/> + 1: the only count a first page needs
    /// (<see cref="CountCases"/> also counted the reader's own cases, to a bound of 0 there). The bound is a constant inside the
    /// lambda, written so that PostgreSQL need not plan the statement afresh for each bound; measured (wave 26d) the statement
    /// is still planned on every call (1.1 ms a call against 2.3 before, under load): a custom plan is chosen for some other
    /// reason than the bound (the filter's reader flags, most likely), or EF 10 still sends the bound as a parameter.
    /// </summary>
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, Task<int?>>> CountFirstPages = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, int?>>(
        (WaypointDbContext db, Guid userId) => db.Users.Where(u => u.Id == userId)
            .Select(u => (int?)db.Cases.Where(c => c.Status == CaseStatus.Open).Take(FirstPagesCounted + 1).Count())
            .FirstOrDefault())));

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, int, int, IAsyncEnumerable<CaseRow>>> LedCases = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, int, int, IQueryable<CaseRow>>>(
        (WaypointDbContext db, Guid userId, int skip, int take) => db.Cases.AsNoTracking().Where(c => c.LeadPractitionerId == userId && c.Status == CaseStatus.Open)
            .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id).Skip(skip).Take(take)
            .Select(c => new CaseRow(c.Id, c.PersonId, c.Person!.GivenName + " " + c.Person.FamilyName, c.Level, c.LeadPractitionerId, c.NextReviewOn)))));

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, int, int, IAsyncEnumerable<CaseRow>>> OtherCases = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, int, int, IQueryable<CaseRow>>>(
        (WaypointDbContext db, Guid userId, int skip, int take) => db.Cases.AsNoTracking().Where(c => c.Status == CaseStatus.Open && (c.LeadPractitionerId == null || c.LeadPractitionerId != userId))
            .OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id).Skip(skip).Take(take)
            .Select(c => new CaseRow(c.Id, c.PersonId, c.Person!.GivenName + " " + c.Person.FamilyName, c.Level, c.LeadPractitionerId, c.NextReviewOn)))));

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> rows, CancellationToken ct)
    {
        var list = new List<T>();
        await foreach (var row in rows.WithCancellation(ct))
            list.Add(row);
        return list;
    }
}
