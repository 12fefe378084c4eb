namespace Waypoint.Features.Evidence;

/// <summary>
/// One figure of an area's page. <see cref="Family"/> groups the figures the page's sums tie
/// together (figures of different families share no sum and are suppressed apart); <see cref="Hidden"/>
/// is whether it must be hidden from the start, <see cref="Guarded"/> whether it must be left with a
/// range at least the threshold wide (a small count), not merely hidden (a figure hidden only
/// because something built on it would give another away).
/// </summary>
public sealed record AreaFigure(string Family, string Key, int Value, bool Hidden, bool Guarded)
{
    /// <summary>
    /// The key of a figure of another family (the same area) that this one counts a part of, or null:
    /// when that figure is shown as 0 this one is 0 too, given away whatever is hidden (and the page
    /// leaves such a band out), so it is taken as shown and never hidden to mend a leak. The families
    /// these name are suppressed first.
    /// </summary>
    public string? Within { get; init; }
}

/// <summary>What <see cref="AreaLinkedSuppression.Checked"/> decided: the keys to hide by area, and the areas with figures withheld because suppression could not be completed for them.</summary>
public sealed record AreaSuppression(Dictionary<Guid, HashSet<string>> Hidden, IReadOnlySet<Guid> Withheld);

/// <summary>A sum on one area's page: the figure <see cref="Total"/> is the sum of <see cref="Parts"/> (keys of the same family).</summary>
public sealed record AreaSum(string Total, IReadOnlyList<string> Parts);

/// <summary>
/// The figures a page shows for one area (<see cref="Guid.Empty"/> for the whole partnership), with
/// the area it lies in (a district's county, a county's partnership).
/// </summary>
public sealed record AreaFigures(Guid Id, Guid? Parent, IReadOnlyList<AreaFigure> Figures, IReadOnlyList<AreaSum> Sums);

/// <summary>
/// Suppression over every area a page can be asked for at once: the partnership, each county and
/// each district, for the same choices otherwise. Besides each page's own sums, every figure of an
/// area is the sum of the same figure in the areas inside it and a remainder (children or pupils of
/// no district, and those counted in two districts once in the county): the remainder is taken as
/// known to an attacker, the worst case (it is never shown, but with no schools or homes outside the
/// districts it is nothing, or a handful). So a district's hidden figure cannot be had by subtracting
/// the other districts from the county, and a county's cannot by adding up its districts.
/// </summary>
public static class AreaLinkedSuppression
{
    /// <summary>The keys to hide, by area.</summary>
    public static Dictionary<Guid, HashSet<string>> Apply(IReadOnlyList<AreaFigures> areas, int threshold) => Checked(areas, threshold).Hidden;

    /// <summary>
    /// The keys to hide, by area, and the areas some of whose figures are withheld because the passes
    /// ran out (or stopped finding anything more to hide) with a small figure still worked out. That
    /// fails closed: every figure of a family that still leaks, and of the families whose zeros give
    /// its figures away, is hidden in every area (the areas' sums tie each family across all of them),
    /// and the pages say the figures are withheld.
    /// </summary>
    public static AreaSuppression Checked(IReadOnlyList<AreaFigures> areas, int threshold, int passes = 5)
    {
        // A zero that gives away a figure within it, where that leaves a small figure worked out, is
        // hidden (and guarded) too, and everything suppressed again, until nothing more is needed.
        var also = new HashSet<(Guid, string)>();
        for (var attempt = 0; ; attempt++)
        {
            var more = new HashSet<(Guid, string)>();
            var leaking = new HashSet<string>(StringComparer.Ordinal);
            var result = Apply(areas, threshold, also, more, leaking);
            if (leaking.Count == 0)
                return new AreaSuppression(result, new HashSet<Guid>());
            if (more.Count == 0 || attempt >= passes - 1 || more.IsSubsetOf(also))
            {
                // The leaking families, and those of the zeros that give their figures away (hidden too,
                // so that no figure of a leaking family is known to be 0 from a band left out).
                var families = new HashSet<string>(leaking, StringComparer.Ordinal);
                foreach (var (id, key) in more.Concat(also))
                    if (areas.First(a => a.Id == id).Figures.FirstOrDefault(f => f.Key == key) is { } zero)
                        families.Add(zero.Family);
                var withheld = new HashSet<Guid>();
                foreach (var area in areas)
                    foreach (var f in area.Figures.Where(f => families.Contains(f.Family)))
                    {
                        result[area.Id].Add(f.Key);
                        withheld.Add(area.Id);
                    }
                return new AreaSuppression(result, withheld);
            }
            also.UnionWith(more);
        }
    }

    private static Dictionary<Guid, HashSet<string>> Apply(IReadOnlyList<AreaFigures> areas, int threshold, HashSet<(Guid, string)> also, HashSet<(Guid, string)> more, HashSet<string> leakingFamilies)
    {
        var result = areas.ToDictionary(a => a.Id, _ => new HashSet<string>(StringComparer.Ordinal));
        // Families that lie within others after those.
        var families = areas.SelectMany(a => a.Figures.Select(f => f.Family)).Distinct(StringComparer.Ordinal)
            .OrderBy(family => areas.Any(a => a.Figures.Any(f => f.Family == family && f.Within is not null))).ToList();
        var values = areas.ToDictionary(a => a.Id, a => a.Figures.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal));
        foreach (var family in families)
        {
            var cells = new List<int>();
            var hidden = new List<bool>();
            var frozen = new List<bool>();
            var guarded = new List<bool>();
            var sums = new List<SumConstraint>();
            var index = new Dictionary<(Guid, string), int>();
            int Add(int value, bool hide, bool freeze, bool guard)
            {
                cells.Add(value);
                hidden.Add(hide);
                frozen.Add(freeze);
                guarded.Add(guard);
                return cells.Count - 1;
            }
            foreach (var area in areas)
                foreach (var f in area.Figures.Where(f => f.Family == family))
                {
                    var known = f.Within is { } within && values[area.Id][within] == 0 && !result[area.Id].Contains(within);
                    var extra = also.Contains((area.Id, f.Key));
                    index[(area.Id, f.Key)] = Add(f.Value, (f.Hidden || extra) && !known, freeze: known, (f.Guarded || extra) && !known);
                }
            foreach (var area in areas)
                foreach (var s in area.Sums)
                    if (index.TryGetValue((area.Id, s.Total), out var total))
                        sums.Add(new SumConstraint(total, s.Parts.Select(p => index[(area.Id, p)]).ToList()));
            foreach (var parent in areas)
            {
                var children = areas.Where(a => a.Parent == parent.Id && a.Id != parent.Id).ToList();
                if (children.Count == 0)
                    continue;
                foreach (var f in parent.Figures.Where(f => f.Family == family))
                {
                    var parts = children.Select(c => index.TryGetValue((c.Id, f.Key), out var i) ? i : (int?)null).OfType<int>().ToList();
                    // What the areas inside do not account for, known to the attacker: shown, and never hidden to mend a leak.
                    var remainder = Add(f.Value - parts.Sum(p => cells[p]), hide: false, freeze: true, guard: false);
                    sums.Add(new SumConstraint(index[(parent.Id, f.Key)], [.. parts, remainder]));
                }
            }
            var suppressed = Suppression.Apply(cells, hidden, sums, threshold, frozen, guarded);
            // A small figure still worked out: the zeros given away beside it in a sum are hidden next time.
            var (lo, hi) = Suppression.Ranges(cells, suppressed, sums);
            var pinned = Suppression.Determined(cells.Count, suppressed, sums).ToHashSet();
            var leaking = Enumerable.Range(0, cells.Count).Where(i => guarded[i] && suppressed[i] && (pinned.Contains(i) || hi[i] - lo[i] < threshold)).ToHashSet();
            if (leaking.Count > 0)
                leakingFamilies.Add(family);
            var byCell = index.ToDictionary(x => x.Value, x => x.Key);
            foreach (var c in sums.Where(c => c.Parts.Append(c.Total).Any(leaking.Contains)))
                foreach (var i in c.Parts.Append(c.Total).Where(i => frozen[i] && byCell.ContainsKey(i)))
                {
                    var (area, key) = byCell[i];
                    var within = areas.First(a => a.Id == area).Figures.First(f => f.Key == key).Within!;
                    more.Add((area, within));
                }
            foreach (var ((area, key), i) in index)
                if (suppressed[i])
                    result[area].Add(key);
        }
        return result;
    }
}
