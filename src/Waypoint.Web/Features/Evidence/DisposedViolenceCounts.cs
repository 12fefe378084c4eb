using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>
/// What disposed records changed in the violence page's cells, as counts with nothing about the
/// pupil: for one window of academic years (<see cref="FromYear"/> to <see cref="ToYear"/>), one
/// area (level 0 the partnership, 1 a county, 2 a district: <see cref="AreaId"/>) and one cell (school,
/// age band, what happened: <see cref="ViolenceCell"/>), how many pupils to add. A pupil whose records
/// from a school are disposed of moves out of the cell those records put them in (+1 kept there) and
/// into the one the rest of their records give (−1 kept there, since the per-person rows now count
/// them there); a pupil disposed of as a whole leaves only the +1. The rows are tallies: one per
/// cell, however many pupils, and no person, date or key of a disposed record.
/// </summary>
public sealed class DisposedViolenceCount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int FromYear { get; set; }
    public int ToYear { get; set; }
    public int Level { get; set; }
    public Guid? AreaId { get; set; }
    public Guid SchoolId { get; set; }
    public int Band { get; set; }

    /// <summary>The cell's ten yes-or-no parts as bits, in <see cref="ViolenceCell"/>'s order.</summary>
    public int Flags { get; set; }

    public int Count { get; set; }
}

internal sealed class DisposedViolenceCountConfiguration : IEntityTypeConfiguration<DisposedViolenceCount>
{
    public void Configure(EntityTypeBuilder<DisposedViolenceCount> b)
    {
        b.HasIndex(x => new { x.FromYear, x.ToYear, x.Level, x.AreaId, x.SchoolId, x.Band, x.Flags });
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class DisposedViolenceCounts
{
    /// <summary>The longest window the violence page offers, in academic years.</summary>
    private const int MaxYears = 5;

    public static int Pack(ViolenceCell c) =>
        (c.Suspended ? 1 : 0) | (c.Excluded ? 2 : 0) | (c.Perpetrator ? 4 : 0) | (c.Victim ? 8 : 0)
        | (c.PerpetratorBeforeSuspension ? 16 : 0) | (c.PerpetratorBeforeExclusion ? 32 : 0) | (c.VictimBeforeSuspension ? 64 : 0) | (c.VictimBeforeExclusion ? 128 : 0);

    public static ViolenceCell Unpack(Guid school, int band, int flags, int pupils) =>
        new(school, band, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0,
            (flags & 16) != 0, (flags & 32) != 0, (flags & 64) != 0, (flags & 128) != 0, pupils);

    /// <summary>
    /// Before a pupil's records from one school (or, with no school, all of a person's records) are
    /// deleted past the change tracker: for every window of up to five academic years that the
    /// disposed enrolments and suspensions fall in, and every area the pupil counts in, the cell the
    /// pupil stands in now against the one they will stand in without those records, added to the
    /// tallies (staged in the context; the disposal's save writes them). The per-person rows are then
    /// recounted from what is left (<see cref="EvidenceRollups.RefreshPeopleAsync"/>, the caller's part).
    /// </summary>
    public static async Task KeepAsync(WaypointDbContext db, Guid personId, Guid? schoolId, CancellationToken ct)
    {
        var enrolments = await db.Unfiltered<Enrolment>("disposal keeps what a pupil's records added to the violence page's cells as counts; nothing about the pupil is kept").AsNoTracking().Where(e => e.PersonId == personId)
            .Select(e => new { e.SchoolId, e.StartDate, e.EndDate }).ToListAsync(ct);
        var suspensions = await db.Unfiltered<Suspension>("disposal keeps what a pupil's records added to the violence page's cells as counts; nothing about the pupil is kept").AsNoTracking().Where(s => s.PersonId == personId && s.Outcome != ExclusionOutcome.Withdrawn)
            .Select(s => new { s.SchoolId, s.Kind, s.StartDate }).ToListAsync(ct);
        bool Disposed(Guid school) => schoolId is null || school == schoolId;
        var years = enrolments.Where(e => Disposed(e.SchoolId))
            .SelectMany(e => new[] { AcademicYear.Of(e.StartDate).StartYear, AcademicYear.Of(e.EndDate ?? db.Today).StartYear })
            .Concat(suspensions.Where(s => Disposed(s.SchoolId)).Select(s => AcademicYear.Of(s.StartDate).StartYear)).ToList();
        if (years.Count == 0)
            return;
        var dateOfBirth = await db.Unfiltered<Person>("disposal keeps what a pupil's records added to the violence page's cells as counts; nothing about the pupil is kept").AsNoTracking().Where(p => p.Id == personId).Select(p => p.DateOfBirth).SingleOrDefaultAsync(ct);
        var groups = ViolenceAnalysis.ViolentGroups.ToList();
        var roles = ViolenceAnalysis.PerpetratorRoles.Append(OccurrenceRole.Victim).ToList();
        var involvements = await (from op in db.Unfiltered<OccurrencePerson>("disposal keeps what a pupil's records added to the violence page's cells as counts; nothing about the pupil is kept")
                                  join o in db.Unfiltered<Occurrence>("disposal keeps what a pupil's records added to the violence page's cells as counts; nothing about the pupil is kept") on op.OccurrenceId equals o.Id
                                  where op.PersonId == personId && o.OffenceGroup != null && groups.Contains(o.OffenceGroup) && roles.Contains(op.Role)
                                  select new ViolentInvolvement(op.PersonId, op.Role, o.OccurredOn)).AsNoTracking().ToListAsync(ct);
        var schoolIds = enrolments.Select(e => e.SchoolId).Distinct().ToList();
        var placed = await SchoolAreasAsync(db, schoolIds, ct);

        var now = enrolments.Select(e => (e.SchoolId, e.StartDate, e.EndDate)).ToList();
        var left = now.Where(e => !Disposed(e.SchoolId)).ToList();
        var nowExclusions = suspensions.Select(s => new CohortExclusion(personId, s.Kind, s.StartDate)).ToList();
        var leftExclusions = suspensions.Where(s => !Disposed(s.SchoolId)).Select(s => new CohortExclusion(personId, s.Kind, s.StartDate)).ToList();
        var leftInvolvements = schoolId is null ? [] : involvements;

        var tallies = new Dictionary<(int, int, int, Guid?, Guid, int, int), int>();
        for (var from = years.Min() - (MaxYears - 1); from <= years.Max(); from++)
            for (var to = Math.Max(from, years.Min()); to <= from + MaxYears - 1; to++)
                foreach (var (level, area, inArea) in Levels(placed))
                {
                    var before = CellOf(from, to, personId, dateOfBirth, now.Where(e => inArea(e.SchoolId)), nowExclusions, involvements);
                    var after = CellOf(from, to, personId, dateOfBirth, left.Where(e => inArea(e.SchoolId)), leftExclusions, leftInvolvements);
                    if (before == after)
                        continue;
                    if (before is { } b)
                        Add((from, to, level, area, b.SchoolId, b.Band, Pack(b)), 1);
                    if (after is { } a)
                        Add((from, to, level, area, a.SchoolId, a.Band, Pack(a)), -1);
                }
        if (tallies.Count == 0)
            return;
        var fromYears = tallies.Keys.Select(k => k.Item1).Distinct().ToList();
        var held = await db.Set<DisposedViolenceCount>().Where(d => fromYears.Contains(d.FromYear) && schoolIds.Contains(d.SchoolId)).ToListAsync(ct);
        foreach (var (key, count) in tallies.Where(t => t.Value != 0))
        {
            var row = held.FirstOrDefault(d => (d.FromYear, d.ToYear, d.Level, d.AreaId, d.SchoolId, d.Band, d.Flags) == key);
            if (row is null)
                db.Add(new DisposedViolenceCount { FromYear = key.Item1, ToYear = key.Item2, Level = key.Item3, AreaId = key.Item4, SchoolId = key.Item5, Band = key.Item6, Flags = key.Item7, Count = count });
            else if ((row.Count += count) == 0)
                db.Remove(row);
        }

        void Add((int, int, int, Guid?, Guid, int, int) key, int count) => tallies[key] = tallies.GetValueOrDefault(key) + count;
    }

    /// <summary>The pupil's cell in one window and area, as the rollups would count it (the school of the earliest span, ties by school).</summary>
    private static ViolenceCell? CellOf(int fromYear, int toYear, Guid person, DateOnly? dateOfBirth, IEnumerable<(Guid SchoolId, DateOnly StartDate, DateOnly? EndDate)> enrolments,
        IReadOnlyList<CohortExclusion> exclusions, IReadOnlyList<ViolentInvolvement> involvements)
    {
        var start = new AcademicYear(fromYear).Start;
        var end = new AcademicYear(toYear).End;
        var first = enrolments
            .Where(e => AcademicYear.Of(e.StartDate).StartYear <= toYear && (e.EndDate is not { } x || AcademicYear.Of(x).StartYear >= fromYear) && e.StartDate <= end)
            .OrderBy(e => e.StartDate).ThenBy(e => e.SchoolId).Cast<(Guid SchoolId, DateOnly StartDate, DateOnly? EndDate)?>().FirstOrDefault();
        if (first is not { } f)
            return null;
        var cells = ViolenceAnalysis.Cells(new ViolenceInput(start, end, 0, "", [new CohortPupil(person, dateOfBirth, f.SchoolId)], exclusions, involvements));
        return cells.Single() with { Pupils = 1 };
    }

    /// <summary>The areas a pupil can count in: the partnership, and the county and district of each school.</summary>
    private static IEnumerable<(int Level, Guid? Area, Func<Guid, bool> InArea)> Levels(Dictionary<Guid, (Guid? District, Guid? County)> placed)
    {
        yield return (0, null, _ => true);
        foreach (var county in placed.Values.Select(v => v.County).OfType<Guid>().Distinct())
            yield return (1, county, s => placed.TryGetValue(s, out var p) && p.County == county);
        foreach (var district in placed.Values.Select(v => v.District).OfType<Guid>().Distinct())
            yield return (2, district, s => placed.TryGetValue(s, out var p) && p.District == district);
    }

    /// <summary>Each school's district and county (the first of its area, the area's parent and grandparent of that kind), as the violence page reads them.</summary>
    internal static async Task<Dictionary<Guid, (Guid? District, Guid? County)>> SchoolAreasAsync(WaypointDbContext db, IReadOnlyList<Guid> schools, CancellationToken ct)
    {
        var areas = await db.Areas.AsNoTracking().Select(a => new { a.Id, a.Kind, a.ParentId }).ToDictionaryAsync(a => a.Id, ct);
        var located = await db.Organisations.AsNoTracking().Where(o => schools.Contains(o.Id) && o.Type == OrganisationType.School).Select(o => new { o.Id, o.AreaId }).ToListAsync(ct);
        var result = new Dictionary<Guid, (Guid?, Guid?)>();
        foreach (var o in located)
        {
            Guid? district = null, county = null;
            Guid? at = o.AreaId;
            for (var i = 0; i < 3 && at is { } id && areas.TryGetValue(id, out var a); i++, at = a.ParentId)
            {
                if (a.Kind == AreaKind.District)
                    district ??= a.Id;
                if (a.Kind == AreaKind.County)
                    county ??= a.Id;
            }
            result[o.Id] = (district, county);
        }
        return result;
    }

    /// <summary>The tallies of one window, by area (<see cref="Guid.Empty"/> the partnership), as cells to add to the rollups' (a count may be negative).</summary>
    internal static async Task<ILookup<Guid, ViolenceCell>> OfWindowAsync(WaypointDbContext db, int fromYear, int toYear, CancellationToken ct) =>
        (await db.Set<DisposedViolenceCount>().AsNoTracking().Where(d => d.FromYear == fromYear && d.ToYear == toYear && d.Count != 0).ToListAsync(ct))
        .ToLookup(d => d.Level == 0 ? Guid.Empty : d.AreaId ?? Guid.Empty, d => Unpack(d.SchoolId, d.Band, d.Flags, d.Count));
}
