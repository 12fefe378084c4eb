using System.Numerics;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Which hidden cells the published sums pin to one value, kept as cells are hidden one at a time
/// (the suppression hides one more each round; building the elimination again each round was its cost).
/// </summary>
/// <remarks>
/// A hidden cell is pinned when every way of filling the hidden cells that keeps every sum gives it the
/// same value: when no combination of the hidden cells' columns (a cell's column is what it adds to each
/// sum) that comes to nothing uses it. The columns hidden so far are kept reduced to a basis, each basis
/// vector with the combination of cells it came from. Hiding one more cell reduces its column against
/// the basis: a remainder is a new basis vector, and the new cell is pinned (nothing pinned before is
/// freed); no remainder is a combination that comes to nothing, and every cell in it is free from then
/// on. Hidden cells are never shown again, so nothing else changes. Whole numbers only (each reduction
/// scales instead of dividing), so there is no rounding: 64-bit with overflow checked, and on overflow
/// the same reduction again in arbitrary precision.
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

    public bool IsPinned(int cell) => elimination.IsPinned(cell);

    /// <summary>Every pinned cell, in cell order.</summary>
    public IReadOnlyList<int> Pinned() => elimination.Pinned();

    /// <summary>Whether the reduction went to arbitrary precision (the tests check both give the same).</summary>
    public bool ArbitraryPrecision => elimination is Elimination<BigInteger>;

    private interface IElimination
    {
        bool IsHidden(int cell);
        bool IsPinned(int cell);
        void Hide(int cell);
        IReadOnlyList<int> Pinned();
    }

    private sealed class Elimination<T>(Pinning owner) : IElimination where T : IBinaryInteger<T>
    {
        private sealed record Reduced(int[] Rows, T[] Values, int[] Cells, T[] Combination);

        // A basis vector by its first row: each has its own, and a later row only is added to a vector being reduced.
        private readonly Reduced?[] basis = new Reduced?[owner.rowCount];
        private readonly bool[] hidden = new bool[owner.cellCount];
        private readonly SortedSet<int> pinned = [];
        private readonly T[] vector = new T[owner.rowCount];
        private readonly T[] combination = new T[owner.cellCount];
        private readonly List<int> touchedRows = [];
        private readonly List<int> touchedCells = [];
        private readonly bool[] rowTouched = new bool[owner.rowCount];
        private readonly bool[] cellTouched = new bool[owner.cellCount];

        public bool IsHidden(int cell) => hidden[cell];

        public bool IsPinned(int cell) => pinned.Contains(cell);

        public IReadOnlyList<int> Pinned() => [.. pinned];

        public void Hide(int cell)
        {
            try
            {
                Reduce(cell);
            }
            finally
            {
                foreach (var r in touchedRows)
                    (vector[r], rowTouched[r]) = (T.Zero, false);
                foreach (var c in touchedCells)
                    (combination[c], cellTouched[c]) = (T.Zero, false);
                touchedRows.Clear();
                touchedCells.Clear();
            }
        }

        private void Reduce(int cell)
        {
            var column = owner.columns[cell];
            var last = -1;
            foreach (var (row, coefficient) in column)
            {
                vector[row] = T.CreateChecked(coefficient);
                TouchRow(row);
                last = Math.Max(last, row);
            }
            combination[cell] = T.One;
            TouchCell(cell);
            for (var row = column.Length == 0 ? owner.rowCount : column[0].Row; row <= last; row++)
            {
                if (T.IsZero(vector[row]))
                    continue;
                if (basis[row] is not { } b)
                {
                    basis[row] = Normalised(row, last);
                    hidden[cell] = true;
                    pinned.Add(cell);
                    return;
                }
                // vector := lead(b)·vector − vector[row]·b, both scaled by their common factor first: vector[row] becomes 0.
                var lead = b.Values[0];
                var at = vector[row];
                var g = Gcd(lead, at);
                var scale = lead / g;
                var times = at / g;
                if (scale != T.One)
                {
                    foreach (var r in touchedRows)
                        vector[r] = checked(vector[r] * scale);
                    foreach (var c in touchedCells)
                        combination[c] = checked(combination[c] * scale);
                }
                for (var k = 0; k < b.Rows.Length; k++)
                {
                    var r = b.Rows[k];
                    TouchRow(r);
                    vector[r] = checked(vector[r] - times * b.Values[k]);
                    last = Math.Max(last, r);
                }
                for (var k = 0; k < b.Cells.Length; k++)
                {
                    var c = b.Cells[k];
                    TouchCell(c);
                    combination[c] = checked(combination[c] - times * b.Combination[k]);
                }
            }
            // Nothing left: the combination comes to nothing, so each cell in it can move and none is pinned.
            hidden[cell] = true;
            foreach (var c in touchedCells)
                if (!T.IsZero(combination[c]))
                    pinned.Remove(c);
        }

        /// <summary>The vector from its first row, with its combination, divided by their common factor.</summary>
        private Reduced Normalised(int first, int last)
        {
            var rows = touchedRows.Where(r => r >= first && r <= last && !T.IsZero(vector[r])).Order().ToArray();
            var cells = touchedCells.Where(c => !T.IsZero(combination[c])).Order().ToArray();
            var g = T.Zero;
            foreach (var r in rows)
                g = Gcd(g, vector[r]);
            foreach (var c in cells)
                g = Gcd(g, combination[c]);
            return new Reduced(rows, rows.Select(r => vector[r] / g).ToArray(), cells, cells.Select(c => combination[c] / g).ToArray());
        }

        private void TouchRow(int row)
        {
            if (rowTouched[row])
                return;
            rowTouched[row] = true;
            touchedRows.Add(row);
        }

        private void TouchCell(int cell)
        {
            if (cellTouched[cell])
                return;
            cellTouched[cell] = true;
            touchedCells.Add(cell);
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
