namespace Waypoint.Features.Evidence;

/// <summary>One published relation: the cell <see cref="Total"/> is the sum of the cells <see cref="Parts"/>.</summary>
public sealed record SumConstraint(int Total, IReadOnlyList<int> Parts);

/// <summary>
/// Small-number suppression with secondary (complementary) suppression. Primary cells are
/// suppressed first; then, while any suppressed cell can be worked out exactly from the shown
/// cells through the published sums (checked by linear algebra over all the sums together, not
/// one table at a time), one more cell that shares a sum with it is suppressed: the smallest
/// non-zero part first, a total only when no part is left.
/// </summary>
public static class Suppression
{
    private const double Tolerance = 1e-9;

    public static bool[] Apply(IReadOnlyList<int> values, IReadOnlyList<bool> primary, IReadOnlyList<SumConstraint> constraints) =>
        Apply(values, primary, constraints, protection: 0, frozen: null, guarded: null);

    /// <summary>
    /// Suppression over linked tables. Besides the rank test above, every <paramref name="guarded"/>
    /// hidden cell (by default the primary ones) is left with a range at least <paramref name="protection"/>
    /// wide: the least and most it can be, from 0 up, given every shown cell and every sum, each sum
    /// solved for each cell in turn until nothing narrows (<see cref="Ranges"/>), so the hidden cells of
    /// a sum never add up to a small number. A <paramref name="frozen"/> cell was published before (or is
    /// never published): its state (hidden when <paramref name="primary"/>) is given, never changed, and
    /// it is never chosen to hide another; a leak the frozen cells give on their own cannot be mended
    /// and is left.
    /// </summary>
    public static bool[] Apply(IReadOnlyList<int> values, IReadOnlyList<bool> primary, IReadOnlyList<SumConstraint> constraints,
        int protection, IReadOnlyList<bool>? frozen, IReadOnlyList<bool>? guarded)
    {
        var isFrozen = frozen ?? new bool[values.Count];
        var guard = guarded ?? primary;
        var suppressed = primary.ToArray();
        // What the frozen cells give away whatever is hidden now: left as it is.
        var all = suppressed.Select((s, i) => !isFrozen[i] || s).ToArray();
        var already = Determined(values.Count, all, constraints).ToHashSet();
        var (allLo, allHi) = protection > 0 ? Ranges(values, all, constraints) : ([], []);
        for (var round = 0; round <= 2 * values.Count; round++)
        {
            // Of the exposed cells, one that is the only hidden cell of some sum is where the leak is: mend that first.
            // A frozen cell nobody needs protected (a figure never published) may be worked out: it is only a link in the sums.
            var exposed = Determined(values.Count, suppressed, constraints).Where(e => !already.Contains(e) && !(isFrozen[e] && !guard[e])).ToList();
            var cell = exposed.Cast<int?>().FirstOrDefault(e => constraints.Any(c => (c.Total == e || c.Parts.Contains(e!.Value))
                    && c.Parts.Append(c.Total).Count(i => suppressed[i]) == 1))
                ?? exposed.Cast<int?>().FirstOrDefault();
            if (cell is null && protection > 0)
            {
                var (lo, hi) = Ranges(values, suppressed, constraints);
                cell = Enumerable.Range(0, values.Count)
                    .Where(i => guard[i] && suppressed[i] && hi[i] - lo[i] < protection && allHi[i] - allLo[i] >= protection)
                    .Cast<int?>().FirstOrDefault();
            }
            cell ??= LoneNonZero(values, suppressed, constraints, isFrozen);
            if (cell is null)
                return suppressed;
            var complement = Complement(cell.Value, values, suppressed, constraints, isFrozen, protection);
            if (complement is null)
                return all; // nothing left to hide it behind: show nothing at all
            suppressed[complement.Value] = true;
        }
        return all;
    }

    /// <summary>
    /// The least and most each cell can be: shown cells exactly, hidden ones from 0 up, narrowed by
    /// every sum (the total between the parts' least and most sums, each part between the total less
    /// the others' most and the total less the others' least) until nothing changes.
    /// </summary>
    public static (double[] Lo, double[] Hi) Ranges(IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints)
    {
        var n = values.Count;
        var lo = new double[n];
        var hi = new double[n];
        for (var i = 0; i < n; i++)
            (lo[i], hi[i]) = suppressed[i] ? (0d, double.PositiveInfinity) : (values[i], values[i]);
        var live = constraints.Where(c => suppressed[c.Total] || c.Parts.Any(p => suppressed[p])).ToList();
        for (var pass = 0; pass < 100; pass++)
        {
            var changed = false;
            foreach (var c in live)
            {
                double sumLo = 0, sumHi = 0;
                foreach (var p in c.Parts)
                {
                    sumLo += lo[p];
                    sumHi += hi[p];
                }
                changed |= Tighten(c.Total, sumLo, sumHi);
                foreach (var p in c.Parts)
                {
                    // The others' sums without this part (an infinite most is left out by adding the others again, not subtracting).
                    var othersHi = double.IsPositiveInfinity(hi[p]) ? c.Parts.Where(q => q != p).Sum(q => hi[q]) : sumHi - hi[p];
                    changed |= Tighten(p, lo[c.Total] - othersHi, hi[c.Total] - (sumLo - lo[p]));
                }
            }
            if (!changed)
                break;
        }
        return (lo, hi);

        bool Tighten(int cell, double newLo, double newHi)
        {
            var moved = false;
            if (!double.IsNaN(newLo) && newLo > lo[cell] + Tolerance)
            {
                lo[cell] = newLo;
                moved = true;
            }
            if (!double.IsNaN(newHi) && newHi < hi[cell] - Tolerance)
            {
                hi[cell] = newHi;
                moved = true;
            }
            return moved;
        }
    }

    /// <summary>
    /// A suppressed non-zero cell that is the only non-zero suppressed cell of one of its sums. The
    /// sums alone do not pin it, but with zeros beside it an attacker who knows no count is negative
    /// narrows it to one value, so it needs a non-zero companion.
    /// </summary>
    private static int? LoneNonZero(IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints, IReadOnlyList<bool> frozen)
    {
        foreach (var c in constraints)
        {
            var hidden = c.Parts.Append(c.Total).Where(i => suppressed[i] && values[i] != 0).Distinct().ToList();
            if (hidden.Count == 1 && !frozen[hidden[0]] && c.Parts.Append(c.Total).Any(i => !suppressed[i] && values[i] != 0 && !frozen[i]))
                return hidden[0];
        }
        return null;
    }

    /// <summary>A suppressed cell whose value follows from the shown cells and the sums, or null.</summary>
    public static int? FirstDetermined(int cellCount, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints) =>
        Determined(cellCount, suppressed, constraints).Cast<int?>().FirstOrDefault();

    /// <summary>Every suppressed cell whose value follows from the shown cells and the sums.</summary>
    public static IReadOnlyList<int> Determined(int cellCount, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints)
    {
        var found = new List<int>();
        var unknowns = Enumerable.Range(0, cellCount).Where(i => suppressed[i]).ToList();
        if (unknowns.Count == 0)
            return found;
        var column = unknowns.Select((cell, i) => (cell, i)).ToDictionary(x => x.cell, x => x.i);
        var rows = new List<double[]>();
        foreach (var c in constraints)
        {
            var row = new double[unknowns.Count];
            if (column.TryGetValue(c.Total, out var t))
                row[t] += 1;
            foreach (var part in c.Parts)
                if (column.TryGetValue(part, out var p))
                    row[p] -= 1;
            if (row.Any(v => Math.Abs(v) > Tolerance))
                rows.Add(row);
        }
        var (reduced, pivots) = Reduce(rows, unknowns.Count);
        for (var j = 0; j < unknowns.Count; j++)
        {
            // e_j lies in the row space exactly when it reduces to nothing against the pivots.
            var v = new double[unknowns.Count];
            v[j] = 1;
            for (var r = 0; r < pivots.Count; r++)
            {
                var f = v[pivots[r]];
                if (Math.Abs(f) <= Tolerance)
                    continue;
                for (var k = 0; k < v.Length; k++)
                    v[k] -= f * reduced[r][k];
            }
            if (v.All(x => Math.Abs(x) <= Tolerance))
                found.Add(unknowns[j]);
        }
        return found;
    }

    private static (List<double[]> Rows, List<int> Pivots) Reduce(List<double[]> rows, int width)
    {
        var m = rows.Select(r => (double[])r.Clone()).ToList();
        var pivots = new List<int>();
        var rank = 0;
        for (var col = 0; col < width && rank < m.Count; col++)
        {
            var best = -1;
            for (var r = rank; r < m.Count; r++)
                if (Math.Abs(m[r][col]) > Tolerance && (best < 0 || Math.Abs(m[r][col]) > Math.Abs(m[best][col])))
                    best = r;
            if (best < 0)
                continue;
            (m[rank], m[best]) = (m[best], m[rank]);
            var pivot = m[rank][col];
            for (var k = 0; k < width; k++)
                m[rank][k] /= pivot;
            for (var r = 0; r < m.Count; r++)
            {
                if (r == rank || Math.Abs(m[r][col]) <= Tolerance)
                    continue;
                var f = m[r][col];
                for (var k = 0; k < width; k++)
                    m[r][k] -= f * m[rank][k];
            }
            pivots.Add(col);
            rank++;
        }
        return (m.Take(rank).ToList(), pivots);
    }

    private static int? Complement(int cell, IReadOnlyList<int> values, bool[] suppressed, IReadOnlyList<SumConstraint> constraints, IReadOnlyList<bool> frozen, int protection)
    {
        // Outward from the exposed cell: its own sums first (those where it is the only hidden cell, then
        // those whose hidden cells add up to least), then the sums of the hidden cells met on the way
        // (a figure published before, or the same figure in another version, is reached through them).
        var seen = new HashSet<int> { cell };
        var frontier = new List<int> { cell };
        var visited = new HashSet<SumConstraint>();
        while (frontier.Count > 0)
        {
            var near = constraints.Where(c => !visited.Contains(c) && frontier.Any(f => c.Total == f || c.Parts.Contains(f))).ToList();
            if (near.Count == 0)
                break;
            foreach (var c in near)
                visited.Add(c);
            double HiddenSum(SumConstraint c) => c.Parts.Append(c.Total).Where(i => suppressed[i]).Sum(i => (double)values[i]);
            foreach (var c in near.OrderBy(c => c.Parts.Append(c.Total).Count(i => suppressed[i]) == 1 ? 0 : 1).ThenBy(HiddenSum))
            {
                var wanted = protection - HiddenSum(c);
                var candidates = c.Parts.Select(p => (Cell: p, IsTotal: false)).Append((Cell: c.Total, IsTotal: true))
                    .Where(x => !suppressed[x.Cell] && !frozen[x.Cell])
                    .OrderBy(x => values[x.Cell] == 0).ThenBy(x => x.IsTotal).ThenBy(x => values[x.Cell] < wanted).ThenBy(x => values[x.Cell]).ThenBy(x => x.Cell)
                    .ToList();
                if (candidates.Count > 0)
                    return candidates[0].Cell;
            }
            frontier = near.SelectMany(c => c.Parts.Append(c.Total)).Where(i => suppressed[i] && seen.Add(i)).ToList();
        }
        // Failing those, any shown cell in a sum that holds a suppressed one.
        return constraints.Where(c => suppressed[c.Total] || c.Parts.Any(p => suppressed[p]))
            .SelectMany(c => c.Parts.Select(p => (Cell: p, IsTotal: false)).Append((Cell: c.Total, IsTotal: true)))
            .Where(x => !suppressed[x.Cell] && !frozen[x.Cell])
            .OrderBy(x => values[x.Cell] == 0).ThenBy(x => x.IsTotal).ThenBy(x => values[x.Cell]).ThenBy(x => x.Cell)
            .Select(x => (int?)x.Cell).FirstOrDefault();
    }
}
