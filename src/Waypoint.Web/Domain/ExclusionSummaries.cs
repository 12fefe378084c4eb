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

/// <summary>
/// Rollup by the school's area and phase: suspensions or permanent exclusions the schools (type
/// school) of one area and phase started in one calendar month (<see cref="Month"/> is its first
/// day), withdrawn ones left out. The sum of those schools' <see cref="ExclusionDayCount"/> rows,
/// kept current with them in the writer's transaction and moved by difference when a school's
/// area, phase or type changes. The area is the school's own (a ward, district or county), so
/// moving a ward to another district changes nothing here: the dashboard maps areas to districts
/// when it reads. A few rows an area a month however many schools: the inclusion dashboard's month,
/// total, district and phase tables are read from it.
/// </summary>
public sealed class ExclusionAreaMonthCount
{
    public DateOnly Month { get; set; }
    public Guid AreaId { get; set; }

    /// <summary>The schools' <see cref="SchoolPhase"/> by name; "" for schools whose phase is not recorded (a key column cannot be null).</summary>
    public string Phase { get; set; } = "";
    public ExclusionKind Kind { get; set; }
    public int Count { get; set; }

    public static string PhaseKey(SchoolPhase? phase) => phase?.ToString() ?? "";

    public static SchoolPhase? PhaseOf(string key) => key.Length == 0 ? null : Enum.Parse<SchoolPhase>(key);
}

/// <summary>
/// As <see cref="ExclusionAreaMonthCount"/>, by day: read only for the two months a "to date" cuts
/// (this month to today, and the same month last year to the same day).
/// </summary>
public sealed class ExclusionAreaDayCount
{
    public DateOnly Date { get; set; }
    public Guid AreaId { get; set; }

    /// <summary>As <see cref="ExclusionAreaMonthCount.Phase"/>.</summary>
    public string Phase { get; set; } = "";
    public ExclusionKind Kind { get; set; }
    public int Count { get; set; }
}

/// <summary>
/// Rollup: a school's "to date" pair as of one day (<c>EvidenceStamps.ExclusionToDateAsOf</c>, the
/// same day for every row): suspensions and permanent exclusions it started from the start of that
/// day's academic year to the day, and from the start of the year before to the same day a year
/// earlier, withdrawn ones left out. The sum of the school's <see cref="ExclusionDayCount"/> rows in
/// those two ranges, kept current with them in the writer's transaction and rolled forward nightly
/// (recounted when the academic year turns). The inclusion team's school table reads a row a school
/// (instead of every school's month rows); a day it was not rolled forward is made up from the days since.
/// Every school has a row (a zero row when it has counted nothing), with its name, URN and area as the
/// register holds them, so that a page of the table is an index walk of this table alone (wave 23b):
/// an organisation that is not a school has a row only while it counts something.
/// </summary>
public sealed class ExclusionSchoolToDate
{
    public Guid SchoolId { get; set; }

    /// <summary>The organisation's name, URN and area (<see cref="Organisation"/>), kept with every write of the register.</summary>
    public string Name { get; set; } = "";
    public string? Urn { get; set; }
    public Guid AreaId { get; set; }

    /// <summary>Whether the organisation is a school (<see cref="OrganisationType.School"/>): only schools are in the table.</summary>
    public bool IsSchool { get; set; }
    public int SuspensionsThisYear { get; set; }
    public int SuspensionsLastYear { get; set; }
    public int ExclusionsThisYear { get; set; }
    public int ExclusionsLastYear { get; set; }
}
