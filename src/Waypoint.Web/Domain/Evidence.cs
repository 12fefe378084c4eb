namespace Waypoint.Domain;

/// <summary>
/// Rollup: how many suspensions or permanent exclusions one school started on one day, by main
/// (first) reason, the withdrawn ones left out. Kept current in the same transaction as the raw
/// rows change, so statistics never scan the raw table per request. Area, district and phase are
/// the school's, joined when read, so moving a school needs no rebuild.
/// </summary>
public sealed class ExclusionDayCount
{
    public Guid SchoolId { get; set; }
    public DateOnly Date { get; set; }
    public ExclusionKind Kind { get; set; }
    public required string ReasonCode { get; set; }

    /// <summary>The academic year (2024 for 2024/25) the day falls in; a school-year slice is refreshed as one.</summary>
    public int AcademicYear { get; set; }
    public int Count { get; set; }
}

/// <summary>
/// Rollup: pupils with one or more suspensions (and pupils permanently excluded) at one school in
/// one academic year (<see cref="Term"/> 0) or term (1 autumn, 2 spring, 3 summer). Distinct
/// pupils do not add up over time, so each period is counted on its own.
/// </summary>
public sealed class ExclusionPupilCount
{
    public const int WholeYear = 0;

    public Guid SchoolId { get; set; }
    public int AcademicYear { get; set; }
    public int Term { get; set; }
    public int PupilsSuspended { get; set; }
    public int PupilsPermanentlyExcluded { get; set; }
}

/// <summary>
/// Rollup: pupils on one school's roll on the spring (January) census day of an academic year,
/// the denominator DfE uses for its rates. Counted from enrolments covering that day.
/// </summary>
public sealed class CensusHeadcount
{
    public Guid SchoolId { get; set; }
    public int AcademicYear { get; set; }
    public int Headcount { get; set; }
}

/// <summary>
/// One published version of a year's exclusion statistics: the figures as they stood when the
/// partnership published them, frozen (suppression applied) so that later changes to the data
/// show only as a new version, marked as a revision.
/// </summary>
public sealed class StatisticsPublication
{
    public const int DefaultThreshold = 5;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int AcademicYear { get; set; }

    /// <summary>The figures cover 1 September of the year to this day.</summary>
    public DateOnly Through { get; set; }
    public int Version { get; set; }
    public int Threshold { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public Guid? PublishedByUserId { get; set; }

    /// <summary>Why a version after the first was made (required for a revision).</summary>
    public string? RevisionNote { get; set; }

    /// <summary>The published tables as JSON (<see cref="Features.Evidence.PublishedTables"/>).</summary>
    public required string Tables { get; set; }

    public bool IsRevision => Version > 1;
}

/// <summary>The geographic level of a DfE published figure.</summary>
public enum BenchmarkLevel
{
    National,
    Region,
    LocalAuthority,
}

/// <summary>
/// One row of DfE's published local-authority exclusion tables, as the file gave it: an area
/// (England, a region or an authority) and school type in one academic year. A count or rate
/// DfE withheld or that does not apply is null, with DfE's own code for it kept in <see cref="Withheld"/>.
/// </summary>
public sealed class DfeExclusionFigure
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The academic year's first calendar year (2016 for DfE's "201617").</summary>
    public int AcademicYear { get; set; }
    public BenchmarkLevel Level { get; set; }

    /// <summary>The area's name as DfE wrote it ("Bristol City of", "Bedfordshire (Pre LGR 2009)").</summary>
    public required string Name { get; set; }

    /// <summary>The area's ONS code for that year, where it is known: the code of the authority as it then stood.</summary>
    public string? Code { get; set; }

    /// <summary>DfE's own three-digit local-authority number (EES's old_la_code), where the file gave one.</summary>
    public string? LaNumber { get; set; }
    public required string SchoolType { get; set; }
    public int? Schools { get; set; }
    public int? Headcount { get; set; }
    /// <summary>Not always whole: DfE's file gives a few authorities' permanent exclusions as fractions (Brent 2009/10: 45.9412), kept as given.</summary>
    public decimal? PermanentExclusions { get; set; }
    public decimal? PermanentExclusionRate { get; set; }
    public int? Suspensions { get; set; }
    public decimal? SuspensionRate { get; set; }
    public int? PupilsSuspended { get; set; }
    public decimal? PupilsSuspendedRate { get; set; }

    /// <summary>DfE's codes for the values it did not give, as "column=code" separated by ";" (x: withheld; .: does not apply).</summary>
    public string? Withheld { get; set; }
    public Guid ImportId { get; set; }
}

/// <summary>One import of a DfE file: what it was, when, by whom, and what it held.</summary>
public sealed class DfeImport
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string FileName { get; set; }
    public required string Sha256 { get; set; }
    public int Rows { get; set; }
    public int Skipped { get; set; }
    public int FirstYear { get; set; }
    public int LastYear { get; set; }
    public DateTimeOffset ImportedAt { get; set; }
    public Guid? ImportedByUserId { get; set; }
}

/// <summary>
/// The partnership's comparator set for benchmarking: its own authority (<see cref="IsHome"/>)
/// and the neighbours it compares itself with, by the name DfE's tables use and the ONS code.
/// </summary>
public sealed class BenchmarkAuthority
{
    public required string Name { get; set; }
    public string? Code { get; set; }
    public bool IsHome { get; set; }

    /// <summary>Where the neighbour came from: a statistical-neighbour file (its source as the partnership recorded it, and the rank) or null when chosen by hand.</summary>
    public string? Source { get; set; }
    public DateTimeOffset ChosenAt { get; set; }
    public Guid? ChosenByUserId { get; set; }
}

/// <summary>The data an outcome measure is computed from; each names what Waypoint holds, nothing it does not.</summary>
public enum OutcomeRule
{
    /// <summary>A report decided as a step-up to children's social care, or a case closed by stepping it up. Waypoint does not hold care entries themselves.</summary>
    SteppedUpToSocialCare,

    /// <summary>At least <see cref="OutcomeMeasure.Threshold"/> police occurrences naming the child in any role but witness (repeat police demand).</summary>
    PoliceOccurrences,

    /// <summary>At least <see cref="OutcomeMeasure.Threshold"/> suspensions (withdrawn ones never count).</summary>
    Suspensions,

    /// <summary>A permanent exclusion (withdrawn ones never count).</summary>
    PermanentExclusion,

    /// <summary>Absence of at least <see cref="OutcomeMeasure.Threshold"/> per cent of possible sessions (DfE's persistent absence at 10).</summary>
    PersistentAbsence,
}

/// <summary>
/// One measure of the partnership's joint outcomes framework: a name the partnership chose and a
/// definition over data Waypoint holds. A child "has" the outcome in a window when the rule holds
/// over the events in that window.
/// </summary>
public sealed class OutcomeMeasure
{
    public const int MaxNameLength = 100;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public OutcomeRule Rule { get; set; }

    /// <summary>The count (occurrences, suspensions) or percentage (absence) the rule needs; 1 for the rules that need one event.</summary>
    public int Threshold { get; set; }
    public DateTimeOffset DefinedAt { get; set; }
    public Guid? DefinedByUserId { get; set; }

    /// <summary>
    /// A measure just added: its rows are being computed for everyone in a group by the background
    /// worker (<c>OutcomeMeasureCalculation</c>), <see cref="CalculatedPeople"/> of
    /// <see cref="PeopleToCalculate"/> so far; the dashboard leaves it out until it is done.
    /// </summary>
    public bool Calculating { get; set; }

    public int CalculatedPeople { get; set; }
    public int PeopleToCalculate { get; set; }

    /// <summary>Until when a worker holds the calculation (renewed as it goes; a worker that died lets another take it up).</summary>
    public DateTimeOffset? CalculationHeldUntil { get; set; }
}
