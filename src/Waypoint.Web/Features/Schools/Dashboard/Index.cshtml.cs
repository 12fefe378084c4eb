using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Schools.Dashboard;

/// <summary>One bar of the chart, in SVG user units (attributes, not style: the CSP forbids inline style).</summary>
public sealed record ChartBar(int X, int Y, int Width, int Height, bool ThisYear, string Label);

/// <summary>
/// The inclusion team's dashboard: suspensions and permanent exclusions this academic year against
/// last, by month, district and phase, with a chart, its data table and a CSV of the same figures.
/// Counts only. Schools are named to the inclusion team, and each school sees its own name; every
/// other viewer sees districts and phases. The inclusion team's school table (every school of the
/// county: 21,000 in England) is shown a page at a time, sorted by the column chosen and filtered by
/// name and district in the database; the CSV and the spreadsheet hold it whole.
/// </summary>
[Authorize(Policy = OversightPolicies.ExclusionDashboard)]
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public const int ChartWidth = 720;
    public const int ChartHeight = 260;
    public const int ChartTop = 30;
    public const int ChartBottom = 230;
    private const int ChartLeft = 40;

    public ExclusionFigures Figures { get; private set; } = null!;
    public IReadOnlyList<ChartBar> Bars { get; private set; } = [];
    public int ChartMax { get; private set; }
    public string? NamedSchoolsNote { get; private set; }

    /// <summary>The page of the school table the inclusion team sees (null for every other reader).</summary>
    public SchoolPage? SchoolTable { get; private set; }

    [BindProperty(SupportsGet = true, Name = "sort")] public SchoolSort Sort { get; set; } = SchoolSort.Name;
    [BindProperty(SupportsGet = true, Name = "order")] public string? Order { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true, Name = "school")] public string? SchoolName { get; set; }
    [BindProperty(SupportsGet = true, Name = "district")] public string? District { get; set; }

    /// <summary>Names ascending, counts largest first, unless the reader turned the column round.</summary>
    public bool Descending => Order is { } o ? string.Equals(o, "descending", StringComparison.OrdinalIgnoreCase) : Sort != SchoolSort.Name;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(paged: true, ct))
            return Forbid();
        Bars = Chart(Figures.Months);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        if (!await LoadAsync(paged: false, ct))
            return Forbid();
        return File(Encoding.UTF8.GetBytes(Figures.ToCsv()), "text/csv; charset=utf-8", $"suspensions-and-exclusions-{Figures.Today:yyyy-MM-dd}.csv");
    }

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        if (!await LoadAsync(paged: false, ct))
            return Forbid();
        return Shell.Exports.ExportFile.Of(Figures.ToExport(), Shell.Exports.ExportFormat.Xlsx, "suspensions-and-exclusions", Figures.Today);
    }

    /// <summary>The page's address with the table's sort, order, page and filters, each changed where given.</summary>
    public string Link(int? page = null, SchoolSort? sort = null, bool? descending = null)
    {
        var s = sort ?? Sort;
        var parts = new List<string> { $"sort={s}" };
        if ((descending ?? (sort is null ? Descending : (bool?)null)) is { } d)
            parts.Add($"order={(d ? "descending" : "ascending")}");
        if (SchoolTable?.Query.Name is { } name)
            parts.Add($"school={Uri.EscapeDataString(name)}");
        if (SchoolTable?.Query.District is { } district)
            parts.Add($"district={Uri.EscapeDataString(district)}");
        if ((page ?? 1) > 1)
            parts.Add($"p={page}");
        return "/schools/dashboard?" + string.Join('&', parts) + "#schools";
    }

    /// <summary>A column heading's link: the same column turned round, or another column in its usual order, from the first page.</summary>
    public string SortLink(SchoolSort sort) => Link(sort: sort, descending: sort == Sort ? !Descending : null);

    public string AriaSort(SchoolSort sort) => sort != Sort ? "none" : Descending ? "descending" : "ascending";

    /// <summary>False when the reader may not see the dashboard at all.</summary>
    private async Task<bool> LoadAsync(bool paged, CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.IsSystem || reader.UserId == Guid.Empty)
            return false;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var functions = await db.PartnershipRoleGrants.AsNoTracking()
            .Where(g => g.UserId == reader.UserId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => g.Function).ToListAsync(ct);
        var isSchool = reader.OrganisationType == OrganisationType.School && !reader.AggregatesOnly;
        var inclusionTeam = functions.Contains(PartnershipFunction.InclusionOfficer) && !reader.AggregatesOnly;
        // Who may see the dashboard at all is the ExclusionDashboard policy (the attribute above); this decides only what it names.
        var areaId = await db.Organisations.AsNoTracking().Where(o => o.Id == reader.OrganisationId).Select(o => o.AreaId).FirstOrDefaultAsync(ct);
        Func<Guid, bool> nameSchool = inclusionTeam ? _ => true : isSchool ? id => id == reader.OrganisationId : _ => false;
        // Only the schools this reader may see named are counted by school: every school for the
        // inclusion team, the reader's own for a school, none otherwise.
        IReadOnlyCollection<Guid>? named = inclusionTeam ? null : isSchool ? [reader.OrganisationId] : [];
        // Kept until the exclusion stamp moves or the day changes, per scope (every school, the reader's own, none),
        // and for the inclusion team's page per page asked for.
        if (inclusionTeam && paged)
            (Figures, SchoolTable) = await ExclusionFigures.KeptPageAsync(db, areaId, today,
                new SchoolQuery(Sort, Descending, PageNumber, SchoolName, District), ct);
        else
            Figures = await ExclusionFigures.KeptAsync(db, areaId, today, named, nameSchool, ct);
        NamedSchoolsNote = inclusionTeam ? null
            : isSchool ? "Your school is shown by name; other schools are counted only within their district and phase."
            : "Schools are named only to the inclusion team and to each school itself; here they are counted within their district and phase.";
        return true;
    }

    /// <summary>Two bars a month (this year, last year) of suspensions and permanent exclusions together.</summary>
    private IReadOnlyList<ChartBar> Chart(IReadOnlyList<FigureRow> months)
    {
        var totals = months.Select(m => (m.Group, This: m.SuspensionsThisYear + m.ExclusionsThisYear, Last: m.SuspensionsLastYear + m.ExclusionsLastYear)).ToList();
        ChartMax = Math.Max(1, totals.Select(t => Math.Max(t.This, t.Last)).DefaultIfEmpty(0).Max());
        var slot = (ChartWidth - ChartLeft) / 12;
        var barWidth = slot / 2 - 4;
        int HeightOf(int value) => (int)Math.Round((double)value * (ChartBottom - ChartTop) / ChartMax);
        var bars = new List<ChartBar>();
        for (var i = 0; i < totals.Count; i++)
        {
            var x = ChartLeft + i * slot + 2;
            var last = HeightOf(totals[i].Last);
            var now = HeightOf(totals[i].This);
            bars.Add(new ChartBar(x, ChartBottom - last, barWidth, last, false, $"{totals[i].Group} last year: {totals[i].Last}"));
            bars.Add(new ChartBar(x + barWidth + 2, ChartBottom - now, barWidth, now, true, $"{totals[i].Group} this year: {totals[i].This}"));
        }
        return bars;
    }

    public static int SlotX(int index) => ChartLeft + index * ((ChartWidth - ChartLeft) / 12) + (ChartWidth - ChartLeft) / 24;
}
