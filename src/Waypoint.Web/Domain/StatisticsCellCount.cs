namespace Waypoint.Domain;

/// <summary>
/// Rollup: the statistics' district-and-phase cell of the schools keyed to one area and phase
/// (issue 15, the cold preview): how many schools, their suspensions and permanent exclusions to
/// the to-date rollup's as-of day (<see cref="ExclusionSchoolToDate"/>), pupils with one or more
/// suspensions over that academic year (<see cref="ExclusionPupilCount"/>, whole year) and the census
/// headcount of the schools with one (<see cref="CensusHeadcount"/>). A school in a ward is keyed to
/// the ward's parent (<see cref="ViaWard"/>), any other school to its own area; the district's name
/// is looked up when the cells are read, so renaming an area changes nothing here. Valid for the
/// as-of day written beside it (<c>EvidenceStamps.StatisticsCellsAsOf</c>); counted again by every
/// writer that moves a cell, in its transaction, with the exclusion stamp held. A few hundred rows at
/// England scale against 21,000 schools joined.
/// </summary>
public sealed class StatisticsCellCount
{
    /// <summary>A ward's parent for schools in wards (<see cref="ViaWard"/>), else the school's own area.</summary>
    public Guid AreaId { get; set; }

    /// <summary>The schools are in wards of <see cref="AreaId"/>: the cell is named after it whatever its kind.</summary>
    public bool ViaWard { get; set; }

    /// <summary>As <see cref="ExclusionAreaMonthCount.Phase"/>: the phase by name, "" when not recorded.</summary>
    public string Phase { get; set; } = "";

    public int Schools { get; set; }
    public int Suspensions { get; set; }
    public int Exclusions { get; set; }
    public int PupilsSuspended { get; set; }
    public int Headcount { get; set; }
    public int SchoolsWithHeadcount { get; set; }
}
