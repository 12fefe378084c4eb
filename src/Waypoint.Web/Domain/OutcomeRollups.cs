namespace Waypoint.Domain;

/// <summary>The groups the joint outcomes framework follows (issue 15).</summary>
public enum OutcomeGroup
{
    /// <summary>An early-help or targeted-support case closed: before counted back from its opening, after from its close.</summary>
    EarlyHelp,

    /// <summary>A service from the directory that started and ended.</summary>
    Service,

    /// <summary>Reported to the hub and not taken on, with no help started within 12 months either side of the decision.</summary>
    Comparison,
}

/// <summary>
/// The joint outcomes rollup (issue 15): one child's first index period in one group and academic
/// year (the year the help ended in), measured against one outcome measure, with whether the
/// outcome held in the 6 and 12 months before and after (null where it cannot be measured, such as
/// absence over fewer than 20 possible sessions). The dashboard sums these rows in SQL by group,
/// measure and year; <see cref="Due6"/> and <see cref="Due12"/> are the days the months after have
/// all passed: a row counts for a window only from then (the value held before then is what the
/// data said so far, and the person's next write recomputes it). Kept current by
/// <c>OutcomeRollups</c> when the person's data changes; no foreign key to People, so a merge
/// recomputes rather than moves it.
/// </summary>
public sealed class OutcomeRollupRow
{
    public Guid PersonId { get; set; }

    /// <summary>The area the child lived in when the row was computed (the summary's area: a move recomputes the row).</summary>
    public Guid AreaId { get; set; }

    public OutcomeGroup Group { get; set; }
    public int AcademicYear { get; set; }
    public Guid MeasureId { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public DateOnly Due6 { get; set; }
    public DateOnly Due12 { get; set; }
    public bool? Before6 { get; set; }
    public bool? After6 { get; set; }
    public bool? Before12 { get; set; }
    public bool? After12 { get; set; }
}
