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

    public static bool[] Apply(IReadOnlyList<int> values, IReadOnlyList<bool> primary, IReadOnlyList<SumConstraint> constraints)
    {
        var suppressed = primary.ToArray();
        for (var round = 0; round <= values.Count; round++)
        {
            // Of the exposed cells, one that is the only hidden cell of some sum is where the leak is: mend that first.
            var exposed = Determined(values.Count, suppressed, constraints);
            var cell = exposed.Cast<int?>().FirstOrDefault(e => constraints.Any(c => (c.Total == e || c.Parts.Contains(e!.Value))
                    && c.Parts.Append(c.Total).Count(i => suppressed[i]) == 1))
                ?? exposed.Cast<int?>().FirstOrDefault() ?? LoneNonZero(values, suppressed, constraints);
            if (cell is null)
                return suppressed;
            var complement = Complement(cell.Value, values, suppressed, constraints);
            if (complement is null)
                return suppressed.Select(_ => true).ToArray(); // nothing left to hide it behind: show nothing at all
            suppressed[complement.Value] = true;
        }
        return suppressed;
    }

    /// <summary>
    /// A suppressed non-zero cell that is the only non-zero suppressed cell of one of its sums. The
    /// sums alone do not pin it, but with zeros beside it an attacker who knows no count is negative
    /// narrows it to one value, so it needs a non-zero companion.
    /// </summary>
    private static int? LoneNonZero(IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints)
    {
        foreach (var c in constraints)
        {
            var hidden = c.Parts.Append(c.Total).Where(i => suppressed[i] && values[i] != 0).Distinct().ToList();
            if (hidden.Count == 1 && c.Parts.Append(c.Total).Any(i => !suppressed[i] && values[i] != 0))
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

    private static int? Complement(int cell, IReadOnlyList<int> values, bool[] suppressed, IReadOnlyList<SumConstraint> constraints)
    {
        // Cells sharing a sum with the exposed cell first; failing those, any shown cell in a sum that holds a suppressed one.
        // The sums where it is the only hidden cell are the ones giving it away; hide a second cell there first.
        var near = constraints.Where(c => c.Total == cell || c.Parts.Contains(cell)).ToList();
        var alone = near.Where(c => c.Parts.Append(c.Total).Count(i => suppressed[i]) == 1).ToList();
        var pool = near.Concat(constraints.Where(c => suppressed[c.Total] || c.Parts.Any(p => suppressed[p]))).ToList();
        foreach (var group in new[] { alone, near, pool })
        {
            var candidates = group.SelectMany(c => c.Parts.Select(p => (Cell: p, IsTotal: false)).Append((Cell: c.Total, IsTotal: true)))
                .Where(x => !suppressed[x.Cell])
                .OrderBy(x => values[x.Cell] == 0).ThenBy(x => x.IsTotal).ThenBy(x => values[x.Cell]).ThenBy(x => x.Cell)
                .ToList();
            if (candidates.Count > 0)
                return candidates[0].Cell;
        }
        return null;
    }
}
