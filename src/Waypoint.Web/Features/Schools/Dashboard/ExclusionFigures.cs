using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Schools.Dashboard;

/// <summary>A school as the dashboard groups it. District is the ward's parent; a school placed on the county itself is "Countywide".</summary>
public sealed record DashboardSchool(Guid Id, string Name, SchoolPhase? Phase, string District, string? Urn = null);

/// <summary>How many suspensions or permanent exclusions one school started on one day, or over days that share a month and a side of last year's "to date" (the first of them as the date).</summary>
public sealed record DayCount(Guid SchoolId, ExclusionKind Kind, DateOnly Date, int Count);

/// <summary>One row of a breakdown: this year against last year, suspensions and permanent exclusions.</summary>
public sealed record FigureRow(string Group, int SuspensionsThisYear, int SuspensionsLastYear, int ExclusionsThisYear, int ExclusionsLastYear);

/// <summary>One table of the dashboard; the CSV holds the same tables one after the other.</summary>
public sealed record FigureTable(string Breakdown, string GroupHeading, string Caption, IReadOnlyList<FigureRow> Rows);

/// <summary>
/// The inclusion team's figures: suspensions and permanent exclusions by month of this academic
/// year against the same months last year, totals to date against the same period last year, by
/// district, phase and (for those who may see school names) school. Counts only.
/// </summary>
public sealed record ExclusionFigures(AcademicYear Year, DateOnly Today, IReadOnlyList<FigureRow> Months, FigureRow ToDate,
    IReadOnlyList<FigureRow> Districts, IReadOnlyList<FigureRow> Phases, IReadOnlyList<FigureRow> Schools)
{
    public DateOnly LastYearToDate => Today.AddYears(-1);

    public IReadOnlyList<FigureTable> Tables =>
    [
        new("Month", "Month", $"By month: {Year} against {Year.Previous}", Months),
        new("Total", "Period", $"To date: 1 September to {Today:d MMMM} this year and last", [ToDate]),
        new("District", "District", "To date by district", Districts),
        new("Phase", "Phase", "To date by phase", Phases),
        .. Schools.Count == 0 ? Array.Empty<FigureTable>() : [new FigureTable("School", "School", "To date by school", Schools)],
    ];

    /// <summary>
    /// Builds the figures from per-day counts. <paramref name="nameSchool"/> says which schools the
    /// viewer may see named; the others appear only inside their district and phase.
    /// </summary>
    public static ExclusionFigures Build(IReadOnlyList<DashboardSchool> schools, IReadOnlyList<DayCount> counts, DateOnly today, Func<Guid, bool> nameSchool)
    {
        var year = AcademicYear.Of(today);
        var last = year.Previous;
        var lastToDate = today.AddYears(-1);
        bool ThisYearToDate(DayCount c) => c.Date >= year.Start && c.Date <= today;
        bool LastYearToDate(DayCount c) => c.Date >= last.Start && c.Date <= lastToDate;
        int Sum(IEnumerable<DayCount> cs, ExclusionKind kind, Func<DayCount, bool> when) => cs.Where(c => c.Kind == kind && when(c)).Sum(c => c.Count);
        FigureRow Row(string group, IEnumerable<DayCount> cs)
        {
            var list = cs as IReadOnlyCollection<DayCount> ?? cs.ToList();
            return new FigureRow(group,
                Sum(list, ExclusionKind.Suspension, ThisYearToDate), Sum(list, ExclusionKind.Suspension, LastYearToDate),
                Sum(list, ExclusionKind.PermanentExclusion, ThisYearToDate), Sum(list, ExclusionKind.PermanentExclusion, LastYearToDate));
        }

        var months = new List<FigureRow>();
        for (var m = year.Start; m <= today; m = m.AddMonths(1))
        {
            var lastMonth = m.AddYears(-1);
            bool InThis(DayCount c) => c.Date.Year == m.Year && c.Date.Month == m.Month && c.Date <= today;
            bool InLast(DayCount c) => c.Date.Year == lastMonth.Year && c.Date.Month == lastMonth.Month;
            months.Add(new FigureRow(m.ToString("MMMM", CultureInfo.InvariantCulture),
                Sum(counts, ExclusionKind.Suspension, InThis), Sum(counts, ExclusionKind.Suspension, InLast),
                Sum(counts, ExclusionKind.PermanentExclusion, InThis), Sum(counts, ExclusionKind.PermanentExclusion, InLast)));
        }

        var bySchool = schools.ToDictionary(s => s.Id);
        var known = counts.Where(c => bySchool.ContainsKey(c.SchoolId)).ToList();
        // Each breakdown groups the counts once (a lookup), not a pass over every count per group:
        // at a county's size a pass per school was schools × counts (issue 18).
        var byDistrict = known.ToLookup(c => bySchool[c.SchoolId].District, StringComparer.Ordinal);
        var byPhase = known.ToLookup(c => bySchool[c.SchoolId].Phase);
        var countsOfSchool = known.ToLookup(c => c.SchoolId);
        var districts = schools.Select(s => s.District).Distinct().Order(StringComparer.Ordinal)
            .Select(d => Row(d, byDistrict[d])).ToList();
        var phases = schools.Select(s => s.Phase).Distinct().OrderBy(p => p.HasValue ? (int)p.Value : int.MaxValue)
            .Select(p => Row(PhaseLabel(p), byPhase[p])).ToList();
        // Two schools of one name (an academy and the school it replaced, say) are told apart by their URNs.
        var shared = schools.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var named = schools.Where(s => nameSchool(s.Id)).OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Urn, StringComparer.Ordinal)
            .Select(s => Row(shared.Contains(s.Name) ? $"{s.Name} (URN {s.Urn ?? "not recorded"})" : s.Name, countsOfSchool[s.Id])).ToList();
        return new ExclusionFigures(year, today, months, Row("Total", known), districts, phases, named);
    }

    public static string PhaseLabel(SchoolPhase? phase) => phase switch
    {
        SchoolPhase.Primary => "Primary",
        SchoolPhase.Secondary => "Secondary",
        SchoolPhase.AllThrough => "All-through",
        SchoolPhase.Special => "Special",
        SchoolPhase.AlternativeProvision => "Alternative provision",
        _ => "Phase not recorded",
    };

    /// <summary>The same tables as the page, one row per table row, so a spreadsheet gets exactly what the page shows.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append("Breakdown,Group,Suspensions this year,Suspensions last year,Permanent exclusions this year,Permanent exclusions last year\r\n");
        foreach (var table in Tables)
            foreach (var r in table.Rows)
                csv.Append(CultureInfo.InvariantCulture, $"{Field(table.Breakdown)},{Field(r.Group)},{r.SuspensionsThisYear},{r.SuspensionsLastYear},{r.ExclusionsThisYear},{r.ExclusionsLastYear}\r\n");
        return csv.ToString();
    }

    // RFC 4180 quoting, and a leading formula character neutralised so a spreadsheet never runs a school's name.
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    /// <summary>
    /// The schools of the county that holds <paramref name="organisationAreaId"/>, with their
    /// district and phase, and every suspension's count per school and start day over this
    /// academic year and last, from the evidence rollup (counts only; no pupil-level row is read).
    /// </summary>
    public static async Task<(IReadOnlyList<DashboardSchool> Schools, IReadOnlyList<DayCount> Counts)> LoadAsync(
        WaypointDbContext db, Guid organisationAreaId, DateOnly today, CancellationToken ct)
    {
        var county = await CountyOfAsync(db, organisationAreaId, ct);
        var schools = (await db.Organisations.AsNoTracking()
                .Where(o => o.Type == OrganisationType.School
                    && (o.AreaId == county || o.Area!.ParentId == county || o.Area.Parent!.ParentId == county))
                .Select(o => new { o.Id, o.Name, o.Urn, o.Phase, Kind = o.Area!.Kind, AreaName = o.Area.Name, ParentName = o.Area.Parent!.Name })
                .ToListAsync(ct))
            .Select(o => new DashboardSchool(o.Id, o.Name, o.Phase, o.Kind switch
            {
                AreaKind.Ward => o.ParentName,
                AreaKind.District => o.AreaName,
                _ => "Countywide",
            }, o.Urn))
            .ToList();
        var since = AcademicYear.Of(today).Previous.Start;
        var lastYearToDate = today.AddYears(-1);
        // Read from the rollup kept current with every suspension written (issue 15), never the raw rows:
        // at England's scale the raw GROUP BY is what made this page slow. Summed in the database to a
        // school's month (every table is by month or to date), with last year's month that holds "to
        // date" split at that day: each group keeps its first day, which answers every question Build
        // asks of a day (which year, which month, up to which day). Some 20,000 rows for a county
        // over two years, not a row a school-day (181,499 at 2.4 million suspensions; issue 18).
        var counts = (await (from d in db.ExclusionDayCounts.AsNoTracking()
                             join o in db.Organisations on d.SchoolId equals o.Id
                             where d.Date >= since && d.Date <= today && o.Type == OrganisationType.School
                                 && (o.AreaId == county || o.Area!.ParentId == county || o.Area.Parent!.ParentId == county)
                             group d by new { d.SchoolId, d.Kind, d.Date.Year, d.Date.Month, After = d.Date > lastYearToDate } into g
                             select new { g.Key.SchoolId, g.Key.Kind, Date = g.Min(x => x.Date), Count = g.Sum(x => x.Count) })
                .ToListAsync(ct))
            .Select(c => new DayCount(c.SchoolId, c.Kind, c.Date, c.Count))
            .ToList();
        return (schools, counts);
    }

    private static async Task<Guid> CountyOfAsync(WaypointDbContext db, Guid areaId, CancellationToken ct)
    {
        var id = areaId;
        // Areas nest county > district > ward, so two steps up always reach the top.
        for (var step = 0; step < 3; step++)
        {
            var parent = await db.Areas.AsNoTracking().Where(a => a.Id == id).Select(a => a.ParentId).FirstOrDefaultAsync(ct);
            if (parent is null)
                return id;
            id = parent.Value;
        }
        return id;
    }
}
