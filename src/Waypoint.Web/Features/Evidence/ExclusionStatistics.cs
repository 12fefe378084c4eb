using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Dashboard;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>A published figure: the count, or why it is not shown.</summary>
public sealed record StatCell(int? Value, string? Withheld = null)
{
    /// <summary>Shown as DfE shows suppressed figures: "c" (confidential: small, or would reveal one that is).</summary>
    public const string Suppressed = "c";

    /// <summary>Not applicable (the measure does not add up over this breakdown).</summary>
    public const string NotApplicable = "z";

    public override string ToString() => Value?.ToString(CultureInfo.InvariantCulture) ?? Withheld ?? "";
}

/// <summary>One row of a published table. Rates are per 100 pupils on roll at the January census, as DfE defines them; null where they cannot be computed or the count is withheld.</summary>
public sealed record StatRow(string Group, StatCell Suspensions, StatCell Exclusions, StatCell PupilsSuspended, int? Headcount,
    decimal? SuspensionRate, decimal? ExclusionRate, decimal? PupilsSuspendedRate);

public sealed record StatTable(string Key, string Caption, string GroupHeading, bool HasRates, IReadOnlyList<StatRow> Rows);

/// <summary>The whole publication: every table, the year to date against the same point last year, and the notes that explain them.</summary>
public sealed record PublishedTables(int AcademicYear, DateOnly Through, int Threshold, string AreaName, IReadOnlyList<StatTable> Tables,
    StatCell SuspensionsToDate, StatCell SuspensionsSamePointLastYear, StatCell ExclusionsToDate, StatCell ExclusionsSamePointLastYear,
    IReadOnlyList<string> Notes)
{
    public string YearLabel => new AcademicYear(AcademicYear).ToString();

    public const string CsvHeader = "Table,Group,Suspensions,Permanent exclusions,Pupils with one or more suspensions,Headcount (January census),Suspension rate,Permanent exclusion rate,One or more suspension rate";

    /// <summary>The same figures as the page, one line a table row, suppression markers as on the page.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(CsvHeader).Append("\r\n");
        foreach (var table in Tables)
            foreach (var r in table.Rows)
                csv.Append(string.Join(',', CsvFields(table, r))).Append("\r\n");
        csv.Append(string.Join(',', "Year to date", Field($"1 September to {Through:d MMMM yyyy}"), SuspensionsToDate, ExclusionsToDate, "", "", "", "", "")).Append("\r\n");
        csv.Append(string.Join(',', "Year to date", Field($"Same point last year ({Through.AddYears(-1):d MMMM yyyy})"), SuspensionsSamePointLastYear, ExclusionsSamePointLastYear, "", "", "", "", "")).Append("\r\n");
        return csv.ToString();
    }

    public static IEnumerable<string> CsvFields(StatTable table, StatRow r) =>
    [
        Field(table.Key), Field(r.Group), r.Suspensions.ToString(), r.Exclusions.ToString(), r.PupilsSuspended.ToString(),
        r.Headcount?.ToString(CultureInfo.InvariantCulture) ?? "", Rate(r.SuspensionRate), Rate(r.ExclusionRate), Rate(r.PupilsSuspendedRate),
    ];

    public static string Rate(decimal? rate) => rate?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";

    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}

/// <summary>A school as the statistics group it: never by name, only its district and phase.</summary>
public sealed record StatisticsSchool(Guid Id, string District, SchoolPhase? Phase);

/// <summary>What the tables are built from: rollup rows only, a row a school.</summary>
public sealed record StatisticsInput(int AcademicYear, DateOnly Through, int Threshold, string AreaName, IReadOnlyList<StatisticsSchool> Schools,
    IReadOnlyList<ExclusionDayCount> Days, IReadOnlyList<ExclusionPupilCount> Pupils, IReadOnlyDictionary<Guid, int> Headcounts,
    IReadOnlyList<ExclusionDayCount> LastYearDays)
{
    /// <summary>
    /// The schools summed to their district-and-phase cells (<see cref="StatisticsCell"/>), with the
    /// sums by school of <paramref name="sums"/>: one pass over the schools, as the database sums them
    /// (<see cref="ExclusionStatistics.CellsAsync"/>).
    /// </summary>
    public StatisticsCells ToCells(StatisticsSums sums)
    {
        var pupils = new Dictionary<Guid, int>();
        foreach (var p in Pupils)
            if (p.Term == ExclusionPupilCount.WholeYear)
                pupils.Add(p.SchoolId, p.PupilsSuspended);
        var cells = new Dictionary<(string District, SchoolPhase? Phase), StatisticsCell>();
        foreach (var s in Schools)
        {
            var headcount = Headcounts.GetValueOrDefault(s.Id);
            var school = new StatisticsCell(s.District, s.Phase, 1,
                sums.BySchool.GetValueOrDefault((s.Id, ExclusionKind.Suspension)), sums.BySchool.GetValueOrDefault((s.Id, ExclusionKind.PermanentExclusion)),
                pupils.GetValueOrDefault(s.Id), headcount > 0 ? headcount : 0, headcount > 0 ? 1 : 0);
            cells[(s.District, s.Phase)] = cells.TryGetValue((s.District, s.Phase), out var cell) ? cell + school : school;
        }
        return new StatisticsCells(AcademicYear, Through, Threshold, AreaName, cells.Values.ToList());
    }
}

/// <summary>
/// The schools of one district and phase summed: how many, their suspensions and permanent exclusions
/// to the publication's end, pupils with one or more suspensions over the year, and the census headcount
/// of those with one (<see cref="SchoolsWithHeadcount"/> of them: a group shows a rate only where every
/// school has one). Every school-grouped table (total, district, phase, district and phase) adds these
/// up; a few hundred cells at England scale instead of 21,000 school rows, and never a school's own.
/// </summary>
public sealed record StatisticsCell(string District, SchoolPhase? Phase, int Schools, int Suspensions, int Exclusions, int PupilsSuspended,
    int Headcount, int SchoolsWithHeadcount)
{
    /// <summary>Two cells of the same district and phase (two counties' "Countywide", say) as one.</summary>
    public static StatisticsCell operator +(StatisticsCell a, StatisticsCell b) => a with
    {
        Schools = a.Schools + b.Schools, Suspensions = a.Suspensions + b.Suspensions, Exclusions = a.Exclusions + b.Exclusions,
        PupilsSuspended = a.PupilsSuspended + b.PupilsSuspended, Headcount = a.Headcount + b.Headcount,
        SchoolsWithHeadcount = a.SchoolsWithHeadcount + b.SchoolsWithHeadcount,
    };
}

/// <summary>What the tables are built from: the district-and-phase cells of the partnership's schools (the sums by day, by reason and last year's beside them, in <see cref="StatisticsSums"/>).</summary>
public sealed record StatisticsCells(int AcademicYear, DateOnly Through, int Threshold, string AreaName, IReadOnlyList<StatisticsCell> Cells);

/// <summary>
/// What the tables need from <see cref="ExclusionDayCount"/>, summed (in the database, by
/// <see cref="ExclusionStatistics.LoadAsync"/>): suspensions and exclusions from 1 September to the
/// publication's end by school, by day (over every school: months and terms are cut from the days,
/// so a term ending inside a month stays exact) and by main reason, and last year's to the same point.
/// A few thousand figures at England scale, however many rows the day rollup holds.
/// </summary>
public sealed record StatisticsSums(
    IReadOnlyDictionary<(Guid School, ExclusionKind Kind), int> BySchool,
    IReadOnlyDictionary<(DateOnly Date, ExclusionKind Kind), int> ByDay,
    IReadOnlyDictionary<(string Reason, ExclusionKind Kind), int> ByReason,
    IReadOnlyDictionary<ExclusionKind, int> LastYear)
{
    /// <summary>The same sums over day rows held in memory (the rows of the partnership's schools, this year to the end and last year to the same point).</summary>
    public static StatisticsSums Of(IEnumerable<ExclusionDayCount> days, IEnumerable<ExclusionDayCount> lastYear) => new(
        days.GroupBy(d => (d.SchoolId, d.Kind)).ToDictionary(g => g.Key, g => g.Sum(d => d.Count)),
        days.GroupBy(d => (d.Date, d.Kind)).ToDictionary(g => g.Key, g => g.Sum(d => d.Count)),
        days.GroupBy(d => (d.ReasonCode, d.Kind)).ToDictionary(g => g.Key, g => g.Sum(d => d.Count)),
        lastYear.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => g.Sum(d => d.Count)));
}

/// <summary>
/// Builds the published exclusion statistics from the rollups: suspensions, permanent exclusions
/// and pupils with one or more suspensions, with rates per 100 pupils, by term, month, district,
/// phase, district and phase, and main reason. No school is named; a group of fewer than
/// <see cref="MinSchools"/> schools is never shown on its own; small numbers are suppressed with
/// secondary suppression over every table together.
/// </summary>
public static partial class ExclusionStatistics
{
    /// <summary>
    /// The fewest schools a shown figure may cover. Two would not do: either school could take its own
    /// figure away and read the other's.
    /// </summary>
    public const int MinSchools = 3;

    private enum Measure { Suspensions, Exclusions, PupilsSuspended }

    /// <summary>A table row's figures: <see cref="Schools"/> is how many schools it covers (every school for the rows by term, month and reason).</summary>
    private sealed class Group(string table, string name, int schools, bool schoolGrouped)
    {
        public string Table { get; } = table;
        public string Name { get; } = name;
        public int Schools { get; } = schools;
        public bool SchoolGrouped { get; } = schoolGrouped;
        public int Headcount { get; init; }
        public int SchoolsWithHeadcount { get; init; }
        public Dictionary<Measure, int> Values { get; } = [];
    }

    public static PublishedTables Build(StatisticsInput input) => Build(input, []);

    /// <summary>
    /// The tables, suppressed together with what is already public: <paramref name="prior"/> holds this
    /// year's earlier versions and last year's publications (the latest of last year is read), so that no
    /// figure hidden here or there can be worked out from the two side by side.
    /// </summary>
    public static PublishedTables Build(StatisticsInput input, IReadOnlyList<PublishedTables> prior)
    {
        var year = new AcademicYear(input.AcademicYear);
        var schoolIds = input.Schools.Select(s => s.Id).ToHashSet();
        var days = input.Days.Where(d => d.Date >= year.Start && d.Date <= input.Through && schoolIds.Contains(d.SchoolId)).ToList();
        var lastThrough = input.Through.AddYears(-1);
        var lastDays = input.LastYearDays.Where(d => schoolIds.Contains(d.SchoolId) && d.Date >= year.Previous.Start && d.Date <= lastThrough).ToList();
        return Build(input, StatisticsSums.Of(days, lastDays), prior);
    }

    /// <summary>The tables from sums of the day rollup (<see cref="StatisticsSums"/>); <paramref name="input"/>'s day rows are not read.</summary>
    public static PublishedTables Build(StatisticsInput input, StatisticsSums sums, IReadOnlyList<PublishedTables> prior) =>
        Build(input.ToCells(sums), sums, prior);

    /// <summary>
    /// The tables from the district-and-phase cells (<see cref="StatisticsCells"/>) and the sums by day, by
    /// reason and last year's (<paramref name="sums"/>' sums by school are not read: the cells hold them).
    /// </summary>
    public static PublishedTables Build(StatisticsCells input, StatisticsSums sums, IReadOnlyList<PublishedTables> prior)
    {
        var year = new AcademicYear(input.AcademicYear);
        // One cell a district and phase (parts read a county at a time may each hold one of the same name).
        var cells = new Dictionary<(string District, SchoolPhase? Phase), StatisticsCell>();
        foreach (var c in input.Cells)
            cells[(c.District, c.Phase)] = cells.TryGetValue((c.District, c.Phase), out var same) ? same + c : c;
        var districts = cells.Keys.Select(k => k.District).Distinct().Order(StringComparer.Ordinal).ToList();
        var phases = cells.Keys.Select(k => k.Phase).Distinct().OrderBy(p => p.HasValue ? (int)p.Value : int.MaxValue).ToList();
        var schoolCount = cells.Values.Sum(c => c.Schools);
        var byDay = sums.ByDay.Where(d => d.Key.Date >= year.Start && d.Key.Date <= input.Through).ToList();

        Group SchoolGroup(string table, string name, IEnumerable<StatisticsCell> of)
        {
            int schools = 0, suspensions = 0, exclusions = 0, pupils = 0, headcount = 0, withHeadcount = 0;
            foreach (var c in of)
            {
                schools += c.Schools;
                suspensions += c.Suspensions;
                exclusions += c.Exclusions;
                pupils += c.PupilsSuspended;
                headcount += c.Headcount;
                withHeadcount += c.SchoolsWithHeadcount;
            }
            var g = new Group(table, name, schools, true) { Headcount = headcount, SchoolsWithHeadcount = withHeadcount };
            g.Values[Measure.Suspensions] = suspensions;
            g.Values[Measure.Exclusions] = exclusions;
            g.Values[Measure.PupilsSuspended] = pupils;
            return g;
        }
        Group DayGroup(string table, string name, Func<DateOnly, bool> which)
        {
            var g = new Group(table, name, schoolCount, false);
            g.Values[Measure.Suspensions] = byDay.Where(d => d.Key.Kind == ExclusionKind.Suspension && which(d.Key.Date)).Sum(d => d.Value);
            g.Values[Measure.Exclusions] = byDay.Where(d => d.Key.Kind == ExclusionKind.PermanentExclusion && which(d.Key.Date)).Sum(d => d.Value);
            return g;
        }
        Group ReasonGroup(string reason)
        {
            var g = new Group("Reason", ExclusionReasons.Describe(reason), schoolCount, false);
            g.Values[Measure.Suspensions] = sums.ByReason.GetValueOrDefault((reason, ExclusionKind.Suspension));
            g.Values[Measure.Exclusions] = sums.ByReason.GetValueOrDefault((reason, ExclusionKind.PermanentExclusion));
            return g;
        }

        var total = SchoolGroup("Total", input.AreaName, cells.Values);
        var byDistrict = districts.Select(d => SchoolGroup("District", d, phases.Where(p => cells.ContainsKey((d, p))).Select(p => cells[(d, p)]))).ToList();
        var byPhase = phases.Select(p => SchoolGroup("Phase", ExclusionFigures.PhaseLabel(p), districts.Where(d => cells.ContainsKey((d, p))).Select(d => cells[(d, p)]))).ToList();
        var cross = new Dictionary<(string District, SchoolPhase? Phase), Group>();
        foreach (var d in districts)
            foreach (var p in phases)
                if (cells.TryGetValue((d, p), out var cell))
                    cross[(d, p)] = SchoolGroup("District and phase", $"{d}: {ExclusionFigures.PhaseLabel(p)}", [cell]);
        var terms = Enum.GetValues<SchoolTerm>().Select(t => (Term: t, Bounds: SchoolCalendar.Bounds(year, t))).Where(t => t.Bounds.Start <= input.Through).ToList();
        var byTerm = terms.Select(t => DayGroup("Term", $"{t.Term} term", d => d >= t.Bounds.Start && d <= t.Bounds.End)).ToList();
        var months = new List<DateOnly>();
        for (var m = year.Start; m <= input.Through; m = m.AddMonths(1))
            months.Add(m);
        var byMonth = months.Select(m => DayGroup("Month", m.ToString("MMMM yyyy", CultureInfo.InvariantCulture), d => d.Year == m.Year && d.Month == m.Month)).ToList();
        // Every current reason, whether or not it occurred: a row only where one did would say so even when its figure is hidden.
        var reasons = ExclusionReasons.Current.Select(r => r.Code).Union(sums.ByReason.Where(r => r.Value != 0).Select(r => r.Key.Reason)).Distinct().Order(StringComparer.Ordinal).ToList();
        var byReason = reasons.Select(ReasonGroup).ToList();

        // Suppression, measure by measure, over every table's sums at once and over what was published
        // before: this year's earlier versions and every one of last year's (see Linked).
        var groups = new List<Group> { total };
        groups.AddRange(byDistrict);
        groups.AddRange(byPhase);
        groups.AddRange(cross.Values);
        groups.AddRange(byTerm);
        groups.AddRange(byMonth);
        groups.AddRange(byReason);
        var suppressed = new HashSet<(Group, Measure)>();
        var lastYearHidden = new HashSet<Measure>();
        var priors = (prior ?? []).Where(p => p.AcademicYear == input.AcademicYear || p.AcademicYear == input.AcademicYear - 1).ToList();
        // Last year's versions, latest first: the latest gives the same point last year; every version
        // stays public beside it, so each is linked too (an earlier one can pin what the latest hides).
        var lastYearVersions = priors.Where(p => p.AcademicYear == input.AcademicYear - 1).OrderByDescending(p => p.Through).ToList();
        var lastYearPublished = lastYearVersions.FirstOrDefault();
        var sameYear = priors.Where(p => p.AcademicYear == input.AcademicYear).ToList();
        foreach (var measure in Enum.GetValues<Measure>())
        {
            var linked = new Linked(measure, input.Threshold);
            var now = new Linked.View(input.AcademicYear, input.Through, input.AreaName);
            foreach (var g in groups.Where(g => g.Values.ContainsKey(measure)))
                now.Cells[(g.Table, g.Name)] = linked.Add(g.Values[measure], g.Values[measure] is > 0 and var v && v < input.Threshold || g.Schools < MinSchools, frozen: false);
            int? lastCell = null;
            if (measure != Measure.PupilsSuspended)
            {
                var lastValue = sums.LastYear.GetValueOrDefault(measure == Measure.Suspensions ? ExclusionKind.Suspension : ExclusionKind.PermanentExclusion);
                lastCell = linked.Add(lastValue, lastValue is > 0 && lastValue < input.Threshold || schoolCount < MinSchools, frozen: false);
            }
            linked.Publication(now, lastCell);
            var lastView = lastYearPublished is null ? null : linked.Published(lastYearPublished);
            linked.LastYear(now, lastCell, lastView);
            var views = new List<Linked.View> { now };
            if (lastView is not null)
                views.Add(lastView);
            foreach (var p in lastYearVersions.Skip(1))
                views.Add(linked.Published(p));
            foreach (var p in sameYear)
            {
                var view = linked.Published(p);
                linked.LastYear(view, view.LastYearToDate, lastView);
                views.Add(view);
            }
            for (var i = 0; i < views.Count; i++)
                for (var j = i + 1; j < views.Count; j++)
                    linked.Same(views[i], views[j]);
            var result = linked.Apply();
            foreach (var g in groups)
                if (now.Cells.TryGetValue((g.Table, g.Name), out var cell) && result[cell])
                    suppressed.Add((g, measure));
            if (lastCell is { } lc && result[lc])
                lastYearHidden.Add(measure);
        }

        var censusTaken = ExclusionRollups.CensusDay(input.AcademicYear) <= input.Through;
        StatCell CellOf(Group g, Measure m) =>
            !g.Values.ContainsKey(m) ? new StatCell(null, StatCell.NotApplicable)
            : suppressed.Contains((g, m)) ? new StatCell(null, StatCell.Suppressed)
            : new StatCell(g.Values[m]);
        StatRow Row(Group g)
        {
            int? headcount = null;
            if (g.SchoolGrouped && g.Schools >= MinSchools && censusTaken && g.SchoolsWithHeadcount == g.Schools)
                headcount = g.Headcount;
            decimal? RateOf(StatCell c) => headcount is > 0 && c.Value is { } v ? Math.Round(100m * v / headcount.Value, 2, MidpointRounding.AwayFromZero) : null;
            var sus = CellOf(g, Measure.Suspensions);
            var pex = CellOf(g, Measure.Exclusions);
            var one = CellOf(g, Measure.PupilsSuspended);
            return new StatRow(g.Name, sus, pex, one, headcount, RateOf(sus), RateOf(pex), RateOf(one));
        }

        var tables = new List<StatTable>
        {
            new("Total", $"{input.AreaName}, {year}: 1 September to {input.Through:d MMMM yyyy}", "Area", true, [Row(total)]),
            new("District", "By district", "District", true, byDistrict.Select(Row).ToList()),
            new("Phase", "By phase of school", "Phase", true, byPhase.Select(Row).ToList()),
            new("District and phase", "By district and phase of school", "District and phase", true, cross.Values.Select(Row).ToList()),
            new("Term", "By term (pupils with one or more suspensions are counted over the year, not by term)", "Term", false, byTerm.Select(Row).ToList()),
            new("Month", "By month", "Month", false, byMonth.Select(Row).ToList()),
            new("Reason", "By main reason (the first reason the school gave)", "Reason", false, byReason.Select(Row).ToList()),
        };

        var notes = new List<string>
        {
            $"Counts by the day each suspension or permanent exclusion started, from 1 September {year.StartYear} to {input.Through:d MMMM yyyy}; those the headteacher withdrew are not counted.",
            "Rates are per 100 pupils on roll at the January (spring) census, as the Department for Education defines them. Pupils with one or more suspensions are counted at each school, as DfE counts them.",
            $"c: a figure below {input.Threshold}, or one that would let a figure below {input.Threshold} or a single school's figures be worked out, is not shown. z: does not apply.",
            $"Schools are never named: a group of fewer than {MinSchools} schools (a district with one secondary school, say) is never shown on its own.",
        };
        if (!censusTaken)
            notes.Add($"No rates yet: the January census of {year} ({ExclusionRollups.CensusDay(input.AcademicYear):d MMMM yyyy}) falls after the end of these figures.");
        else if (cells.Values.Any(c => c.SchoolsWithHeadcount < c.Schools))
            notes.Add("Where a school in a group has no census headcount, the group shows no rate: it cannot be computed.");

        return new PublishedTables(input.AcademicYear, input.Through, input.Threshold, input.AreaName, tables,
            // This year's figure to date is the total, and is shown or hidden as the total is.
            CellOf(total, Measure.Suspensions), LastYear(Measure.Suspensions, ExclusionKind.Suspension),
            CellOf(total, Measure.Exclusions), LastYear(Measure.Exclusions, ExclusionKind.PermanentExclusion), notes);

        StatCell LastYear(Measure m, ExclusionKind kind) => lastYearHidden.Contains(m) ? new StatCell(null, StatCell.Suppressed) : new StatCell(sums.LastYear.GetValueOrDefault(kind));
    }

    /// <summary>Reads the rollups (never the raw rows) for every school of the partnership and builds the tables.</summary>
    /// <remarks>
    /// Kept until the exclusion stamp moves (<see cref="EvidenceStamps.Exclusions"/>: every writer of the
    /// rollups, and every change to a school or area, moves it in its own transaction), or the versions
    /// published for the year and the year before differ (suppression links them): the statistics
    /// preview and the live benchmark figures are built once, not on every request. The same tables
    /// whoever asks (no reader scope: partnership figures only).
    /// </remarks>
    public static async Task<PublishedTables> LoadAsync(WaypointDbContext db, int academicYear, DateOnly through, int threshold, CancellationToken ct)
    {
        // The stamp first: figures read after it are at least as new, so they are never kept under a later stamp than their own.
        var stamp = await EvidenceStamps.ReadEveryExclusionsAsync(db, ct);
        var versions = await db.StatisticsPublications.AsNoTracking()
            .Where(p => p.AcademicYear == academicYear || p.AcademicYear == academicYear - 1)
            .OrderBy(p => p.AcademicYear).ThenBy(p => p.Version).Select(p => p.Id).ToListAsync(ct);
        var key = $"{stamp}|{academicYear}|{through:yyyy-MM-dd}|{threshold}|{string.Join(',', versions)}";
        // Keyed by everything it depends on, the database's own stamp included: two databases in one
        // process (the tests; a bench beside the app) never take each other's tables or evict each other.
        if (Kept.TryGetValue(key, out var kept))
            return kept.Tables;
        var (input, sums, prior) = await ReadAsync(db, academicYear, through, threshold, ct);
        var tables = Build(input, sums, prior);
        Kept[key] = (Interlocked.Increment(ref keptOrder), tables);
        if (Kept.Count > KeptAtMost)
        {
            // Tables of an old stamp or day are never asked again: the oldest half goes, never the one just built.
            foreach (var old in Kept.OrderBy(k => k.Value.Order).Take(Kept.Count - KeptAtMost / 2).ToList())
                Kept.TryRemove(old.Key, out _);
        }
        return tables;
    }

    /// <summary>Drops every kept table (the bench times a cold read with it).</summary>
    public static void ForgetKept()
    {
        Kept.Clear();
        StatisticsByCounty.ForgetKept();
    }

    private const int KeptAtMost = 64;
    private static long keptOrder;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Order, PublishedTables Tables)> Kept = new();

    /// <summary>What <see cref="LoadAsync"/> builds from, each part read apart (the bench times them one by one).</summary>
    public static async Task<(StatisticsCells Input, StatisticsSums Sums, IReadOnlyList<PublishedTables> Prior)> ReadAsync(
        WaypointDbContext db, int academicYear, DateOnly through, int threshold, CancellationToken ct)
    {
        // A county at a time, each kept until its own stamps move (a write in one county reads that county again).
        if (await StatisticsByCounty.CellsAsync(db, academicYear, through, ct) is { } cells)
        {
            var name = await AreaNameAsync(db, ct);
            var joinedSums = await WithoutSchoolAsync(db, new AcademicYear(academicYear), through, new(), ct);
            var joinedPrior = await PriorAsync(db, academicYear, ct);
            return (new StatisticsCells(academicYear, through, threshold, name, cells), joinedSums, joinedPrior);
        }
        var schools = await SchoolsAsync(db, ct);
        var areaName = await AreaNameAsync(db, ct);
        var sums = await SumsAsync(db, new AcademicYear(academicYear), through, ct);
        var pupils = await PupilsAsync(db, academicYear, ct);
        var headcounts = await HeadcountsAsync(db, academicYear, ct);
        var prior = await PriorAsync(db, academicYear, ct);
        return (new StatisticsInput(academicYear, through, threshold, areaName, schools, [], pupils, headcounts, []).ToCells(sums), sums, prior);
    }

    /// <summary>
    /// The schools' rows (district and phase, pupils with one or more suspensions, census headcount, and
    /// the sums to <paramref name="through"/> from the to-date rollup) summed in the database to their
    /// district-and-phase cells (<see cref="StatisticsCell"/>), as one statement: the schools left-joined
    /// to the three rollups by key (a row a school at most in each), grouped. A few hundred rows at
    /// England scale, not a row a school. Only where the to-date rollup answers for
    /// <paramref name="through"/> (this academic year, within a week of its as-of day, as
    /// <see cref="SumsAsync"/> reads it); null otherwise, and the reads are made one by one. Given
    /// <paramref name="areas"/>, only the schools in them (one county's: <see cref="StatisticsByCounty"/>).
    /// </summary>
    public static async Task<List<StatisticsCell>?> CellsAsync(WaypointDbContext db, int academicYear, DateOnly through, IReadOnlyCollection<Guid>? areas, CancellationToken ct)
    {
        var year = new AcademicYear(academicYear);
        if (through < year.Start || through > year.End)
            return null;
        // The as-of day and the day the cell rollup was counted against, in one statement.
        var (readAsOf, cellsAsOf) = await StatisticsCellRollup.StampsAsync(db, ct);
        if (readAsOf is not { } asOf || AcademicYear.Of(asOf) != year || Math.Abs(asOf.DayNumber - through.DayNumber) > 7)
            return null;
        var schools = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School);
        if (areas is not null)
            schools = schools.Where(o => areas.Contains(o.AreaId));
        var cells = cellsAsOf == asOf
            ? (await StatisticsCellRollup.ReadAsync(db, areas, ct)).ToDictionary(c => (c.District, c.Phase))
            : await JoinedCellsAsync(db, schools, academicYear, ct);
        // The as-of day read again: a roll-forward committed between the two reads would have the rows and the day disagree.
        if (await ExclusionToDate.AsOfAsync(db, ct) != asOf)
            return null;
        if (asOf != through)
        {
            // The days between the as-of day and the publication's end, a school's at a time, added to its cell.
            var between = await ExclusionToDate.BetweenAsync(db, db.ExclusionDayCounts.AsNoTracking().Where(d => schools.Select(o => o.Id).Contains(d.SchoolId)), asOf, through, ct);
            var ids = between.Keys.ToList();
            foreach (var school in await StatisticsCellRollup.NamedAsync(db, schools.Where(o => ids.Contains(o.Id)), ct))
            {
                var add = between[school.Id];
                var cell = cells[(school.District, school.Phase)];
                cells[(school.District, school.Phase)] = cell with { Suspensions = cell.Suspensions + add.SuspensionsThisYear, Exclusions = cell.Exclusions + add.ExclusionsThisYear };
            }
        }
        return cells.Values.ToList();
    }

    /// <summary>
    /// The cells from the schools' rows joined and grouped (before the cell rollup holds for the as-of day: a database
    /// from before it, until start-up or a roll-forward counts it): the reference the rollup must equal.
    /// </summary>
    public static async Task<Dictionary<(string District, SchoolPhase? Phase), StatisticsCell>> JoinedCellsAsync(WaypointDbContext db, IQueryable<Organisation> schools, int academicYear, CancellationToken ct) =>
        (await StatisticsCellRollup.CountNamedAsync(db, schools, academicYear, ct)).ToDictionary(c => (c.District, c.Phase));

    /// <summary>
    /// Every school, by its district and phase only: the districts named once an area (<see cref="DistrictOfAreaAsync"/>, the
    /// cells' rule: a few hundred rows), then each school's area looked up, not the district rule joined a school at a time.
    /// </summary>
    public static async Task<List<StatisticsSchool>> SchoolsAsync(WaypointDbContext db, CancellationToken ct)
    {
        var districtOf = await DistrictOfAreaAsync(db, db.Areas.AsNoTracking(), ct);
        var schools = await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School)
            .Select(o => new { o.Id, o.AreaId, o.Phase }).ToListAsync(ct);
        return schools.Select(o => new StatisticsSchool(o.Id, districtOf[o.AreaId], o.Phase)).ToList();
    }

    /// <summary>
    /// The district each of <paramref name="areas"/> names, by the one district rule (<see cref="StatisticsCellRollup.AreaKeys"/>:
    /// a ward's parent, or the ward itself with none; any other area itself), named by <see cref="StatisticsCellRollup.DistrictName"/>
    /// (a ward's key or a district by its name, anything else "Countywide"). One statement; the statistics and the dashboard
    /// group schools by it.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> DistrictOfAreaAsync(WaypointDbContext db, IQueryable<Area> areas, CancellationToken ct)
    {
        var rows = await areas.Join(StatisticsCellRollup.AreaKeys(db), a => a.Id, k => k.AreaId, (a, k) => k)
            .Join(db.Areas.AsNoTracking(), k => k.Key, d => d.Id, (k, d) => new { k.AreaId, k.ViaWard, d.Kind, d.Name })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.AreaId, r => StatisticsCellRollup.DistrictName(r.ViaWard, r.Kind, r.Name));
    }

    public static async Task<string> AreaNameAsync(WaypointDbContext db, CancellationToken ct)
    {
        var counties = await db.Areas.AsNoTracking().Where(a => a.ParentId == null).Select(a => a.Name).OrderBy(n => n).ToListAsync(ct);
        return counties.Count == 1 ? counties[0] : "The partnership";
    }

    public static Task<List<ExclusionPupilCount>> PupilsAsync(WaypointDbContext db, int academicYear, CancellationToken ct) =>
        db.ExclusionPupilCounts.AsNoTracking().Where(p => p.AcademicYear == academicYear && p.Term == ExclusionPupilCount.WholeYear).ToListAsync(ct);

    public static Task<Dictionary<Guid, int>> HeadcountsAsync(WaypointDbContext db, int academicYear, CancellationToken ct) =>
        db.CensusHeadcounts.AsNoTracking().Where(h => h.AcademicYear == academicYear).ToDictionaryAsync(h => h.SchoolId, h => h.Headcount, ct);

    /// <summary>
    /// What is already public and could be set beside these tables: this year's versions and every one
    /// of last year's (latest first: a revision of the same period stands before what it revised).
    /// </summary>
    public static async Task<IReadOnlyList<PublishedTables>> PriorAsync(WaypointDbContext db, int academicYear, CancellationToken ct)
    {
        var published = await db.StatisticsPublications.AsNoTracking()
            .Where(p => p.AcademicYear == academicYear || p.AcademicYear == academicYear - 1)
            .Select(p => new { p.AcademicYear, p.Version, p.Tables }).ToListAsync(ct);
        return published.Where(p => p.AcademicYear == academicYear)
            .Concat(published.Where(p => p.AcademicYear == academicYear - 1).OrderByDescending(p => p.Version))
            .Select(p => JsonSerializer.Deserialize<PublishedTables>(p.Tables, StatisticsPublishing.Json)!)
            .ToList();
    }

    /// <summary>
    /// The sums the tables need, read from the rollups in the database (only the sums leave it):
    /// by school from the month rollup (<see cref="ExclusionMonthCount"/>) for the whole months to
    /// <paramref name="through"/> and the day rollup for the month it cuts; by day and by main reason,
    /// and last year's to the same day, from the rollup without the school
    /// (<see cref="ExclusionReasonDayCount"/>: a few thousand rows a year). The school-grouped sums
    /// count only rows of schools (organisations of that type); suspensions are recorded only at
    /// schools, so the rollup without the school holds the same.
    /// </summary>
    public static async Task<StatisticsSums> SumsAsync(WaypointDbContext db, AcademicYear year, DateOnly through, CancellationToken ct)
    {
        var schools = db.Organisations.Where(o => o.Type == OrganisationType.School).Select(o => o.Id);
        // To a day within a week of the to-date rollup's as-of day (the preview: to today): a row a school
        // from that rollup (its days in between added), not every school's month rows summed.
        if (through >= year.Start && through <= year.End && await ExclusionToDate.AsOfAsync(db, ct) is { } asOf
            && AcademicYear.Of(asOf) == year && Math.Abs(asOf.DayNumber - through.DayNumber) <= 7
            && await ExclusionToDate.ReadAsync(db, schools, through, ct) is { } toDate)
            return await WithoutSchoolAsync(db, year, through, toDate
                .SelectMany(t => new[] { ((t.Key, ExclusionKind.Suspension), t.Value.SuspensionsThisYear), ((t.Key, ExclusionKind.PermanentExclusion), t.Value.ExclusionsThisYear) })
                .Where(t => t.Item2 != 0).ToDictionary(t => t.Item1, t => t.Item2), ct);
        var cut = new DateOnly(through.Year, through.Month, 1);
        var wholeTo = through == cut.AddMonths(1).AddDays(-1) ? cut.AddMonths(1) : cut;
        var bySchool = await db.ExclusionMonthCounts.AsNoTracking()
            .Where(m => m.AcademicYear == year.StartYear && m.Month < wholeTo && schools.Contains(m.SchoolId))
            .GroupBy(m => new { m.SchoolId, m.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(m => m.Count) }).ToListAsync(ct);
        if (wholeTo == cut && through >= year.Start && through <= year.End)
        {
            var partial = await db.ExclusionDayCounts.AsNoTracking()
                .Where(d => d.Date >= cut && d.Date <= through && d.AcademicYear == year.StartYear && schools.Contains(d.SchoolId))
                .GroupBy(d => new { d.SchoolId, d.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(d => d.Count) }).ToListAsync(ct);
            bySchool.AddRange(partial);
        }
        return await WithoutSchoolAsync(db, year, through, bySchool.GroupBy(r => (r.SchoolId, r.Kind)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)), ct);
    }

    /// <summary>The sums by day, by main reason and last year's to the same point, from the rollup without the school, beside the sums by school given.</summary>
    private static async Task<StatisticsSums> WithoutSchoolAsync(WaypointDbContext db, AcademicYear year, DateOnly through,
        Dictionary<(Guid School, ExclusionKind Kind), int> bySchool, CancellationToken ct)
    {
        var lastThrough = through.AddYears(-1);
        var reasonDays = await db.ExclusionReasonDayCounts.AsNoTracking()
            .Where(r => (r.AcademicYear == year.StartYear && r.Date <= through) || (r.AcademicYear == year.Previous.StartYear && r.Date <= lastThrough))
            .Select(r => new { r.AcademicYear, r.Date, r.Kind, r.ReasonCode, r.Count })
            .ToListAsync(ct);
        var thisYear = reasonDays.Where(r => r.AcademicYear == year.StartYear).ToList();
        return new StatisticsSums(
            bySchool,
            thisYear.GroupBy(r => (r.Date, r.Kind)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)),
            thisYear.GroupBy(r => (r.ReasonCode, r.Kind)).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)),
            reasonDays.Where(r => r.AcademicYear == year.Previous.StartYear).GroupBy(r => r.Kind).ToDictionary(g => g.Key, g => g.Sum(r => r.Count)));
    }
}
