namespace Waypoint.Features.Evidence;

/// <summary>One area's cells for the violence page: <see cref="Guid.Empty"/> the partnership, a county in it, a district in its county.</summary>
public sealed record ViolenceView(Guid Id, Guid? Parent, string Name, IReadOnlyList<ViolenceCell> Cells);

/// <summary>
/// The violence page's figures for every area at once, suppressed together
/// (<see cref="AreaLinkedSuppression"/>): each area's own sums (bands to all ages, before and
/// after to all involved) and every figure of a county the sum of its districts' and a remainder
/// (pupils at schools in no district, and pupils counted in two districts once in the county),
/// the partnership's of its counties'. A rate, interval or ratio is shown only over counts shown
/// (<see cref="ViolenceAnalysis.Build(DateOnly, DateOnly, int, string, IReadOnlyList{ViolenceCell}, IReadOnlySet{string})"/>).
/// </summary>
public static class ViolenceLinkedSuppression
{
    public static IReadOnlyDictionary<Guid, ViolenceReport> Build(DateOnly from, DateOnly to, int threshold, IReadOnlyList<ViolenceView> views)
    {
        var suppression = AreaLinkedSuppression.Checked(views.Select(v => ViolenceAnalysis.Figures(v.Id, v.Parent, v.Cells, threshold)).ToList(), threshold);
        return views.ToDictionary(v => v.Id, v =>
        {
            var report = ViolenceAnalysis.Build(from, to, threshold, v.Name, v.Cells, suppression.Hidden[v.Id]);
            // Suppression could not be completed for some figures: they are all hidden, and the page says so.
            return suppression.Withheld.Contains(v.Id) ? report with { Notes = [OutcomesLinkedSuppression.WithheldNote, .. report.Notes] } : report;
        });
    }
}
