using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Shared;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Referrals;

public sealed record QueueRow(Guid Id, Guid PersonId, string Name, string Reporter, string Categories, bool ImmediateRisk, DateTimeOffset ReportedAt, DateTimeOffset DueBy,
    ReferralStatus Status = ReferralStatus.AwaitingTriage, string? School = null);

/// <summary>Which reports the hub queue shows: those awaiting a decision (the queue proper), those decided, or both.</summary>
public enum HubStatus
{
    Awaiting,
    Decided,
    All,
}

/// <summary>Reports awaiting a decision that is due by the end of today (UTC), or already late.</summary>
public enum HubDue
{
    Today,
    Overdue,
}

/// <summary>
/// The hub's queue: reports in the areas the reader's triage grant covers (the policy's filter and
/// the grant decide which), urgent first, then by when the decision is due; overdue ones stand
/// out. Filtered by school, concern, status, due and date received; counted truly and paged.
/// </summary>
public sealed class HubModel(WaypointDbContext db, Triage triage, PersonAccess access, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;
    public const int ExportLimit = 5000;

    [BindProperty(SupportsGet = true)] public Guid? School { get; set; }
    [BindProperty(SupportsGet = true)] public ConcernCategory? Concern { get; set; }
    [BindProperty(SupportsGet = true)] public HubStatus Status { get; set; } = HubStatus.Awaiting;
    [BindProperty(SupportsGet = true)] public HubDue? Due { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput ReceivedFrom { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput ReceivedTo { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<QueueRow> Queue { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }
    public int Total { get; private set; }
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public int ShownFrom => Queue.Count == 0 ? 0 : (PageNumber - 1) * PageSize + 1;
    public int ShownTo => (PageNumber - 1) * PageSize + Queue.Count;
    public IReadOnlyList<(string Value, string Text)> Schools { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public bool AnyFilter => School is not null || Concern is not null || Status != HubStatus.Awaiting || Due is not null || !ReceivedFrom.IsEmpty || !ReceivedTo.IsEmpty;

    public static IReadOnlyList<(string Value, string Text)> Concerns { get; } =
        Enum.GetValues<ConcernCategory>().Select(c => (c.ToString(), TriageLabels.Describe(c))).ToList();

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Schools = await SchoolsAsync(ct);
        if (Filtered() is not { } query)
            return;
        // The queue's ids in its order, once, up to a bound: the count and the page's ids from one statement,
        // where a count and a page each asked the Referral filter of every report in the queue (issue 18).
        // The page's reports are then read by id. A longer list (every decided report, say) is counted in the database.
        // Kept per reader and filters until the next write (Triage.QueueHeadAsync says why and what may be stale: a count,
        // never a row: the page's reports are read again below through the Referral filter). A "due" filter depends on the
        // time of the visit: read each time.
        var ids = await OrderedIds.GetAsync((triage.ReaderKey(), Link()), clock,
            async () => (IReadOnlyList<Guid>)await query.Select(r => r.Id).Take(OrderedIdsBound + 1).ToListAsync(ct),
            kept => Due is null && triage.KeptFor(kept));
        Total = ids.Count > OrderedIdsBound ? await query.CountAsync(ct) : ids.Count;
        // A page past the end shows the last page, so the range said is always the range shown.
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var skip = (PageNumber - 1) * PageSize;
        if (skip + PageSize <= ids.Count || ids.Count <= OrderedIdsBound)
            await LoadAsync(ids.Skip(skip).Take(PageSize).ToList(), ct);
        else
            await LoadAsync(query, skip, PageSize, ct);
        await access.AuditListedAsync(Queue.Select(q => q.PersonId).Distinct().ToList(), "hub.queue", ct);
    }

    /// <summary>The filtered queue (every page, up to <see cref="ExportLimit"/>) as CSV or XLSX: the same reports and order as the page, each child audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        if (Filtered() is not { } query)
            return BadRequest();
        await LoadAsync(query, 0, ExportLimit, ct);
        await access.AuditShownAsync(Queue.Select(q => q.PersonId).Distinct().ToList(), Waypoint.Audit.AuditAction.Export, "hub.queue.export", ct);
        var table = new ExportTable("Hub queue", ["Child", "Concern", "Immediate risk", "Reported by", "Reported at (UTC)", "Decision due (UTC)", "Overdue", "Status", "School now"],
            Queue.Select(q => (IReadOnlyList<object?>)[q.Name, q.Categories, q.ImmediateRisk, q.Reporter, q.ReportedAt, q.DueBy, Overdue(q),
                q.Status == ReferralStatus.Decided ? "Decided" : "Awaiting a decision", q.School]).ToList());
        return ExportFile.Of(table, format, "hub-queue", DateOnly.FromDateTime(Now.UtcDateTime));
    }

    public bool Overdue(QueueRow q) => q.Status == ReferralStatus.AwaitingTriage && q.DueBy < Now;

    /// <summary>The reports the filters choose, urgent first and then soonest due; null when a date typed is refused.</summary>
    private IQueryable<Referral>? Filtered()
    {
        var (from, to, errors) = DateInput.ReadRange(ReceivedFrom, ReceivedTo, "Received from", "Received to", "Received to must be the same as or after received from");
        if (errors.TryGetValue("From", out var fromError))
            Errors["ReceivedFrom"] = fromError;
        if (errors.TryGetValue("To", out var toError))
            Errors["ReceivedTo"] = toError;
        if (Errors.Count > 0)
            return null;
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var query = triage.Triageable();
        query = Status switch
        {
            HubStatus.Awaiting => query.Where(r => r.Status == ReferralStatus.AwaitingTriage),
            HubStatus.Decided => query.Where(r => r.Status == ReferralStatus.Decided),
            _ => query,
        };
        if (School is { } school)
            // Through the Enrolment filter: only a school the reader may already see the child at.
            query = query.Where(r => db.Enrolments.Any(e => e.PersonId == r.PersonId && e.SchoolId == school && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today)));
        if (Concern is { } concern)
        {
            // Categories are stored by name, comma-separated; the commas round both keep "Other" from matching inside a longer name.
            var wanted = "," + concern + ",";
            query = query.Where(r => ("," + r.Categories + ",").Contains(wanted));
        }
        var now = Now;
        if (Due == HubDue.Overdue)
            query = query.Where(r => r.Status == ReferralStatus.AwaitingTriage && r.DecisionDueBy < now);
        else if (Due == HubDue.Today)
        {
            var endOfToday = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(r => r.Status == ReferralStatus.AwaitingTriage && r.DecisionDueBy >= now && r.DecisionDueBy < endOfToday);
        }
        if (from is { } f)
        {
            var start = new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(r => r.ReportedAt >= start);
        }
        if (to is { } t)
        {
            var end = new DateTimeOffset(t.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(r => r.ReportedAt < end);
        }
        return query.OrderBy(r => r.Status).ThenByDescending(r => r.ImmediateRisk).ThenBy(r => r.DecisionDueBy).ThenBy(r => r.Id);
    }

    /// <summary>The queue's ids are read in order up to this many; past it the page reads the queue again with an offset.</summary>
    private const int OrderedIdsBound = 2_000;

    /// <summary>The queue's ids in order, per reader (Triage.ReaderKey) and filters (the page's address without its page); past 500 all are forgotten.</summary>
    private static readonly KeptUntilWrite<((Reader, string, DateOnly) Reader, string Filters), IReadOnlyList<Guid>> OrderedIds = new(Triage.QueueKept, most: 500);

    private Task LoadAsync(IQueryable<Referral> query, int skip, int take, CancellationToken ct) =>
        LoadRowsAsync(query.Skip(skip).Take(take), ct);

    /// <summary>The page's reports by id (through the Referral filter again), in the order of the ids.</summary>
    private async Task LoadAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        await LoadRowsAsync(db.Referrals.AsNoTracking().Where(r => ids.Contains(r.Id)), ct);
        var order = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        Queue = Queue.OrderBy(q => order[q.Id]).ToList();
    }

    private async Task LoadRowsAsync(IQueryable<Referral> page, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var rows = await page
            .Select(r => new { r.Id, r.PersonId, r.Person!.GivenName, r.Person.FamilyName, Reporter = r.ReporterOrganisation!.Name, r.Categories, r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy, r.Status })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.PersonId).Distinct().ToList();
        var schools = (await db.Enrolments.AsNoTracking()
                .Where(e => ids.Contains(e.PersonId) && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                .OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate)
                .Select(e => new { e.PersonId, e.School!.Name, e.School.Urn }).ToListAsync(ct))
            .GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => SchoolNames.WithUrn(g.First().Name, g.First().Urn));
        Queue = rows.Select(r => new QueueRow(r.Id, r.PersonId, $"{r.GivenName} {r.FamilyName}", r.Reporter,
                string.Join(", ", Referral.ParseCategories(r.Categories).Select(TriageLabels.Describe)), r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy,
                r.Status, schools.GetValueOrDefault(r.PersonId)))
            .ToList();
    }

    /// <summary>
    /// The schools in the areas the reader's triage grant covers, for the filter. Not the schools the
    /// children of every triageable report attend: that read the enrolments of every report the hub
    /// ever had through the policy (5.7 s a page at a county's two years of reports; issue 18).
    /// Schools are organisations, not anyone's record; choosing one still filters through the Enrolment filter.
    /// </summary>
    private async Task<IReadOnlyList<(string Value, string Text)>> SchoolsAsync(CancellationToken ct)
    {
        var userId = db.Reader.UserId;
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        return (await db.Organisations.AsNoTracking()
                .Where(o => o.Type == OrganisationType.School && db.Areas.Any(a => a.Id == o.AreaId && db.PartnershipRoleGrants.Any(g => g.UserId == userId
                    && g.Function == PartnershipFunction.HubTriage && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)
                    && (g.AreaId == a.Id || g.AreaId == a.ParentId || g.AreaId == a.Parent!.ParentId))))
                .Select(o => new { o.Id, o.Name, o.Urn }).ToListAsync(ct))
            .OrderBy(s => s.Name).ThenBy(s => s.Urn).Select(s => (s.Id.ToString(), SchoolNames.WithUrn(s.Name, s.Urn))).ToList();
    }

    /// <summary>This queue's address with the filters as they stand: a page of it, or an export.</summary>
    public string Link(int page = 1, ExportFormat? export = null)
    {
        var parts = new List<string>();
        if (export is { } format)
            parts.Add($"handler=Export&format={format.ToString().ToLowerInvariant()}");
        if (Status != HubStatus.Awaiting)
            parts.Add($"Status={Status}");
        if (School is { } school)
            parts.Add($"School={school}");
        if (Concern is { } concern)
            parts.Add($"Concern={concern}");
        if (Due is { } due)
            parts.Add($"Due={due}");
        ReceivedFrom.AddToQuery(parts, "ReceivedFrom");
        ReceivedTo.AddToQuery(parts, "ReceivedTo");
        if (page > 1 && export is null)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"p={page}"));
        return parts.Count == 0 ? "/hub" : "/hub?" + string.Join("&", parts);
    }
}
