using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>Which rollup a <see cref="DisposedCount"/> adds to.</summary>
public enum DisposedCountPart
{
    /// <summary>Suspensions or exclusions started on one day (<see cref="ExclusionDayCount"/>).</summary>
    Day,

    /// <summary>A pupil suspended or excluded in a year or term (<see cref="ExclusionPupilCount"/>).</summary>
    Pupils,

    /// <summary>A pupil on roll on census day (<see cref="CensusHeadcount"/>).</summary>
    Headcount,
}

/// <summary>
/// What a disposed school record (one pupil's records from one school) had added to the rollups,
/// as counts with nothing about the pupil: every recount of that school and year adds these back,
/// so a published figure does not drop because a record reached the end of its retention period
/// (docs/retention.md, "Rollups stay as counts").
/// </summary>
public sealed class DisposedCount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public int AcademicYear { get; set; }
    public DisposedCountPart Part { get; set; }

    /// <summary><see cref="DisposedCountPart.Day"/>: the day the suspensions started.</summary>
    public DateOnly? Date { get; set; }

    /// <summary><see cref="DisposedCountPart.Day"/> and <see cref="DisposedCountPart.Pupils"/>.</summary>
    public ExclusionKind? Kind { get; set; }

    /// <summary><see cref="DisposedCountPart.Day"/>: the main reason.</summary>
    public string? ReasonCode { get; set; }

    /// <summary><see cref="DisposedCountPart.Pupils"/>: <see cref="ExclusionPupilCount.Term"/>.</summary>
    public int? Term { get; set; }

    public int Count { get; set; }
}

internal sealed class DisposedCountConfiguration : IEntityTypeConfiguration<DisposedCount>
{
    public void Configure(EntityTypeBuilder<DisposedCount> b)
    {
        b.HasIndex(x => new { x.AcademicYear, x.SchoolId });
        b.Property(x => x.ReasonCode).HasMaxLength(2);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

public static class DisposedCounts
{
    /// <summary>
    /// Before a pupil's records from one school are deleted past the change tracker: what they
    /// add to the rollups, kept as counts (staged in the context; the disposal's save writes them
    /// in its transaction). Disposal removes all of the pupil's rows at that school, so adding a
    /// disposed pupil back never counts a pupil twice.
    /// </summary>
    public static async Task KeepAsync(WaypointDbContext db, Guid personId, Guid schoolId, CancellationToken ct)
    {
        var suspensions = await db.Unfiltered<Suspension>("disposal keeps the counts a pupil's suspensions added to the rollups; nothing about the pupil is kept").AsNoTracking()
            .Where(s => s.PersonId == personId && s.SchoolId == schoolId && s.Outcome != ExclusionOutcome.Withdrawn)
            .Select(s => new { s.StartDate, s.Kind, s.ReasonCode1 }).ToListAsync(ct);
        foreach (var g in suspensions.GroupBy(s => (s.StartDate, s.Kind, s.ReasonCode1)))
            db.Add(new DisposedCount { SchoolId = schoolId, AcademicYear = AcademicYear.Of(g.Key.StartDate).StartYear, Part = DisposedCountPart.Day, Date = g.Key.StartDate, Kind = g.Key.Kind, ReasonCode = g.Key.ReasonCode1, Count = g.Count() });
        foreach (var year in suspensions.GroupBy(s => AcademicYear.Of(s.StartDate).StartYear))
            foreach (var (term, from, to) in ExclusionRollups.Periods(year.Key))
                foreach (var kind in year.Where(s => s.StartDate >= from && s.StartDate <= to).Select(s => s.Kind).Distinct())
                    db.Add(new DisposedCount { SchoolId = schoolId, AcademicYear = year.Key, Part = DisposedCountPart.Pupils, Kind = kind, Term = term, Count = 1 });

        var enrolments = await db.Unfiltered<Enrolment>("disposal keeps the census headcounts a pupil's enrolments added to the rollups; nothing about the pupil is kept").AsNoTracking()
            .Where(e => e.PersonId == personId && e.SchoolId == schoolId).Select(e => new { e.StartDate, e.EndDate }).ToListAsync(ct);
        var years = new HashSet<int>();
        foreach (var e in enrolments)
            for (var y = AcademicYear.Of(e.StartDate).StartYear; y <= AcademicYear.Of(e.EndDate ?? db.Today).StartYear; y++)
                if (ExclusionRollups.CensusDay(y) is var census && e.StartDate <= census && (e.EndDate is null || e.EndDate >= census))
                    years.Add(y);
        foreach (var y in years)
            db.Add(new DisposedCount { SchoolId = schoolId, AcademicYear = y, Part = DisposedCountPart.Headcount, Count = 1 });
    }

    /// <summary>The disposed counts of one year (for these schools, or all), to add to a recount.</summary>
    internal static Task<List<DisposedCount>> OfYearAsync(WaypointDbContext db, int year, DisposedCountPart part, IReadOnlyList<Guid>? schools, CancellationToken ct)
    {
        var q = db.Set<DisposedCount>().AsNoTracking().Where(d => d.AcademicYear == year && d.Part == part);
        if (schools is not null)
            q = q.Where(d => schools.Contains(d.SchoolId));
        return q.ToListAsync(ct);
    }
}
