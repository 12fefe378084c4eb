using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Cases;

public enum SortOrder
{
    Ascending,
    Descending,
}

/// <summary>
/// The cases the reader may see, counted truly and paged, sorted and filtered; the children on the
/// page (or, for an export, every child in it) audited: listed for the page, exported for a file.
/// </summary>
public sealed class IndexModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public CaseListStatus Status { get; set; } = CaseListStatus.Open;
    [BindProperty(SupportsGet = true)] public Guid? Lead { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? School { get; set; }
    [BindProperty(SupportsGet = true)] public TriageOutcome? Level { get; set; }
    [BindProperty(SupportsGet = true)] public CaseReviewFilter? Review { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput OpenedFrom { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput OpenedTo { get; set; } = new();
    [BindProperty(SupportsGet = true)] public bool Mine { get; set; }
    [BindProperty(SupportsGet = true)] public CaseSort Sort { get; set; } = CaseSort.Activity;
    [BindProperty(SupportsGet = true)] public SortOrder? Order { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<CaseListRow> Cases { get; private set; } = [];
    public int Total { get; private set; }
    public int PageCount => Math.Max(1, (Total + CaseList.PageSize - 1) / CaseList.PageSize);
    public int ShownFrom => Cases.Count == 0 ? 0 : (PageNumber - 1) * CaseList.PageSize + 1;
    public int ShownTo => (PageNumber - 1) * CaseList.PageSize + Cases.Count;
    public IReadOnlyList<(string Value, string Text)> Leads { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Schools { get; private set; } = [];
    public DateOnly Today { get; private set; }
    public bool AnyFilter => Lead is not null || School is not null || Level is not null || Review is not null || !OpenedFrom.IsEmpty || !OpenedTo.IsEmpty || Mine;

    /// <summary>The order the list is in: what was asked, or the sort's natural one (latest first for dates, A to Z for names).</summary>
    public bool Descending => Order is { } o ? o == SortOrder.Descending : Sort is CaseSort.Activity or CaseSort.Opened;

    public static IReadOnlyList<(string Value, string Text)> Levels { get; } =
        [(nameof(TriageOutcome.EarlyHelp), "Early help"), (nameof(TriageOutcome.TargetedSupport), "Targeted support")];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var list = new CaseList(db, clock);
        Leads = await list.LeadsAsync(ct);
        Schools = await list.SchoolsAsync(ct);
        if (Read() is not { } filters)
            return;
        Total = await list.CountAsync(filters, ct);
        // A page past the end shows the last page, so the range said is always the range shown.
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Cases = await list.ListAsync(filters, Sort, Descending, (PageNumber - 1) * CaseList.PageSize, CaseList.PageSize, ct);
        await access.AuditListedAsync(Cases.Select(c => c.PersonId).Distinct().ToList(), "cases", ct);
    }

    /// <summary>Every case of the filtered list (up to <see cref="CaseList.ExportLimit"/>) in the page's order, as CSV or XLSX; each child audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (Read() is not { } filters)
            return BadRequest();
        var rows = await new CaseList(db, clock).ListAsync(filters, Sort, Descending, 0, CaseList.ExportLimit, ct);
        await access.AuditShownAsync(rows.Select(c => c.PersonId).Distinct().ToList(), AuditAction.Export, "cases.export", ct);
        var table = new ExportTable("Cases", ["Child", "Level", "Lead organisation", "Lead worker", "School now", "Status", "Opened", "Last activity (UTC)", "Next review", "Review overdue"],
            rows.Select(c => (IReadOnlyList<object?>)[c.Child, c.LevelName, c.Lead, c.LeadWorker, c.School, c.Status.ToString(),
                DateOnly.FromDateTime(c.OpenedAt.UtcDateTime), c.LastActivity, c.NextReviewOn, c.ReviewOverdue]).ToList());
        return ExportFile.Of(table, format, "cases", Today);
    }

    private CaseFilters? Read()
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (from, to, errors) = DateInput.ReadRange(OpenedFrom, OpenedTo, "Opened from", "Opened to", "Opened to must be the same as or after opened from");
        if (errors.TryGetValue("From", out var fromError))
            Errors["OpenedFrom"] = fromError;
        if (errors.TryGetValue("To", out var toError))
            Errors["OpenedTo"] = toError;
        return Errors.Count > 0 ? null : new CaseFilters(Status, Lead, School, Level, Review, from, to, Mine);
    }

    /// <summary>This list's address with one thing changed: a page, a sort (and its order), or an export.</summary>
    public string Link(int? page = null, CaseSort? sort = null, SortOrder? order = null, ExportFormat? export = null, CaseListStatus? status = null)
    {
        var parts = new List<string>();
        if (export is { } f)
            parts.Add($"handler=Export&format={f.ToString().ToLowerInvariant()}");
        parts.Add($"Status={status ?? Status}");
        if (Lead is { } lead)
            parts.Add($"Lead={lead}");
        if (School is { } school)
            parts.Add($"School={school}");
        if (Level is { } level)
            parts.Add($"Level={level}");
        if (Review is { } review)
            parts.Add($"Review={review}");
        OpenedFrom.AddToQuery(parts, "OpenedFrom");
        OpenedTo.AddToQuery(parts, "OpenedTo");
        if (Mine)
            parts.Add("Mine=true");
        var s = sort ?? Sort;
        parts.Add($"Sort={s}");
        if ((sort is null ? Order : order) is { } chosen)
            parts.Add($"Order={chosen}");
        if (page is { } p && p > 1 && export is null)
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"p={p}"));
        return "/cases?" + string.Join("&", parts);
    }

    /// <summary>A column heading's link: the other way round when the list is already sorted by it, otherwise that sort's natural order.</summary>
    public string SortLink(CaseSort sort) =>
        Link(sort: sort, order: sort == Sort ? (Descending ? SortOrder.Ascending : SortOrder.Descending) : null);

    /// <summary>The aria-sort value of a column heading.</summary>
    public string AriaSort(CaseSort sort) => sort != Sort ? "none" : Descending ? "descending" : "ascending";
}
