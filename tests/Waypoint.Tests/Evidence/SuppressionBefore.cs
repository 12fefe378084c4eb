using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The suppression as it was before wave 19c, kept as an oracle: every round the pinned cells worked
/// out again by dense elimination (<see cref="LinearAttack.Pinned"/>, the algorithm the app used), and
/// each sum found by scanning them all. <see cref="PinningTests"/> checks the app's kept elimination
/// decides the same, cell for cell. The ranges are the app's before wave 21c (which adds up each
/// sum's finite mosts once a sum, not once a part).
/// </summary>
internal static class SuppressionBefore
{
    public static bool[] Apply(IReadOnlyList<int> values, IReadOnlyList<bool> primary, IReadOnlyList<SumConstraint> constraints,
        int protection, IReadOnlyList<bool>? frozen, IReadOnlyList<bool>? guarded)
    {
        var isFrozen = frozen ?? new bool[values.Count];
        var guard = guarded ?? primary;
        var suppressed = primary.ToArray();
        var all = suppressed.Select((s, i) => !isFrozen[i] || s).ToArray();
        var already = Determined(values, all, constraints).ToHashSet();
        var (allLo, allHi) = protection > 0 ? Ranges(values, all, constraints) : ([], []);
        for (var round = 0; round <= 2 * values.Count; round++)
        {
            var exposed = Determined(values, suppressed, constraints).Where(e => !already.Contains(e) && !(isFrozen[e] && !guard[e])).ToList();
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
            cell ??= Suppression.LoneNonZero(values, suppressed, constraints, isFrozen);
            if (cell is null)
                return suppressed;
            var complement = Complement(cell.Value, values, suppressed, constraints, isFrozen, protection);
            if (complement is null)
                return all;
            suppressed[complement.Value] = true;
        }
        return all;
    }

    /// <summary>The hidden cells dense elimination pins, in cell order.</summary>
    public static List<int> Determined(IReadOnlyList<int> values, IReadOnlyList<bool> hidden, IReadOnlyList<SumConstraint> constraints)
    {
        var attack = new LinearAttack(0);
        for (var i = 0; i < values.Count; i++)
            attack.Cell($"{i}", hidden[i] ? null : values[i], values[i], isProtected: hidden[i]);
        foreach (var c in constraints)
            attack.Sum(c.Total, c.Parts);
        return [.. attack.Pinned().Order()];
    }

    /// <summary>The least and most each cell can be, as the app worked them out before wave 21c (every part's others summed again where its own most is infinite).</summary>
    public static (double[] Lo, double[] Hi) Ranges(IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints)
    {
        const double Tolerance = 1e-9;
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


    private static int? Complement(int cell, IReadOnlyList<int> values, bool[] suppressed, IReadOnlyList<SumConstraint> constraints, IReadOnlyList<bool> frozen, int protection)
    {
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
            foreach (var c in near.OrderBy(c => c.Parts.Append(c.Total).Count(i => suppressed[i]) == 1 ? 0 : 1).ThenBy(c => Suppression.HiddenSum(c, values, suppressed)))
                if (Suppression.ShownIn(c, values, suppressed, frozen, protection) is { } shown)
                    return shown;
            frontier = near.SelectMany(c => c.Parts.Append(c.Total)).Where(i => suppressed[i] && seen.Add(i)).ToList();
        }
        return Suppression.AnyShownBeside(values, suppressed, constraints, frozen);
    }
}
