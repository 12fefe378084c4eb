using System.Collections.Frozen;
using System.Numerics;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Which hidden cells the published sums pin to one value, kept as cells are hidden one at a time
/// (the suppression hides one more each round; building the elimination again each round was its cost).
/// </summary>
/// <remarks>
/// A hidden cell is pinned when every way of filling the hidden cells that keeps every sum gives it the
/// same value: when no combination of the hidden cells' columns (a cell's column is what it adds to each
/// sum) that comes to nothing uses it. The columns hidden so far are kept as a fully reduced basis (each
/// basis vector is zero at every other's pivot sum), each vector with the combination of pinned cells it
/// came from. Hiding one more cell takes from its column only the vectors whose pivots are its own sums
/// (two or three): a remainder is a new basis vector (the new cell is pinned, nothing pinned before is
/// freed), taken out of the others; no remainder is a combination that comes to nothing, and every
/// cell in it is free from then on. Cells are only ever hidden, never shown again, so a freed cell is
/// never pinned again and the combinations keep only pinned cells. Whole numbers only (each step scales
/// instead of dividing), so there is no rounding: 64-bit with overflow checked, and on overflow the same
/// cells again in arbitrary precision.
/// </remarks>
internal sealed class Pinning
{
    private readonly int cellCount;
    private readonly (int Row, int Coefficient)[][] columns;
    private readonly int rowCount;
    private readonly List<int> hiddenInOrder = [];
    private IElimination elimination;

    public Pinning(int cellCount, IReadOnlyList<SumConstraint> constraints)
    {
        this.cellCount = cellCount;
        rowCount = constraints.Count;
        var byCell = new Dictionary<int, int>[cellCount];
        for (var k = 0; k < constraints.Count; k++)
        {
            Add(constraints[k].Total, k, 1);
            foreach (var part in constraints[k].Parts)
                Add(part, k, -1);
        }
        columns = byCell.Select(c => c is null ? [] : c.Where(x => x.Value != 0).OrderBy(x => x.Key).Select(x => (x.Key, x.Value)).ToArray()).ToArray();
        elimination = new Elimination<long>(this);

        void Add(int cell, int row, int coefficient)
        {
            var column = byCell[cell] ??= [];
            column[row] = column.GetValueOrDefault(row) + coefficient;
        }
    }

    public static Pinning Of(int cellCount, IReadOnlyList<bool> hidden, IReadOnlyList<SumConstraint> constraints, bool arbitraryPrecision = false)
    {
        var pinning = new Pinning(cellCount, constraints);
        if (arbitraryPrecision)
            pinning.elimination = new Elimination<BigInteger>(pinning);
        for (var i = 0; i < cellCount; i++)
            if (hidden[i])
                pinning.Hide(i);
        return pinning;
    }

    /// <summary>
    /// The cells pinned when <paramref name="hidden"/> are hidden (<see cref="Of"/>, then <see cref="Pinned"/>), kept:
    /// the answer depends only on the sums and the hidden cells, never on a figure. The suppression asks it with every
    /// cell hidden but the frozen shown ones (wave 22c: 39% of a cold statistics build at England scale), and that
    /// changes only when the tables' shape or the prior publications do, not when a figure does. Kept by the whole
    /// input, compared exactly (a hash only finds the candidate), a few at most.
    /// </summary>
    public static IReadOnlySet<int> PinnedWhenHidden(int cellCount, IReadOnlyList<bool> hidden, IReadOnlyList<SumConstraint> constraints)
    {
        var key = KeyOf(cellCount, hidden, constraints);
        var hash = HashOf(key);
        lock (KeptPinned)
        {
            foreach (var kept in KeptPinned)
                if (kept.Hash == hash && kept.Key.AsSpan().SequenceEqual(key))
                    return kept.Pinned;
        }
        var pinned = Of(cellCount, hidden, constraints).Pinned().ToFrozenSet();
        lock (KeptPinned)
        {
            if (KeptPinned.Count >= KeptPinnedAtMost)
                KeptPinned.RemoveAt(0);
            KeptPinned.Add((hash, key, pinned));
        }
        return pinned;
    }

    /// <summary>Drops every kept answer of <see cref="PinnedWhenHidden"/> (the bench times a first build with it; tests compare with it).</summary>
    public static void ForgetKept()
    {
        lock (KeptPinned)
            KeptPinned.Clear();
    }

    private const int KeptPinnedAtMost = 16;
    private static readonly List<(ulong Hash, int[] Key, IReadOnlySet<int> Pinned)> KeptPinned = [];

    /// <summary>The whole input as numbers: the cell count, each sum (total, part count, parts) and the hidden cells' indices.</summary>
    private static int[] KeyOf(int cellCount, IReadOnlyList<bool> hidden, IReadOnlyList<SumConstraint> constraints)
    {
        var key = new List<int>(2 + constraints.Sum(c => c.Parts.Count + 2) + cellCount) { cellCount, constraints.Count };
        foreach (var c in constraints)
        {
            key.Add(c.Total);
            key.Add(c.Parts.Count);
            key.AddRange(c.Parts);
        }
        for (var i = 0; i < cellCount; i++)
            if (hidden[i])
                key.Add(i);
        return [.. key];
    }

    private static ulong HashOf(int[] key)
    {
        // FNV-1a over the numbers: only picks the candidate, the key itself is compared.
        var hash = 14695981039346656037UL;
        foreach (var k in key)
            hash = (hash ^ (uint)k) * 1099511628211UL;
        return hash;
    }

    /// <summary>Hides one more cell (a cell hidden already is left as it is).</summary>
    public void Hide(int cell)
    {
        if (elimination.IsHidden(cell))
            return;
        try
        {
            elimination.Hide(cell);
        }
        catch (OverflowException) when (elimination is Elimination<long>)
        {
            // The 64-bit reduction left nothing changed: the same cells again, in arbitrary precision.
            elimination = new Elimination<BigInteger>(this);
            foreach (var earlier in hiddenInOrder)
                elimination.Hide(earlier);
            elimination.Hide(cell);
        }
        hiddenInOrder.Add(cell);
    }

    /// <summary>Every pinned cell, in cell order.</summary>
    public IReadOnlyList<int> Pinned() => elimination.Pinned();

    private interface IElimination
    {
        bool IsHidden(int cell);
        void Hide(int cell);
        IReadOnlyList<int> Pinned();
    }

    private sealed class Elimination<T>(Pinning owner) : IElimination where T : IBinaryInteger<T>
    {
        /// <summary>A sparse vector: indices ascending, no zero values.</summary>
        private sealed record Sparse(int[] At, T[] Values)
        {
            public static readonly Sparse Empty = new([], []);

            public T this[int index] => Array.BinarySearch(At, index) is var k and >= 0 ? Values[k] : T.Zero;
        }

        /// <summary>A basis vector over the sums, fully reduced (zero at every other vector's pivot), and the combination of pinned cells it came from.</summary>
        private sealed class Reduced(int pivot, Sparse vector, Sparse combination)
        {
            public int Pivot { get; } = pivot;
            public Sparse Vector { get; set; } = vector;
            public Sparse Combination { get; set; } = combination;
        }

        private readonly Reduced?[] byPivot = new Reduced?[owner.rowCount];
        // Which basis vectors are not zero at each sum (wave 21c): a new pivot is taken out of those only, not looked up in every vector.
        private readonly HashSet<Reduced>?[] byRow = new HashSet<Reduced>?[owner.rowCount];
        private readonly bool[] hidden = new bool[owner.cellCount];
        private readonly SortedSet<int> pinned = [];

        public bool IsHidden(int cell) => hidden[cell];

        public IReadOnlyList<int> Pinned() => [.. pinned];

        public void Hide(int cell)
        {
            var column = owner.columns[cell];
            var vector = new Sparse(column.Select(x => x.Row).ToArray(), column.Select(x => T.CreateChecked(x.Coefficient)).ToArray());
            var combination = new Sparse([cell], [T.One]);
            // Fully reduced: only the column's own rows can be pivots, and taking one away touches no other pivot.
            foreach (var (row, _) in column)
            {
                if (byPivot[row] is not { } b || vector[row] is var at && T.IsZero(at))
                    continue;
                (vector, combination) = Subtract(vector, combination, b, row);
            }
            hidden[cell] = true;
            if (vector.At.Length == 0)
            {
                // Nothing left: the combination comes to nothing, so each cell in it can move and none is pinned.
                foreach (var c in combination.At)
                    pinned.Remove(c);
                return;
            }
            pinned.Add(cell);
            var pivot = vector.At[0];
            var fresh = new Reduced(pivot, Divided(vector, combination, out var divided), divided);
            // Each is reduced by the new vector alone, so the order they are taken in changes nothing.
            if (byRow[pivot] is { Count: > 0 } touched)
                foreach (var other in touched.ToList())
                {
                    var (v, c) = Subtract(other.Vector, other.Combination, fresh, pivot);
                    Index(other, other.Vector, remove: true);
                    other.Vector = Divided(v, c, out var d);
                    other.Combination = d;
                    Index(other, other.Vector, remove: false);
                }
            Index(fresh, fresh.Vector, remove: false);
            byPivot[pivot] = fresh;
        }

        private void Index(Reduced b, Sparse vector, bool remove)
        {
            foreach (var row in vector.At)
                if (remove)
                    byRow[row]!.Remove(b);
                else
                    (byRow[row] ??= []).Add(b);
        }

        /// <summary>lead(b)·x − x[row]·b, each first divided by their common factor: x[row] becomes 0. Combinations keep only cells still pinned.</summary>
        private (Sparse Vector, Sparse Combination) Subtract(Sparse vector, Sparse combination, Reduced b, int row)
        {
            var lead = b.Vector[row];
            var at = vector[row];
            var g = Gcd(lead, at);
            var times = checked(-(at / g));
            return (Combine(vector, lead / g, b.Vector, times, _ => true), Combine(combination, lead / g, b.Combination, times, c => pinned.Contains(c) || !hidden[c]));
        }

        private static Sparse Combine(Sparse x, T sx, Sparse y, T sy, Func<int, bool> keep)
        {
            var at = new List<int>(x.At.Length + y.At.Length);
            var values = new List<T>(x.At.Length + y.At.Length);
            int i = 0, j = 0;
            while (i < x.At.Length || j < y.At.Length)
            {
                int index;
                T value;
                if (j == y.At.Length || i < x.At.Length && x.At[i] < y.At[j])
                    (index, value) = (x.At[i], checked(sx * x.Values[i++]));
                else if (i == x.At.Length || y.At[j] < x.At[i])
                    (index, value) = (y.At[j], checked(sy * y.Values[j++]));
                else
                    (index, value) = (x.At[i], checked(checked(sx * x.Values[i++]) + checked(sy * y.Values[j++])));
                if (!T.IsZero(value) && keep(index))
                {
                    at.Add(index);
                    values.Add(value);
                }
            }
            return new Sparse([.. at], [.. values]);
        }

        /// <summary>The vector and its combination divided by their common factor.</summary>
        private static Sparse Divided(Sparse vector, Sparse combination, out Sparse dividedCombination)
        {
            var g = T.Zero;
            foreach (var v in vector.Values)
                g = Gcd(g, v);
            foreach (var v in combination.Values)
                g = Gcd(g, v);
            dividedCombination = new Sparse(combination.At, combination.Values.Select(v => v / g).ToArray());
            return new Sparse(vector.At, vector.Values.Select(v => v / g).ToArray());
        }

        private static T Gcd(T a, T b)
        {
            a = T.Abs(a);
            b = T.Abs(b);
            while (!T.IsZero(b))
                (a, b) = (b, a % b);
            return a;
        }
    }
}
