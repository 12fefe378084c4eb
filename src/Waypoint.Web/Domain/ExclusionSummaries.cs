namespace Waypoint.Domain;

/// <summary>
/// Rollup: suspensions or permanent exclusions one school started in one calendar month
/// (<see cref="Month"/> is the month's first day), the withdrawn ones left out. The sum of the
/// school's <see cref="ExclusionDayCount"/> rows of that month, kept current with them in the
/// writer's transaction: the dashboard and the statistics' school-grouped tables read a row a
/// school-month (about a twentieth of the day rows), and only the month a "to date" cuts is read by day.
/// </summary>
public sealed class ExclusionMonthCount
{
    public Guid SchoolId { get; set; }
    public DateOnly Month { get; set; }
    public ExclusionKind Kind { get; set; }

    /// <summary>The academic year (2024 for 2024/25) the month falls in.</summary>
    public int AcademicYear { get; set; }
    public int Count { get; set; }
}

/// <summary>
/// Rollup without the school: suspensions or permanent exclusions started on one day for one main
/// reason, over every school (the sum of the <see cref="ExclusionDayCount"/> rows of that day, kind
/// and reason). A few thousand rows a year however many schools: the statistics' term, month,
/// reason and "same point last year" figures are read from it. Schools are never in it, so moving a
/// school between districts or phases changes nothing here.
/// </summary>
public sealed class ExclusionReasonDayCount
{
    public DateOnly Date { get; set; }
    public ExclusionKind Kind { get; set; }
    public required string ReasonCode { get; set; }

    /// <summary>The academic year the day falls in.</summary>
    public int AcademicYear { get; set; }
    public int Count { get; set; }
}
