using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>A school's "to date" pair: this academic year to a day, and last year to the same day a year earlier.</summary>
public readonly record struct ToDateCounts(int SuspensionsThisYear, int SuspensionsLastYear, int ExclusionsThisYear, int ExclusionsLastYear)
{
    public static ToDateCounts operator +(ToDateCounts a, ToDateCounts b) => new(a.SuspensionsThisYear + b.SuspensionsThisYear,
        a.SuspensionsLastYear + b.SuspensionsLastYear, a.ExclusionsThisYear + b.ExclusionsThisYear, a.ExclusionsLastYear + b.ExclusionsLastYear);

    public bool IsZero => this == default;
}

/// <summary>A write of the register as the to-date rollup sees it: the organisations added or changed that are or were schools, and whether any stopped being one.</summary>
public sealed record SchoolRegisterWrite(IReadOnlyCollection<Guid> Organisations, bool AnyLeftSchools)
{
    public static readonly SchoolRegisterWrite None = new([], false);
}

/// <summary>
/// Keeps the to-date-by-school rollup (<see cref="ExclusionSchoolToDate"/>): each school's to-date
/// pair as of one day, the same for every row (<see cref="EvidenceStamps.ExclusionToDateAsOf"/>).
/// Three ways in, each with the exclusion stamp (<see cref="EvidenceStamps.Exclusions"/>) held, so
/// they take turns: a write's day difference added where its days fall in the two ranges of the
/// as-of day (<see cref="AddAsync"/>, one grouped upsert); the nightly roll-forward, which adds the
/// days since the as-of day (or recounts when the academic year has turned); and a rebuild. A reader
/// on a later day than the as-of day adds the days in between itself (<see cref="ReadAsync"/>).
/// </summary>
public static class ExclusionToDate
{
    /// <summary>The day the rollup holds its counts as of; null when it has never been counted.</summary>
    public static async Task<DateOnly?> AsOfAsync(WaypointDbContext db, CancellationToken ct)
    {
        var value = await db.Set<EvidenceStamp>().AsNoTracking().Where(s => s.Name == EvidenceStamps.ExclusionToDateAsOf).Select(s => s.Stamp).SingleOrDefaultAsync(ct);
        return value is null ? null : DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static Task SetAsOfAsync(WaypointDbContext db, DateOnly day, CancellationToken ct)
    {
        var value = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "EvidenceStamps" ("Name", "Stamp") VALUES ({EvidenceStamps.ExclusionToDateAsOf}, {value})
            ON CONFLICT ("Name") DO UPDATE SET "Stamp" = excluded."Stamp"
            """, ct);
    }

    /// <summary>What one day's count adds to the pair as of <paramref name="asOf"/> (nothing when the day is in neither range).</summary>
    public static ToDateCounts Of(DateOnly asOf, DateOnly date, ExclusionKind kind, int count)
    {
        var year = AcademicYear.Of(asOf);
        var suspension = kind == ExclusionKind.Suspension;
        if (date >= year.Start && date <= asOf)
            return suspension ? new(count, 0, 0, 0) : new(0, 0, count, 0);
        if (date >= year.Previous.Start && date <= asOf.AddYears(-1))
            return suspension ? new(0, count, 0, 0) : new(0, 0, 0, count);
        return default;
    }

    /// <summary>
    /// A write's school-day difference added in the writer's transaction (the exclusion stamp already
    /// moved by it, so the as-of day cannot move under it): one grouped upsert, rows in school order.
    /// Nothing when the rollup has never been counted (a reader then sums the month rows).
    /// </summary>
    public static async Task AddAsync(WaypointDbContext db, IReadOnlyDictionary<(Guid School, DateOnly Date, ExclusionKind Kind, string Reason), int> days, CancellationToken ct)
    {
        if (!days.Values.Any(v => v != 0))
            return;
        if (await AsOfAsync(db, ct) is not { } asOf)
            return;
        var bySchool = new Dictionary<Guid, ToDateCounts>();
        foreach (var ((school, date, kind, _), count) in days)
        {
            if (count == 0)
                continue;
            var add = Of(asOf, date, kind, count);
            if (!add.IsZero)
                bySchool[school] = bySchool.GetValueOrDefault(school) + add;
        }
        await UpsertAsync(db, bySchool, ct);
    }

    /// <summary>Counted again from the day rows as of <paramref name="today"/>: the reference the upkeep must equal.</summary>
    public static async Task RebuildAsync(WaypointDbContext db, DateOnly today, CancellationToken ct)
    {
        await db.Set<ExclusionSchoolToDate>().ExecuteDeleteAsync(ct);
        var counts = await CountAsync(db, db.ExclusionDayCounts.AsNoTracking(), today, ct);
        // Every school (a zero row when it counted nothing) and any other organisation that counts something, with the register's columns.
        var organisations = await db.Organisations.AsNoTracking()
            .Where(o => o.Type == OrganisationType.School || db.ExclusionDayCounts.Any(d => d.SchoolId == o.Id))
            .Select(o => new { o.Id, o.Name, o.Urn, o.AreaId, IsSchool = o.Type == OrganisationType.School })
            .ToListAsync(ct);
        await ExclusionRollups.InsertRowsAsync(db, organisations
            .Select(o => (o, Counts: counts.GetValueOrDefault(o.Id)))
            .Where(x => x.o.IsSchool || !x.Counts.IsZero)
            .Select(x => new ExclusionSchoolToDate
            {
                SchoolId = x.o.Id,
                Name = x.o.Name,
                Urn = x.o.Urn,
                AreaId = x.o.AreaId,
                IsSchool = x.o.IsSchool,
                SuspensionsThisYear = x.Counts.SuspensionsThisYear,
                SuspensionsLastYear = x.Counts.SuspensionsLastYear,
                ExclusionsThisYear = x.Counts.ExclusionsThisYear,
                ExclusionsLastYear = x.Counts.ExclusionsLastYear,
            }).ToList(), ct);
        await SetAsOfAsync(db, today, ct);
        await StatisticsCellRollup.RebuildAsync(db, ct); // the statistics' cells hold the to-date sums as of the same day
    }

    /// <summary>
    /// The nightly roll-forward to <paramref name="today"/>, in its own transaction with the exclusion
    /// stamp moved first (writers wait): the days since the as-of day added (and the same days a year
    /// earlier), or everything recounted when the academic year has turned or it was never counted.
    /// Run twice on one day, the second adds nothing. Returns the schools whose rows changed.
    /// </summary>
    public static async Task<int> RollForwardAsync(WaypointDbContext db, DateOnly today, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await EvidenceStamps.MoveAsync(db, EvidenceStamps.Exclusions, ct);
            var asOf = await AsOfAsync(db, ct);
            int changed;
            if (asOf is not { } from || AcademicYear.Of(from) != AcademicYear.Of(today))
            {
                await RebuildAsync(db, today, ct);
                changed = await db.Set<ExclusionSchoolToDate>().CountAsync(t => t.SuspensionsThisYear != 0 || t.SuspensionsLastYear != 0 || t.ExclusionsThisYear != 0 || t.ExclusionsLastYear != 0, ct);
            }
            else
            {
                var between = await BetweenAsync(db, db.ExclusionDayCounts.AsNoTracking(), from, today, ct);
                await UpsertAsync(db, between, ct);
                await SetAsOfAsync(db, today, ct);
                await StatisticsCellRollup.RebuildAsync(db, ct); // the statistics' cells hold the to-date sums as of the same day
                changed = between.Count;
            }
            await tx.CommitAsync(ct);
            return changed;
        });
    }

    /// <summary>
    /// The to-date pairs as of <paramref name="today"/> of the schools in <paramref name="schools"/>
    /// (absent: nothing counted): the rollup's rows, with the days between its as-of day and today
    /// added (or taken away) from the day rows. Null when the rollup cannot answer (never counted, its
    /// as-of day in another academic year, or rolled forward while being read): the caller sums the
    /// month rows instead.
    /// </summary>
    public static async Task<Dictionary<Guid, ToDateCounts>?> ReadAsync(WaypointDbContext db, IQueryable<Guid> schools, DateOnly today, CancellationToken ct)
    {
        if (await AsOfAsync(db, ct) is not { } asOf || AcademicYear.Of(asOf) != AcademicYear.Of(today))
            return null;
        var rows = await db.ExclusionSchoolToDates.AsNoTracking().Where(t => schools.Contains(t.SchoolId))
            .Select(t => new { t.SchoolId, t.SuspensionsThisYear, t.SuspensionsLastYear, t.ExclusionsThisYear, t.ExclusionsLastYear })
            .ToListAsync(ct);
        // The as-of day read again: a roll-forward committed between the two reads would have the rows and the day disagree.
        if (await AsOfAsync(db, ct) != asOf)
            return null;
        var counts = rows.ToDictionary(r => r.SchoolId, r => new ToDateCounts(r.SuspensionsThisYear, r.SuspensionsLastYear, r.ExclusionsThisYear, r.ExclusionsLastYear));
        if (asOf != today)
        {
            foreach (var (school, add) in await BetweenAsync(db, db.ExclusionDayCounts.AsNoTracking().Where(d => schools.Contains(d.SchoolId)), asOf, today, ct))
                counts[school] = counts.GetValueOrDefault(school) + add;
        }
        return counts;
    }

    /// <summary>The pairs as of <paramref name="day"/> summed from the day rows given.</summary>
    private static async Task<Dictionary<Guid, ToDateCounts>> CountAsync(WaypointDbContext db, IQueryable<ExclusionDayCount> days, DateOnly day, CancellationToken ct)
    {
        var year = AcademicYear.Of(day);
        var lastTo = day.AddYears(-1);
        var thisYear = await days.Where(d => d.Date >= year.Start && d.Date <= day)
            .GroupBy(d => new { d.SchoolId, d.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(d => d.Count) }).ToListAsync(ct);
        var lastYear = await days.Where(d => d.Date >= year.Previous.Start && d.Date <= lastTo)
            .GroupBy(d => new { d.SchoolId, d.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Count = g.Sum(d => d.Count) }).ToListAsync(ct);
        var counts = new Dictionary<Guid, ToDateCounts>();
        foreach (var r in thisYear)
            counts[r.SchoolId] = counts.GetValueOrDefault(r.SchoolId) + Of(day, year.Start, r.Kind, r.Count);
        foreach (var r in lastYear)
            counts[r.SchoolId] = counts.GetValueOrDefault(r.SchoolId) + Of(day, year.Previous.Start, r.Kind, r.Count);
        return counts;
    }

    /// <summary>
    /// What moving the as-of day from <paramref name="from"/> to <paramref name="to"/> (one academic year)
    /// changes: the days after the earlier up to the later, and the same a year before, added when
    /// moving forward and taken away when moving back.
    /// </summary>
    internal static async Task<Dictionary<Guid, ToDateCounts>> BetweenAsync(WaypointDbContext db, IQueryable<ExclusionDayCount> days, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var counts = new Dictionary<Guid, ToDateCounts>();
        if (from == to)
            return counts;
        var (lo, hi, sign) = from < to ? (from, to, 1) : (to, from, -1);
        var (lastLo, lastHi) = (lo.AddYears(-1), hi.AddYears(-1));
        var rows = await days.Where(d => (d.Date > lo && d.Date <= hi) || (d.Date > lastLo && d.Date <= lastHi))
            .GroupBy(d => new { d.SchoolId, d.Kind, d.Date }).Select(g => new { g.Key.SchoolId, g.Key.Kind, g.Key.Date, Count = g.Sum(d => d.Count) }).ToListAsync(ct);
        foreach (var r in rows)
        {
            var add = Of(hi, r.Date, r.Kind, sign * r.Count);
            if (!add.IsZero)
                counts[r.SchoolId] = counts.GetValueOrDefault(r.SchoolId) + add;
        }
        return counts;
    }

    private static async Task UpsertAsync(WaypointDbContext db, Dictionary<Guid, ToDateCounts> bySchool, CancellationToken ct)
    {
        var rows = bySchool.Where(r => !r.Value.IsZero).OrderBy(r => r.Key).ToList();
        if (rows.Count == 0)
            return;
        var negative = rows.Any(r => r.Value.SuspensionsThisYear < 0 || r.Value.SuspensionsLastYear < 0 || r.Value.ExclusionsThisYear < 0 || r.Value.ExclusionsLastYear < 0);
        if (db.IsPostgres)
        {
            var schools = rows.Select(r => r.Key).ToArray();
            var st = rows.Select(r => r.Value.SuspensionsThisYear).ToArray();
            var sl = rows.Select(r => r.Value.SuspensionsLastYear).ToArray();
            var et = rows.Select(r => r.Value.ExclusionsThisYear).ToArray();
            var el = rows.Select(r => r.Value.ExclusionsLastYear).ToArray();
            // A new row takes the register's columns from the organisation; an existing one has them refreshed as well.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionSchoolToDates" ("SchoolId", "Name", "Urn", "AreaId", "IsSchool", "SuspensionsThisYear", "SuspensionsLastYear", "ExclusionsThisYear", "ExclusionsLastYear")
                SELECT u.s, o."Name", o."Urn", o."AreaId", o."Type" = {School}, u.st, u.sl, u.et, u.el
                FROM unnest({schools}, {st}, {sl}, {et}, {el}) AS u(s, st, sl, et, el) JOIN "Organisations" o ON o."Id" = u.s
                ORDER BY u.s
                ON CONFLICT ("SchoolId") DO UPDATE SET
                    "SuspensionsThisYear" = "ExclusionSchoolToDates"."SuspensionsThisYear" + EXCLUDED."SuspensionsThisYear",
                    "SuspensionsLastYear" = "ExclusionSchoolToDates"."SuspensionsLastYear" + EXCLUDED."SuspensionsLastYear",
                    "ExclusionsThisYear" = "ExclusionSchoolToDates"."ExclusionsThisYear" + EXCLUDED."ExclusionsThisYear",
                    "ExclusionsLastYear" = "ExclusionSchoolToDates"."ExclusionsLastYear" + EXCLUDED."ExclusionsLastYear",
                    "Name" = EXCLUDED."Name", "Urn" = EXCLUDED."Urn", "AreaId" = EXCLUDED."AreaId", "IsSchool" = EXCLUDED."IsSchool"
                """, ct);
            if (negative)
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionSchoolToDates" t USING unnest({schools}) AS k(s)
                    WHERE t."SchoolId" = k.s AND NOT t."IsSchool" AND t."SuspensionsThisYear" = 0 AND t."SuspensionsLastYear" = 0 AND t."ExclusionsThisYear" = 0 AND t."ExclusionsLastYear" = 0
                    """, ct);
            return;
        }
        // SQLite: a Guid as upper-case text (EF's mapping), one JSON array.
        var json = System.Text.Json.JsonSerializer.Serialize(rows.Select(r => new object[]
        {
            r.Key.ToString("D").ToUpperInvariant(), r.Value.SuspensionsThisYear, r.Value.SuspensionsLastYear, r.Value.ExclusionsThisYear, r.Value.ExclusionsLastYear,
        }));
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ExclusionSchoolToDates" ("SchoolId", "Name", "Urn", "AreaId", "IsSchool", "SuspensionsThisYear", "SuspensionsLastYear", "ExclusionsThisYear", "ExclusionsLastYear")
            SELECT j.value ->> 0, o."Name", o."Urn", o."AreaId", o."Type" = {School}, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4
            FROM json_each({json}) AS j JOIN "Organisations" o ON o."Id" = j.value ->> 0 WHERE true
            ON CONFLICT ("SchoolId") DO UPDATE SET
                "SuspensionsThisYear" = "SuspensionsThisYear" + excluded."SuspensionsThisYear",
                "SuspensionsLastYear" = "SuspensionsLastYear" + excluded."SuspensionsLastYear",
                "ExclusionsThisYear" = "ExclusionsThisYear" + excluded."ExclusionsThisYear",
                "ExclusionsLastYear" = "ExclusionsLastYear" + excluded."ExclusionsLastYear",
                "Name" = excluded."Name", "Urn" = excluded."Urn", "AreaId" = excluded."AreaId", "IsSchool" = excluded."IsSchool"
            """, ct);
        if (negative)
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM "ExclusionSchoolToDates" WHERE NOT "IsSchool" AND "SuspensionsThisYear" = 0 AND "SuspensionsLastYear" = 0 AND "ExclusionsThisYear" = 0 AND "ExclusionsLastYear" = 0
                  AND "SchoolId" IN (SELECT value ->> 0 FROM json_each({json}))
                """, ct);
    }

    /// <summary>
    /// The organisations an unsaved change adds, or whose name, URN, area or type it changes, that are or
    /// were schools (their rows in the school table follow them: <see cref="RegisterAsync"/>).
    /// </summary>
    public static SchoolRegisterWrite Collect(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker)
    {
        List<Guid>? ids = null;
        var left = false;
        foreach (var entry in tracker.Entries<Organisation>())
        {
            var o = entry.Entity;
            if (entry.State == EntityState.Added)
            {
                if (o.Type == OrganisationType.School)
                    (ids ??= []).Add(o.Id);
                continue;
            }
            if (entry.State != EntityState.Modified)
                continue;
            var wasSchool = entry.OriginalValues.GetValue<OrganisationType>(nameof(Organisation.Type)) == OrganisationType.School;
            if (!wasSchool && o.Type != OrganisationType.School)
                continue;
            if (entry.Property(x => x.Name).IsModified || entry.Property(x => x.Urn).IsModified || entry.Property(x => x.AreaId).IsModified || entry.Property(x => x.Type).IsModified)
            {
                (ids ??= []).Add(o.Id);
                left |= wasSchool && o.Type != OrganisationType.School;
            }
        }
        return ids is null ? SchoolRegisterWrite.None : new SchoolRegisterWrite(ids, left);
    }

    /// <summary>The register's name for a school (<see cref="OrganisationType.School"/>, stored by name).</summary>
    private static readonly string School = nameof(OrganisationType.School);

    /// <summary>
    /// After a write of the register (in its transaction): the rows of the organisations it added or
    /// changed that are or were schools take their name, URN, area and type as they now stand; a new
    /// school gets its zero row; an organisation no longer a school keeps a row only while it counts
    /// something. A removed organisation's row goes by the cascade. Two statements at most, whatever the count.
    /// </summary>
    public static async Task RegisterAsync(WaypointDbContext db, IReadOnlyCollection<Guid> organisations, bool anyLeftSchools, CancellationToken ct)
    {
        if (organisations.Count == 0)
            return;
        var ids = organisations.Order().ToArray();
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "ExclusionSchoolToDates" ("SchoolId", "Name", "Urn", "AreaId", "IsSchool", "SuspensionsThisYear", "SuspensionsLastYear", "ExclusionsThisYear", "ExclusionsLastYear")
                SELECT o."Id", o."Name", o."Urn", o."AreaId", o."Type" = {School}, 0, 0, 0, 0 FROM "Organisations" o
                WHERE o."Id" = ANY ({ids}) AND (o."Type" = {School} OR EXISTS (SELECT 1 FROM "ExclusionSchoolToDates" t WHERE t."SchoolId" = o."Id"))
                ORDER BY o."Id"
                ON CONFLICT ("SchoolId") DO UPDATE SET "Name" = EXCLUDED."Name", "Urn" = EXCLUDED."Urn", "AreaId" = EXCLUDED."AreaId", "IsSchool" = EXCLUDED."IsSchool"
                """, ct);
            if (anyLeftSchools)
                await db.Database.ExecuteSqlAsync($"""
                    DELETE FROM "ExclusionSchoolToDates" WHERE "SchoolId" = ANY ({ids}) AND NOT "IsSchool"
                      AND "SuspensionsThisYear" = 0 AND "SuspensionsLastYear" = 0 AND "ExclusionsThisYear" = 0 AND "ExclusionsLastYear" = 0
                    """, ct);
            return;
        }
        var json = System.Text.Json.JsonSerializer.Serialize(ids.Select(i => i.ToString("D").ToUpperInvariant()));
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ExclusionSchoolToDates" ("SchoolId", "Name", "Urn", "AreaId", "IsSchool", "SuspensionsThisYear", "SuspensionsLastYear", "ExclusionsThisYear", "ExclusionsLastYear")
            SELECT o."Id", o."Name", o."Urn", o."AreaId", o."Type" = {School}, 0, 0, 0, 0 FROM "Organisations" o
            WHERE o."Id" IN (SELECT value FROM json_each({json})) AND (o."Type" = {School} OR EXISTS (SELECT 1 FROM "ExclusionSchoolToDates" t WHERE t."SchoolId" = o."Id"))
            ON CONFLICT ("SchoolId") DO UPDATE SET "Name" = excluded."Name", "Urn" = excluded."Urn", "AreaId" = excluded."AreaId", "IsSchool" = excluded."IsSchool"
            """, ct);
        if (anyLeftSchools)
            await db.Database.ExecuteSqlAsync($"""
                DELETE FROM "ExclusionSchoolToDates" WHERE "SchoolId" IN (SELECT value FROM json_each({json})) AND NOT "IsSchool"
                  AND "SuspensionsThisYear" = 0 AND "SuspensionsLastYear" = 0 AND "ExclusionsThisYear" = 0 AND "ExclusionsLastYear" = 0
                """, ct);
    }
}
