using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>One area's joint outcomes before suppression (built with a threshold of 1): <see cref="Guid.Empty"/> the partnership.</summary>
public sealed record OutcomesView(Guid Id, Guid? Parent, OutcomesReport Raw);

/// <summary>
/// The joint outcomes dashboard for every area at once, suppressed together
/// (<see cref="AreaLinkedSuppression"/>), applied to the computed figures: a child lives in one
/// place, so each of a county's figures is the sum of its districts' and those of children living
/// in no district, and the partnership's of its counties'. Primary: a group of 1 to threshold − 1
/// children shows nothing; a count of 1 to threshold − 1 is hidden. The children followed up are
/// the same figure under every measure but absence (which leaves out children with too few
/// sessions), so they are one figure. Each academic year is suppressed on its own (the dashboard
/// shows a year beside the one before, and the same year asked for either way must look the same).
/// No percentage, change or contrast is shown over a hidden figure.
/// </summary>
public static class OutcomesLinkedSuppression
{
    public static IReadOnlyDictionary<Guid, OutcomesReport> Apply(IReadOnlyList<OutcomesView> views, int threshold, IReadOnlySet<Guid> ownChildren, DateOnly today)
    {
        var figures = views.Select(v => Figures(v, threshold, ownChildren)).ToList();
        var suppression = AreaLinkedSuppression.Checked(figures, threshold);
        return views.ToDictionary(v => v.Id, v => Rebuild(v.Raw, suppression.Hidden[v.Id], threshold, ownChildren, today, suppression.Withheld.Contains(v.Id)));
    }

    private static string Family(string period, int months, string group) => $"{period}|{months}|{group}";

    private static string ChildrenKey(Guid measure, IReadOnlySet<Guid> ownChildren) => ownChildren.Contains(measure) ? $"children|{measure}" : "children";

    private static AreaFigures Figures(OutcomesView view, int threshold, IReadOnlySet<Guid> ownChildren)
    {
        var figures = new Dictionary<(string, string), AreaFigure>();
        bool Small(int v) => v > 0 && v < threshold;
        foreach (var period in view.Raw.Periods)
            foreach (var m in period.Measures)
                foreach (var c in m.Cells)
                {
                    var family = Family(period.Label, c.Months, c.Group);
                    int n = c.Children.Value ?? 0, before = c.Before.Value ?? 0, after = c.After.Value ?? 0;
                    var few = Small(n); // a handful of children: nothing about them is shown
                    var children = $"{family}|{ChildrenKey(m.MeasureId, ownChildren)}";
                    figures[(family, children)] = new AreaFigure(family, children, n, few, few);
                    figures[(family, $"{family}|before|{m.MeasureId}")] = new AreaFigure(family, $"{family}|before|{m.MeasureId}", before, few || Small(before), few || Small(before));
                    figures[(family, $"{family}|after|{m.MeasureId}")] = new AreaFigure(family, $"{family}|after|{m.MeasureId}", after, few || Small(after), few || Small(after));
                }
        return new AreaFigures(view.Id, view.Parent, figures.Values.ToList(), []);
    }

    /// <summary>The note an area's page carries when suppression could not be completed and some of its figures are withheld.</summary>
    public const string WithheldNote = "Some figures are withheld: they could not be shown without a small number being worked out from them, so they are not shown at all.";

    private static OutcomesReport Rebuild(OutcomesReport raw, IReadOnlySet<string> hidden, int threshold, IReadOnlySet<Guid> ownChildren, DateOnly today, bool withheld)
    {
        var periods = new List<OutcomePeriod>();
        foreach (var period in raw.Periods)
        {
            var measures = new List<OutcomeMeasureResult>();
            foreach (var m in period.Measures)
            {
                var cells = new List<OutcomeCell>();
                foreach (var c in m.Cells)
                {
                    var family = Family(period.Label, c.Months, c.Group);
                    var n = Shown(c.Children, hidden.Contains($"{family}|{ChildrenKey(m.MeasureId, ownChildren)}"));
                    var before = Shown(c.Before, hidden.Contains($"{family}|before|{m.MeasureId}"));
                    var after = Shown(c.After, hidden.Contains($"{family}|after|{m.MeasureId}"));
                    var shown = n.Value is not null && before.Value is not null && after.Value is not null;
                    cells.Add(new OutcomeCell(c.Group, c.Months, n, before, after, shown ? c.BeforeRate : null, shown ? c.AfterRate : null, shown ? c.Change : null, c.Incomplete));
                }
                var contrasts = m.Contrasts.Select(x =>
                {
                    var group = cells.FirstOrDefault(c => c.Group == x.Group && c.Months == x.Months);
                    var comparison = cells.FirstOrDefault(c => c.Group == JointOutcomes.Comparison && c.Months == x.Months);
                    return x with { Difference = group?.Change is null || comparison?.Change is null ? null : x.Difference };
                }).ToList();
                measures.Add(m with { Cells = cells, Contrasts = contrasts });
            }
            periods.Add(period with { Measures = measures });
        }
        // The notes every report carries, at this threshold, and those the figures gave (windows still filling).
        var generic = JointOutcomes.Build(new OutcomesInput(raw.AreaName, today, raw.Threshold, [], [], [], [])).Notes;
        var notes = JointOutcomes.Build(new OutcomesInput(raw.AreaName, today, threshold, [], [], [], [])).Notes
            .Concat(raw.Notes.Where(n => !generic.Contains(n))).ToList();
        if (withheld)
            notes.Insert(0, WithheldNote);
        return new OutcomesReport(raw.AreaName, threshold, periods, notes);
    }

    private static StatCell Shown(StatCell raw, bool hidden) => hidden ? new StatCell(null, StatCell.Suppressed) : raw;

    /// <summary>
    /// The dashboard for the partnership or one county or district, suppressed with every other
    /// area's for the same year: every area's figures summed from one grouped read of the summary
    /// (<see cref="OutcomeRollups.AreaCountsAsync"/>), the areas inside each added up in memory.
    /// Every area's suppressed report of a year is kept (<see cref="Cache"/>) until the outcomes stamp
    /// moves (<see cref="EvidenceStamps.Outcomes"/>: every change to the summary moves it in its own
    /// transaction), the day changes, or the areas or ready measures read afresh each time differ.
    /// </summary>
    public static async Task<OutcomesReport> LoadAsync(WaypointDbContext db, int year, Guid? areaId, DateOnly today, CancellationToken ct)
    {
        // The stamp first: figures read after it are at least as new, so they are never kept under a later stamp than their own.
        var stamp = await EvidenceStamps.ReadAsync(db, EvidenceStamps.Outcomes, ct);
        var all = await db.Areas.AsNoTracking().Select(a => new AreaRow(a.Id, a.Kind, a.ParentId, a.Name)).ToListAsync(ct);
        var measures = await OutcomeRollups.ReadyMeasuresAsync(db, ct);
        var key = string.Join('\n', all.OrderBy(a => a.Id).Select(a => a.ToString())
            .Concat(measures.Select(m => $"{m.Id}|{m.Name}|{m.Rule}|{m.Threshold}"))
            .Prepend($"{stamp}|{year}|{today:yyyy-MM-dd}"));
        if (!Cache.TryGetValue(year, out var kept) || kept.Key != key)
        {
            kept = new Kept(key, await BuildAsync(db, year, today, all, measures, ct));
            if (Cache.Count > 20)
                Cache.Clear();
            Cache[year] = kept;
        }
        return kept.Reports.TryGetValue(areaId ?? Guid.Empty, out var report)
            ? report
            : throw new ArgumentException("Not a county or district of the partnership", nameof(areaId));
    }

    private sealed record AreaRow(Guid Id, AreaKind Kind, Guid? ParentId, string Name);

    private sealed record Kept(string Key, IReadOnlyDictionary<Guid, OutcomesReport> Reports);

    /// <summary>
    /// The suppressed reports of each year, with what they were built from (the stamp, the day, the areas
    /// and measures): shared by the requests of this instance, replaced whole when any of it differs.
    /// Another instance keeps its own and reads the same stamp, so neither shows figures older than it.
    /// </summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Kept> Cache = new();

    private static async Task<IReadOnlyDictionary<Guid, OutcomesReport>> BuildAsync(WaypointDbContext db, int year, DateOnly today,
        List<AreaRow> all, List<OutcomeMeasure> measures, CancellationToken ct)
    {
        const int threshold = StatisticsPublication.DefaultThreshold;
        var areas = all.Where(a => a.Kind == AreaKind.County || a.Kind == AreaKind.District).ToList();
        var ownChildren = measures.Where(m => m.Rule == OutcomeRule.PersistentAbsence).Select(m => m.Id).ToHashSet();
        var counts = await OutcomeRollups.AreaCountsAsync(db, year, null, today, ct);
        var parentOf = all.ToDictionary(a => a.Id, a => a.ParentId);
        // As JointOutcomes.AreaAsync: the area, the areas whose parent or grandparent it is.
        HashSet<Guid> Inside(Guid d) => all.Where(a => a.Id == d || a.ParentId == d || (a.ParentId is { } p && parentOf.GetValueOrDefault(p) == d)).Select(a => a.Id).ToHashSet();
        var counties = all.Where(a => a.ParentId == null).Select(a => a.Name).ToList();
        var views = new List<OutcomesView>
        {
            new(Guid.Empty, null, OutcomeRollups.Report(counties.Count == 1 ? counties[0] : "the partnership", 1, measures, year, OutcomeRollups.Within(counts, null))),
        };
        foreach (var a in areas)
        {
            var parent = a.Kind == AreaKind.District && a.ParentId is { } p && areas.Any(c => c.Id == p && c.Kind == AreaKind.County) ? p : Guid.Empty;
            views.Add(new OutcomesView(a.Id, parent, OutcomeRollups.Report(a.Name, 1, measures, year, OutcomeRollups.Within(counts, Inside(a.Id)))));
        }
        return Apply(views, threshold, ownChildren, today);
    }
}
