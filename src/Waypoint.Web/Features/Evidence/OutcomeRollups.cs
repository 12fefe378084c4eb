using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
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
/// The dashboard's summary of <see cref="OutcomeRollupRow"/> (issue 15, item 5): for one area a
/// child lives in, academic year, group, measure and day the help ended, how many children, and how
/// many of them had the outcome before and after, before only, after only or neither over the 6 and
/// the 12 months. Kept by difference in the transaction that recomputes the per-person rows, so it
/// always equals their sum (the tests hold it to a rebuild). Keyed by the day the help ended only so
/// that the dashboard can tell, on the day it is read, whose months after have all passed
/// (<see cref="Due6"/>, <see cref="Due12"/> are that day plus 6 and 12 months).
/// </summary>
public sealed class OutcomeSummaryRow
{
    public Guid AreaId { get; set; }
    public int AcademicYear { get; set; }
    public OutcomeGroup Group { get; set; }
    public Guid MeasureId { get; set; }
    public DateOnly End { get; set; }
    public DateOnly Due6 { get; set; }
    public DateOnly Due12 { get; set; }
    public int Children { get; set; }
    public int Both6 { get; set; }
    public int BeforeOnly6 { get; set; }
    public int AfterOnly6 { get; set; }
    public int Neither6 { get; set; }
    public int Both12 { get; set; }
    public int BeforeOnly12 { get; set; }
    public int AfterOnly12 { get; set; }
    public int Neither12 { get; set; }
}

internal sealed class OutcomeSummaryRowConfiguration : IEntityTypeConfiguration<OutcomeSummaryRow>
{
    public void Configure(EntityTypeBuilder<OutcomeSummaryRow> b)
    {
        b.ToTable("OutcomeSummaryRows");
        b.HasKey(x => new { x.AreaId, x.AcademicYear, x.Group, x.MeasureId, x.End });
        b.HasIndex(x => new { x.AcademicYear, x.MeasureId });
        b.HasOne<OutcomeMeasure>().WithMany().HasForeignKey(x => x.MeasureId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// What children disposed of as a whole had added to the dashboard, as counts with nothing about the
/// child (no person, no date): for one area, academic year, group and measure, the paired counts of
/// the windows whose months after had all passed when they were disposed of (a window still filling
/// could never be completed, so it is not kept). Added to the summary's sums when the dashboard is read.
/// </summary>
public sealed class DisposedOutcomeCount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AreaId { get; set; }
    public int AcademicYear { get; set; }
    public OutcomeGroup Group { get; set; }
    public Guid MeasureId { get; set; }
    public int Both6 { get; set; }
    public int BeforeOnly6 { get; set; }
    public int AfterOnly6 { get; set; }
    public int Neither6 { get; set; }
    public int Both12 { get; set; }
    public int BeforeOnly12 { get; set; }
    public int AfterOnly12 { get; set; }
    public int Neither12 { get; set; }
}

internal sealed class DisposedOutcomeCountConfiguration : IEntityTypeConfiguration<DisposedOutcomeCount>
{
    public void Configure(EntityTypeBuilder<DisposedOutcomeCount> b)
    {
        b.HasIndex(x => new { x.AcademicYear, x.AreaId, x.Group, x.MeasureId }).IsUnique();
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
            if (entry.State == EntityState.Deleted || (entry.State == EntityState.Modified && entry.Property(p => p.AreaId).IsModified))
                slices.People.Add(entry.Entity.Id); // a move takes the child's rows to the summary of the new area
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
            {
                // Computed for everyone by the background worker (minutes at England scale), not in the request.
                entry.Entity.Calculating = true;
                slices.MeasuresAdded.Add(entry.Entity);
            }
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

    /// <summary>
    /// After the write (flushed, same transaction): the people's rows recomputed (for every measure,
    /// those still being calculated too). A new measure's rows for everyone are left to
    /// <see cref="OutcomeMeasureCalculation"/>.
    /// </summary>
    public async Task AfterAsync(WaypointDbContext db, CancellationToken ct)
    {
        if (People.Count > 0)
            await OutcomeRollups.RecomputeAsync(db, People, null, ct);
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
        // The dashboard's cached reports go too, even where nothing is counted again (in the caller's transaction, if any).
        await EvidenceStamps.MoveAsync(db, EvidenceStamps.Outcomes, ct);
        await db.Set<OutcomeRollupRow>().ExecuteDeleteAsync(ct);
        await db.Set<OutcomeSummaryRow>().ExecuteDeleteAsync(ct);
        await RecomputeAsync(db, await SubjectsAsync(db, ct), null, ct);
        await EvidenceStamps.MoveAsync(db, EvidenceStamps.Outcomes, ct); // and after, when no transaction holds it all
    }

    /// <summary>The <c>rebuild-rollups</c> command's part: the joint outcomes rows and their summary computed again.</summary>
    public static async Task<int> RebuildCommandAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var db = services.GetRequiredService<WaypointDbContext>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await RebuildAsync(db, ct);
            await tx.CommitAsync(ct);
        }
        await output.WriteLineAsync($"Joint outcomes rollup computed again: {await db.Set<OutcomeRollupRow>().CountAsync(ct):N0} per-person rows, " +
            $"{await db.Set<OutcomeSummaryRow>().CountAsync(ct):N0} summary rows ({clock.Elapsed.TotalSeconds:F1} s).");
        return 0;
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
            var mine = db.Set<OutcomeRollupRow>().Where(r => ids.Contains(r.PersonId) && (measureIds == null || measureIds.Contains(r.MeasureId)));
            var delta = new OutcomeSummaryDelta();
            delta.Add(await mine.AsNoTracking().ToListAsync(ct), -1);
            await mine.ExecuteDeleteAsync(ct);
            var rows = measures.Count == 0 ? [] : await ComputeAsync(db, ids, measures, ct);
            if (rows.Count > 0)
                await InsertAsync(db, rows, ct);
            delta.Add(rows, 1);
            await delta.ApplyAsync(db, ct);
        }
    }

    /// <summary>
    /// Before register entries are deleted as a whole (retention, past the change tracker): what their
    /// rows add to windows whose months after have all passed is kept in <see cref="DisposedOutcomeCount"/>
    /// (staged in the context: the disposal's save writes it), then the rows and their part of the summary go.
    /// </summary>
    public static async Task DisposeAsync(WaypointDbContext db, IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var ids = people.ToList();
        var rows = await db.Set<OutcomeRollupRow>().AsNoTracking().Where(r => ids.Contains(r.PersonId)).ToListAsync(ct);
        if (rows.Count == 0)
            return;
        var today = db.Today;
        var kept = new OutcomeSummaryDelta();
        kept.Add(rows.Where(r => r.Due6 <= today || r.Due12 <= today).ToList(), 1, today);
        var keys = kept.Cells.Keys.Select(k => (k.Area, k.Year, k.Group, k.Measure)).Distinct().ToList();
        var years = keys.Select(k => k.Year).Distinct().ToList();
        var held = await db.Set<DisposedOutcomeCount>().Where(d => years.Contains(d.AcademicYear)).ToListAsync(ct);
        foreach (var key in keys)
        {
            var row = held.FirstOrDefault(d => (d.AreaId, d.AcademicYear, d.Group, d.MeasureId) == key);
            if (row is null)
            {
                row = new DisposedOutcomeCount { AreaId = key.Area, AcademicYear = key.Year, Group = key.Group, MeasureId = key.Measure };
                db.Add(row);
                held.Add(row);
            }
            foreach (var c in kept.Cells.Where(c => (c.Key.Area, c.Key.Year, c.Key.Group, c.Key.Measure) == key).Select(c => c.Value))
            {
                row.Both6 += c.Both6;
                row.BeforeOnly6 += c.BeforeOnly6;
                row.AfterOnly6 += c.AfterOnly6;
                row.Neither6 += c.Neither6;
                row.Both12 += c.Both12;
                row.BeforeOnly12 += c.BeforeOnly12;
                row.AfterOnly12 += c.AfterOnly12;
                row.Neither12 += c.Neither12;
            }
        }
        var gone = new OutcomeSummaryDelta();
        gone.Add(rows, -1);
        await gone.ApplyAsync(db, ct);
        await db.Set<OutcomeRollupRow>().Where(r => ids.Contains(r.PersonId)).ExecuteDeleteAsync(ct);
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
            G(r.PersonId), r.Group.ToString(), r.AcademicYear, G(r.MeasureId), D(r.Start), D(r.End), D(r.Due6), D(r.Due12), r.Before6, r.After6, r.Before12, r.After12, G(r.AreaId),
        }));
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "OutcomeRollupRows" ("PersonId", "Group", "AcademicYear", "MeasureId", "Start", "End", "Due6", "Due12", "Before6", "After6", "Before12", "After12", "AreaId")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11, value ->> 12
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
        var subjectIds = subjects.Select(x => x.PersonId).Distinct().ToList();
        var areaOf = await db.Unfiltered<Person>("joint outcomes rollup: the area each child lives in, for the summary by area").AsNoTracking()
            .Where(p => subjectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.AreaId, ct);

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
            if (!areaOf.TryGetValue(personId, out var areaId))
                continue; // the entry is being deleted in this write
            foreach (var m in measures)
                rows.Add(new OutcomeRollupRow
                {
                    PersonId = personId,
                    AreaId = areaId,
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

    /// <summary>
    /// The paired counts of an academic year and the one before, by the area the children live in,
    /// summed in SQL from the summary (one row an area, year, group, measure and day the help ended)
    /// with what disposed children left as counts added. Areas: those to read (null: all).
    /// </summary>
    public static async Task<Dictionary<(Guid Area, int Year, OutcomeGroup Group, Guid MeasureId, int Months), OutcomeCounts>> AreaCountsAsync(
        WaypointDbContext db, int year, List<Guid>? areas, DateOnly today, CancellationToken ct)
    {
        var sums = await db.Set<OutcomeSummaryRow>().AsNoTracking()
            .Where(r => (r.AcademicYear == year || r.AcademicYear == year - 1) && (areas == null || areas.Contains(r.AreaId)))
            .GroupBy(r => new { r.AreaId, r.AcademicYear, r.Group, r.MeasureId })
            .Select(g => new
            {
                g.Key.AreaId,
                g.Key.AcademicYear,
                g.Key.Group,
                g.Key.MeasureId,
                Both6 = g.Sum(r => r.Due6 <= today ? r.Both6 : 0),
                BeforeOnly6 = g.Sum(r => r.Due6 <= today ? r.BeforeOnly6 : 0),
                AfterOnly6 = g.Sum(r => r.Due6 <= today ? r.AfterOnly6 : 0),
                Neither6 = g.Sum(r => r.Due6 <= today ? r.Neither6 : 0),
                Waiting6 = g.Sum(r => r.Due6 > today ? r.Children : 0),
                Both12 = g.Sum(r => r.Due12 <= today ? r.Both12 : 0),
                BeforeOnly12 = g.Sum(r => r.Due12 <= today ? r.BeforeOnly12 : 0),
                AfterOnly12 = g.Sum(r => r.Due12 <= today ? r.AfterOnly12 : 0),
                Neither12 = g.Sum(r => r.Due12 <= today ? r.Neither12 : 0),
                Waiting12 = g.Sum(r => r.Due12 > today ? r.Children : 0),
            }).ToListAsync(ct);
        var disposed = await db.Set<DisposedOutcomeCount>().AsNoTracking()
            .Where(d => (d.AcademicYear == year || d.AcademicYear == year - 1) && (areas == null || areas.Contains(d.AreaId))).ToListAsync(ct);
        var counts = new Dictionary<(Guid, int, OutcomeGroup, Guid, int), OutcomeCounts>();
        void Add((Guid, int, OutcomeGroup, Guid, int) key, OutcomeCounts k) =>
            counts[key] = counts.TryGetValue(key, out var was)
                ? new OutcomeCounts(was.Both + k.Both, was.BeforeOnly + k.BeforeOnly, was.AfterOnly + k.AfterOnly, was.Neither + k.Neither, was.Waiting + k.Waiting)
                : k;
        foreach (var x in sums)
        {
            Add((x.AreaId, x.AcademicYear, x.Group, x.MeasureId, 6), new OutcomeCounts(x.Both6, x.BeforeOnly6, x.AfterOnly6, x.Neither6, x.Waiting6));
            Add((x.AreaId, x.AcademicYear, x.Group, x.MeasureId, 12), new OutcomeCounts(x.Both12, x.BeforeOnly12, x.AfterOnly12, x.Neither12, x.Waiting12));
        }
        foreach (var d in disposed)
        {
            Add((d.AreaId, d.AcademicYear, d.Group, d.MeasureId, 6), new OutcomeCounts(d.Both6, d.BeforeOnly6, d.AfterOnly6, d.Neither6, 0));
            Add((d.AreaId, d.AcademicYear, d.Group, d.MeasureId, 12), new OutcomeCounts(d.Both12, d.BeforeOnly12, d.AfterOnly12, d.Neither12, 0));
        }
        return counts;
    }

    /// <summary>The counts of the areas given (null: every area), summed over them.</summary>
    public static Dictionary<(int Year, OutcomeGroup Group, Guid MeasureId, int Months), OutcomeCounts> Within(
        IReadOnlyDictionary<(Guid Area, int Year, OutcomeGroup Group, Guid MeasureId, int Months), OutcomeCounts> byArea, IReadOnlySet<Guid>? areas)
    {
        var counts = new Dictionary<(int, OutcomeGroup, Guid, int), OutcomeCounts>();
        foreach (var ((area, year, group, measure, months), k) in byArea)
        {
            if (areas is not null && !areas.Contains(area))
                continue;
            var key = (year, group, measure, months);
            counts[key] = counts.TryGetValue(key, out var was)
                ? new OutcomeCounts(was.Both + k.Both, was.BeforeOnly + k.BeforeOnly, was.AfterOnly + k.AfterOnly, was.Neither + k.Neither, was.Waiting + k.Waiting)
                : k;
        }
        // A cell with nothing in it reads as absent, as a grouped query over no rows gives.
        foreach (var key in counts.Where(c => c.Value == OutcomeCounts.None).Select(c => c.Key).ToList())
            counts.Remove(key);
        return counts;
    }

    /// <summary>The paired counts of an academic year and the one before for the children living in the areas (null: everyone).</summary>
    public static async Task<Dictionary<(int Year, OutcomeGroup Group, Guid MeasureId, int Months), OutcomeCounts>> CountsAsync(
        WaypointDbContext db, int year, List<Guid>? areas, DateOnly today, CancellationToken ct) =>
        Within(await AreaCountsAsync(db, year, areas, today, ct), null);

    /// <summary>The measures the dashboard shows: those whose rows are all computed (see <see cref="OutcomeMeasureCalculation"/>).</summary>
    public static Task<List<OutcomeMeasure>> ReadyMeasuresAsync(WaypointDbContext db, CancellationToken ct) =>
        db.OutcomeMeasures.AsNoTracking().Where(m => !m.Calculating).OrderBy(m => m.Name).ToListAsync(ct);

    /// <summary>The report of a year and the one before from paired counts (see <see cref="JointOutcomes.Report"/>).</summary>
    public static OutcomesReport Report(string areaName, int threshold, IReadOnlyList<OutcomeMeasure> measures, int year,
        IReadOnlyDictionary<(int Year, OutcomeGroup Group, Guid MeasureId, int Months), OutcomeCounts> counts)
    {
        int[] years = [year, year - 1];
        IReadOnlyList<string> groups = [JointOutcomes.EarlyHelp, JointOutcomes.Service, JointOutcomes.Comparison];
        var periods = years.Select(y => new AcademicYear(y)).Select(ay => (ay.ToString(), ay.Start, ay.End, groups)).ToList();
        return JointOutcomes.Report(areaName, threshold, measures, periods,
            (p, group, measure, months) => counts.GetValueOrDefault((years[p], Enum.GetValues<OutcomeGroup>().First(g => GroupName(g) == group), measure, months)) ?? OutcomeCounts.None);
    }

    /// <summary>The dashboard from the summary (see <see cref="JointOutcomes.LoadAsync"/>).</summary>
    public static async Task<OutcomesReport> LoadAsync(WaypointDbContext db, int year, Guid? areaId, DateOnly today, CancellationToken ct,
        int threshold = StatisticsPublication.DefaultThreshold)
    {
        var measures = await ReadyMeasuresAsync(db, ct);
        var (areaName, areas) = await JointOutcomes.AreaAsync(db, areaId, ct);
        return Report(areaName, threshold, measures, year, await CountsAsync(db, year, areas, today, ct));
    }
}

/// <summary>
/// What a set of per-person rows adds to <see cref="OutcomeSummaryRow"/> (sign +1) or takes from it
/// (−1), by summary cell, and the grouped upsert that adds it in the caller's transaction (rows counted
/// down to no children removed). Rows of different children add up, so the rows a write removes
/// and the rows it computes, taken away and added, leave the summary equal to a rebuild.
/// </summary>
public sealed class OutcomeSummaryDelta
{
    public sealed class Cell
    {
        public DateOnly Due6 { get; init; }
        public DateOnly Due12 { get; init; }
        public int Children { get; set; }
        public int Both6 { get; set; }
        public int BeforeOnly6 { get; set; }
        public int AfterOnly6 { get; set; }
        public int Neither6 { get; set; }
        public int Both12 { get; set; }
        public int BeforeOnly12 { get; set; }
        public int AfterOnly12 { get; set; }
        public int Neither12 { get; set; }

        public bool IsZero => Children == 0 && Both6 == 0 && BeforeOnly6 == 0 && AfterOnly6 == 0 && Neither6 == 0 && Both12 == 0 && BeforeOnly12 == 0 && AfterOnly12 == 0 && Neither12 == 0;
    }

    public Dictionary<(Guid Area, int Year, OutcomeGroup Group, Guid Measure, DateOnly End), Cell> Cells { get; } = [];

    /// <summary>The rows added with a sign; with <paramref name="dueBy"/>, only the windows whose months after had passed by then, and no children counted.</summary>
    public void Add(IEnumerable<OutcomeRollupRow> rows, int sign, DateOnly? dueBy = null)
    {
        foreach (var r in rows)
        {
            var key = (r.AreaId, r.AcademicYear, r.Group, r.MeasureId, r.End);
            if (!Cells.TryGetValue(key, out var c))
                Cells[key] = c = new Cell { Due6 = r.Due6, Due12 = r.Due12 };
            if (dueBy is null)
                c.Children += sign;
            if (dueBy is null || r.Due6 <= dueBy)
                switch ((r.Before6, r.After6))
                {
                    case (true, true): c.Both6 += sign; break;
                    case (true, false): c.BeforeOnly6 += sign; break;
                    case (false, true): c.AfterOnly6 += sign; break;
                    case (false, false): c.Neither6 += sign; break;
                }
            if (dueBy is null || r.Due12 <= dueBy)
                switch ((r.Before12, r.After12))
                {
                    case (true, true): c.Both12 += sign; break;
                    case (true, false): c.BeforeOnly12 += sign; break;
                    case (false, true): c.AfterOnly12 += sign; break;
                    case (false, false): c.Neither12 += sign; break;
                }
        }
    }

    /// <summary>
    /// Adds the cells to the summary and moves the outcomes stamp (<see cref="EvidenceStamps"/>) with them,
    /// in the caller's transaction or, without one, in a transaction of its own: the dashboard's cached
    /// reports are kept only while the stamp stands, so the two must commit together.
    /// </summary>
    public async Task ApplyAsync(WaypointDbContext db, CancellationToken ct)
    {
        var cells = Cells.Where(c => !c.Value.IsZero).ToList();
        if (cells.Count == 0)
            return;
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Outcomes, ct);
            await WriteAsync(db, cells, ct);
            if (own is not null)
                await own.CommitAsync(ct);
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }

    private static async Task WriteAsync(WaypointDbContext db, List<KeyValuePair<(Guid Area, int Year, OutcomeGroup Group, Guid Measure, DateOnly End), Cell>> cells, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            var areas = cells.Select(c => c.Key.Area).ToArray();
            var years = cells.Select(c => c.Key.Year).ToArray();
            var groups = cells.Select(c => c.Key.Group.ToString()).ToArray();
            var measures = cells.Select(c => c.Key.Measure).ToArray();
            var ends = cells.Select(c => c.Key.End).ToArray();
            var due6 = cells.Select(c => c.Value.Due6).ToArray();
            var due12 = cells.Select(c => c.Value.Due12).ToArray();
            var children = cells.Select(c => c.Value.Children).ToArray();
            var both6 = cells.Select(c => c.Value.Both6).ToArray();
            var beforeOnly6 = cells.Select(c => c.Value.BeforeOnly6).ToArray();
            var afterOnly6 = cells.Select(c => c.Value.AfterOnly6).ToArray();
            var neither6 = cells.Select(c => c.Value.Neither6).ToArray();
            var both12 = cells.Select(c => c.Value.Both12).ToArray();
            var beforeOnly12 = cells.Select(c => c.Value.BeforeOnly12).ToArray();
            var afterOnly12 = cells.Select(c => c.Value.AfterOnly12).ToArray();
            var neither12 = cells.Select(c => c.Value.Neither12).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "OutcomeSummaryRows" ("AreaId", "AcademicYear", "Group", "MeasureId", "End", "Due6", "Due12", "Children",
                    "Both6", "BeforeOnly6", "AfterOnly6", "Neither6", "Both12", "BeforeOnly12", "AfterOnly12", "Neither12")
                SELECT * FROM unnest({areas}, {years}, {groups}, {measures}, {ends}, {due6}, {due12}, {children},
                    {both6}, {beforeOnly6}, {afterOnly6}, {neither6}, {both12}, {beforeOnly12}, {afterOnly12}, {neither12})
                ON CONFLICT ("AreaId", "AcademicYear", "Group", "MeasureId", "End") DO UPDATE SET
                    "Children" = "OutcomeSummaryRows"."Children" + EXCLUDED."Children",
                    "Both6" = "OutcomeSummaryRows"."Both6" + EXCLUDED."Both6",
                    "BeforeOnly6" = "OutcomeSummaryRows"."BeforeOnly6" + EXCLUDED."BeforeOnly6",
                    "AfterOnly6" = "OutcomeSummaryRows"."AfterOnly6" + EXCLUDED."AfterOnly6",
                    "Neither6" = "OutcomeSummaryRows"."Neither6" + EXCLUDED."Neither6",
                    "Both12" = "OutcomeSummaryRows"."Both12" + EXCLUDED."Both12",
                    "BeforeOnly12" = "OutcomeSummaryRows"."BeforeOnly12" + EXCLUDED."BeforeOnly12",
                    "AfterOnly12" = "OutcomeSummaryRows"."AfterOnly12" + EXCLUDED."AfterOnly12",
                    "Neither12" = "OutcomeSummaryRows"."Neither12" + EXCLUDED."Neither12"
                """, ct);
            if (children.Any(c => c < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "OutcomeSummaryRows" s USING unnest({areas}, {years}, {groups}, {measures}, {ends}) AS k(a, y, g, m, e)
                    WHERE s."AreaId" = k.a AND s."AcademicYear" = k.y AND s."Group" = k.g AND s."MeasureId" = k.m AND s."End" = k.e AND s."Children" = 0
                    """, ct);
            return;
        }
        // SQLite holds a Guid as upper-case text and a date as yyyy-MM-dd text (EF's mapping).
        static string G(Guid g) => g.ToString("D").ToUpperInvariant();
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var json = System.Text.Json.JsonSerializer.Serialize(cells.Select(c => new object[]
        {
            G(c.Key.Area), c.Key.Year, c.Key.Group.ToString(), G(c.Key.Measure), D(c.Key.End), D(c.Value.Due6), D(c.Value.Due12), c.Value.Children,
            c.Value.Both6, c.Value.BeforeOnly6, c.Value.AfterOnly6, c.Value.Neither6, c.Value.Both12, c.Value.BeforeOnly12, c.Value.AfterOnly12, c.Value.Neither12,
        }));
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "OutcomeSummaryRows" ("AreaId", "AcademicYear", "Group", "MeasureId", "End", "Due6", "Due12", "Children",
                "Both6", "BeforeOnly6", "AfterOnly6", "Neither6", "Both12", "BeforeOnly12", "AfterOnly12", "Neither12")
            SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7,
                value ->> 8, value ->> 9, value ->> 10, value ->> 11, value ->> 12, value ->> 13, value ->> 14, value ->> 15
            FROM json_each({json}) WHERE true
            ON CONFLICT ("AreaId", "AcademicYear", "Group", "MeasureId", "End") DO UPDATE SET
                "Children" = "Children" + excluded."Children",
                "Both6" = "Both6" + excluded."Both6",
                "BeforeOnly6" = "BeforeOnly6" + excluded."BeforeOnly6",
                "AfterOnly6" = "AfterOnly6" + excluded."AfterOnly6",
                "Neither6" = "Neither6" + excluded."Neither6",
                "Both12" = "Both12" + excluded."Both12",
                "BeforeOnly12" = "BeforeOnly12" + excluded."BeforeOnly12",
                "AfterOnly12" = "AfterOnly12" + excluded."AfterOnly12",
                "Neither12" = "Neither12" + excluded."Neither12"
            """, ct);
        if (cells.Any(c => c.Value.Children < 0))
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM "OutcomeSummaryRows" WHERE "Children" = 0
                  AND ("AreaId", "AcademicYear", "Group", "MeasureId", "End") IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each({json}))
                """, ct);
    }
}
