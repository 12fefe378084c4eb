using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Dashboard;

/// <summary>The school table's columns the inclusion team may sort by.</summary>
public enum SchoolSort
{
    Name,
    SuspensionsThisYear,
    SuspensionsLastYear,
    ExclusionsThisYear,
    ExclusionsLastYear,
}

/// <summary>
/// One page of the inclusion team's school table as asked for: the column it is sorted by and which way,
/// the page (from 1), and the filters (part of the school's name, any case; one district).
/// </summary>
public sealed record SchoolQuery(SchoolSort Sort = SchoolSort.Name, bool Descending = false, int Page = 1, string? Name = null, string? District = null)
{
    public const int PageSize = 25;

    /// <summary>The same question asked tidily: the name trimmed (empty is no filter, at most a school name's length), the page at least 1.</summary>
    public SchoolQuery Tidy() => this with
    {
        Page = Math.Max(1, Page),
        Name = Name?.Trim() is { Length: > 0 } n ? n[..Math.Min(n.Length, 160)] : null,
        District = string.IsNullOrWhiteSpace(District) ? null : District,
    };

    /// <summary>What a kept page is kept under, beside the county's stamps.</summary>
    public string Key => $"{Sort}|{Descending}|{Page}|{Name}|{District}";
}

/// <summary>
/// One page of the school table: its rows (name as shown, four to-date sums), how many schools match the
/// filters in all, and the county's districts (the district filter's choices).
/// </summary>
public sealed record SchoolPage(SchoolQuery Query, IReadOnlyList<FigureRow> Rows, int Total, IReadOnlyList<string> Districts)
{
    public int PageCount => Math.Max(1, (Total + SchoolQuery.PageSize - 1) / SchoolQuery.PageSize);
    public int ShownFrom => Rows.Count == 0 ? 0 : (Query.Page - 1) * SchoolQuery.PageSize + 1;
    public int ShownTo => (Query.Page - 1) * SchoolQuery.PageSize + Rows.Count;
}

/// <summary>
/// The inclusion team's school table a page at a time (21,000 schools in England: a page that names every
/// school is neither readable nor quick to build). Sorted, filtered, counted and cut to a page in the
/// database, from the to-date rollup alone (<see cref="ExclusionSchoolToDate"/>: every school's row, named); the
/// whole table leaves as CSV or XLSX. When the rollup does not hold today's counts (between midnight and
/// the night's roll-forward, or never counted) every school's row is built as the whole table builds it
/// and the page cut from that (<see cref="Of"/>): the same rows, the same order.
/// </summary>
public static class SchoolTable
{
    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string? Urn { get; init; }
        public string Lowered { get; init; } = "";
        public int SuspensionsThisYear { get; init; }
        public int SuspensionsLastYear { get; init; }
        public int ExclusionsThisYear { get; init; }
        public int ExclusionsLastYear { get; init; }
    }

    /// <summary>The page asked for, of the county's schools (<paramref name="part"/>), counted to <paramref name="today"/>.</summary>
    internal static async Task<SchoolPage> ReadAsync(WaypointDbContext db, ExclusionFigures.CountyPart part, DateOnly today, SchoolQuery query, CancellationToken ct)
    {
        query = query.Tidy();
        var districts = Districts(part);
        if (query.District is { } d && !districts.Contains(d, StringComparer.Ordinal))
            query = query with { District = null };
        var countySchools = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && part.AreaIds.Contains(o.AreaId));
        var areas = query.District is { } district ? part.AreaIds.Where(a => part.DistrictOfArea[a] == district).ToList() : part.AreaIds;
        // The to-date rollup alone: a row for every school (zero rows included) with its name, URN and area, indexed
        // in each order the table offers, so a page is an index walk cut by OFFSET/LIMIT, not a join and sort of every school.
        // The areas inlined as constants (EF.Constant: keys the app read, never user input): with an array parameter a
        // prepared statement's generic plan guesses ten areas, reads the county's schools by area and sorts them all;
        // with the list in the statement PostgreSQL knows the share of schools it covers, walks the order's index for a
        // county (a few hundred rows for page 7) and reads by area for a district.
        var areaKeys = areas.ToArray();
        var schools = db.ExclusionSchoolToDates.AsNoTracking().Where(t => t.IsSchool && EF.Constant(areaKeys).Contains(t.AreaId));
        if (query.Name is { } name)
        {
            var lowered = name.ToLower();
            schools = schools.Where(t => t.Name.ToLower().Contains(lowered));
        }
        var rows = schools.Select(t => new Row
        {
            Id = t.SchoolId, Name = t.Name, Urn = t.Urn, Lowered = t.Name.ToLower(),
            SuspensionsThisYear = t.SuspensionsThisYear, SuspensionsLastYear = t.SuspensionsLastYear,
            ExclusionsThisYear = t.ExclusionsThisYear, ExclusionsLastYear = t.ExclusionsLastYear,
        });
        var asOf = db.Set<Evidence.EvidenceStamp>().AsNoTracking().Where(s => s.Name == Evidence.EvidenceStamps.ExclusionToDateAsOf).Select(s => s.Stamp);
        var todayStamp = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        // One statement (one snapshot, so the rows, the count and the rollup's as-of day agree): the page's rows,
        // how many schools match, and the day the to-date rollup is at. A page past the end has no row to carry
        // the count: the count and the day are read, and the last page. Then the names the page's schools share with
        // another school of the county (lowered by the database; shown with the URN, as the whole table shows it):
        // a statement of its own, since asked inside the page's (grouping every name, or a scan per row) it cost more.
        for (var round = 0; round < 2; round++)
        {
            var page = await Sorted(rows, query).Skip((query.Page - 1) * SchoolQuery.PageSize).Take(SchoolQuery.PageSize)
                .Select(r => new
                {
                    r.Name, r.Urn, r.Lowered, r.SuspensionsThisYear, r.SuspensionsLastYear, r.ExclusionsThisYear, r.ExclusionsLastYear,
                    Total = schools.Count(),
                    AsOf = asOf.FirstOrDefault(),
                }).ToListAsync(ct);
            if (page.Count > 0)
            {
                if (page[0].AsOf != todayStamp)
                    break;
                var names = page.Select(r => r.Lowered).Distinct().ToList();
                var alike = await countySchools.Where(o => names.Contains(o.Name.ToLower())).Select(o => o.Name).ToListAsync(ct);
                var shared = alike.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
                return new SchoolPage(query, page.Select(r => new FigureRow(ExclusionFigures.SchoolLabel(r.Name, r.Urn, shared.Contains(r.Name)),
                    r.SuspensionsThisYear, r.SuspensionsLastYear, r.ExclusionsThisYear, r.ExclusionsLastYear)).ToList(), page[0].Total, districts);
            }
            var counted = await asOf.Select(a => new { AsOf = a, Total = schools.Count() }).FirstOrDefaultAsync(ct);
            if (counted?.AsOf != todayStamp)
                break;
            if (counted.Total == 0 || query.Page == 1)
                return new SchoolPage(query with { Page = 1 }, [], counted.Total, districts);
            query = query with { Page = Math.Max(1, (counted.Total + SchoolQuery.PageSize - 1) / SchoolQuery.PageSize) };
        }
        return Of(await ExclusionFigures.NamedAsync(db, part, today, null, ct), today, query, districts);
    }

    /// <summary>The county's districts, in order (the district filter's choices).</summary>
    internal static IReadOnlyList<string> Districts(ExclusionFigures.CountyPart part) =>
        part.Groups.Select(g => g.District).Distinct().Order(StringComparer.Ordinal).ToList();

    private static IQueryable<Row> Sorted(IQueryable<Row> rows, SchoolQuery query)
    {
        var byName = query.Sort == SchoolSort.Name;
        IOrderedQueryable<Row> sorted = (query.Sort, query.Descending) switch
        {
            (SchoolSort.SuspensionsThisYear, false) => rows.OrderBy(r => r.SuspensionsThisYear),
            (SchoolSort.SuspensionsThisYear, true) => rows.OrderByDescending(r => r.SuspensionsThisYear),
            (SchoolSort.SuspensionsLastYear, false) => rows.OrderBy(r => r.SuspensionsLastYear),
            (SchoolSort.SuspensionsLastYear, true) => rows.OrderByDescending(r => r.SuspensionsLastYear),
            (SchoolSort.ExclusionsThisYear, false) => rows.OrderBy(r => r.ExclusionsThisYear),
            (SchoolSort.ExclusionsThisYear, true) => rows.OrderByDescending(r => r.ExclusionsThisYear),
            (SchoolSort.ExclusionsLastYear, false) => rows.OrderBy(r => r.ExclusionsLastYear),
            (SchoolSort.ExclusionsLastYear, true) => rows.OrderByDescending(r => r.ExclusionsLastYear),
            (_, true) => rows.OrderByDescending(r => r.Name),
            _ => rows.OrderBy(r => r.Name),
        };
        // Ties in name order (then URN, then the key, so that a page never repeats or skips a school).
        if (!byName)
            sorted = sorted.ThenBy(r => r.Name);
        return byName && query.Descending ? sorted.ThenByDescending(r => r.Urn).ThenByDescending(r => r.Id) : sorted.ThenBy(r => r.Urn).ThenBy(r => r.Id);
    }

    /// <summary>The page cut from every school's row, built as the whole table builds them (the same filters, order and names).</summary>
    internal static SchoolPage Of(DashboardCounts counts, DateOnly today, SchoolQuery query, IReadOnlyList<string> districts)
    {
        query = query.Tidy();
        IEnumerable<(DashboardSchool School, FigureRow Row)> rows = ExclusionFigures.SchoolRows(counts.Schools, counts.Named, today, _ => true);
        if (query.District is { } district)
            rows = rows.Where(r => r.School.District == district);
        if (query.Name is { } name)
            rows = rows.Where(r => r.School.Name.Contains(name, StringComparison.OrdinalIgnoreCase));
        var all = rows.ToList();
        Func<(DashboardSchool School, FigureRow Row), int>? column = query.Sort switch
        {
            SchoolSort.SuspensionsThisYear => r => r.Row.SuspensionsThisYear,
            SchoolSort.SuspensionsLastYear => r => r.Row.SuspensionsLastYear,
            SchoolSort.ExclusionsThisYear => r => r.Row.ExclusionsThisYear,
            SchoolSort.ExclusionsLastYear => r => r.Row.ExclusionsLastYear,
            _ => null,
        };
        IOrderedEnumerable<(DashboardSchool School, FigureRow Row)> sorted = column is null
            ? query.Descending
                ? all.OrderByDescending(r => r.School.Name, StringComparer.Ordinal).ThenByDescending(r => r.School.Urn, StringComparer.Ordinal).ThenByDescending(r => r.School.Id)
                : all.OrderBy(r => r.School.Name, StringComparer.Ordinal).ThenBy(r => r.School.Urn, StringComparer.Ordinal).ThenBy(r => r.School.Id)
            : (query.Descending ? all.OrderByDescending(column) : all.OrderBy(column))
                .ThenBy(r => r.School.Name, StringComparer.Ordinal).ThenBy(r => r.School.Urn, StringComparer.Ordinal).ThenBy(r => r.School.Id);
        var pageCount = Math.Max(1, (all.Count + SchoolQuery.PageSize - 1) / SchoolQuery.PageSize);
        query = query with { Page = Math.Min(query.Page, pageCount) };
        return new SchoolPage(query, sorted.Skip((query.Page - 1) * SchoolQuery.PageSize).Take(SchoolQuery.PageSize).Select(r => r.Row).ToList(), all.Count, districts);
    }
}
