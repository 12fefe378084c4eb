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
        // Worked out only when first asked (an elimination with every cell hidden, and its ranges): a measure with nothing pinned never asks.
        // It depends only on the sums and on which cells are frozen and hidden (not on any figure), so it is kept
        // across builds (Pinning.PinnedWhenHidden): a new figure with the same tables and publications reads it.
        IReadOnlySet<int>? alreadyPinned = null;
        IReadOnlySet<int> Already() => alreadyPinned ??= Pinning.PinnedWhenHidden(values.Count, all, constraints);
        (double[] Lo, double[] Hi)? allRanges = null;
        (double[] Lo, double[] Hi) AllRanges() => allRanges ??= Ranges(values, all, constraints);
        // Kept as cells are hidden, not worked out again each round: which cells are pinned, each cell's sums, and each sum's hidden cells.
        var pinning = Pinning.Of(values.Count, suppressed, constraints);
        var sums = new SumIndex(values.Count, constraints, suppressed);
        for (var round = 0; round <= 2 * values.Count; round++)
        {
            // Of the exposed cells, one that is the only hidden cell of some sum is where the leak is: mend that first.
            // A frozen cell nobody needs protected (a figure never published) may be worked out: it is only a link in the sums.
            var exposed = pinning.Pinned().Where(e => !(isFrozen[e] && !guard[e])).ToList();
            if (exposed.Count > 0)
                exposed.RemoveAll(Already().Contains);
            var cell = exposed.Cast<int?>().FirstOrDefault(e => sums.Of(e!.Value).Any(k => sums.Hidden[k] == 1))
                ?? exposed.Cast<int?>().FirstOrDefault();
            if (cell is null && protection > 0)
            {
                var (lo, hi) = Ranges(values, suppressed, constraints);
                cell = Enumerable.Range(0, values.Count)
                    .Where(i => guard[i] && suppressed[i] && hi[i] - lo[i] < protection && AllRanges().Hi[i] - AllRanges().Lo[i] >= protection)
                    .Cast<int?>().FirstOrDefault();
            }
            cell ??= LoneNonZero(values, suppressed, constraints, isFrozen);
            if (cell is null)
                return suppressed;
            var complement = Complement(cell.Value, values, suppressed, constraints, sums, isFrozen, protection);
            if (complement is null)
                return all; // nothing left to hide it behind: show nothing at all
            suppressed[complement.Value] = true;
            pinning.Hide(complement.Value);
            sums.Hide(complement.Value);
        }
        return all;
    }

    /// <summary>Each cell's sums (in the order given) and each sum's count of hidden cells (a cell listed twice counts twice).</summary>
    private sealed class SumIndex
    {
        private readonly List<int>[] byCell;
        private readonly IReadOnlyList<SumConstraint> constraints;

        public int[] Hidden { get; }

        public SumIndex(int cellCount, IReadOnlyList<SumConstraint> constraints, IReadOnlyList<bool> suppressed)
        {
            this.constraints = constraints;
            byCell = new List<int>[cellCount];
            Hidden = new int[constraints.Count];
            for (var k = 0; k < constraints.Count; k++)
                foreach (var cell in constraints[k].Parts.Append(constraints[k].Total))
                {
                    var sumsOfCell = byCell[cell] ??= [];
                    if (sumsOfCell.Count == 0 || sumsOfCell[^1] != k)
                        sumsOfCell.Add(k);
                    if (suppressed[cell])
                        Hidden[k]++;
                }
        }

        public IReadOnlyList<int> Of(int cell) => byCell[cell] ?? [];

        public void Hide(int cell)
        {
            foreach (var k in Of(cell))
                Hidden[k] += constraints[k].Parts.Count(p => p == cell) + (constraints[k].Total == cell ? 1 : 0);
        }
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
        var live = constraints.Where(c => suppressed[c.Total] || c.Parts.Any(p => suppressed[p]))
            .Select(c => (c.Total, Parts: c.Parts.ToArray(), Plain: c.Parts.Distinct().Count() == c.Parts.Count && !c.Parts.Contains(c.Total))).ToList();
        for (var pass = 0; pass < 100; pass++)
        {
            var changed = false;
            foreach (var (total, parts, plain) in live)
            {
                double sumLo = 0, sumHi = 0;
                // The parts' finite mosts and how many are infinite, kept as parts narrow below (each part once, the total not among them):
                // every figure is a whole number, so the sum is exact whatever the order it is added in.
                double finiteHi = 0;
                var infinite = 0;
                foreach (var p in parts)
                {
                    sumLo += lo[p];
                    sumHi += hi[p];
                    if (double.IsPositiveInfinity(hi[p]))
                        infinite++;
                    else
                        finiteHi += hi[p];
                }
                changed |= Tighten(total, sumLo, sumHi);
                foreach (var p in parts)
                {
                    // The others' sums without this part (an infinite most is left out by adding the others again, not subtracting).
                    var before = hi[p];
                    var othersHi = !double.IsPositiveInfinity(before) ? sumHi - before
                        : plain ? (infinite > 1 ? double.PositiveInfinity : finiteHi)
                        : OthersHi(parts, p);
                    changed |= Tighten(p, lo[total] - othersHi, hi[total] - (sumLo - lo[p]));
                    if (plain && hi[p] != before)
                    {
                        if (double.IsPositiveInfinity(before))
                            infinite--;
                        else
                            finiteHi -= before;
                        finiteHi += hi[p];
                    }
                }
            }
            if (!changed)
                break;
        }
        return (lo, hi);

        double OthersHi(int[] parts, int p)
        {
            double sum = 0;
            foreach (var q in parts)
                if (q != p)
                    sum += hi[q];
            return sum;
        }

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
    internal static int? LoneNonZero(IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints, IReadOnlyList<bool> frozen)
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

    /// <summary>Every suppressed cell whose value follows from the shown cells and the sums (exactly: see <see cref="Pinning"/>), in cell order.</summary>
    public static IReadOnlyList<int> Determined(int cellCount, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints) =>
        Pinning.Of(cellCount, suppressed, constraints).Pinned();

    private static int? Complement(int cell, IReadOnlyList<int> values, bool[] suppressed, IReadOnlyList<SumConstraint> constraints, SumIndex sums,
        IReadOnlyList<bool> frozen, int protection)
    {
        // Outward from the exposed cell: its own sums first (those where it is the only hidden cell, then
        // those whose hidden cells add up to least), then the sums of the hidden cells met on the way
        // (a figure published before, or the same figure in another version, is reached through them).
        var seen = new HashSet<int> { cell };
        var frontier = new List<int> { cell };
        var visited = new bool[constraints.Count];
        while (frontier.Count > 0)
        {
            var near = frontier.SelectMany(sums.Of).Where(k => !visited[k]).Distinct().Order().ToList();
            if (near.Count == 0)
                break;
            foreach (var k in near)
                visited[k] = true;
            foreach (var c in near.OrderBy(k => sums.Hidden[k] == 1 ? 0 : 1).ThenBy(k => HiddenSum(constraints[k], values, suppressed)).Select(k => constraints[k]))
                if (ShownIn(c, values, suppressed, frozen, protection) is { } shown)
                    return shown;
            frontier = near.SelectMany(k => constraints[k].Parts.Append(constraints[k].Total)).Where(i => suppressed[i] && seen.Add(i)).ToList();
        }
        return AnyShownBeside(values, suppressed, constraints, frozen);
    }

    internal static double HiddenSum(SumConstraint c, IReadOnlyList<int> values, IReadOnlyList<bool> suppressed) =>
        c.Parts.Append(c.Total).Where(i => suppressed[i]).Sum(i => (double)values[i]);

    /// <summary>The shown cell of a sum to hide beside its hidden ones: a non-zero part, at least what the protection still wants, smallest first; a total only when no part is left.</summary>
    internal static int? ShownIn(SumConstraint c, IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<bool> frozen, int protection)
    {
        var wanted = protection - HiddenSum(c, values, suppressed);
        return c.Parts.Select(p => (Cell: p, IsTotal: false)).Append((Cell: c.Total, IsTotal: true))
            .Where(x => !suppressed[x.Cell] && !frozen[x.Cell])
            .OrderBy(x => values[x.Cell] == 0).ThenBy(x => x.IsTotal).ThenBy(x => values[x.Cell] < wanted).ThenBy(x => values[x.Cell]).ThenBy(x => x.Cell)
            .Select(x => (int?)x.Cell).FirstOrDefault();
    }

    /// <summary>Failing the sums met outward from the exposed cell, any shown cell in a sum that holds a suppressed one.</summary>
    internal static int? AnyShownBeside(IReadOnlyList<int> values, IReadOnlyList<bool> suppressed, IReadOnlyList<SumConstraint> constraints, IReadOnlyList<bool> frozen) =>
        constraints.Where(c => suppressed[c.Total] || c.Parts.Any(p => suppressed[p]))
            .SelectMany(c => c.Parts.Select(p => (Cell: p, IsTotal: false)).Append((Cell: c.Total, IsTotal: true)))
            .Where(x => !suppressed[x.Cell] && !frozen[x.Cell])
            .OrderBy(x => values[x.Cell] == 0).ThenBy(x => x.IsTotal).ThenBy(x => values[x.Cell]).ThenBy(x => x.Cell)
            .Select(x => (int?)x.Cell).FirstOrDefault();
}
