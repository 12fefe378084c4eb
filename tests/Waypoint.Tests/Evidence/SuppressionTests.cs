using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The published tables, attacked: over many small generated partnerships, an attacker who knows
/// every shown figure and every sum the tables imply (each table adds up to the total, districts
/// and phases to the district-and-phase table, the year-to-date figure equals the total) searches
/// every non-negative whole-number solution, and must never pin a suppressed cell to one value.
/// </summary>
public sealed class SuppressionTests
{
    private static readonly int Year = 2024;
    private static readonly DateOnly Through = new(2024, 11, 30);
    private static readonly string[] Reasons = ["PA", "VA", "DM"];

    private static StatisticsInput Generate(int seed, int threshold)
    {
        var random = new Random(seed);
        var schools = new List<StatisticsSchool>();
        var districts = random.Next(1, 4);
        SchoolPhase[] phases = random.Next(3) == 0 ? [SchoolPhase.Primary, SchoolPhase.Secondary, SchoolPhase.Special] : [SchoolPhase.Primary, SchoolPhase.Secondary];
        for (var d = 0; d < districts; d++)
            foreach (var p in phases)
                for (var i = random.Next(0, 4); i > 0; i--)
                    schools.Add(new StatisticsSchool(Guid.NewGuid(), $"District {(char)('A' + d)}", p));
        var days = new List<ExclusionDayCount>();
        var pupils = new List<ExclusionPupilCount>();
        var headcounts = new Dictionary<Guid, int>();
        foreach (var s in schools)
        {
            var suspended = 0;
            for (var k = random.Next(0, 3); k > 0; k--)
            {
                var day = new AcademicYear(Year).Start.AddDays(random.Next(0, 90));
                var kind = random.Next(6) == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension;
                var reason = Reasons[random.Next(Reasons.Length)];
                var held = days.FirstOrDefault(x => x.SchoolId == s.Id && x.Date == day && x.Kind == kind && x.ReasonCode == reason);
                if (held is null)
                    days.Add(new ExclusionDayCount { SchoolId = s.Id, Date = day, Kind = kind, ReasonCode = reason, AcademicYear = Year, Count = 1 });
                else
                    held.Count++;
                if (kind == ExclusionKind.Suspension && random.Next(3) > 0)
                    suspended++;
            }
            pupils.Add(new ExclusionPupilCount { SchoolId = s.Id, AcademicYear = Year, Term = 0, PupilsSuspended = suspended });
            headcounts[s.Id] = random.Next(100, 900);
        }
        var last = new List<ExclusionDayCount>();
        return new StatisticsInput(Year, Through, threshold, "Testshire", schools, days, pupils, headcounts, last);
    }

    /// <summary>The attacker's view of one measure: each published cell (value or unknown) and the sums between them.</summary>
    private static (List<int?> Cells, List<(int Total, List<int> Parts)> Sums) AttackerView(PublishedTables t, Func<StatRow, StatCell> measure, bool additiveOverTime, StatCell? toDate)
    {
        var cells = new List<int?>();
        var sums = new List<(int, List<int>)>();
        var index = new Dictionary<(string, string), int>();
        foreach (var table in t.Tables)
            foreach (var row in table.Rows)
            {
                var c = measure(row);
                if (c.Withheld == StatCell.NotApplicable)
                    continue;
                index[(table.Key, row.Group)] = cells.Count;
                cells.Add(c.Value);
            }
        List<int> Rows(string key, Func<string, bool>? which = null) =>
            index.Where(x => x.Key.Item1 == key && (which is null || which(x.Key.Item2))).Select(x => x.Value).ToList();
        var total = Rows("Total").Single();
        sums.Add((total, Rows("District")));
        sums.Add((total, Rows("Phase")));
        foreach (var d in t.Tables.Single(x => x.Key == "District").Rows)
            sums.Add((index[("District", d.Group)], Rows("District and phase", g => g.StartsWith(d.Group + ": ", StringComparison.Ordinal))));
        foreach (var p in t.Tables.Single(x => x.Key == "Phase").Rows)
            sums.Add((index[("Phase", p.Group)], Rows("District and phase", g => g.EndsWith(": " + p.Group, StringComparison.Ordinal))));
        if (additiveOverTime)
        {
            sums.Add((total, Rows("Term")));
            sums.Add((total, Rows("Month")));
            sums.Add((total, Rows("Reason")));
        }
        if (toDate is { } ytd)
        {
            cells.Add(ytd.Value);
            sums.Add((cells.Count - 1, [total]));
        }
        return (cells, sums);
    }

    /// <summary>Every value each unknown cell takes over all non-negative whole-number solutions; null when the search is too large to finish.</summary>
    private static Dictionary<int, HashSet<int>>? Solve(List<int?> cells, List<(int Total, List<int> Parts)> sums, int bound)
    {
        var unknowns = Enumerable.Range(0, cells.Count).Where(i => cells[i] is null).ToList();
        if (unknowns.Count == 0)
            return [];
        var col = unknowns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var n = unknowns.Count;
        // Rows of [coefficients | constant]: Σ coef·x = constant.
        var rows = new List<double[]>();
        foreach (var (total, parts) in sums)
        {
            var row = new double[n + 1];
            void Term(int cell, double sign)
            {
                if (cells[cell] is { } known)
                    row[n] -= sign * known;
                else
                    row[col[cell]] += sign;
            }
            Term(total, 1);
            foreach (var p in parts)
                Term(p, -1);
            rows.Add(row);
        }
        var pivots = new List<int>();
        var rank = 0;
        for (var c = 0; c < n && rank < rows.Count; c++)
        {
            var best = Enumerable.Range(rank, rows.Count - rank).Where(r => Math.Abs(rows[r][c]) > 1e-9).DefaultIfEmpty(-1).First();
            if (best < 0)
                continue;
            (rows[rank], rows[best]) = (rows[best], rows[rank]);
            var pv = rows[rank][c];
            for (var k = 0; k <= n; k++)
                rows[rank][k] /= pv;
            for (var r = 0; r < rows.Count; r++)
                if (r != rank && Math.Abs(rows[r][c]) > 1e-9)
                {
                    var f = rows[r][c];
                    for (var k = 0; k <= n; k++)
                        rows[r][k] -= f * rows[rank][k];
                }
            pivots.Add(c);
            rank++;
        }
        var free = Enumerable.Range(0, n).Except(pivots).ToList();
        if (free.Count > 6)
            return null;
        var values = unknowns.ToDictionary(u => u, _ => new HashSet<int>());
        var assignment = new double[n];
        var steps = 0L;
        // A pivot row whose remaining free variables all lower its value once it is already negative can never become a count.
        bool Hopeless(int depth)
        {
            for (var r = 0; r < pivots.Count; r++)
            {
                var v = rows[r][n];
                for (var i = 0; i <= depth; i++)
                    v -= rows[r][free[i]] * assignment[free[i]];
                if (v < -1e-6 && free.Skip(depth + 1).All(f => rows[r][f] >= -1e-9) && rows[r][free[depth]] > 1e-9)
                    return true;
            }
            return false;
        }
        bool Search(int depth)
        {
            if (++steps > 1_000_000)
                return false;
            if (depth == free.Count)
            {
                var x = (double[])assignment.Clone();
                for (var r = 0; r < pivots.Count; r++)
                {
                    var v = rows[r][n];
                    foreach (var f in free)
                        v -= rows[r][f] * assignment[f];
                    if (v < -1e-6 || Math.Abs(v - Math.Round(v)) > 1e-6)
                        return true;
                    x[pivots[r]] = Math.Round(v);
                }
                for (var i = 0; i < n; i++)
                    values[unknowns[i]].Add((int)x[i]);
                return true;
            }
            for (var v = 0; v <= bound; v++)
            {
                assignment[free[depth]] = v;
                if (Hopeless(depth))
                    break; // larger values only make some count more negative
                if (!Search(depth + 1))
                    return false;
            }
            return true;
        }
        return Search(0) ? values : null;
    }

    [Fact]
    public void PublishedTables_SmallGeneratedPartnerships_NoSuppressedCellRecoverable()
    {
        var checkedSets = 0;
        var suppressedSeen = 0;
        var pinnedZeros = 0;
        for (var seed = 1; seed <= 300; seed++)
        {
            var input = Generate(seed, threshold: seed % 3 == 0 ? 3 : StatisticsPublication.DefaultThreshold);
            var published = ExclusionStatistics.Build(input);
            var views = new (string Name, Func<StatRow, StatCell> Measure, bool Additive, StatCell? ToDate)[]
            {
                ("suspensions", r => r.Suspensions, true, published.SuspensionsToDate),
                ("permanent exclusions", r => r.Exclusions, true, published.ExclusionsToDate),
                ("pupils with one or more suspensions", r => r.PupilsSuspended, false, null),
            };
            foreach (var (name, measure, additive, toDate) in views)
            {
                var (cells, sums) = AttackerView(published, measure, additive, toDate);
                var bound = input.Days.Sum(d => d.Count) + input.Pupils.Sum(p => p.PupilsSuspended);
                // The search bound must reach the true figures; sets too large to search are passed over (and counted).
                var solved = bound > 14 ? null : Solve(cells, sums, bound);
                if (solved is null)
                    continue;
                checkedSets++;
                suppressedSeen += solved.Count;
                foreach (var (cell, seen) in solved)
                {
                    seen.ShouldNotBeEmpty($"seed {seed}, {name}: the true figures must be one solution");
                    // Zero is the one value that may be pinned, and only where every figure it adds up with is zero too: it reveals no pupil.
                    if (seen.Count == 1 && seen.Single() == 0)
                    {
                        pinnedZeros++;
                        continue;
                    }
                    seen.Count.ShouldBeGreaterThan(1, $"seed {seed}, {name}: suppressed cell {cell} can only be {seen.FirstOrDefault()}; cells {string.Join(" ", cells.Select(c => c?.ToString() ?? "c"))}; sums {string.Join(" ", sums.Select(x => $"{x.Total}={string.Join("+", x.Parts)}"))}");
                }
            }
        }
        checkedSets.ShouldBeGreaterThan(200, "most generated sets must be searched to the end");
        suppressedSeen.ShouldBeGreaterThan(300, "the search must meet suppressed cells to test anything");
        pinnedZeros.ShouldBeLessThan(suppressedSeen / 2);
    }

    [Fact]
    public void Build_DistrictWithOneSecondary_NoSecondarySplitShown()
    {
        var schools = new List<StatisticsSchool>
        {
            new(Guid.NewGuid(), "North", SchoolPhase.Secondary),
            new(Guid.NewGuid(), "North", SchoolPhase.Primary), new(Guid.NewGuid(), "North", SchoolPhase.Primary), new(Guid.NewGuid(), "North", SchoolPhase.Primary),
            new(Guid.NewGuid(), "South", SchoolPhase.Secondary), new(Guid.NewGuid(), "South", SchoolPhase.Secondary), new(Guid.NewGuid(), "South", SchoolPhase.Secondary),
            new(Guid.NewGuid(), "South", SchoolPhase.Primary), new(Guid.NewGuid(), "South", SchoolPhase.Primary), new(Guid.NewGuid(), "South", SchoolPhase.Primary),
        };
        var days = schools.Select((s, i) => new ExclusionDayCount { SchoolId = s.Id, Date = new DateOnly(2024, 10, 1), Kind = ExclusionKind.Suspension, ReasonCode = "PA", AcademicYear = Year, Count = 20 + i }).ToList();
        // Through the spring term, so that the January census is taken and rates can be computed.
        var input = new StatisticsInput(Year, new DateOnly(2025, 3, 31), 5, "Testshire", schools, days, [], schools.ToDictionary(s => s.Id, _ => 500), []);

        var published = ExclusionStatistics.Build(input);

        var cross = published.Tables.Single(t => t.Key == "District and phase").Rows.ToDictionary(r => r.Group);
        cross["North: Secondary"].Suspensions.Value.ShouldBeNull("one secondary school: its figures would be that school's");
        cross["North: Secondary"].Headcount.ShouldBeNull();
        cross["North: Primary"].Suspensions.Value.ShouldBeNull("shown, it would give the secondary school's figure by subtraction");
        cross["South: Secondary"].Suspensions.Value.ShouldBeNull("the secondary column needs a second hidden cell, or North's would follow from the phase total");
        published.Tables.Single(t => t.Key == "District").Rows.Single(r => r.Group == "North").Suspensions.Value.ShouldBe(20 + 21 + 22 + 23,
            string.Join("; ", published.Tables.SelectMany(t => t.Rows.Select(r => $"{t.Key}/{r.Group}={r.Suspensions}"))));
        published.Tables.Single(t => t.Key == "Total").Rows.Single().Suspensions.Value.ShouldBe(days.Sum(d => d.Count));
        published.Tables.Single(t => t.Key == "Total").Rows.Single().SuspensionRate.ShouldBe(Math.Round(100m * days.Sum(d => d.Count) / 5000, 2));
    }

    [Fact]
    public void Build_CensusAfterThrough_NoRateAndSaysWhy()
    {
        var schools = Enumerable.Range(0, 3).Select(_ => new StatisticsSchool(Guid.NewGuid(), "North", SchoolPhase.Primary)).ToList();
        var days = schools.Select(s => new ExclusionDayCount { SchoolId = s.Id, Date = new DateOnly(2024, 10, 1), Kind = ExclusionKind.Suspension, ReasonCode = "PA", AcademicYear = Year, Count = 9 }).ToList();

        var published = ExclusionStatistics.Build(new StatisticsInput(Year, Through, 5, "Testshire", schools, days, [], schools.ToDictionary(s => s.Id, _ => 300), []));

        published.Tables.Single(t => t.Key == "Total").Rows.Single().SuspensionRate.ShouldBeNull();
        published.Notes.ShouldContain(n => n.Contains("No rates yet", StringComparison.Ordinal));
    }
}
