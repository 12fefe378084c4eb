using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Schools.Dashboard;

/// <summary>A school as the dashboard groups it. District by the statistics' one rule (<see cref="Evidence.ExclusionStatistics.DistrictOfAreaAsync"/>): a ward's parent (the ward itself with none), a district itself; a school placed on the county itself is "Countywide".</summary>
public sealed record DashboardSchool(Guid Id, string Name, SchoolPhase? Phase, string District, string? Urn = null);

/// <summary>How many suspensions or permanent exclusions one school started on one day, or over days that share a month and a side of last year's "to date" (the first of them as the date).</summary>
public sealed record DayCount(Guid SchoolId, ExclusionKind Kind, DateOnly Date, int Count);

/// <summary>Suspensions or permanent exclusions of one district and phase over days that share a month and a side of last year's "to date" (the first of them as the date).</summary>
public sealed record CellCount(string District, SchoolPhase? Phase, ExclusionKind Kind, DateOnly Date, int Count);

/// <summary>
/// What the dashboard reads: the schools it may name (and any sharing a name with one of them), the
/// counts by district and phase, to date by each named school, and the districts and phases the
/// county's schools fall in.
/// </summary>
public sealed record DashboardCounts(IReadOnlyList<DashboardSchool> Schools, IReadOnlyList<CellCount> Cells, IReadOnlyList<DayCount> Named,
    IReadOnlyList<(string District, SchoolPhase? Phase)> Groups, IReadOnlyList<CellCount>? Months = null)
{
    public ExclusionFigures Build(DateOnly today, Func<Guid, bool> nameSchool) => ExclusionFigures.Build(Schools, Cells, Named, today, nameSchool, Groups, Months);
}

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
        var bySchool = schools.ToDictionary(s => s.Id);
        var cells = counts.Where(c => bySchool.ContainsKey(c.SchoolId))
            .GroupBy(c => (bySchool[c.SchoolId].District, bySchool[c.SchoolId].Phase, c.Kind, c.Date))
            .Select(g => new CellCount(g.Key.District, g.Key.Phase, g.Key.Kind, g.Key.Date, g.Sum(c => c.Count)))
            .ToList();
        return Build(schools, cells, counts.Where(c => bySchool.ContainsKey(c.SchoolId) && nameSchool(c.SchoolId)).ToList(), today, nameSchool,
            schools.Select(s => (s.District, s.Phase)).Distinct().ToList());
    }

    /// <summary>
    /// Builds the figures from counts summed to district and phase (<paramref name="cells"/>: the
    /// month, total, district and phase tables) and, for the schools the viewer may see named, to
    /// the school (<paramref name="named"/>). <see cref="LoadAsync"/> sums both in the database.
    /// <paramref name="groups"/> are the districts and phases the county's schools fall in (a row
    /// each); <paramref name="schools"/> need hold only those the viewer may see named.
    /// <paramref name="monthCells"/>, when given, are the month table's sums (no district: already kept
    /// to those districts and phases), and <paramref name="cells"/> then need hold only "to date" sums.
    /// </summary>
    public static ExclusionFigures Build(IReadOnlyList<DashboardSchool> schools, IReadOnlyList<CellCount> cells, IReadOnlyList<DayCount> named, DateOnly today, Func<Guid, bool> nameSchool,
        IReadOnlyList<(string District, SchoolPhase? Phase)> groups, IReadOnlyList<CellCount>? monthCells = null)
    {
        var year = AcademicYear.Of(today);
        bool ThisYearToDate(DateOnly d) => SidesToDate(d, year, today).ThisYear;
        bool LastYearToDate(DateOnly d) => SidesToDate(d, year, today).LastYear;
        FigureRow Row<T>(string group, IEnumerable<T> cs, Func<T, ExclusionKind> kindOf, Func<T, DateOnly> dateOf, Func<T, int> countOf)
        {
            var list = cs as IReadOnlyCollection<T> ?? cs.ToList();
            int Sum(ExclusionKind kind, Func<DateOnly, bool> when) => list.Where(c => kindOf(c) == kind && when(dateOf(c))).Sum(countOf);
            return new FigureRow(group,
                Sum(ExclusionKind.Suspension, ThisYearToDate), Sum(ExclusionKind.Suspension, LastYearToDate),
                Sum(ExclusionKind.PermanentExclusion, ThisYearToDate), Sum(ExclusionKind.PermanentExclusion, LastYearToDate));
        }
        FigureRow CellRow(string group, IEnumerable<CellCount> cs) => Row(group, cs, c => c.Kind, c => c.Date, c => c.Count);

        var districtNames = groups.Select(g => g.District).ToHashSet(StringComparer.Ordinal);
        var phaseSet = groups.Select(g => g.Phase).ToHashSet();
        var known = cells.Where(c => districtNames.Contains(c.District) && phaseSet.Contains(c.Phase)).ToList();
        // The month table from the cells, or from sums by month already kept to the county's districts and phases.
        var byMonth = monthCells ?? known;

        var months = new List<FigureRow>();
        for (var m = year.Start; m <= today; m = m.AddMonths(1))
        {
            var lastMonth = m.AddYears(-1);
            bool InThis(DateOnly d) => d.Year == m.Year && d.Month == m.Month && d <= today;
            bool InLast(DateOnly d) => d.Year == lastMonth.Year && d.Month == lastMonth.Month;
            int Sum(ExclusionKind kind, Func<DateOnly, bool> when) => byMonth.Where(c => c.Kind == kind && when(c.Date)).Sum(c => c.Count);
            months.Add(new FigureRow(m.ToString("MMMM", CultureInfo.InvariantCulture),
                Sum(ExclusionKind.Suspension, InThis), Sum(ExclusionKind.Suspension, InLast),
                Sum(ExclusionKind.PermanentExclusion, InThis), Sum(ExclusionKind.PermanentExclusion, InLast)));
        }

        var byDistrict = known.ToLookup(c => c.District, StringComparer.Ordinal);
        var byPhase = known.ToLookup(c => c.Phase);
        var districts = districtNames.Order(StringComparer.Ordinal)
            .Select(d => CellRow(d, byDistrict[d])).ToList();
        var phases = phaseSet.OrderBy(p => p.HasValue ? (int)p.Value : int.MaxValue)
            .Select(p => CellRow(PhaseLabel(p), byPhase[p])).ToList();
        var namedRows = SchoolRows(schools, named, today, nameSchool).Select(r => r.Row).ToList();
        return new ExclusionFigures(year, today, months, CellRow("Total", known), districts, phases, namedRows);
    }

    /// <summary>
    /// The school table's rows, each with its school: the schools <paramref name="nameSchool"/> names, in name
    /// order (then URN), each with its four to-date sums from <paramref name="named"/> and its name as shown
    /// (two schools of one name, an academy and the school it replaced say, told apart by their URNs).
    /// </summary>
    internal static IReadOnlyList<(DashboardSchool School, FigureRow Row)> SchoolRows(IReadOnlyList<DashboardSchool> schools, IReadOnlyList<DayCount> named, DateOnly today, Func<Guid, bool> nameSchool)
    {
        var year = AcademicYear.Of(today);
        var shared = schools.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Each school's four sums in one pass over the counts (21,000 schools on the inclusion team's whole table).
        var sumsOfSchool = new Dictionary<Guid, FigureRow>();
        foreach (var c in named)
        {
            var (thisYear, lastYear) = SidesToDate(c.Date, year, today);
            if (!thisYear && !lastYear)
                continue;
            var suspension = c.Kind == ExclusionKind.Suspension;
            var r = sumsOfSchool.GetValueOrDefault(c.SchoolId) ?? new FigureRow("", 0, 0, 0, 0);
            sumsOfSchool[c.SchoolId] = r with
            {
                SuspensionsThisYear = r.SuspensionsThisYear + (suspension && thisYear ? c.Count : 0),
                SuspensionsLastYear = r.SuspensionsLastYear + (suspension && lastYear ? c.Count : 0),
                ExclusionsThisYear = r.ExclusionsThisYear + (c.Kind == ExclusionKind.PermanentExclusion && thisYear ? c.Count : 0),
                ExclusionsLastYear = r.ExclusionsLastYear + (c.Kind == ExclusionKind.PermanentExclusion && lastYear ? c.Count : 0),
            };
        }
        return schools.Where(s => nameSchool(s.Id)).OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Urn, StringComparer.Ordinal)
            .Select(s => (s, (sumsOfSchool.GetValueOrDefault(s.Id) ?? new FigureRow("", 0, 0, 0, 0)) with { Group = SchoolLabel(s.Name, s.Urn, shared.Contains(s.Name)) }))
            .ToList();
    }

    /// <summary>Whether a day falls in <paramref name="year"/> (today's academic year) to <paramref name="today"/>, or in the last one to the same day a year ago.</summary>
    private static (bool ThisYear, bool LastYear) SidesToDate(DateOnly day, AcademicYear year, DateOnly today) =>
        (day >= year.Start && day <= today, day >= year.Previous.Start && day <= today.AddYears(-1));

    /// <summary>A school's name as the school table shows it: with its URN when another school of the county shares the name.</summary>
    internal static string SchoolLabel(string name, string? urn, bool shared) => shared ? $"{name} (URN {urn ?? "not recorded"})" : name;

    public static string PhaseLabel(SchoolPhase? phase) => phase switch
    {
        SchoolPhase.Primary => "Primary",
        SchoolPhase.Secondary => "Secondary",
        SchoolPhase.AllThrough => "All-through",
        SchoolPhase.Special => "Special",
        SchoolPhase.AlternativeProvision => "Alternative provision",
        _ => "Phase not recorded",
    };

    /// <summary>The columns of the CSV and the spreadsheet.</summary>
    public static readonly IReadOnlyList<string> ExportHeadings =
        ["Breakdown", "Group", "Suspensions this year", "Suspensions last year", "Permanent exclusions this year", "Permanent exclusions last year"];

    /// <summary>The same tables as the page, one row per table row, the school table whole (every school the reader may see named, where the page shows one page of it).</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', ExportHeadings)).Append("\r\n");
        foreach (var table in Tables)
            foreach (var r in table.Rows)
                csv.Append(CultureInfo.InvariantCulture, $"{Field(table.Breakdown)},{Field(r.Group)},{r.SuspensionsThisYear},{r.SuspensionsLastYear},{r.ExclusionsThisYear},{r.ExclusionsLastYear}\r\n");
        return csv.ToString();
    }

    /// <summary>The CSV's rows as a spreadsheet's (the counts as numbers).</summary>
    public Shell.Exports.ExportTable ToExport() => new("Suspensions and exclusions", ExportHeadings,
        Tables.SelectMany(t => t.Rows.Select(r => (IReadOnlyList<object?>)[t.Breakdown, r.Group, r.SuspensionsThisYear, r.SuspensionsLastYear, r.ExclusionsThisYear, r.ExclusionsLastYear])).ToList());

    // RFC 4180 quoting, and a leading formula character neutralised so a spreadsheet never runs a school's name.
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

    /// <summary>
    /// What the dashboard of the county that holds <paramref name="organisationAreaId"/> reads,
    /// summed in the database from the rollups (counts only; no pupil-level row is read): the
    /// counts by area, phase, kind and month over this academic year and last from the rollup by
    /// area and phase (<see cref="ExclusionAreaMonthCount"/>; the two months a "to date" cuts by
    /// day), mapped to districts here (<see cref="CellCount"/>); the districts and phases the
    /// county's schools fall in; and to date by school for the schools in <paramref name="named"/>
    /// only (null: every school; empty: none), with only those schools read (and any school sharing
    /// a name with one of them, so that the two are told apart as before).
    /// </summary>
    public static async Task<DashboardCounts> LoadAsync(WaypointDbContext db, Guid organisationAreaId, DateOnly today, IReadOnlyCollection<Guid>? named, CancellationToken ct) =>
        await NamedAsync(db, await CountyAsync(db, organisationAreaId, today, ct), today, named, ct);

    /// <summary>
    /// The figures as <see cref="LoadAsync"/> reads them and <see cref="DashboardCounts.Build"/> builds
    /// them, kept until the whole exclusion stamp moves (<see cref="Evidence.EvidenceStamps.Exclusions"/>:
    /// every change to a school or area, a rebuild, a roll-forward), or the county's own stamp moves (a
    /// write of its schools' pupils' records), each in the writer's transaction, or the day changes. A
    /// write in another county leaves them kept. Kept per reader scope: the figures of <paramref name="named"/>
    /// (every school, none, or one school's own) are kept apart, so a reader is given only what was built
    /// for readers who may see the same; the county's no-school tables are kept once and shared by every scope.
    /// </summary>
    public static async Task<ExclusionFigures> KeptAsync(WaypointDbContext db, Guid organisationAreaId, DateOnly today, IReadOnlyCollection<Guid>? named, Func<Guid, bool> nameSchool, CancellationToken ct)
    {
        var (version, county, use) = await VersionAsync(db, organisationAreaId, today, ct);
        return await FiguresAsync(db, organisationAreaId, county, today, named, nameSchool, version, use, ct);
    }

    /// <summary>
    /// The inclusion team's page: the tables that name no school (as <see cref="KeptAsync"/> keeps them for
    /// every reader) and the page of the school table asked for (<see cref="SchoolTable"/>: sorted, filtered
    /// and cut to a page in the database), each kept under the same stamps and day.
    /// </summary>
    public static async Task<(ExclusionFigures Figures, SchoolPage Schools)> KeptPageAsync(WaypointDbContext db, Guid organisationAreaId, DateOnly today, SchoolQuery query, CancellationToken ct)
    {
        var (version, county, use) = await VersionAsync(db, organisationAreaId, today, ct);
        var figures = await FiguresAsync(db, organisationAreaId, county, today, [], _ => false, version, use, ct);
        var key = (organisationAreaId, query.Tidy().Key);
        if (KeptPages.TryGetValue(key, out var kept) && kept.Version == version)
        {
            KeptPages[key] = kept with { Used = use };
            return (figures, kept.Page);
        }
        var page = await SchoolTable.ReadAsync(db, (await CountyPartAsync(db, organisationAreaId, county, today, version, use, ct)).Part, today, query, ct);
        KeptPages[key] = new KeptPage(version, page, use);
        EvictLeastUsed(KeptPages, k => k.Used, KeptFiguresAtMost);
        return (figures, page);
    }

    /// <summary>
    /// What kept figures depend on, read first: figures read after the stamps are at least as new, so they are
    /// never kept under a later stamp than their own. The whole stamp (the register, rebuilds, roll-forwards),
    /// the county (read under it) and the county's own stamp (writes of its schools' pupils only): once the
    /// county of the area is known under the whole stamp, the two stamps are one statement.
    /// </summary>
    private static async Task<(string Version, Guid County, long Use)> VersionAsync(WaypointDbContext db, Guid organisationAreaId, DateOnly today, CancellationToken ct)
    {
        var (whole, countyId, own) = await Evidence.EvidenceStamps.ReadForAreaAsync(db, organisationAreaId, ct);
        return ($"{whole}|{countyId:N}={own}|{today:yyyy-MM-dd}", countyId, Interlocked.Increment(ref keptUse));
    }

    private static async Task<ExclusionFigures> FiguresAsync(WaypointDbContext db, Guid organisationAreaId, Guid countyId, DateOnly today, IReadOnlyCollection<Guid>? named, Func<Guid, bool> nameSchool,
        string version, long use, CancellationToken ct)
    {
        var scope = (organisationAreaId, named is null ? "every school" : string.Join(',', named.Order()));
        if (KeptFigures.TryGetValue(scope, out var kept) && kept.Version == version)
        {
            KeptFigures[scope] = kept with { Used = use };
            return kept.Figures;
        }
        var county = await CountyPartAsync(db, organisationAreaId, countyId, today, version, use, ct);
        var figures = (await NamedAsync(db, county.Part, today, named, ct)).Build(today, nameSchool);
        KeptFigures[scope] = new KeptFigure(version, figures, use);
        EvictLeastUsed(KeptFigures, k => k.Used, KeptFiguresAtMost);
        return figures;
    }

    /// <summary>The county's no-school part, kept once under the version and shared by every scope and page.</summary>
    private static async Task<KeptCounty> CountyPartAsync(WaypointDbContext db, Guid organisationAreaId, Guid countyId, DateOnly today, string version, long use, CancellationToken ct)
    {
        if (!KeptCounties.TryGetValue(organisationAreaId, out var county) || county.Version != version)
            county = new KeptCounty(version, await OfCountyAsync(db, countyId, today, ct), use);
        KeptCounties[organisationAreaId] = county with { Used = use };
        EvictLeastUsed(KeptCounties, k => k.Used, KeptCountiesAtMost);
        return county;
    }

    private const int KeptCountiesAtMost = 100;
    private const int KeptFiguresAtMost = 5_000;
    private static long keptUse;

    /// <summary>Past the bound, the least recently used half goes (never everything: the counties in use stay kept).</summary>
    internal static void EvictLeastUsed<TKey, TValue>(System.Collections.Concurrent.ConcurrentDictionary<TKey, TValue> kept, Func<TValue, long> used, int atMost)
        where TKey : notnull
    {
        if (kept.Count <= atMost)
            return;
        foreach (var old in kept.OrderBy(k => used(k.Value)).Take(kept.Count - atMost / 2).ToList())
            kept.TryRemove(old.Key, out _);
    }

    /// <summary>Drops every kept figure (the bench times a cold read with it).</summary>
    public static void ForgetKept()
    {
        KeptFigures.Clear();
        KeptCounties.Clear();
        KeptPages.Clear();
    }

    private readonly record struct KeptFigure(string Version, ExclusionFigures Figures, long Used);
    private readonly record struct KeptCounty(string Version, CountyPart Part, long Used);
    private readonly record struct KeptPage(string Version, SchoolPage Page, long Used);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Area, string Named), KeptFigure> KeptFigures = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, KeptCounty> KeptCounties = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Area, string Query), KeptPage> KeptPages = new();

    /// <summary>The no-school part of a county's dashboard: its areas' districts, and the counts by district and phase.</summary>
    internal sealed record CountyPart(IReadOnlyDictionary<Guid, string> DistrictOfArea, IReadOnlyList<Guid> AreaIds, IReadOnlyList<CellCount> Cells,
        IReadOnlyList<(string District, SchoolPhase? Phase)> Groups, IReadOnlyList<CellCount> Months);

    internal static async Task<CountyPart> CountyAsync(WaypointDbContext db, Guid organisationAreaId, DateOnly today, CancellationToken ct) =>
        await OfCountyAsync(db, await Evidence.EvidenceStamps.CountyOfAsync(db, organisationAreaId, ct), today, ct);

    // What each row of the county's one summing statement sums.
    private const int WholeMonths = 0, ThisYearDays = 1, LastYearDays = 2, MonthTable = 3;

    /// <summary>The no-school part of <paramref name="county"/>'s dashboard (the county already known, as the kept read knows it with its stamp).</summary>
    internal static async Task<CountyPart> OfCountyAsync(WaypointDbContext db, Guid county, DateOnly today, CancellationToken ct)
    {
        // The county's areas, each with its district by the statistics' one rule (a ward's parent, or itself with none).
        var districtOfArea = await Evidence.ExclusionStatistics.DistrictOfAreaAsync(db,
            db.Areas.AsNoTracking().Where(a => a.Id == county || a.ParentId == county || a.Parent!.ParentId == county), ct);
        var areaIds = districtOfArea.Keys.Order().ToList();
        var countySchools = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && areaIds.Contains(o.AreaId));
        // The districts and phases the county's schools fall in (a row each, with zeros where nothing was counted).
        var groups = (await countySchools.Select(o => new { o.AreaId, o.Phase }).Distinct().ToListAsync(ct))
            .Select(g => (District: districtOfArea[g.AreaId], g.Phase)).Distinct().ToList();

        var year = AcademicYear.Of(today);
        var lastToDate = today.AddYears(-1);
        // Two months are cut by a day: this one at today (a suspension entered ahead of its day is not
        // yet counted) and last year's at the same day. Every other month is whole, from the month rows
        // (a few an area, phase and month however many schools); the cut months' parts from the day rows.
        var thisCut = new DateOnly(today.Year, today.Month, 1);
        var lastCut = new DateOnly(lastToDate.Year, lastToDate.Month, 1);
        // Only the cells of the county's districts and phases count (as Build's filter keeps them): the database
        // sums the county's areas in those districts and phases (about 1,200 rows of sums leave it, not every area's
        // month rows).
        var districtNames = groups.Select(g => g.District).ToHashSet(StringComparer.Ordinal);
        var knownAreas = areaIds.Where(a => districtNames.Contains(districtOfArea[a])).ToList();
        var knownPhases = groups.Select(g => ExclusionAreaMonthCount.PhaseKey(g.Phase)).Distinct().ToList();
        // Every sum in one statement (UNION ALL, as both databases run it), each row marked with what it sums, of the
        // known areas (inlined as constants, EF.Constant: keys the app read, never user input; a constant list is hashed,
        // where a parameter array is searched row by row in a prepared statement's generic plan, wave 22d) and phases only.
        // The month rows read are only those a table uses: this year's whole months before its cut, and last year's from
        // September to its cut month whole (the month table shows last year's months whole beside this year's to date);
        // the months between (last January to August, in December eight of fifteen) were read and summed for nothing.
        // From them: each area, phase and kind's two whole-month sums to date (two sums a row, not one a month: the
        // month table needs no area), and the month table by month, phase and kind (a few dozen rows). Then the two cut
        // months' days to their day, an arm each (one read of both ranges joined by OR scanned the whole day rollup).
        var sums = knownAreas.Count == 0 ? [] : await CountySumsAsync(db, knownAreas, knownPhases, year, today, thisCut, lastCut, ct);
        var wholeMonths = sums.Where(r => r.Part == WholeMonths).ToList();
        var thisMonths = wholeMonths.Select(r => new { r.AreaId, r.Phase, r.Kind, Count = r.ThisYear }).ToList();
        var lastMonths = wholeMonths.Select(r => new { r.AreaId, r.Phase, r.Kind, Count = r.LastYear }).ToList();
        var thisDays = sums.Where(r => r.Part == ThisYearDays).Select(r => new { r.AreaId, r.Phase, r.Kind, Count = r.ThisYear }).ToList();
        var lastDays = sums.Where(r => r.Part == LastYearDays).Select(r => new { r.AreaId, r.Phase, r.Kind, Count = r.LastYear }).ToList();
        // To-date cells dated the first day of their year (inside its "to date", whatever the day); the
        // month table's cells apart, by month with no district (this month's from its days).
        var cells = thisMonths.Concat(thisDays)
            .Select(c => new CellCount(districtOfArea[c.AreaId], ExclusionAreaMonthCount.PhaseOf(c.Phase), c.Kind, year.Start, c.Count))
            .Concat(lastMonths.Concat(lastDays)
                .Select(c => new CellCount(districtOfArea[c.AreaId], ExclusionAreaMonthCount.PhaseOf(c.Phase), c.Kind, year.Previous.Start, c.Count)))
            .ToList();
        var months = sums.Where(r => r.Part == MonthTable).GroupBy(r => (r.Month, r.Kind))
            .Select(g => new CellCount("", null, g.Key.Kind, g.Key.Month, g.Sum(r => r.ThisYear)))
            .Concat(thisDays.GroupBy(d => d.Kind).Select(g => new CellCount("", null, g.Key, thisCut, g.Sum(d => d.Count))))
            .ToList();
        return new CountyPart(districtOfArea, areaIds, cells, groups, months);
    }

    /// <summary>A row of the county's summing statement: what it sums (<see cref="WholeMonths"/> and the rest), its area (none for the month table), phase, kind and month (the month table's only), and its sums.</summary>
    private sealed record CountySum(int Part, Guid AreaId, string Phase, ExclusionKind Kind, DateOnly Month, int ThisYear, int LastYear);

    /// <summary>The county's sums in one statement (see <see cref="OfCountyAsync"/>).</summary>
    private static async Task<List<CountySum>> CountySumsAsync(WaypointDbContext db, List<Guid> knownAreas, List<string> knownPhases, AcademicYear year, DateOnly today,
        DateOnly thisCut, DateOnly lastCut, CancellationToken ct)
    {
        var since = year.Previous.Start;
        var lastToDate = today.AddYears(-1);
        var noArea = Guid.Empty;
        // Each arm reads one contiguous range of months (wave 26a): the primary key leads with "Month", so a range is an
        // index range of a few thousand rows. The two ranges joined by OR were planned as a sequential scan of every
        // month row (34,572 at England scale) with the area list tested on each, the cost of the county's sums (wave
        // 25a). Last year's months from September to its cut month whole (its to-date sums stop before the cut month,
        // the month table shows it whole) and this year's whole months before its cut: disjoint, as last year's cut
        // month is in last academic year.
        var months = db.ExclusionAreaMonthCounts.AsNoTracking().Where(m => EF.Constant(knownAreas).Contains(m.AreaId) && knownPhases.Contains(m.Phase));
        var lastYearMonths = months.Where(m => m.Month >= since && m.Month <= lastCut);
        var thisYearMonths = months.Where(m => m.Month >= year.Start && m.Month < thisCut);
        var dayRows = db.ExclusionAreaDayCounts.AsNoTracking().Where(d => EF.Constant(knownAreas).Contains(d.AreaId) && knownPhases.Contains(d.Phase));
        var thisToDateArm = thisYearMonths.GroupBy(m => new { m.AreaId, m.Phase, m.Kind })
            .Select(g => new { Part = WholeMonths, g.Key.AreaId, g.Key.Phase, g.Key.Kind, Month = since, ThisYear = g.Sum(x => x.Count), LastYear = 0 });
        var lastToDateArm = lastYearMonths.Where(m => m.Month < lastCut).GroupBy(m => new { m.AreaId, m.Phase, m.Kind })
            .Select(g => new { Part = WholeMonths, g.Key.AreaId, g.Key.Phase, g.Key.Kind, Month = since, ThisYear = 0, LastYear = g.Sum(x => x.Count) });
        var thisMonthArm = thisYearMonths.GroupBy(m => new { m.Month, m.Phase, m.Kind })
            .Select(g => new { Part = MonthTable, AreaId = noArea, g.Key.Phase, g.Key.Kind, g.Key.Month, ThisYear = g.Sum(x => x.Count), LastYear = 0 });
        var lastMonthArm = lastYearMonths.GroupBy(m => new { m.Month, m.Phase, m.Kind })
            .Select(g => new { Part = MonthTable, AreaId = noArea, g.Key.Phase, g.Key.Kind, g.Key.Month, ThisYear = g.Sum(x => x.Count), LastYear = 0 });
        var thisCutDays = dayRows.Where(d => d.Date >= thisCut && d.Date <= today)
            .GroupBy(d => new { d.AreaId, d.Phase, d.Kind })
            .Select(g => new { Part = ThisYearDays, g.Key.AreaId, g.Key.Phase, g.Key.Kind, Month = since, ThisYear = g.Sum(x => x.Count), LastYear = 0 });
        var lastCutDays = dayRows.Where(d => d.Date >= lastCut && d.Date <= lastToDate)
            .GroupBy(d => new { d.AreaId, d.Phase, d.Kind })
            .Select(g => new { Part = LastYearDays, g.Key.AreaId, g.Key.Phase, g.Key.Kind, Month = since, ThisYear = 0, LastYear = g.Sum(x => x.Count) });
        var rows = await thisToDateArm.Concat(lastToDateArm).Concat(thisMonthArm).Concat(lastMonthArm).Concat(thisCutDays).Concat(lastCutDays).ToListAsync(ct);
        return rows.Select(r => new CountySum(r.Part, r.AreaId, r.Phase, r.Kind, r.Month, r.ThisYear, r.LastYear)).ToList();
    }

    /// <summary>The named part: the schools the reader may see named (and any sharing a name with one), and their to-date counts.</summary>
    internal static async Task<DashboardCounts> NamedAsync(WaypointDbContext db, CountyPart part, DateOnly today, IReadOnlyCollection<Guid>? named, CancellationToken ct)
    {
        var (districtOfArea, areaIds, cells, groups) = (part.DistrictOfArea, part.AreaIds, part.Cells, part.Groups);
        var monthCells = part.Months;
        // No school named (an analyst's page, the paged page's other tables): no school is read.
        if (named is { Count: 0 })
            return new DashboardCounts([], cells, [], groups, monthCells);
        var countySchools = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && areaIds.Contains(o.AreaId));
        var schoolRows = countySchools;
        if (named is not null)
        {
            // The named schools by key, then any school of the county sharing a name with one of them.
            var names = await countySchools.Where(o => named.Contains(o.Id)).Select(o => o.Name.ToLower()).ToListAsync(ct);
            schoolRows = countySchools.Where(o => named.Contains(o.Id) || names.Contains(o.Name.ToLower()));
        }
        var year = AcademicYear.Of(today);
        var lastToDate = today.AddYears(-1);
        var thisCut = new DateOnly(today.Year, today.Month, 1);
        var lastCut = new DateOnly(lastToDate.Year, lastToDate.Month, 1);

        var namedCounts = new List<DayCount>();
        if (named is null || named.Count > 0)
        {
            // To date only (the school table's two columns a kind): the schools and their rows of the
            // to-date rollup in one statement (a left join: a school with nothing counted has no row), the
            // days since its as-of day added; or, when it cannot answer, the whole months before each cut
            // summed from the month rows, then the cut months' days.
            var ids = countySchools.Select(o => o.Id);
            if (named is not null)
                ids = ids.Where(id => named.Contains(id));
            if (await Evidence.ExclusionToDate.AsOfAsync(db, ct) is { } asOf && AcademicYear.Of(asOf) == year)
            {
                var joined = await schoolRows.LeftJoin(db.ExclusionSchoolToDates.AsNoTracking(), o => o.Id, t => t.SchoolId, (o, t) => new
                {
                    o.Id, o.Name, o.Urn, o.Phase, o.AreaId, Counted = t != null,
                    St = t == null ? 0 : t.SuspensionsThisYear, Sl = t == null ? 0 : t.SuspensionsLastYear,
                    Et = t == null ? 0 : t.ExclusionsThisYear, El = t == null ? 0 : t.ExclusionsLastYear,
                }).ToListAsync(ct);
                // The as-of day read again: a roll-forward committed between the two reads would have the rows and the day disagree.
                if (await Evidence.ExclusionToDate.AsOfAsync(db, ct) == asOf)
                {
                    var counts = joined.Where(r => r.Counted && (named is null || named.Contains(r.Id)))
                        .ToDictionary(r => r.Id, r => new Evidence.ToDateCounts(r.St, r.Sl, r.Et, r.El));
                    if (asOf != today)
                        foreach (var (school, add) in await Evidence.ExclusionToDate.BetweenAsync(db, db.ExclusionDayCounts.AsNoTracking().Where(d => ids.Contains(d.SchoolId)), asOf, today, ct))
                            counts[school] = counts.GetValueOrDefault(school) + add;
                    foreach (var (school, c) in counts)
                    {
                        namedCounts.Add(new DayCount(school, ExclusionKind.Suspension, year.Start, c.SuspensionsThisYear));
                        namedCounts.Add(new DayCount(school, ExclusionKind.PermanentExclusion, year.Start, c.ExclusionsThisYear));
                        namedCounts.Add(new DayCount(school, ExclusionKind.Suspension, year.Previous.Start, c.SuspensionsLastYear));
                        namedCounts.Add(new DayCount(school, ExclusionKind.PermanentExclusion, year.Previous.Start, c.ExclusionsLastYear));
                    }
                    var joinedSchools = joined.Select(o => new DashboardSchool(o.Id, o.Name, o.Phase, districtOfArea[o.AreaId], o.Urn)).ToList();
                    return new DashboardCounts(joinedSchools, cells, namedCounts, groups, monthCells);
                }
            }
        }
        var schools = (await schoolRows.Select(o => new { o.Id, o.Name, o.Urn, o.Phase, o.AreaId }).ToListAsync(ct))
            .Select(o => new DashboardSchool(o.Id, o.Name, o.Phase, districtOfArea[o.AreaId], o.Urn)).ToList();
        if (named is null || named.Count > 0)
        {
            var ids = countySchools.Select(o => o.Id);
            if (named is not null)
                ids = ids.Where(id => named.Contains(id));
            var months = db.ExclusionMonthCounts.AsNoTracking().Where(m => ids.Contains(m.SchoolId));
            var days = db.ExclusionDayCounts.AsNoTracking().Where(d => ids.Contains(d.SchoolId));
            var thisYear = await months.Where(m => m.Month >= year.Start && m.Month < thisCut)
                .GroupBy(m => new { m.SchoolId, m.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(x => x.Count) }).ToListAsync(ct);
            var lastYear = await months.Where(m => m.Month >= year.Previous.Start && m.Month < lastCut)
                .GroupBy(m => new { m.SchoolId, m.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(x => x.Count) }).ToListAsync(ct);
            var thisDays = await days.Where(d => d.Date >= thisCut && d.Date <= today)
                .GroupBy(d => new { d.SchoolId, d.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(x => x.Count) }).ToListAsync(ct);
            var lastDays = await days.Where(d => d.Date >= lastCut && d.Date <= lastToDate)
                .GroupBy(d => new { d.SchoolId, d.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(x => x.Count) }).ToListAsync(ct);
            namedCounts.AddRange(thisYear.Concat(thisDays).Select(c => new DayCount(c.SchoolId, c.Kind, year.Start, c.Count)));
            namedCounts.AddRange(lastYear.Concat(lastDays).Select(c => new DayCount(c.SchoolId, c.Kind, year.Previous.Start, c.Count)));
        }
        return new DashboardCounts(schools, cells, namedCounts, groups, monthCells);
    }

    /// <summary>Every school of the county that holds <paramref name="organisationAreaId"/>, with its district and phase (the figures built from day rows, in tests and the bench, group by them).</summary>
    public static async Task<IReadOnlyList<DashboardSchool>> SchoolsAsync(WaypointDbContext db, Guid organisationAreaId, CancellationToken ct)
    {
        var county = await Evidence.EvidenceStamps.CountyOfAsync(db, organisationAreaId, ct);
        var districtOfArea = await Evidence.ExclusionStatistics.DistrictOfAreaAsync(db,
            db.Areas.AsNoTracking().Where(a => a.Id == county || a.ParentId == county || a.Parent!.ParentId == county), ct);
        var areaIds = districtOfArea.Keys.Order().ToList();
        var rows = await db.Organisations.AsNoTracking()
            .Where(o => o.Type == OrganisationType.School && areaIds.Contains(o.AreaId))
            .Select(o => new { o.Id, o.Name, o.Urn, o.Phase, o.AreaId })
            .ToListAsync(ct);
        return rows.Select(o => new DashboardSchool(o.Id, o.Name, o.Phase, districtOfArea[o.AreaId], o.Urn)).ToList();
    }
}
