using System.Globalization;
using System.Text;
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

/// <summary>What the tables are built from: rollup rows only.</summary>
public sealed record StatisticsInput(int AcademicYear, DateOnly Through, int Threshold, string AreaName, IReadOnlyList<StatisticsSchool> Schools,
    IReadOnlyList<ExclusionDayCount> Days, IReadOnlyList<ExclusionPupilCount> Pupils, IReadOnlyDictionary<Guid, int> Headcounts,
    IReadOnlyList<ExclusionDayCount> LastYearDays);

/// <summary>
/// Builds the published exclusion statistics from the rollups: suspensions, permanent exclusions
/// and pupils with one or more suspensions, with rates per 100 pupils, by term, month, district,
/// phase, district and phase, and main reason. No school is named; a group of fewer than
/// <see cref="MinSchools"/> schools is never shown on its own; small numbers are suppressed with
/// secondary suppression over every table together.
/// </summary>
public static class ExclusionStatistics
{
    /// <summary>
    /// The fewest schools a shown figure may cover. Two would not do: either school could take its own
    /// figure away and read the other's.
    /// </summary>
    public const int MinSchools = 3;

    private enum Measure { Suspensions, Exclusions, PupilsSuspended }

    private sealed class Group(string table, string name, IReadOnlyList<StatisticsSchool> schools, bool schoolGrouped)
    {
        public string Table { get; } = table;
        public string Name { get; } = name;
        public IReadOnlyList<StatisticsSchool> Schools { get; } = schools;
        public bool SchoolGrouped { get; } = schoolGrouped;
        public Dictionary<Measure, int> Values { get; } = [];
        public Dictionary<Measure, int> Cell { get; } = [];
    }

    public static PublishedTables Build(StatisticsInput input)
    {
        var year = new AcademicYear(input.AcademicYear);
        var days = input.Days.Where(d => d.Date >= year.Start && d.Date <= input.Through).ToList();
        var schoolIds = input.Schools.Select(s => s.Id).ToHashSet();
        days = days.Where(d => schoolIds.Contains(d.SchoolId)).ToList();
        var pupilsBySchool = input.Pupils.Where(p => p.Term == ExclusionPupilCount.WholeYear).ToDictionary(p => p.SchoolId, p => p.PupilsSuspended);
        var districts = input.Schools.Select(s => s.District).Distinct().Order(StringComparer.Ordinal).ToList();
        var phases = input.Schools.Select(s => s.Phase).Distinct().OrderBy(p => p.HasValue ? (int)p.Value : int.MaxValue).ToList();

        int Count(IEnumerable<ExclusionDayCount> ds, ExclusionKind kind) => ds.Where(d => d.Kind == kind).Sum(d => d.Count);
        Group SchoolGroup(string table, string name, IReadOnlyList<StatisticsSchool> schools)
        {
            var ids = schools.Select(s => s.Id).ToHashSet();
            var g = new Group(table, name, schools, true);
            var mine = days.Where(d => ids.Contains(d.SchoolId)).ToList();
            g.Values[Measure.Suspensions] = Count(mine, ExclusionKind.Suspension);
            g.Values[Measure.Exclusions] = Count(mine, ExclusionKind.PermanentExclusion);
            g.Values[Measure.PupilsSuspended] = schools.Sum(s => pupilsBySchool.GetValueOrDefault(s.Id));
            return g;
        }
        Group DayGroup(string table, string name, Func<ExclusionDayCount, bool> which)
        {
            var g = new Group(table, name, input.Schools, false);
            var mine = days.Where(which).ToList();
            g.Values[Measure.Suspensions] = Count(mine, ExclusionKind.Suspension);
            g.Values[Measure.Exclusions] = Count(mine, ExclusionKind.PermanentExclusion);
            return g;
        }

        var total = SchoolGroup("Total", input.AreaName, input.Schools);
        var byDistrict = districts.Select(d => SchoolGroup("District", d, input.Schools.Where(s => s.District == d).ToList())).ToList();
        var byPhase = phases.Select(p => SchoolGroup("Phase", ExclusionFigures.PhaseLabel(p), input.Schools.Where(s => s.Phase == p).ToList())).ToList();
        var cross = new Dictionary<(string District, SchoolPhase? Phase), Group>();
        foreach (var d in districts)
            foreach (var p in phases)
                if (input.Schools.Where(s => s.District == d && s.Phase == p).ToList() is { Count: > 0 } schools)
                    cross[(d, p)] = SchoolGroup("District and phase", $"{d}: {ExclusionFigures.PhaseLabel(p)}", schools);
        var terms = Enum.GetValues<SchoolTerm>().Select(t => (Term: t, Bounds: SchoolCalendar.Bounds(year, t))).Where(t => t.Bounds.Start <= input.Through).ToList();
        var byTerm = terms.Select(t => DayGroup("Term", $"{t.Term} term", d => d.Date >= t.Bounds.Start && d.Date <= t.Bounds.End)).ToList();
        var months = new List<DateOnly>();
        for (var m = year.Start; m <= input.Through; m = m.AddMonths(1))
            months.Add(m);
        var byMonth = months.Select(m => DayGroup("Month", m.ToString("MMMM yyyy", CultureInfo.InvariantCulture), d => d.Date.Year == m.Year && d.Date.Month == m.Month)).ToList();
        var reasons = days.Select(d => d.ReasonCode).Distinct().Order(StringComparer.Ordinal).ToList();
        var byReason = reasons.Select(r => DayGroup("Reason", ExclusionReasons.Describe(r), d => d.ReasonCode == r)).ToList();

        // Suppression, measure by measure, over every table's sums at once.
        var suppressed = new HashSet<(Group, Measure)>();
        foreach (var measure in Enum.GetValues<Measure>())
        {
            var cells = new List<Group>();
            int Add(Group g)
            {
                g.Cell[measure] = cells.Count;
                cells.Add(g);
                return g.Cell[measure];
            }
            var constraints = new List<SumConstraint>();
            var t = Add(total);
            constraints.Add(new SumConstraint(t, byDistrict.Select(Add).ToList()));
            constraints.Add(new SumConstraint(t, byPhase.Select(Add).ToList()));
            foreach (var c in cross.Values)
                Add(c);
            foreach (var (d, g) in districts.Zip(byDistrict))
                constraints.Add(new SumConstraint(g.Cell[measure], cross.Where(x => x.Key.District == d).Select(x => x.Value.Cell[measure]).ToList()));
            foreach (var (p, g) in phases.Zip(byPhase))
                constraints.Add(new SumConstraint(g.Cell[measure], cross.Where(x => x.Key.Phase == p).Select(x => x.Value.Cell[measure]).ToList()));
            if (measure != Measure.PupilsSuspended)
            {
                constraints.Add(new SumConstraint(t, byTerm.Select(Add).ToList()));
                constraints.Add(new SumConstraint(t, byMonth.Select(Add).ToList()));
                constraints.Add(new SumConstraint(t, byReason.Select(Add).ToList()));
            }
            var values = cells.Select(g => g.Values[measure]).ToList();
            var primary = cells.Select(g => g.Values[measure] is > 0 and var v && v < input.Threshold || g.SchoolGrouped && g.Schools.Count < MinSchools).ToList();
            var result = Suppression.Apply(values, primary, constraints);
            for (var i = 0; i < cells.Count; i++)
                if (result[i])
                    suppressed.Add((cells[i], measure));
        }

        var censusTaken = ExclusionRollups.CensusDay(input.AcademicYear) <= input.Through;
        StatCell CellOf(Group g, Measure m) =>
            !g.Values.ContainsKey(m) ? new StatCell(null, StatCell.NotApplicable)
            : suppressed.Contains((g, m)) ? new StatCell(null, StatCell.Suppressed)
            : new StatCell(g.Values[m]);
        StatRow Row(Group g)
        {
            int? headcount = null;
            if (g.SchoolGrouped && g.Schools.Count >= MinSchools && censusTaken && g.Schools.All(s => input.Headcounts.GetValueOrDefault(s.Id) > 0))
                headcount = g.Schools.Sum(s => input.Headcounts[s.Id]);
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

        // Year to date against the same point last year: single figures, suppressed when small.
        var lastThrough = input.Through.AddYears(-1);
        var lastDays = input.LastYearDays.Where(d => schoolIds.Contains(d.SchoolId) && d.Date >= year.Previous.Start && d.Date <= lastThrough).ToList();
        StatCell Single(int v) => v is > 0 && v < input.Threshold || input.Schools.Count < MinSchools ? new StatCell(null, StatCell.Suppressed) : new StatCell(v);

        var notes = new List<string>
        {
            $"Counts by the day each suspension or permanent exclusion started, from 1 September {year.StartYear} to {input.Through:d MMMM yyyy}; those the headteacher withdrew are not counted.",
            "Rates are per 100 pupils on roll at the January (spring) census, as the Department for Education defines them. Pupils with one or more suspensions are counted at each school, as DfE counts them.",
            $"c: a figure below {input.Threshold}, or one that would let a figure below {input.Threshold} or a single school's figures be worked out, is not shown. z: does not apply.",
            $"Schools are never named: a group of fewer than {MinSchools} schools (a district with one secondary school, say) is never shown on its own.",
        };
        if (!censusTaken)
            notes.Add($"No rates yet: the January census of {year} ({ExclusionRollups.CensusDay(input.AcademicYear):d MMMM yyyy}) falls after the end of these figures.");
        else if (input.Schools.Any(s => input.Headcounts.GetValueOrDefault(s.Id) == 0))
            notes.Add("Where a school in a group has no census headcount, the group shows no rate: it cannot be computed.");

        return new PublishedTables(input.AcademicYear, input.Through, input.Threshold, input.AreaName, tables,
            // This year's figure to date is the total, and is shown or hidden as the total is.
            CellOf(total, Measure.Suspensions), Single(Count(lastDays, ExclusionKind.Suspension)),
            CellOf(total, Measure.Exclusions), Single(Count(lastDays, ExclusionKind.PermanentExclusion)), notes);
    }

    /// <summary>Reads the rollups (never the raw rows) for every school of the partnership and builds the tables.</summary>
    public static async Task<PublishedTables> LoadAsync(WaypointDbContext db, int academicYear, DateOnly through, int threshold, CancellationToken ct)
    {
        var schools = (await db.Organisations.AsNoTracking()
                .Where(o => o.Type == OrganisationType.School)
                .Select(o => new { o.Id, o.Phase, Kind = o.Area!.Kind, AreaName = o.Area.Name, ParentName = o.Area.Parent!.Name })
                .ToListAsync(ct))
            .Select(o => new StatisticsSchool(o.Id, o.Kind switch
            {
                AreaKind.Ward => o.ParentName,
                AreaKind.District => o.AreaName,
                _ => "Countywide",
            }, o.Phase))
            .ToList();
        var counties = await db.Areas.AsNoTracking().Where(a => a.ParentId == null).Select(a => a.Name).OrderBy(n => n).ToListAsync(ct);
        var areaName = counties.Count == 1 ? counties[0] : "The partnership";
        var year = new AcademicYear(academicYear);
        var days = await db.ExclusionDayCounts.AsNoTracking().Where(d => d.AcademicYear == academicYear && d.Date <= through).ToListAsync(ct);
        var lastThrough = through.AddYears(-1);
        var last = await db.ExclusionDayCounts.AsNoTracking().Where(d => d.AcademicYear == year.Previous.StartYear && d.Date <= lastThrough).ToListAsync(ct);
        var pupils = await db.ExclusionPupilCounts.AsNoTracking().Where(p => p.AcademicYear == academicYear && p.Term == ExclusionPupilCount.WholeYear).ToListAsync(ct);
        var headcounts = await db.CensusHeadcounts.AsNoTracking().Where(h => h.AcademicYear == academicYear).ToDictionaryAsync(h => h.SchoolId, h => h.Headcount, ct);
        return Build(new StatisticsInput(academicYear, through, threshold, areaName, schools, days, pupils, headcounts, last));
    }
}
