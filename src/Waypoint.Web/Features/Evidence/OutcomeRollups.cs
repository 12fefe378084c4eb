using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

// No foreign key to People: a merge must not move these rows (both entries are recomputed from the
// raw rows after it). The measure's key cascades: a measure removed takes its rows with it.
internal sealed class OutcomeRollupRowConfiguration : IEntityTypeConfiguration<OutcomeRollupRow>
{
    public void Configure(EntityTypeBuilder<OutcomeRollupRow> b)
    {
        b.ToTable("OutcomeRollupRows");
        b.HasKey(x => new { x.PersonId, x.Group, x.AcademicYear, x.MeasureId });
        b.HasIndex(x => new { x.AcademicYear, x.MeasureId });
        b.HasOne<OutcomeMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Whom a write touches in the joint outcomes rollup: the people whose cases, services, hub
/// decisions, police occurrences, suspensions or attendance it adds, changes or deletes (before and
/// after a change of person), people removed, and both entries of a merge or unmerge (the save
/// that sets or clears <see cref="Person.MergedIntoId"/> follows the raw moves); occurrences
/// corrected in place (their people are read before the write) and measures added.
/// </summary>
public sealed class OutcomeSlices
{
    public HashSet<Guid> People { get; } = [];
    public HashSet<Guid> Occurrences { get; } = [];
    public List<OutcomeMeasure> MeasuresAdded { get; } = [];

    public bool IsEmpty => People.Count == 0 && Occurrences.Count == 0 && MeasuresAdded.Count == 0;

    public static OutcomeSlices Collect(ChangeTracker tracker)
    {
        var slices = new OutcomeSlices();
        if (RollupSlices.UpkeepSwitchedOff)
            return slices;
        Person<Case>(tracker, slices, nameof(Case.PersonId));
        Person<ServiceReferral>(tracker, slices, nameof(ServiceReferral.PersonId));
        Person<Referral>(tracker, slices, nameof(Referral.PersonId));
        Person<OccurrencePerson>(tracker, slices, nameof(OccurrencePerson.PersonId));
        Person<Suspension>(tracker, slices, nameof(Suspension.PersonId));
        Person<AttendanceRecord>(tracker, slices, nameof(AttendanceRecord.PersonId));
        foreach (var entry in tracker.Entries<Occurrence>())
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                slices.Occurrences.Add(entry.Entity.Id);
        foreach (var entry in tracker.Entries<Person>())
        {
            if (entry.State == EntityState.Deleted)
                slices.People.Add(entry.Entity.Id);
            else if (entry.State == EntityState.Modified && entry.Property(p => p.MergedIntoId).IsModified)
            {
                slices.People.Add(entry.Entity.Id);
                if (entry.Entity.MergedIntoId is { } into)
                    slices.People.Add(into);
                if (entry.Property(p => p.MergedIntoId).OriginalValue is { } was)
                    slices.People.Add(was);
            }
        }
        foreach (var entry in tracker.Entries<OutcomeMeasure>())
            if (entry.State == EntityState.Added)
                slices.MeasuresAdded.Add(entry.Entity);
        return slices;
    }

    private static void Person<T>(ChangeTracker tracker, OutcomeSlices slices, string property) where T : class
    {
        foreach (var entry in tracker.Entries<T>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            slices.People.Add((Guid)entry.Property(property).CurrentValue!);
            if (entry.State == EntityState.Modified)
                slices.People.Add((Guid)entry.Property(property).OriginalValue!);
        }
    }

    /// <summary>Before the write: the people named by the occurrences it changes or deletes (the links cascade away with a deletion).</summary>
    public async Task BeforeAsync(WaypointDbContext db, CancellationToken ct)
    {
        if (Occurrences.Count == 0)
            return;
        var ids = Occurrences.ToList();
        People.UnionWith(await db.Unfiltered<OccurrencePerson>("joint outcomes rollup: the people an occurrence being corrected names")
            .Where(op => ids.Contains(op.OccurrenceId)).Select(op => op.PersonId).Distinct().ToListAsync(ct));
    }

    /// <summary>After the write (flushed, same transaction): the people's rows recomputed, a new measure's rows computed for everyone.</summary>
    public async Task AfterAsync(WaypointDbContext db, CancellationToken ct)
    {
        if (People.Count > 0)
            await OutcomeRollups.RecomputeAsync(db, People, null, ct);
        if (MeasuresAdded.Count > 0)
            await OutcomeRollups.RecomputeAsync(db, await OutcomeRollups.SubjectsAsync(db, ct), MeasuresAdded.Select(m => m.Id).ToList(), ct);
    }
}

/// <summary>
/// The joint outcomes rollup (issue 15, item 5): one row a child, group, academic year and measure
/// (<see cref="OutcomeRollupRow"/>), computed from the person's raw rows whenever they change, and
/// summed in SQL by the dashboard. A person's rows are recomputed whole (a handful of rows), so a
/// closed case's months after, still filling, are right after every write that could change them.
/// </summary>
public static class OutcomeRollups
{
    private const int Chunk = 1000;

    /// <summary>Everything recomputed (a database migrated from before the rollup, or a check).</summary>
    public static async Task RebuildAsync(WaypointDbContext db, CancellationToken ct)
    {
        await db.Set<OutcomeRollupRow>().ExecuteDeleteAsync(ct);
        await RecomputeAsync(db, await SubjectsAsync(db, ct), null, ct);
    }

    /// <summary>Everyone who is in a group in some year: closed cases, ended services, hub decisions not to take on.</summary>
    internal static async Task<List<Guid>> SubjectsAsync(WaypointDbContext db, CancellationToken ct)
    {
        TriageOutcome[] notTakenOn = [TriageOutcome.NoFurtherAction, TriageOutcome.AdviceOrSignposting];
        return await db.Unfiltered<Case>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").Where(c => c.Status == CaseStatus.Closed && c.ClosedAt != null).Select(c => c.PersonId)
            .Union(db.Unfiltered<ServiceReferral>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").Where(s => s.StartedOn != null && s.EndedOn != null).Select(s => s.PersonId))
            .Union(db.Unfiltered<Referral>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").Where(r => r.Outcome != null && notTakenOn.Contains(r.Outcome.Value) && r.DecidedAt != null).Select(r => r.PersonId))
            .ToListAsync(ct);
    }

    /// <summary>The people's rows (for the measures given, or all) deleted and computed again from their raw rows.</summary>
    public static async Task RecomputeAsync(WaypointDbContext db, IReadOnlyCollection<Guid> people, IReadOnlyList<Guid>? measureIds, CancellationToken ct)
    {
        var measures = await db.OutcomeMeasures.AsNoTracking().Where(m => measureIds == null || measureIds.Contains(m.Id)).ToListAsync(ct);
        var all = people.ToList();
        for (var i = 0; i < all.Count; i += Chunk)
        {
            var ids = all.GetRange(i, Math.Min(Chunk, all.Count - i));
            await db.Set<OutcomeRollupRow>().Where(r => ids.Contains(r.PersonId) && (measureIds == null || measureIds.Contains(r.MeasureId))).ExecuteDeleteAsync(ct);
            if (measures.Count == 0)
                continue;
            var rows = await ComputeAsync(db, ids, measures, ct);
            if (rows.Count == 0)
                continue;
            await InsertAsync(db, rows, ct);
        }
    }

    /// <summary>
    /// Written past the change tracker (COPY on PostgreSQL, one INSERT over a JSON parameter on
    /// SQLite): the upkeep also runs inside an import's save, with the import's own changes pending.
    /// </summary>
    private static async Task InsertAsync(WaypointDbContext db, List<OutcomeRollupRow> rows, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await new PostgresBulkWriter<OutcomeRollupRow>(db).WriteAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), rows, ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            return;
        }
        static string G(Guid g) => g.ToString().ToUpperInvariant();
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var json = System.Text.Json.JsonSerializer.Serialize(rows.Select(r => new object?[]
        {
            G(r.PersonId), r.Group.ToString(), r.AcademicYear, G(r.MeasureId), D(r.Start), D(r.End), D(r.Due6), D(r.Due12), r.Before6, r.After6, r.Before12, r.After12,
        }));
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "OutcomeRollupRows" ("PersonId", "Group", "AcademicYear", "MeasureId", "Start", "End", "Due6", "Due12", "Before6", "After6", "Before12", "After12")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11
            FROM json_each({json})
            """, ct);
    }

    /// <summary>
    /// After an import's COPY on PostgreSQL (rows the change tracker never sees): the rows of the
    /// people already held whose suspensions or attendance it adds are recomputed. New people
    /// cannot be in a group yet (no case, service or hub decision), so they are left out.
    /// </summary>
    public static Task AfterCopyAsync(WaypointDbContext db, IEnumerable<Guid> people, IEnumerable<Guid> newPeople, CancellationToken ct)
    {
        if (RollupSlices.UpkeepSwitchedOff)
            return Task.CompletedTask;
        var held = people.ToHashSet();
        held.ExceptWith(newPeople);
        return held.Count == 0 ? Task.CompletedTask : RecomputeAsync(db, held, null, ct);
    }

    /// <summary>The rows of these people, from their raw rows (all of their history: nothing is cut at a date).</summary>
    internal static async Task<List<OutcomeRollupRow>> ComputeAsync(WaypointDbContext db, List<Guid> ids, IReadOnlyList<OutcomeMeasure> measures, CancellationToken ct)
    {
        var cases = await db.Unfiltered<Case>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").AsNoTracking().Where(c => ids.Contains(c.PersonId))
            .Select(c => new { c.PersonId, c.OpenedAt, c.ClosedAt, c.Status, c.ClosureReason }).ToListAsync(ct);
        var services = await db.Unfiltered<ServiceReferral>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").AsNoTracking().Where(s => ids.Contains(s.PersonId) && s.StartedOn != null)
            .Select(s => new { s.PersonId, Start = s.StartedOn!.Value, s.EndedOn }).ToListAsync(ct);
        var decisions = await db.Unfiltered<Referral>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").AsNoTracking().Where(r => ids.Contains(r.PersonId) && r.Outcome != null && r.DecidedAt != null)
            .Select(r => new { r.PersonId, Outcome = r.Outcome!.Value, DecidedAt = r.DecidedAt!.Value }).ToListAsync(ct);
        var subjects = new List<(Guid PersonId, OutcomeGroup Group, DateOnly Start, DateOnly End)>();
        subjects.AddRange(cases.Where(c => c.Status == CaseStatus.Closed && c.ClosedAt != null).Select(c => (c.PersonId, OutcomeGroup.EarlyHelp, Day(c.OpenedAt), Day(c.ClosedAt!.Value))));
        subjects.AddRange(services.Where(s => s.EndedOn != null).Select(s => (s.PersonId, OutcomeGroup.Service, s.Start, s.EndedOn!.Value)));
        var helpStarts = cases.Select(c => (c.PersonId, Day: Day(c.OpenedAt))).Concat(services.Select(s => (s.PersonId, Day: s.Start))).ToLookup(x => x.PersonId, x => x.Day);
        var reach = JointOutcomes.Windows.Max();
        subjects.AddRange(decisions.Where(r => r.Outcome is TriageOutcome.NoFurtherAction or TriageOutcome.AdviceOrSignposting)
            .Select(r => (r.PersonId, OutcomeGroup.Comparison, Start: Day(r.DecidedAt), End: Day(r.DecidedAt)))
            .Where(s => !helpStarts[s.PersonId].Any(h => h >= s.Start.AddMonths(-reach) && h < s.End.AddMonths(reach))));
        if (subjects.Count == 0)
            return [];

        var events = new List<OutcomeEvent>();
        events.AddRange(decisions.Where(r => r.Outcome == TriageOutcome.StepUpToChildrensSocialCare).Select(r => new OutcomeEvent(r.PersonId, OutcomeRule.SteppedUpToSocialCare, Day(r.DecidedAt))));
        events.AddRange(cases.Where(c => c.ClosureReason == CaseClosureReason.SteppedUp && c.ClosedAt != null).Select(c => new OutcomeEvent(c.PersonId, OutcomeRule.SteppedUpToSocialCare, Day(c.ClosedAt!.Value))));
        if (measures.Any(m => m.Rule == OutcomeRule.PoliceOccurrences))
            events.AddRange(await (from op in db.Unfiltered<OccurrencePerson>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup")
                                   join o in db.Unfiltered<Occurrence>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup") on op.OccurrenceId equals o.Id
                                   where ids.Contains(op.PersonId) && op.Role != OccurrenceRole.Witness
                                   select new OutcomeEvent(op.PersonId, OutcomeRule.PoliceOccurrences, o.OccurredOn)).AsNoTracking().ToListAsync(ct));
        if (measures.Any(m => m.Rule is OutcomeRule.Suspensions or OutcomeRule.PermanentExclusion))
            events.AddRange((await db.Unfiltered<Suspension>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").AsNoTracking().Where(s => ids.Contains(s.PersonId) && s.Outcome != ExclusionOutcome.Withdrawn)
                    .Select(s => new { s.PersonId, s.Kind, s.StartDate }).ToListAsync(ct))
                .Select(s => new OutcomeEvent(s.PersonId, s.Kind == ExclusionKind.PermanentExclusion ? OutcomeRule.PermanentExclusion : OutcomeRule.Suspensions, s.StartDate)));
        var attendance = measures.Any(m => m.Rule == OutcomeRule.PersistentAbsence)
            ? (await db.Unfiltered<AttendanceRecord>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup").AsNoTracking().Where(a => ids.Contains(a.PersonId))
                .Select(a => new AttendanceSpan(a.PersonId, a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.AuthorisedAbsence + a.UnauthorisedAbsence)).ToListAsync(ct))
                .GroupBy(a => a.PersonId).ToDictionary(g => g.Key, g => g.ToList())
            : [];
        var byPerson = events.GroupBy(e => (e.PersonId, e.Rule)).ToDictionary(g => g.Key, g => g.Select(e => e.Day).ToList());

        var rows = new List<OutcomeRollupRow>();
        // One child once a group and year: their first (by the end, then the start), as the page always counted.
        foreach (var s in subjects.GroupBy(s => (s.PersonId, s.Group, Year: AcademicYear.Of(s.End).StartYear))
                     .Select(g => (g.Key.Year, First: g.OrderBy(s => s.End).ThenBy(s => s.Start).First())))
        {
            var (personId, group, start, end) = s.First;
            foreach (var m in measures)
                rows.Add(new OutcomeRollupRow
                {
                    PersonId = personId,
                    Group = group,
                    AcademicYear = s.Year,
                    MeasureId = m.Id,
                    Start = start,
                    End = end,
                    Due6 = end.AddMonths(6),
                    Due12 = end.AddMonths(12),
                    Before6 = JointOutcomes.Holds(m, personId, start.AddMonths(-6), start, byPerson, attendance),
                    After6 = JointOutcomes.Holds(m, personId, end, end.AddMonths(6), byPerson, attendance),
                    Before12 = JointOutcomes.Holds(m, personId, start.AddMonths(-12), start, byPerson, attendance),
                    After12 = JointOutcomes.Holds(m, personId, end, end.AddMonths(12), byPerson, attendance),
                });
        }
        return rows;
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string GroupName(OutcomeGroup group) => group switch
    {
        OutcomeGroup.EarlyHelp => JointOutcomes.EarlyHelp,
        OutcomeGroup.Service => JointOutcomes.Service,
        _ => JointOutcomes.Comparison,
    };

    /// <summary>The paired counts of an academic year and the one before, summed in SQL from the rollup rows of the children living in the areas (null: everyone).</summary>
    public static async Task<Dictionary<(int Year, OutcomeGroup Group, Guid MeasureId, int Months), OutcomeCounts>> CountsAsync(
        WaypointDbContext db, int year, List<Guid>? areas, DateOnly today, CancellationToken ct)
    {
        var people = db.Unfiltered<Person>("joint outcomes rollup: counted across the partnership; only aggregates leave the rollup");
        var rows = from r in db.Set<OutcomeRollupRow>()
                   join p in people on r.PersonId equals p.Id
                   where (r.AcademicYear == year || r.AcademicYear == year - 1) && (areas == null || areas.Contains(p.AreaId))
                   select r;
        var sums = await rows.GroupBy(r => new { r.AcademicYear, r.Group, r.MeasureId })
            .Select(g => new
            {
                g.Key.AcademicYear,
                g.Key.Group,
                g.Key.MeasureId,
                Both6 = g.Sum(r => r.Due6 <= today && r.Before6 == true && r.After6 == true ? 1 : 0),
                BeforeOnly6 = g.Sum(r => r.Due6 <= today && r.Before6 == true && r.After6 == false ? 1 : 0),
                AfterOnly6 = g.Sum(r => r.Due6 <= today && r.Before6 == false && r.After6 == true ? 1 : 0),
                Neither6 = g.Sum(r => r.Due6 <= today && r.Before6 == false && r.After6 == false ? 1 : 0),
                Waiting6 = g.Sum(r => r.Due6 > today ? 1 : 0),
                Both12 = g.Sum(r => r.Due12 <= today && r.Before12 == true && r.After12 == true ? 1 : 0),
                BeforeOnly12 = g.Sum(r => r.Due12 <= today && r.Before12 == true && r.After12 == false ? 1 : 0),
                AfterOnly12 = g.Sum(r => r.Due12 <= today && r.Before12 == false && r.After12 == true ? 1 : 0),
                Neither12 = g.Sum(r => r.Due12 <= today && r.Before12 == false && r.After12 == false ? 1 : 0),
                Waiting12 = g.Sum(r => r.Due12 > today ? 1 : 0),
            }).ToListAsync(ct);
        var counts = new Dictionary<(int, OutcomeGroup, Guid, int), OutcomeCounts>();
        foreach (var s in sums)
        {
            counts[(s.AcademicYear, s.Group, s.MeasureId, 6)] = new OutcomeCounts(s.Both6, s.BeforeOnly6, s.AfterOnly6, s.Neither6, s.Waiting6);
            counts[(s.AcademicYear, s.Group, s.MeasureId, 12)] = new OutcomeCounts(s.Both12, s.BeforeOnly12, s.AfterOnly12, s.Neither12, s.Waiting12);
        }
        return counts;
    }

    /// <summary>The dashboard from the rollup (see <see cref="JointOutcomes.LoadAsync"/>).</summary>
    public static async Task<OutcomesReport> LoadAsync(WaypointDbContext db, int year, Guid? areaId, DateOnly today, CancellationToken ct,
        int threshold = StatisticsPublication.DefaultThreshold)
    {
        var measures = await db.OutcomeMeasures.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
        var (areaName, areas) = await JointOutcomes.AreaAsync(db, areaId, ct);
        var counts = await CountsAsync(db, year, areas, today, ct);
        int[] years = [year, year - 1];
        IReadOnlyList<string> groups = [JointOutcomes.EarlyHelp, JointOutcomes.Service, JointOutcomes.Comparison];
        var periods = years.Select(y => new AcademicYear(y)).Select(ay => (ay.ToString(), ay.Start, ay.End, groups)).ToList();
        return JointOutcomes.Report(areaName, threshold, measures, periods,
            (p, group, measure, months) => counts.GetValueOrDefault((years[p], Enum.GetValues<OutcomeGroup>().First(g => GroupName(g) == group), measure, months)) ?? OutcomeCounts.None);
    }
}
