using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>A suspension as the exclusion rollups count it (withdrawn ones are never read).</summary>
public readonly record struct SuspensionFact(Guid PersonId, Guid SchoolId, DateOnly StartDate, ExclusionKind Kind, string ReasonCode);

/// <summary>An enrolment as the census headcounts count it.</summary>
public readonly record struct EnrolmentFact(Guid PersonId, Guid SchoolId, DateOnly StartDate, DateOnly? EndDate);

/// <summary>
/// Keeps the exclusion rollups current by difference instead of by recount: what a set of pupils'
/// suspensions and enrolments add to the rollups is counted before a write and after it, and only
/// the difference is added, one grouped upsert a rollup table. Distinct pupils add up across
/// different pupils, so counting the pupils a write touches, before and after, is exact: the
/// rollups stay equal to a rebuild from the raw rows (the tests hold them to it), and a write
/// costs what its own pupils' rows cost, not what their schools' years cost.
/// </summary>
public sealed class ExclusionRollupDelta
{
    private readonly Dictionary<(Guid School, DateOnly Date, ExclusionKind Kind, string Reason), int> days = [];
    private readonly Dictionary<(Guid School, int Year, int Term), (int Suspended, int Excluded)> pupils = [];
    private readonly Dictionary<(Guid School, int Year), int> heads = [];
    private readonly Dictionary<int, IReadOnlyList<(int Term, DateOnly From, DateOnly To)>> periods = [];

    public bool IsEmpty => days.Values.All(v => v == 0) && pupils.Values.All(v => v == (0, 0)) && heads.Values.All(v => v == 0);

    /// <summary>Adds (sign +1) or takes away (−1) what these rows of some pupils count in the rollups; the rows must be all of those pupils' rows in one state.</summary>
    public void Add(IEnumerable<SuspensionFact> suspensions, IEnumerable<EnrolmentFact> enrolments, int currentYear, int sign)
    {
        var counted = new HashSet<(Guid Person, Guid School, int Year, int Term, ExclusionKind Kind)>();
        foreach (var s in suspensions)
        {
            var dayKey = (s.SchoolId, s.StartDate, s.Kind, s.ReasonCode);
            days[dayKey] = days.GetValueOrDefault(dayKey) + sign;
            var year = AcademicYear.Of(s.StartDate).StartYear;
            foreach (var (term, from, to) in PeriodsOf(year))
            {
                if (s.StartDate < from || s.StartDate > to || !counted.Add((s.PersonId, s.SchoolId, year, term, s.Kind)))
                    continue;
                var (suspended, excluded) = pupils.GetValueOrDefault((s.SchoolId, year, term));
                pupils[(s.SchoolId, year, term)] = s.Kind == ExclusionKind.Suspension ? (suspended + sign, excluded) : (suspended, excluded + sign);
            }
        }
        var onRoll = new HashSet<(Guid Person, Guid School, int Year)>();
        foreach (var e in enrolments)
        {
            var last = Math.Min(currentYear, e.EndDate is { } end ? AcademicYear.Of(end).StartYear : currentYear);
            for (var y = AcademicYear.Of(e.StartDate).StartYear; y <= last; y++)
            {
                var census = ExclusionRollups.CensusDay(y);
                if (e.StartDate <= census && (e.EndDate is null || e.EndDate >= census) && onRoll.Add((e.PersonId, e.SchoolId, y)))
                    heads[(e.SchoolId, y)] = heads.GetValueOrDefault((e.SchoolId, y)) + sign;
            }
        }
    }

    private IReadOnlyList<(int Term, DateOnly From, DateOnly To)> PeriodsOf(int year)
    {
        if (!periods.TryGetValue(year, out var list))
            periods[year] = list = ExclusionRollups.Periods(year);
        return list;
    }

    /// <summary>The suspensions (withdrawn left out) and enrolments of these people as they stand in the database.</summary>
    public static async Task<(List<SuspensionFact> Suspensions, List<EnrolmentFact> Enrolments)> LoadAsync(WaypointDbContext db, IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var suspensions = new List<SuspensionFact>();
        var enrolments = new List<EnrolmentFact>();
        foreach (var chunk in people.Distinct().Chunk(20_000))
        {
            suspensions.AddRange((await db.Unfiltered<Suspension>("rollups count what a write changes for its pupils; only schools, dates, kinds and reasons are read").AsNoTracking()
                    .Where(s => chunk.Contains(s.PersonId) && s.Outcome != ExclusionOutcome.Withdrawn)
                    .Select(s => new { s.PersonId, s.SchoolId, s.StartDate, s.Kind, s.ReasonCode1 }).ToListAsync(ct))
                .Select(s => new SuspensionFact(s.PersonId, s.SchoolId, s.StartDate, s.Kind, s.ReasonCode1)));
            enrolments.AddRange((await db.Unfiltered<Enrolment>("rollups count what a write changes for its pupils' census headcounts; only schools and dates are read").AsNoTracking()
                    .Where(e => chunk.Contains(e.PersonId))
                    .Select(e => new { e.PersonId, e.SchoolId, e.StartDate, e.EndDate }).ToListAsync(ct))
                .Select(e => new EnrolmentFact(e.PersonId, e.SchoolId, e.StartDate, e.EndDate)));
        }
        return (suspensions, enrolments);
    }

    /// <summary>Adds the difference to the rollup tables, in the caller's transaction: one grouped upsert a table, and the rows counted down to nothing removed.</summary>
    public async Task ApplyAsync(WaypointDbContext db, CancellationToken ct)
    {
        var dayRows = days.Where(d => d.Value != 0).ToList();
        var pupilRows = pupils.Where(p => p.Value != (0, 0)).ToList();
        var headRows = heads.Where(h => h.Value != 0).ToList();
        // The stamps of the counties whose schools' rows change (the writer holds or has moved the whole stamp).
        await EvidenceStamps.MoveCountiesAsync(db, dayRows.Select(d => d.Key.School).Concat(pupilRows.Select(p => p.Key.School)).Concat(headRows.Select(h => h.Key.School)), ct);
        if (db.IsPostgres)
            await ApplyInPostgresAsync(db, dayRows, pupilRows, headRows, ct);
        else
            await ApplyInSqliteAsync(db, dayRows, pupilRows, headRows, ct);
        await ApplySummariesAsync(db, ct);
        // The statistics' cells of the schools whose rows of the cells' year changed (days, pupils over the whole year,
        // headcounts), counted again from the rows just written; a write of other years' rows counts none.
        await StatisticsCellRollup.RefreshYearsAsync(db, dayRows.Select(d => (d.Key.School, AcademicYear.Of(d.Key.Date).StartYear))
            .Concat(pupilRows.Where(p => p.Key.Term == ExclusionPupilCount.WholeYear).Select(p => (p.Key.School, p.Key.Year)))
            .Concat(headRows.Select(h => (h.Key.School, h.Key.Year))), ct);
    }

    /// <summary>
    /// The day difference summed to the school's month (<see cref="ExclusionMonthCount"/>) and to the
    /// day and reason over every school (<see cref="ExclusionReasonDayCount"/>), added the same way.
    /// </summary>
    private async Task ApplySummariesAsync(WaypointDbContext db, CancellationToken ct)
    {
        await ExclusionAreaRollup.AddAsync(db, days, ct);
        await ExclusionToDate.AddAsync(db, days, ct);
        var months = new Dictionary<(Guid School, DateOnly Month, ExclusionKind Kind), int>();
        var reasonDays = new Dictionary<(DateOnly Date, ExclusionKind Kind, string Reason), int>();
        foreach (var ((school, date, kind, reason), count) in days)
        {
            if (count == 0)
                continue;
            var month = (school, new DateOnly(date.Year, date.Month, 1), kind);
            months[month] = months.GetValueOrDefault(month) + count;
            reasonDays[(date, kind, reason)] = reasonDays.GetValueOrDefault((date, kind, reason)) + count;
        }
        // In key order: writers touching the same rows (every school's writes meet in the reason-day
        // rows) take their row locks in one order, so two imports wait for each other but never deadlock.
        var monthRows = months.Where(m => m.Value != 0).OrderBy(m => m.Key.School).ThenBy(m => m.Key.Month).ThenBy(m => m.Key.Kind).ToList();
        var reasonRows = reasonDays.Where(r => r.Value != 0).OrderBy(r => r.Key.Date).ThenBy(r => r.Key.Kind).ThenBy(r => r.Key.Reason, StringComparer.Ordinal).ToList();
        if (monthRows.Count == 0 && reasonRows.Count == 0)
            return;
        if (db.IsPostgres)
        {
            if (monthRows.Count > 0)
            {
                var schools = monthRows.Select(m => m.Key.School).ToArray();
                var firsts = monthRows.Select(m => m.Key.Month).ToArray();
                var kinds = monthRows.Select(m => m.Key.Kind.ToString()).ToArray();
                var years = monthRows.Select(m => AcademicYear.Of(m.Key.Month).StartYear).ToArray();
                var counts = monthRows.Select(m => m.Value).ToArray();
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "ExclusionMonthCounts" ("SchoolId", "Month", "Kind", "AcademicYear", "Count")
                    SELECT * FROM unnest({schools}, {firsts}, {kinds}, {years}, {counts})
                    ON CONFLICT ("SchoolId", "Month", "Kind") DO UPDATE SET "Count" = "ExclusionMonthCounts"."Count" + EXCLUDED."Count"
                    """, ct);
                if (counts.Any(c => c < 0))
                    await db.Database.ExecuteSqlAsync($"""
                        DELETE FROM "ExclusionMonthCounts" m USING unnest({schools}, {firsts}, {kinds}) AS k(s, mo, kd)
                        WHERE m."SchoolId" = k.s AND m."Month" = k.mo AND m."Kind" = k.kd AND m."Count" = 0
                        """, ct);
            }
            if (reasonRows.Count > 0)
            {
                var dates = reasonRows.Select(r => r.Key.Date).ToArray();
                var kinds = reasonRows.Select(r => r.Key.Kind.ToString()).ToArray();
                var reasons = reasonRows.Select(r => r.Key.Reason).ToArray();
                var years = reasonRows.Select(r => AcademicYear.Of(r.Key.Date).StartYear).ToArray();
                var counts = reasonRows.Select(r => r.Value).ToArray();
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO "ExclusionReasonDayCounts" ("Date", "Kind", "ReasonCode", "AcademicYear", "Count")
                    SELECT * FROM unnest({dates}, {kinds}, {reasons}, {years}, {counts})
                    ON CONFLICT ("Date", "Kind", "ReasonCode") DO UPDATE SET "Count" = "ExclusionReasonDayCounts"."Count" + EXCLUDED."Count"
                    """, ct);
                if (counts.Any(c => c < 0))
                    await db.Database.ExecuteSqlAsync($"""
                        DELETE FROM "ExclusionReasonDayCounts" r USING unnest({dates}, {kinds}, {reasons}) AS k(dt, kd, rc)
                        WHERE r."Date" = k.dt AND r."Kind" = k.kd AND r."ReasonCode" = k.rc AND r."Count" = 0
                        """, ct);
            }
            return;
        }
        static string G(Guid g) => g.ToString("D").ToUpperInvariant();
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (monthRows.Count > 0)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(monthRows.Select(m => new object[] { G(m.Key.School), D(m.Key.Month), m.Key.Kind.ToString(), AcademicYear.Of(m.Key.Month).StartYear, m.Value }));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionMonthCounts" ("SchoolId", "Month", "Kind", "AcademicYear", "Count")
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each({json}) WHERE true
                ON CONFLICT ("SchoolId", "Month", "Kind") DO UPDATE SET "Count" = "Count" + excluded."Count"
                """, ct);
            if (monthRows.Any(m => m.Value < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionMonthCounts" WHERE "Count" = 0
                      AND ("SchoolId", "Month", "Kind") IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each({json}))
                    """, ct);
        }
        if (reasonRows.Count > 0)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(reasonRows.Select(r => new object[] { D(r.Key.Date), r.Key.Kind.ToString(), r.Key.Reason, AcademicYear.Of(r.Key.Date).StartYear, r.Value }));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionReasonDayCounts" ("Date", "Kind", "ReasonCode", "AcademicYear", "Count")
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each({json}) WHERE true
                ON CONFLICT ("Date", "Kind", "ReasonCode") DO UPDATE SET "Count" = "Count" + excluded."Count"
                """, ct);
            if (reasonRows.Any(r => r.Value < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionReasonDayCounts" WHERE "Count" = 0
                      AND ("Date", "Kind", "ReasonCode") IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each({json}))
                    """, ct);
        }
    }

    private static async Task ApplyInPostgresAsync(WaypointDbContext db,
        List<KeyValuePair<(Guid School, DateOnly Date, ExclusionKind Kind, string Reason), int>> dayRows,
        List<KeyValuePair<(Guid School, int Year, int Term), (int Suspended, int Excluded)>> pupilRows,
        List<KeyValuePair<(Guid School, int Year), int>> headRows, CancellationToken ct)
    {
        if (dayRows.Count > 0)
        {
            var schools = dayRows.Select(d => d.Key.School).ToArray();
            var dates = dayRows.Select(d => d.Key.Date).ToArray();
            var kinds = dayRows.Select(d => d.Key.Kind.ToString()).ToArray();
            var reasons = dayRows.Select(d => d.Key.Reason).ToArray();
            var years = dayRows.Select(d => AcademicYear.Of(d.Key.Date).StartYear).ToArray();
            var counts = dayRows.Select(d => d.Value).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionDayCounts" ("SchoolId", "Date", "Kind", "ReasonCode", "AcademicYear", "Count")
                SELECT * FROM unnest({schools}, {dates}, {kinds}, {reasons}, {years}, {counts})
                ON CONFLICT ("SchoolId", "Date", "Kind", "ReasonCode") DO UPDATE SET "Count" = "ExclusionDayCounts"."Count" + EXCLUDED."Count"
                """, ct);
            if (counts.Any(c => c < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionDayCounts" d USING unnest({schools}, {dates}, {kinds}, {reasons}) AS k(s, dt, kd, r)
                    WHERE d."SchoolId" = k.s AND d."Date" = k.dt AND d."Kind" = k.kd AND d."ReasonCode" = k.r AND d."Count" = 0
                    """, ct);
        }
        if (pupilRows.Count > 0)
        {
            var schools = pupilRows.Select(p => p.Key.School).ToArray();
            var years = pupilRows.Select(p => p.Key.Year).ToArray();
            var terms = pupilRows.Select(p => p.Key.Term).ToArray();
            var suspended = pupilRows.Select(p => p.Value.Suspended).ToArray();
            var excluded = pupilRows.Select(p => p.Value.Excluded).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionPupilCounts" ("SchoolId", "AcademicYear", "Term", "PupilsSuspended", "PupilsPermanentlyExcluded")
                SELECT * FROM unnest({schools}, {years}, {terms}, {suspended}, {excluded})
                ON CONFLICT ("SchoolId", "AcademicYear", "Term") DO UPDATE SET
                    "PupilsSuspended" = "ExclusionPupilCounts"."PupilsSuspended" + EXCLUDED."PupilsSuspended",
                    "PupilsPermanentlyExcluded" = "ExclusionPupilCounts"."PupilsPermanentlyExcluded" + EXCLUDED."PupilsPermanentlyExcluded"
                """, ct);
            if (suspended.Any(c => c < 0) || excluded.Any(c => c < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionPupilCounts" p USING unnest({schools}, {years}, {terms}) AS k(s, y, t)
                    WHERE p."SchoolId" = k.s AND p."AcademicYear" = k.y AND p."Term" = k.t AND p."PupilsSuspended" = 0 AND p."PupilsPermanentlyExcluded" = 0
                    """, ct);
        }
        if (headRows.Count > 0)
        {
            var schools = headRows.Select(h => h.Key.School).ToArray();
            var years = headRows.Select(h => h.Key.Year).ToArray();
            var counts = headRows.Select(h => h.Value).ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "CensusHeadcounts" ("SchoolId", "AcademicYear", "Headcount")
                SELECT * FROM unnest({schools}, {years}, {counts})
                ON CONFLICT ("SchoolId", "AcademicYear") DO UPDATE SET "Headcount" = "CensusHeadcounts"."Headcount" + EXCLUDED."Headcount"
                """, ct);
            if (counts.Any(c => c < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "CensusHeadcounts" h USING unnest({schools}, {years}) AS k(s, y)
                    WHERE h."SchoolId" = k.s AND h."AcademicYear" = k.y AND h."Headcount" = 0
                    """, ct);
        }
    }

    // SQLite holds a Guid as upper-case text and a date as yyyy-MM-dd text (EF's mapping); the rows
    // go in as one JSON array a table, written in those forms so that the upsert meets the rows EF wrote.
    private static async Task ApplyInSqliteAsync(WaypointDbContext db,
        List<KeyValuePair<(Guid School, DateOnly Date, ExclusionKind Kind, string Reason), int>> dayRows,
        List<KeyValuePair<(Guid School, int Year, int Term), (int Suspended, int Excluded)>> pupilRows,
        List<KeyValuePair<(Guid School, int Year), int>> headRows, CancellationToken ct)
    {
        static string G(Guid g) => g.ToString("D").ToUpperInvariant();
        static string D(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (dayRows.Count > 0)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(dayRows.Select(d => new object[] { G(d.Key.School), D(d.Key.Date), d.Key.Kind.ToString(), d.Key.Reason, AcademicYear.Of(d.Key.Date).StartYear, d.Value }));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionDayCounts" ("SchoolId", "Date", "Kind", "ReasonCode", "AcademicYear", "Count")
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each({json}) WHERE true
                ON CONFLICT ("SchoolId", "Date", "Kind", "ReasonCode") DO UPDATE SET "Count" = "Count" + excluded."Count"
                """, ct);
            if (dayRows.Any(d => d.Value < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionDayCounts" WHERE "Count" = 0
                      AND ("SchoolId", "Date", "Kind", "ReasonCode") IN (SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each({json}))
                    """, ct);
        }
        if (pupilRows.Count > 0)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(pupilRows.Select(p => new object[] { G(p.Key.School), p.Key.Year, p.Key.Term, p.Value.Suspended, p.Value.Excluded }));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionPupilCounts" ("SchoolId", "AcademicYear", "Term", "PupilsSuspended", "PupilsPermanentlyExcluded")
                SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each({json}) WHERE true
                ON CONFLICT ("SchoolId", "AcademicYear", "Term") DO UPDATE SET
                    "PupilsSuspended" = "PupilsSuspended" + excluded."PupilsSuspended",
                    "PupilsPermanentlyExcluded" = "PupilsPermanentlyExcluded" + excluded."PupilsPermanentlyExcluded"
                """, ct);
            if (pupilRows.Any(p => p.Value.Suspended < 0 || p.Value.Excluded < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionPupilCounts" WHERE "PupilsSuspended" = 0 AND "PupilsPermanentlyExcluded" = 0
                      AND ("SchoolId", "AcademicYear", "Term") IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each({json}))
                    """, ct);
        }
        if (headRows.Count > 0)
        {
            var json = System.Text.Json.JsonSerializer.Serialize(headRows.Select(h => new object[] { G(h.Key.School), h.Key.Year, h.Value }));
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "CensusHeadcounts" ("SchoolId", "AcademicYear", "Headcount")
                SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each({json}) WHERE true
                ON CONFLICT ("SchoolId", "AcademicYear") DO UPDATE SET "Headcount" = "Headcount" + excluded."Headcount"
                """, ct);
            if (headRows.Any(h => h.Value < 0))
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "CensusHeadcounts" WHERE "Headcount" = 0
                      AND ("SchoolId", "AcademicYear") IN (SELECT value ->> 0, value ->> 1 FROM json_each({json}))
                    """, ct);
        }
    }
}

/// <summary>
/// The rollup upkeep of one write: the exclusion facts of the pupils it touches read before the
/// write, and after it the difference applied and the per-person rows recounted.
/// </summary>
public sealed class RollupUpkeep
{
    private readonly RollupSlices slices;
    private readonly List<SuspensionFact> suspensionsBefore;
    private readonly List<EnrolmentFact> enrolmentsBefore;
    private readonly List<(Guid School, DateOnly Date, ExclusionKind Kind, int Count)> movedSchoolDays;

    private RollupUpkeep(RollupSlices slices, List<SuspensionFact> suspensions, List<EnrolmentFact> enrolments, List<(Guid, DateOnly, ExclusionKind, int)> movedSchoolDays) =>
        (this.slices, suspensionsBefore, enrolmentsBefore, this.movedSchoolDays) = (slices, suspensions, enrolments, movedSchoolDays);

    /// <summary>Reads what the pupils of <paramref name="slices"/> count in the rollups now, before the write (and the day rows of schools it moves).</summary>
    public static async Task<RollupUpkeep> BeforeAsync(WaypointDbContext db, RollupSlices slices, CancellationToken ct)
    {
        var (suspensions, enrolments) = slices.Pupils.Count == 0 ? ([], []) : await ExclusionRollupDelta.LoadAsync(db, slices.Pupils, ct);
        return new RollupUpkeep(slices, suspensions, enrolments, await ExclusionAreaRollup.DaysOfAsync(db, slices.Schools, ct));
    }

    /// <summary>After the write (flushed, same transaction): schools moved between areas and phases, then the difference applied and the per-person rows recounted.</summary>
    public async Task AfterAsync(WaypointDbContext db, CancellationToken ct)
    {
        // The exclusion stamp before the first change to the rollups (as late as that: its row stays
        // locked to the commit, and writers of the exclusion rollups take turns from here); what is
        // kept from the rollups is read afresh once this commits.
        // A change to the register (names, areas, phases, schools moved) may change any county's figures:
        // the whole stamp moves. A write of pupils' records changes only their schools' counties: the
        // whole stamp is held (writers still take turns) and the difference moves those counties' stamps.
        if (slices.Schools.Count > 0 || slices.Register)
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Exclusions, ct);
        else if (slices.Pupils.Count > 0 || slices.CellSchools.Count > 0)
            await EvidenceStamps.HoldAsync(db, EvidenceStamps.Exclusions, ct);
        // First the move, of the day rows as they were before the write; then the write's own
        // difference, which the area rollup adds at each school's area and phase as they are now.
        if (slices.Schools.Count > 0)
            await ExclusionAreaRollup.MoveAsync(db, slices.Schools, movedSchoolDays, ct);
        if (slices.SchoolRegister.Organisations.Count > 0)
            await ExclusionToDate.RegisterAsync(db, slices.SchoolRegister.Organisations, slices.SchoolRegister.AnyLeftSchools, ct);
        if (slices.Pupils.Count > 0)
        {
            var (suspensions, enrolments) = await ExclusionRollupDelta.LoadAsync(db, slices.Pupils, ct);
            var delta = new ExclusionRollupDelta();
            var current = AcademicYear.Of(db.Today).StartYear;
            delta.Add(suspensionsBefore, enrolmentsBefore, current, -1);
            delta.Add(suspensions, enrolments, current, +1);
            await delta.ApplyAsync(db, ct);
        }
        if (slices.People.Count > 0 || slices.Occurrences.Count > 0)
            await EvidenceRollups.RefreshAsync(db, slices.People, slices.Occurrences, ct);
        // The statistics' cells (the whole stamp moved above): every one counted again when an area was removed, moved or
        // changed kind; the districts where schools were and are when schools were added, removed, moved or re-phased;
        // none for any other register write (a charity's or a team's save, a school renamed).
        if (slices.CellsWhole)
            await StatisticsCellRollup.RebuildAsync(db, ct);
        else if (slices.CellAreas.Count > 0)
            await StatisticsCellRollup.RefreshAreasAsync(db, slices.CellAreas, ct);
        // Headcount rows written through the context (not a path of the app's own writers, which count them): their schools' cells.
        if (!slices.CellsWhole && slices.CellSchools.Count > 0)
            await StatisticsCellRollup.RefreshAsync(db, slices.CellSchools, ct);
    }
}
