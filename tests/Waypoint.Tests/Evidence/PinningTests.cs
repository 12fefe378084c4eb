using Shouldly;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The kept elimination (<see cref="Pinning"/>, wave 19c) against the dense elimination the
/// suppression used before, over generated tables shaped as a publication (districts by phases with
/// their margins and the total, months adding up to terms, reasons, an earlier version frozen beside
/// it, a month split into two figures never published) and larger than the attack searches can
/// reach: the same cells pinned, and the same cells hidden, cell for cell.
/// </summary>
public sealed class PinningTests
{
    private sealed record Tables(List<int> Values, List<bool> Primary, List<SumConstraint> Sums, List<bool> Frozen, List<bool> Guarded);

    private static Tables Generate(int seed, int districts, int phases, int threshold)
    {
        var random = new Random(seed);
        var values = new List<int>();
        var primary = new List<bool>();
        var frozen = new List<bool>();
        var guarded = new List<bool>();
        var sums = new List<SumConstraint>();
        int Cell(int value, bool? hidden = null, bool isFrozen = false, bool? guard = null)
        {
            var small = value is > 0 && value < threshold;
            values.Add(value);
            primary.Add(hidden ?? (small || random.Next(25) == 0)); // now and then a group of too few schools
            frozen.Add(isFrozen);
            guarded.Add(guard ?? primary[^1]);
            return values.Count - 1;
        }
        void Sum(int total, IEnumerable<int> parts) => sums.Add(new SumConstraint(total, parts.ToList()));
        int[] Split(int total, int parts)
        {
            var split = new int[parts];
            for (var i = 0; i < total; i++)
                split[random.Next(parts)]++;
            return split;
        }

        var counts = new int[districts, phases];
        for (var d = 0; d < districts; d++)
            for (var p = 0; p < phases; p++)
                counts[d, p] = random.Next(4) switch { 0 => 0, 1 => random.Next(1, threshold + 2), _ => random.Next(threshold, 60) };
        var cross = new int[districts, phases];
        for (var d = 0; d < districts; d++)
            for (var p = 0; p < phases; p++)
                cross[d, p] = Cell(counts[d, p]);
        var byDistrict = Enumerable.Range(0, districts).Select(d => Cell(Enumerable.Range(0, phases).Sum(p => counts[d, p]))).ToArray();
        var byPhase = Enumerable.Range(0, phases).Select(p => Cell(Enumerable.Range(0, districts).Sum(d => counts[d, p]))).ToArray();
        var all = counts.Cast<int>().Sum();
        var total = Cell(all);
        Sum(total, byDistrict);
        Sum(total, byPhase);
        for (var d = 0; d < districts; d++)
            Sum(byDistrict[d], Enumerable.Range(0, phases).Select(p => cross[d, p]));
        for (var p = 0; p < phases; p++)
            Sum(byPhase[p], Enumerable.Range(0, districts).Select(d => cross[d, p]));

        // Months to terms: the spring term's last month is split at Easter into two figures never published.
        var monthCount = random.Next(3, 12);
        var monthValues = Split(all, monthCount);
        var months = monthValues.Select(v => Cell(v)).ToArray();
        Sum(total, months);
        var autumnEnd = Math.Min(4, monthCount);
        var terms = new List<int> { Cell(monthValues.Take(autumnEnd).Sum()) };
        Sum(terms[0], months.Take(autumnEnd));
        if (monthCount > autumnEnd)
        {
            var easter = random.Next(autumnEnd, monthCount);
            var early = random.Next(monthValues[easter] + 1);
            var earlyCell = Cell(0, hidden: true, isFrozen: true, guard: false);
            var lateCell = Cell(0, hidden: true, isFrozen: true, guard: false);
            Sum(months[easter], [earlyCell, lateCell]);
            terms.Add(Cell(monthValues.Skip(autumnEnd).Take(easter - autumnEnd).Sum() + early));
            Sum(terms[^1], months.Skip(autumnEnd).Take(easter - autumnEnd).Append(earlyCell));
            terms.Add(Cell(monthValues.Skip(easter + 1).Sum() + monthValues[easter] - early));
            Sum(terms[^1], months.Skip(easter + 1).Append(lateCell));
        }
        Sum(total, terms);
        Sum(total, Split(all, random.Next(2, 9)).Select(v => Cell(v)).ToArray());

        // An earlier version published beside it: its district table frozen as it was shown, each the same figure as now.
        if (random.Next(2) == 0)
        {
            var earlierTotal = Cell(all, hidden: false, isFrozen: true);
            var earlier = byDistrict.Select(d => Cell(values[d], hidden: random.Next(5) == 0, isFrozen: true)).ToArray();
            Sum(earlierTotal, earlier);
            Sum(earlierTotal, [total]);
            for (var d = 0; d < districts; d++)
                Sum(earlier[d], [byDistrict[d]]);
        }
        return new Tables(values, primary, sums, frozen, guarded);
    }

    public static TheoryData<int, int> Sizes() => new() { { 3, 2 }, { 6, 3 }, { 12, 4 }, { 25, 4 }, { 40, 5 } };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Determined_GeneratedTables_SameAsDenseElimination(int districts, int phases)
    {
        var pinnedSeen = 0;
        for (var seed = 1; seed <= 30; seed++)
        {
            var t = Generate(seed * 7919 + districts, districts, phases, threshold: 5);
            var random = new Random(seed);
            // Hidden cells of every density: a few (most pinned) to most (few pinned).
            var density = random.Next(5, 80);
            var hidden = t.Values.Select(_ => random.Next(100) < density).ToList();

            var expected = SuppressionBefore.Determined(t.Values, hidden, t.Sums);

            Suppression.Determined(t.Values.Count, hidden, t.Sums).ShouldBe(expected, $"seed {seed}");
            Pinning.Of(t.Values.Count, hidden, t.Sums, arbitraryPrecision: true).Pinned().ShouldBe(expected, $"seed {seed}, arbitrary precision");
            pinnedSeen += expected.Count;
        }
        pinnedSeen.ShouldBeGreaterThan(0, "the tables must pin some cells to test anything");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Hide_OneCellAtATime_SameAsEliminatingAgain(int districts, int phases)
    {
        for (var seed = 1; seed <= 5; seed++)
        {
            var t = Generate(seed * 104729 + districts, districts, phases, threshold: 5);
            var random = new Random(seed);
            var hidden = new bool[t.Values.Count];
            var pinning = new Pinning(t.Values.Count, t.Sums);
            foreach (var cell in Enumerable.Range(0, t.Values.Count).OrderBy(_ => random.Next()).Take(Math.Max(1, t.Values.Count * 2 / 3)))
            {
                hidden[cell] = true;
                pinning.Hide(cell);
                pinning.Pinned().ShouldBe(SuppressionBefore.Determined(t.Values, hidden, t.Sums), $"seed {seed}, after hiding {cell}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Apply_GeneratedPublications_SameCellsHiddenAsBefore(int districts, int phases)
    {
        var secondary = 0;
        for (var seed = 1; seed <= 12; seed++)
        {
            var threshold = seed % 3 == 0 ? 3 : 5;
            var t = Generate(seed * 31 + districts, districts, phases, threshold);
            foreach (var protection in new[] { 0, threshold })
            {
                var expected = SuppressionBefore.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);

                var actual = Suppression.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);

                actual.ShouldBe(expected, $"seed {seed}, protection {protection}");
                secondary += expected.Zip(t.Primary).Count(x => x.First && !x.Second);
            }
        }
        secondary.ShouldBeGreaterThan(0, "the tables must need secondary suppression to test anything");
    }

    public static TheoryData<int, int, int> SizesAndThresholds()
    {
        var data = new TheoryData<int, int, int>();
        foreach (var (districts, phases) in new[] { (3, 2), (6, 3), (12, 4), (25, 4) })
            foreach (var threshold in new[] { 0, 5, 10 })
                data.Add(districts, phases, threshold);
        return data;
    }

    [Theory]
    [MemberData(nameof(SizesAndThresholds))]
    public void Ranges_GeneratedTables_SameAsWorkedOutBefore(int districts, int phases, int threshold)
    {
        // Wave 21c adds up each sum's finite mosts once instead of once a part: the same ranges to the last bit, hidden cells
        // of every density, and figures that do not add up (a revised figure beside one published before) as well as those that do.
        var narrowed = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var t = Generate(seed * 1009 + districts * 31 + threshold, districts, phases, threshold);
            var random = new Random(seed);
            var values = seed % 3 == 0 ? t.Values.Select(v => random.Next(4) == 0 ? random.Next(0, 30) : v).ToList() : t.Values;
            var density = random.Next(5, 90);
            var hidden = t.Values.Select((_, i) => t.Primary[i] || random.Next(100) < density).ToList();

            var (expectedLo, expectedHi) = SuppressionBefore.Ranges(values, hidden, t.Sums);
            var (lo, hi) = Suppression.Ranges(values, hidden, t.Sums);

            lo.ShouldBe(expectedLo, $"seed {seed}");
            hi.ShouldBe(expectedHi, $"seed {seed}");
            narrowed += Enumerable.Range(0, values.Count).Count(i => hidden[i] && !double.IsPositiveInfinity(hi[i]));
        }
        narrowed.ShouldBeGreaterThan(0, "some hidden cell must be narrowed to test anything");
    }

    [Fact]
    public void Ranges_CellCountedTwiceInASum_SameAsWorkedOutBefore()
    {
        SumConstraint[] sums = [new(0, [1, 1, 2]), new(3, [1, 2]), new(4, [2, 2, 2]), new(5, [5, 6]), new(0, [3, 4]), new(6, [6, 1])];
        var random = new Random(7);
        for (var mask = 0; mask < 1 << 7; mask++)
        {
            var values = Enumerable.Range(0, 7).Select(_ => random.Next(0, 12)).ToList();
            var hidden = Enumerable.Range(0, 7).Select(i => (mask >> i & 1) == 1).ToList();

            var (expectedLo, expectedHi) = SuppressionBefore.Ranges(values, hidden, sums);
            var (lo, hi) = Suppression.Ranges(values, hidden, sums);

            lo.ShouldBe(expectedLo, $"hidden {mask}");
            hi.ShouldBe(expectedHi, $"hidden {mask}");
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndThresholds))]
    public void Apply_ManySeeds_SameCellsHiddenAsBefore(int districts, int phases, int threshold)
    {
        // Wave 21c sums the ranges once a sum and finds the basis vectors a new pivot touches by an index: every decision the same, with and without the range protection.
        var secondary = 0;
        for (var seed = 1; seed <= 15; seed++)
        {
            var t = Generate(seed * 7907 + districts * 13 + threshold, districts, phases, threshold);
            foreach (var protection in new[] { 0, threshold }.Distinct())
            {
                var expected = SuppressionBefore.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);

                var actual = Suppression.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);

                actual.ShouldBe(expected, $"seed {seed}, protection {protection}");
                secondary += expected.Zip(t.Primary).Count(x => x.First && !x.Second);
            }
        }
        if (threshold > 0)
            secondary.ShouldBeGreaterThan(0, "the tables must need secondary suppression to test anything");
    }

    [Fact]
    public void Determined_CellCountedTwiceInASum_PinsAsDenseEliminationDoes()
    {
        // Coefficients other than one (a cell twice in a sum, a sum of a cell and itself): the whole-number reduction scales instead of dividing.
        SumConstraint[] sums = [new(0, [1, 1, 2]), new(3, [1, 2]), new(4, [2, 2, 2]), new(5, [5, 6]), new(0, [3, 4])];
        for (var mask = 0; mask < 1 << 7; mask++)
        {
            var hidden = Enumerable.Range(0, 7).Select(i => (mask >> i & 1) == 1).ToList();
            var expected = SuppressionBefore.Determined(new int[7], hidden, sums);

            Suppression.Determined(7, hidden, sums).ShouldBe(expected, $"hidden {mask}");
            Pinning.Of(7, hidden, sums, arbitraryPrecision: true).Pinned().ShouldBe(expected, $"hidden {mask}, arbitrary precision");
        }
    }

    [Theory]
    [MemberData(nameof(SizesAndThresholds))]
    public void Apply_EliminationKeptAcrossBuilds_SameCellsHiddenAsBefore(int districts, int phases, int threshold)
    {
        // Wave 22c keeps the elimination with every cell hidden across builds (it depends on no figure): each table
        // suppressed with nothing kept, again with it kept, and with its figures changed (same shape, same frozen cells),
        // which reads the kept one; every decision the same as the suppression before it.
        var random = new Random(districts * 101 + threshold);
        var secondary = 0;
        for (var seed = 1; seed <= 20; seed++)
        {
            var t = Generate(seed * 6007 + districts * 17 + threshold, districts, phases, threshold);
            var changed = t.Values.Select((v, i) => t.Frozen[i] || random.Next(3) > 0 ? v : Math.Max(0, v + random.Next(-3, 4))).ToList();
            foreach (var protection in new[] { 0, threshold }.Distinct())
            {
                var expected = SuppressionBefore.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);
                var expectedChanged = SuppressionBefore.Apply(changed, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);

                Pinning.ForgetKept();
                var first = Suppression.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);
                var again = Suppression.Apply(t.Values, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);
                var withChanged = Suppression.Apply(changed, t.Primary, t.Sums, protection, t.Frozen, t.Guarded);

                first.ShouldBe(expected, $"seed {seed}, protection {protection}, nothing kept");
                again.ShouldBe(expected, $"seed {seed}, protection {protection}, kept");
                withChanged.ShouldBe(expectedChanged, $"seed {seed}, protection {protection}, figures changed");
                secondary += expected.Zip(t.Primary).Count(x => x.First && !x.Second);
            }
        }
        if (threshold > 0)
            secondary.ShouldBeGreaterThan(0, "the tables must need secondary suppression to test anything");
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void PinnedWhenHidden_ManyHiddenSetsOfTheSameSums_EachAnsweredForItsOwn(int districts, int phases)
    {
        // The kept answers are told apart by the hidden cells as well as the sums: each mask, asked twice and in
        // between others, gets what the elimination of its own cells gives.
        var t = Generate(districts * 7 + phases, districts, phases, threshold: 5);
        var random = new Random(districts);
        var masks = Enumerable.Range(0, 24).Select(m => t.Values.Select(_ => random.Next(m % 4 + 2) == 0).ToList()).ToList();
        var expected = masks.Select(m => Pinning.Of(t.Values.Count, m, t.Sums).Pinned()).ToList();
        expected.Count(e => e.Count > 0).ShouldBeGreaterThan(0, "some mask must pin a cell to test anything");
        Pinning.ForgetKept();
        foreach (var round in new[] { 0, 1 })
            for (var m = 0; m < masks.Count; m++)
                Pinning.PinnedWhenHidden(t.Values.Count, masks[m], t.Sums).Order().ToList().ShouldBe(expected[m].ToList(), $"mask {m}, round {round}");
    }
}
