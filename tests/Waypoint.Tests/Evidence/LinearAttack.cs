namespace Waypoint.Tests.Evidence;

/// <summary>
/// An attacker's knowledge: every figure shown or unknown, and every sum between them; unknown
/// figures narrowed from 0 up by the sums, and pinned by linear elimination over all of them
/// (used by <see cref="LinkedSuppressionAttackTests"/> and <see cref="AreaLinkedAttackTests"/>).
/// </summary>
internal sealed class LinearAttack(int threshold)
{
    public readonly List<long?> Shown = [];
    public readonly List<long> Truth = [];
    public readonly List<bool> Protected = [];
    public readonly List<string> Label = [];
    public readonly List<(int Total, List<int> Parts)> Sums = [];

    public int Cell(string label, long? shown, long truth, bool isProtected)
    {
        Shown.Add(shown);
        Truth.Add(truth);
        Protected.Add(isProtected);
        Label.Add(label);
        return Shown.Count - 1;
    }

    public void Sum(int total, IEnumerable<int> parts) => Sums.Add((total, parts.ToList()));

    /// <summary>Each cell's range: shown cells exactly, unknown ones from 0 up, narrowed by every sum until nothing changes.</summary>
    public (double[] Lo, double[] Hi) Ranges()
    {
        var n = Shown.Count;
        var lo = new double[n];
        var hi = new double[n];
        for (var i = 0; i < n; i++)
            (lo[i], hi[i]) = Shown[i] is { } v ? ((double)v, (double)v) : (0d, double.PositiveInfinity);
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (total, parts) in Sums)
            {
                double SumLo(int except) => parts.Where((_, k) => k != except).Sum(p => lo[p]);
                double SumHi(int except) => parts.Where((_, k) => k != except).Sum(p => hi[p]);
                changed |= Narrow(total, SumLo(-1), SumHi(-1));
                for (var k = 0; k < parts.Count; k++)
                    changed |= Narrow(parts[k], lo[total] - SumHi(k), hi[total] - SumLo(k));
            }
        }
        return (lo, hi);

        bool Narrow(int cell, double newLo, double newHi)
        {
            var moved = false;
            if (!double.IsNaN(newLo) && newLo > lo[cell] + 1e-9)
            {
                lo[cell] = newLo;
                moved = true;
            }
            if (!double.IsNaN(newHi) && newHi < hi[cell] - 1e-9)
            {
                hi[cell] = newHi;
                moved = true;
            }
            return moved;
        }
    }

    /// <summary>Unknown cells whose value the sums fix exactly (linear elimination over all of them together).</summary>
    public HashSet<int> Pinned()
    {
        var unknowns = Enumerable.Range(0, Shown.Count).Where(i => Shown[i] is null).ToList();
        var col = unknowns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var m = unknowns.Count;
        var rows = new List<double[]>();
        foreach (var (total, parts) in Sums)
        {
            var row = new double[m];
            if (col.TryGetValue(total, out var t))
                row[t] += 1;
            foreach (var p in parts)
                if (col.TryGetValue(p, out var c))
                    row[c] -= 1;
            if (row.Any(x => Math.Abs(x) > 1e-9))
                rows.Add(row);
        }
        var pivots = new List<int>();
        var rank = 0;
        for (var c = 0; c < m && rank < rows.Count; c++)
        {
            var best = -1;
            for (var r = rank; r < rows.Count; r++)
                if (Math.Abs(rows[r][c]) > 1e-9 && (best < 0 || Math.Abs(rows[r][c]) > Math.Abs(rows[best][c])))
                    best = r;
            if (best < 0)
                continue;
            (rows[rank], rows[best]) = (rows[best], rows[rank]);
            var pv = rows[rank][c];
            for (var k = 0; k < m; k++)
                rows[rank][k] /= pv;
            for (var r = 0; r < rows.Count; r++)
                if (r != rank && Math.Abs(rows[r][c]) > 1e-9)
                {
                    var f = rows[r][c];
                    for (var k = 0; k < m; k++)
                        rows[r][k] -= f * rows[rank][k];
                }
            pivots.Add(c);
            rank++;
        }
        var pinned = new HashSet<int>();
        for (var j = 0; j < m; j++)
        {
            var v = new double[m];
            v[j] = 1;
            for (var r = 0; r < pivots.Count; r++)
            {
                var f = v[pivots[r]];
                if (Math.Abs(f) <= 1e-9)
                    continue;
                for (var k = 0; k < m; k++)
                    v[k] -= f * rows[r][k];
            }
            if (v.All(x => Math.Abs(x) <= 1e-9))
                pinned.Add(unknowns[j]);
        }
        return pinned;
    }

    public IEnumerable<string> Leaks()
    {
        var (lo, hi) = Ranges();
        var pinned = Pinned();
        for (var i = 0; i < Shown.Count; i++)
        {
            if (!Protected[i])
                continue;
            if (Shown[i] is not null)
                yield return $"{Label[i]} = {Truth[i]} is shown";
            else if (pinned.Contains(i))
                yield return $"{Label[i]} = {Truth[i]} is pinned by the sums";
            else if (hi[i] - lo[i] < threshold)
                yield return $"{Label[i]} = {Truth[i]} lies in {lo[i]}..{hi[i]}";
        }
    }
}
