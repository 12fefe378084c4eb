using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Whom a change touches in the rollups: <see cref="Pupils"/>, whose suspensions or enrolments
/// change (the exclusion rollups take the difference their rows make, <see cref="RollupUpkeep"/>),
/// and <see cref="People"/>, whose per-person rows (<see cref="EvidenceRollups"/>) are recounted.
/// </summary>
public sealed class RollupSlices
{
    /// <summary>People whose suspensions or enrolments change: what they count in the exclusion rollups is counted before and after.</summary>
    public HashSet<Guid> Pupils { get; } = [];

    /// <summary>People whose per-person rollups (<see cref="EvidenceRollups"/>) are recounted.</summary>
    public HashSet<Guid> People { get; } = [];

    /// <summary>Occurrences changed in place: the people they name are recounted.</summary>
    public HashSet<Guid> Occurrences { get; } = [];

    /// <summary>Schools whose area, phase or type changes, or which are removed: their counts move in the rollup by area and phase (<see cref="ExclusionAreaRollup"/>).</summary>
    public List<SchoolMove> Schools { get; } = [];

    /// <summary>An organisation or area added, changed or removed: what the exclusion rollups are grouped by (names, districts, phases), so the exclusion stamp moves.</summary>
    public bool Register { get; set; }

    /// <summary>Organisations added or changed that are or were schools: their to-date rows take the register's columns (<see cref="ExclusionToDate.RegisterAsync"/>).</summary>
    public SchoolRegisterWrite SchoolRegister { get; set; } = SchoolRegisterWrite.None;

    /// <summary>
    /// Areas where schools were or are that were added, removed, moved, or changed phase or type: their districts'
    /// statistics cells are counted again (<see cref="StatisticsCellRollup.RefreshAreasAsync"/>).
    /// </summary>
    public HashSet<Guid> CellAreas { get; } = [];

    /// <summary>An area removed, moved to another parent or of another kind: every district key may change, every statistics cell is counted again.</summary>
    public bool CellsWhole { get; set; }

    /// <summary>Schools whose census headcount rows were written through the context: their districts' statistics cells are counted again.</summary>
    public HashSet<Guid> CellSchools { get; } = [];

    public bool IsEmpty => Pupils.Count == 0 && People.Count == 0 && Occurrences.Count == 0 && Schools.Count == 0 && !Register && CellSchools.Count == 0;

    /// <summary>
    /// Set only by the bench (AppContext switch "Waypoint.Evidence.RollupUpkeepOff"), to time an
    /// import without the upkeep against the same import with it; never set in the app or tests.
    /// </summary>
    public static bool UpkeepSwitchedOff => AppContext.TryGetSwitch("Waypoint.Evidence.RollupUpkeepOff", out var off) && off;

    /// <summary>The people of the suspensions and enrolments the change tracker is about to add, change or delete (before and after a change).</summary>
    public static RollupSlices Collect(ChangeTracker tracker)
    {
        var slices = new RollupSlices();
        if (UpkeepSwitchedOff)
            return slices;
        foreach (var entry in tracker.Entries<Suspension>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            slices.Pupils.Add(entry.Entity.PersonId);
            if (entry.State == EntityState.Modified)
                slices.Pupils.Add(entry.OriginalValues.GetValue<Guid>(nameof(Suspension.PersonId)));
        }
        foreach (var entry in tracker.Entries<Enrolment>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            slices.Pupils.Add(entry.Entity.PersonId);
            if (entry.State == EntityState.Modified)
                slices.Pupils.Add(entry.OriginalValues.GetValue<Guid>(nameof(Enrolment.PersonId)));
        }
        slices.People.UnionWith(slices.Pupils);
        foreach (var entry in tracker.Entries<OccurrencePerson>())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
                continue;
            slices.People.Add(entry.Entity.PersonId);
            if (entry.State == EntityState.Modified)
                slices.People.Add(entry.OriginalValues.GetValue<Guid>(nameof(OccurrencePerson.PersonId)));
        }
        // An occurrence corrected in place (its date or offence group) moves the people it names.
        foreach (var entry in tracker.Entries<Occurrence>())
            if (entry.State is EntityState.Modified or EntityState.Deleted)
                slices.Occurrences.Add(entry.Entity.Id);
        // A date of birth moves a pupil's age band; a person removed takes their rows with them
        // (their suspensions and enrolments go by the database's cascade).
        foreach (var entry in tracker.Entries<Person>())
        {
            if (entry.State == EntityState.Deleted)
                slices.Pupils.Add(entry.Entity.Id);
            if (entry.State == EntityState.Deleted || (entry.State == EntityState.Modified && entry.Property(p => p.DateOfBirth).IsModified))
                slices.People.Add(entry.Entity.Id);
        }
        slices.Schools.AddRange(ExclusionAreaRollup.Collect(tracker));
        slices.SchoolRegister = ExclusionToDate.Collect(tracker);
        // The statistics' cells change only where a school is added, removed, moved or re-phased (a name, a URN, another
        // organisation's save change none), or where an area's district key may change (a new area has no school yet,
        // but one added with it is counted by the organisation's own entry; a rename changes no row: names are read).
        foreach (var move in slices.Schools)
        {
            if (move.From is { } from)
                slices.CellAreas.Add(from.AreaId);
            if (move.To is { } to)
                slices.CellAreas.Add(to.AreaId);
        }
        foreach (var entry in tracker.Entries<Organisation>())
            if (entry.State == EntityState.Added && entry.Entity.Type == OrganisationType.School)
                slices.CellAreas.Add(entry.Entity.AreaId);
        foreach (var entry in tracker.Entries<CensusHeadcount>())
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
                slices.CellSchools.Add(entry.Entity.SchoolId);
        slices.CellsWhole = tracker.Entries<Area>().Any(e => e.State == EntityState.Deleted
            || (e.State == EntityState.Modified && (e.Property(a => a.ParentId).IsModified || e.Property(a => a.Kind).IsModified)));
        slices.Register = tracker.Entries<Organisation>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            || tracker.Entries<Area>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        return slices;
    }
}

/// <summary>
/// Keeps the evidence rollups (<see cref="ExclusionDayCount"/>, <see cref="ExclusionPupilCount"/>,
/// <see cref="CensusHeadcount"/>) equal to what a rebuild from the raw rows would give. A change
/// adds the difference its pupils' rows make (<see cref="ExclusionRollupDelta"/>) inside the
/// writer's transaction, so the rollups are never behind the data and never drift from it; a
/// rebuild (<see cref="RebuildAsync"/>) recounts every school-year.
/// </summary>
public static class ExclusionRollups
{
    /// <summary>The spring census day: the third Thursday of January of the year's second calendar year.</summary>
    public static DateOnly CensusDay(int academicYear)
    {
        var first = new DateOnly(academicYear + 1, 1, 1);
        var toThursday = ((int)DayOfWeek.Thursday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(toThursday + 14);
    }

    /// <summary>Throws every rollup away and counts it again from the raw rows: the reference the incremental upkeep must equal.</summary>
    public static async Task RebuildAsync(WaypointDbContext db, DateOnly today, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Exclusions, ct);
            await db.Set<ExclusionDayCount>().ExecuteDeleteAsync(ct);
            await db.Set<ExclusionPupilCount>().ExecuteDeleteAsync(ct);
            await db.Set<CensusHeadcount>().ExecuteDeleteAsync(ct);
            var suspensions = db.Unfiltered<Suspension>("rollups count suspensions across schools; only counts are kept");
            var kept = db.Set<DisposedCount>();
            var years = new List<int>();
            if (await suspensions.AnyAsync(ct))
                years.AddRange([AcademicYear.Of(await suspensions.MinAsync(s => s.StartDate, ct)).StartYear, AcademicYear.Of(await suspensions.MaxAsync(s => s.StartDate, ct)).StartYear]);
            if (await kept.AnyAsync(ct))
                years.AddRange([await kept.MinAsync(k => k.AcademicYear, ct), await kept.MaxAsync(k => k.AcademicYear, ct)]);
            if (years.Count > 0)
                for (var y = years.Min(); y <= years.Max(); y++)
                    await RecountExclusionsAsync(db, y, null, ct);
            await RebuildSummariesAsync(db, ct);
            await ExclusionToDate.RebuildAsync(db, today, ct);
            var enrolments = db.Unfiltered<Enrolment>("rollups count pupils on roll on census day; only counts are kept");
            years.Clear();
            if (await enrolments.AnyAsync(ct))
                years.Add(AcademicYear.Of(await enrolments.MinAsync(e => e.StartDate, ct)).StartYear);
            if (await kept.AnyAsync(ct))
                years.Add(await kept.MinAsync(k => k.AcademicYear, ct));
            if (years.Count > 0)
                for (var y = years.Min(); y <= AcademicYear.Of(today).StartYear; y++)
                    await RecountHeadcountsAsync(db, y, null, ct);
            await StatisticsCellRollup.RebuildAsync(db, ct); // the statistics' cells, from the headcounts recounted last
            await tx.CommitAsync(ct);
        });
    }

    /// <summary>
    /// The census roll-forward: the upkeep by difference counts a pupil's enrolments into the years up
    /// to the one current when they are written, so an enrolment still open when a new academic year
    /// starts is not in that year's headcounts until something recounts them. This recounts the
    /// current year's headcounts (every school, from the enrolments, kept counts of disposed records
    /// included) exactly as <see cref="RebuildAsync"/> does: run twice, it gives the same; afterwards
    /// the upkeep keeps them. On PostgreSQL the headcount table is locked against the upkeep's upserts
    /// for the recount (a write waits, then adds its difference to the recounted figures), so no
    /// write in between is lost or counted twice. Returns the schools counted.
    /// </summary>
    public static async Task<int> RollForwardCensusAsync(WaypointDbContext db, DateOnly today, CancellationToken ct)
    {
        var year = AcademicYear.Of(today).StartYear;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Exclusions, ct); // the statistics' rates read the headcounts
            if (db.IsPostgres)
                await db.Database.ExecuteSqlAsync(CensusRollForwardLock, ct);
            var schools = await RecountHeadcountsAsync(db, year, null, ct);
            await StatisticsCellRollup.RebuildAsync(db, ct); // the statistics' cells hold the year's headcounts
            await tx.CommitAsync(ct);
            return schools;
        });
    }

    /// <summary>
    /// The <c>rebuild-rollups</c> command: every evidence rollup counted again from the raw rows (the
    /// exclusion counts and census headcounts, then the per-person rows), for a database migrated from
    /// before issue 15 or one whose rollups are doubted. Safe to run again; writes wait while it runs.
    /// </summary>
    public static async Task<int> RebuildCommandAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        var db = services.GetRequiredService<WaypointDbContext>();
        var today = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await RebuildAsync(db, today, ct);
        var exclusions = clock.Elapsed;
        await EvidenceRollups.RebuildAsync(db, ct);
        var days = await db.ExclusionDayCounts.CountAsync(ct);
        var months = await db.ExclusionMonthCounts.CountAsync(ct);
        var reasonDays = await db.ExclusionReasonDayCounts.CountAsync(ct);
        var areaMonths = await db.ExclusionAreaMonthCounts.CountAsync(ct);
        var heads = await db.CensusHeadcounts.CountAsync(ct);
        await output.WriteLineAsync($"Evidence rollups counted again: {days:N0} school-day rows, {months:N0} school-month rows, {reasonDays:N0} day-and-reason rows (no school), {areaMonths:N0} area-and-phase month rows, {heads:N0} school census headcounts " +
            $"({exclusions.TotalSeconds:F1} s), then the per-person rows ({(clock.Elapsed - exclusions).TotalSeconds:F1} s).");
        return 0;
    }

    /// <summary>
    /// The month rollup (<see cref="ExclusionMonthCount"/>) and the one without the school
    /// (<see cref="ExclusionReasonDayCount"/>) counted again from the day rows, which hold what
    /// disposed records had counted too: the reference their upkeep by difference must equal.
    /// </summary>
    private static async Task RebuildSummariesAsync(WaypointDbContext db, CancellationToken ct)
    {
        await db.Set<ExclusionMonthCount>().ExecuteDeleteAsync(ct);
        await db.Set<ExclusionReasonDayCount>().ExecuteDeleteAsync(ct);
        var months = await db.Set<ExclusionDayCount>().AsNoTracking()
            .GroupBy(d => new { d.SchoolId, d.Date.Year, d.Date.Month, d.Kind })
            .Select(g => new { g.Key.SchoolId, g.Key.Year, g.Key.Month, g.Key.Kind, Count = g.Sum(d => d.Count) })
            .ToListAsync(ct);
        await InsertAsync(db, months.Where(m => m.Count != 0).Select(m => new ExclusionMonthCount
        {
            SchoolId = m.SchoolId,
            Month = new DateOnly(m.Year, m.Month, 1),
            Kind = m.Kind,
            AcademicYear = AcademicYear.Of(new DateOnly(m.Year, m.Month, 1)).StartYear,
            Count = m.Count,
        }).ToList(), ct);
        var reasonDays = await db.Set<ExclusionDayCount>().AsNoTracking()
            .GroupBy(d => new { d.Date, d.Kind, d.ReasonCode, d.AcademicYear })
            .Select(g => new { g.Key.Date, g.Key.Kind, g.Key.ReasonCode, g.Key.AcademicYear, Count = g.Sum(d => d.Count) })
            .ToListAsync(ct);
        await InsertAsync(db, reasonDays.Where(r => r.Count != 0).Select(r => new ExclusionReasonDayCount
        {
            Date = r.Date,
            Kind = r.Kind,
            ReasonCode = r.ReasonCode,
            AcademicYear = r.AcademicYear,
            Count = r.Count,
        }).ToList(), ct);
        await ExclusionAreaRollup.RebuildAsync(db, ct);
    }

    /// <summary>
    /// Hand SQL (PostgreSQL): holds off the upkeep's upserts into the headcounts while one year is
    /// recounted. A command that reads nothing, with no value put into it: sent through
    /// <c>ExecuteSqlAsync</c> as every other hand SQL of the rollups is (no raw string is run). The
    /// architecture listing (tests/Waypoint.Tests/Architecture/past-the-filters.txt) lists reads past
    /// the policy; this runs inside the roll-forward's system scope, which is listed there.
    /// </summary>
    public static FormattableString CensusRollForwardLock => $"""LOCK TABLE "CensusHeadcounts" IN SHARE ROW EXCLUSIVE MODE""";

    /// <summary>Recounts one academic year for the given schools (null: every school).</summary>
    private static async Task RecountExclusionsAsync(WaypointDbContext db, int year, IReadOnlyList<Guid>? schools, CancellationToken ct)
    {
        var ay = new AcademicYear(year);
        var days = db.Set<ExclusionDayCount>().Where(d => d.AcademicYear == year);
        var pupils = db.Set<ExclusionPupilCount>().Where(p => p.AcademicYear == year);
        var raw = db.Unfiltered<Suspension>("rollups count suspensions across schools; only counts are kept").AsNoTracking()
            .Where(s => s.StartDate >= ay.Start && s.StartDate <= ay.End && s.Outcome != ExclusionOutcome.Withdrawn);
        if (schools is not null)
        {
            days = days.Where(d => schools.Contains(d.SchoolId));
            pupils = pupils.Where(p => schools.Contains(p.SchoolId));
            raw = raw.Where(s => schools.Contains(s.SchoolId));
        }
        await days.ExecuteDeleteAsync(ct);
        await pupils.ExecuteDeleteAsync(ct);

        var dayRows = await raw.GroupBy(s => new { s.SchoolId, s.StartDate, s.Kind, s.ReasonCode1 })
            .Select(g => new { g.Key.SchoolId, g.Key.StartDate, g.Key.Kind, g.Key.ReasonCode1, Count = g.Count() })
            .ToListAsync(ct);
        var newDays = dayRows.Select(r => new ExclusionDayCount
        {
            SchoolId = r.SchoolId,
            Date = r.StartDate,
            Kind = r.Kind,
            ReasonCode = r.ReasonCode1,
            AcademicYear = year,
            Count = r.Count,
        }).ToList();

        // What disposed school records had counted stays counted (docs/retention.md, "kept counts").
        foreach (var kept in await DisposedCounts.OfYearAsync(db, year, DisposedCountPart.Day, schools, ct))
        {
            if (newDays.Find(d => d.SchoolId == kept.SchoolId && d.Date == kept.Date && d.Kind == kept.Kind && d.ReasonCode == kept.ReasonCode) is { } day)
                day.Count += kept.Count;
            else
                newDays.Add(new ExclusionDayCount { SchoolId = kept.SchoolId, Date = kept.Date!.Value, Kind = kept.Kind!.Value, ReasonCode = kept.ReasonCode!, AcademicYear = year, Count = kept.Count });
        }

        var counts = new Dictionary<(Guid School, int Term), ExclusionPupilCount>();
        foreach (var (term, from, to) in Periods(year))
        {
            foreach (var kind in Enum.GetValues<ExclusionKind>())
            {
                var perSchool = await raw.Where(s => s.Kind == kind && s.StartDate >= from && s.StartDate <= to)
                    .GroupBy(s => s.SchoolId)
                    .Select(g => new { School = g.Key, Pupils = g.Select(s => s.PersonId).Distinct().Count() })
                    .ToListAsync(ct);
                foreach (var row in perSchool)
                {
                    if (!counts.TryGetValue((row.School, term), out var count))
                        counts[(row.School, term)] = count = new ExclusionPupilCount { SchoolId = row.School, AcademicYear = year, Term = term };
                    if (kind == ExclusionKind.Suspension)
                        count.PupilsSuspended = row.Pupils;
                    else
                        count.PupilsPermanentlyExcluded = row.Pupils;
                }
            }
        }
        foreach (var kept in await DisposedCounts.OfYearAsync(db, year, DisposedCountPart.Pupils, schools, ct))
        {
            if (!counts.TryGetValue((kept.SchoolId, kept.Term!.Value), out var count))
                counts[(kept.SchoolId, kept.Term.Value)] = count = new ExclusionPupilCount { SchoolId = kept.SchoolId, AcademicYear = year, Term = kept.Term.Value };
            if (kept.Kind == ExclusionKind.Suspension)
                count.PupilsSuspended += kept.Count;
            else
                count.PupilsPermanentlyExcluded += kept.Count;
        }
        await InsertAsync(db, newDays, ct);
        await InsertAsync(db, counts.Values.ToList(), ct);
    }

    /// <summary>The periods pupils are counted over: the whole year (<see cref="ExclusionPupilCount.WholeYear"/>) and each term.</summary>
    public static IReadOnlyList<(int Term, DateOnly From, DateOnly To)> Periods(int year)
    {
        var ay = new AcademicYear(year);
        var periods = new List<(int Term, DateOnly From, DateOnly To)> { (ExclusionPupilCount.WholeYear, ay.Start, ay.End) };
        foreach (var term in Enum.GetValues<SchoolTerm>())
        {
            var (from, to) = SchoolCalendar.Bounds(ay, term);
            periods.Add(((int)term + 1, from, to));
        }
        return periods;
    }

    private static async Task<int> RecountHeadcountsAsync(WaypointDbContext db, int year, IReadOnlyList<Guid>? schools, CancellationToken ct)
    {
        var census = CensusDay(year);
        var held = db.Set<CensusHeadcount>().Where(h => h.AcademicYear == year);
        var raw = db.Unfiltered<Enrolment>("rollups count pupils on roll on census day; only counts are kept").AsNoTracking()
            .Where(e => e.StartDate <= census && (e.EndDate == null || e.EndDate >= census));
        if (schools is not null)
        {
            held = held.Where(h => schools.Contains(h.SchoolId));
            raw = raw.Where(e => schools.Contains(e.SchoolId));
        }
        await held.ExecuteDeleteAsync(ct);
        var rows = await raw.GroupBy(e => e.SchoolId)
            .Select(g => new { School = g.Key, Pupils = g.Select(e => e.PersonId).Distinct().Count() })
            .ToListAsync(ct);
        var heads = rows.ToDictionary(r => r.School, r => new CensusHeadcount { SchoolId = r.School, AcademicYear = year, Headcount = r.Pupils });
        foreach (var kept in await DisposedCounts.OfYearAsync(db, year, DisposedCountPart.Headcount, schools, ct))
        {
            if (!heads.TryGetValue(kept.SchoolId, out var head))
                heads[kept.SchoolId] = head = new CensusHeadcount { SchoolId = kept.SchoolId, AcademicYear = year };
            head.Headcount += kept.Count;
        }
        await InsertAsync(db, heads.Values.ToList(), ct);
        return heads.Count;
    }

    /// <summary>Rollup rows written as a rebuild writes them (binary COPY on PostgreSQL), for the other rollups' rebuilds.</summary>
    internal static Task InsertRowsAsync<T>(WaypointDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class => InsertAsync(db, rows, ct);

    // The rows go in through the context but are let go at once: a later recount in the same
    // context adds rows of the same keys, which a tracked copy would refuse.
    private static async Task InsertAsync<T>(WaypointDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        if (db.IsPostgres)
        {
            // Binary COPY in the caller's transaction: the import's upkeep writes thousands of rows a school.
            await db.Database.OpenConnectionAsync(ct);
            await new PostgresBulkWriter<T>(db).WriteAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), rows, ct);
            return;
        }
        foreach (var chunk in rows.Chunk(5000))
        {
            db.Set<T>().AddRange(chunk);
            await db.SaveRollupRowsAsync(ct);
            foreach (var row in chunk)
                db.Entry(row).State = EntityState.Detached;
        }
    }
}

/// <summary>
/// Runs the census roll-forward (<see cref="ExclusionRollups.RollForwardCensusAsync"/>) once a day at
/// <c>Evidence:CensusRollForwardAt</c> (UTC, "03:30" unless set; "off" turns it off), as the other
/// nightly jobs are run, so that a new academic year's headcounts hold every open enrolment from its
/// first night on.
/// </summary>
public sealed class DailyCensusRollForward(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<DailyCensusRollForward> log)
    : Shell.DailyJob(clock, log)
{
    protected override TimeOnly? RunAt => Shell.DailyJob.TimeOfDay(config["Evidence:CensusRollForwardAt"] ?? "03:30");

    protected override string Name => "Census roll-forward";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("the nightly census roll-forward counts every school's pupils on roll; only counts are kept");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var today = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var schools = await ExclusionRollups.RollForwardCensusAsync(db, today, ct);
        Log.LogInformation("Census roll-forward counted {Schools} schools' headcounts", schools);
        // The to-date-by-school rollup moved on to today the same night (issue 15: the inclusion team's school table).
        var toDate = await ExclusionToDate.RollForwardAsync(db, today, ct);
        Log.LogInformation("To-date roll-forward changed {Schools} schools' rows", toDate);
    }
}
