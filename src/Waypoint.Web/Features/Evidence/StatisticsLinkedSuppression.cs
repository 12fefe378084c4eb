using System.Globalization;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

public static partial class ExclusionStatistics
{
    /// <summary>
    /// One measure's figures as the public sees them across publications, for suppression over all of
    /// them at once: the tables being built and those already published (this year's earlier versions,
    /// every version of last year's), every figure a cell, and every relation an attacker knows a sum: each table
    /// adds up to the total, districts and phases to the district-and-phase table, the autumn term is
    /// September to December, Easter splits its month between spring and summer, a finished month or
    /// term (and the whole year's pupils with one or more suspensions) is the same figure in every
    /// version of the year, and the same point last year is last year's months to that day. Figures
    /// already published are frozen: shown stays shown, hidden stays hidden.
    /// </summary>
    private sealed class Linked(Measure measure, int threshold)
    {
        public sealed class View(int academicYear, DateOnly through, string areaName)
        {
            public int AcademicYear { get; } = academicYear;
            public DateOnly Through { get; } = through;
            public string AreaName { get; } = areaName;
            public Dictionary<(string Table, string Group), int> Cells { get; } = [];
            public int? LastYearToDate { get; set; }
        }

        private readonly List<int> values = [];
        private readonly List<bool> hidden = [];
        private readonly List<bool> frozen = [];
        private readonly List<bool> guarded = [];
        private readonly List<SumConstraint> sums = [];

        /// <summary>A cell: <paramref name="primary"/> is whether it must be hidden (for a frozen cell, whether it is).</summary>
        public int Add(int value, bool primary, bool frozen, bool? guard = null)
        {
            values.Add(value);
            hidden.Add(primary);
            this.frozen.Add(frozen);
            guarded.Add(guard ?? primary);
            return values.Count - 1;
        }

        /// <summary>A figure never published (part of a month), known to lie in the sums only.</summary>
        private int Unpublished() => Add(0, primary: true, frozen: true, guard: false);

        private void Sum(int total, IEnumerable<int> parts) => sums.Add(new SumConstraint(total, parts.ToList()));

        public bool[] Apply() => Suppression.Apply(values, hidden, sums, threshold, frozen, guarded);

        private static DateOnly MonthOf(string group) => DateOnly.ParseExact("1 " + group, "d MMMM yyyy", CultureInfo.InvariantCulture);

        private static string MonthName(DateOnly month) => month.ToString("MMMM yyyy", CultureInfo.InvariantCulture);

        private static DateOnly End(View v, (string Table, string Group) key) => key.Table switch
        {
            "Month" => MonthOf(key.Group).AddMonths(1).AddDays(-1),
            "Term" when Enum.TryParse<SchoolTerm>(key.Group.Replace(" term", "", StringComparison.Ordinal), out var term) =>
                SchoolCalendar.Bounds(new AcademicYear(v.AcademicYear), term).End,
            _ => new AcademicYear(v.AcademicYear).End,
        };

        /// <summary>A publication made before, frozen as it was published.</summary>
        public View Published(PublishedTables p)
        {
            var view = new View(p.AcademicYear, p.Through, p.AreaName);
            foreach (var table in p.Tables)
                foreach (var row in table.Rows)
                {
                    var cell = Of(row);
                    if (cell.Withheld == StatCell.NotApplicable)
                        continue;
                    view.Cells[(table.Key, row.Group)] = Add(cell.Value ?? 0, cell.Value is null, frozen: true);
                }
            int? last = null;
            if (measure != Measure.PupilsSuspended)
            {
                var cell = measure == Measure.Suspensions ? p.SuspensionsSamePointLastYear : p.ExclusionsSamePointLastYear;
                last = Add(cell.Value ?? 0, cell.Value is null, frozen: true);
            }
            Publication(view, last);
            return view;
        }

        private StatCell Of(StatRow r) => measure switch
        {
            Measure.Suspensions => r.Suspensions,
            Measure.Exclusions => r.Exclusions,
            _ => r.PupilsSuspended,
        };

        /// <summary>A publication's own sums.</summary>
        public void Publication(View v, int? lastYearToDate)
        {
            v.LastYearToDate = lastYearToDate;
            List<int> Rows(string table, Func<string, bool>? which = null) =>
                v.Cells.Where(x => x.Key.Table == table && (which is null || which(x.Key.Group))).Select(x => x.Value).ToList();
            if (Rows("Total") is not [var total])
                return;
            Sum(total, Rows("District"));
            Sum(total, Rows("Phase"));
            // The district-and-phase cells listed once, each district's and phase's sum taken from that list (not every cell scanned for each).
            var cross = v.Cells.Where(x => x.Key.Table == "District and phase").ToList();
            foreach (var d in v.Cells.Keys.Where(k => k.Table == "District").ToList())
            {
                var prefix = d.Group + ": ";
                Sum(v.Cells[d], cross.Where(x => x.Key.Group.StartsWith(prefix, StringComparison.Ordinal)).Select(x => x.Value));
            }
            foreach (var p in v.Cells.Keys.Where(k => k.Table == "Phase").ToList())
            {
                var suffix = ": " + p.Group;
                Sum(v.Cells[p], cross.Where(x => x.Key.Group.EndsWith(suffix, StringComparison.Ordinal)).Select(x => x.Value));
            }
            if (measure == Measure.PupilsSuspended)
                return;
            Sum(total, Rows("Term"));
            Sum(total, Rows("Month"));
            Sum(total, Rows("Reason"));

            // Terms against months.
            var year = new AcademicYear(v.AcademicYear);
            int? MonthCell(DateOnly month) => v.Cells.TryGetValue(("Month", MonthName(month)), out var c) ? c : null;
            if (v.Cells.TryGetValue(("Term", $"{SchoolTerm.Autumn} term"), out var autumn))
                Sum(autumn, Enumerable.Range(0, 4).Select(i => MonthCell(year.Start.AddMonths(i))).OfType<int>());
            var easter = SchoolCalendar.EasterSunday(year.StartYear + 1);
            var easterMonth = new DateOnly(easter.Year, easter.Month, 1);
            var afterChristmas = Enumerable.Range(4, 8).Select(i => year.Start.AddMonths(i)).ToList();
            v.Cells.TryGetValue(("Term", $"{SchoolTerm.Spring} term"), out var spring);
            var hasSpring = v.Cells.ContainsKey(("Term", $"{SchoolTerm.Spring} term"));
            if (easterMonth > v.Through)
            {
                if (hasSpring)
                    Sum(spring, afterChristmas.Where(m => m < easterMonth).Select(MonthCell).OfType<int>());
            }
            else if (MonthCell(easterMonth) is { } split)
            {
                var early = Unpublished();
                var late = Unpublished();
                Sum(split, [early, late]);
                if (hasSpring)
                    Sum(spring, afterChristmas.Where(m => m < easterMonth).Select(MonthCell).OfType<int>().Append(early));
                if (v.Cells.TryGetValue(("Term", $"{SchoolTerm.Summer} term"), out var summer))
                    Sum(summer, afterChristmas.Where(m => m > easterMonth).Select(MonthCell).OfType<int>().Append(late));
            }
        }

        /// <summary>The same point last year: last year's published months to that day (and part of the next month).</summary>
        public void LastYear(View v, int? lastYearToDate, View? last)
        {
            if (lastYearToDate is not { } cell || last is null || measure == Measure.PupilsSuspended)
                return;
            var to = v.Through.AddYears(-1);
            if (last.Through < to)
                return; // last year's tables stop short of it: the rest is a figure of its own
            var parts = new List<int>();
            foreach (var (key, month) in last.Cells.Where(x => x.Key.Table == "Month"))
            {
                var start = MonthOf(key.Group);
                var end = start.AddMonths(1).AddDays(-1);
                if (end <= to)
                    parts.Add(month);
                else if (start <= to)
                {
                    var part = Unpublished();
                    Sum(month, [part, Unpublished()]);
                    parts.Add(part);
                }
            }
            Sum(cell, parts);
        }

        /// <summary>Figures that are the same in two versions of a year: finished months and terms, everything when both end on the same day, and the year's pupils with one or more suspensions.</summary>
        public void Same(View a, View b)
        {
            if (a.AcademicYear != b.AcademicYear)
                return;
            var through = a.Through < b.Through ? a.Through : b.Through;
            foreach (var (key, cell) in a.Cells)
            {
                if (!b.Cells.TryGetValue(key, out var other))
                    continue;
                var same = measure == Measure.PupilsSuspended || a.Through == b.Through || key.Table is "Month" or "Term" && End(a, key) <= through;
                // A figure shown in both with different values was revised: not the same figure.
                var revised = !(frozen[cell] && hidden[cell]) && !(frozen[other] && hidden[other]) && values[cell] != values[other];
                if (same && !revised)
                    Sum(cell, [other]);
            }
            if (a.Through == b.Through && a.LastYearToDate is { } x && b.LastYearToDate is { } y)
                Sum(x, [y]);
        }
    }
}
