using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>
/// A pupil's enrolments at one school, folded by the academic years they start and end in: the
/// exclusion and violence cohort of any run of academic years is the spans that overlap it, and
/// each pupil's school is the span with the earliest start. Enrolments of the same school and the
/// same first and last year are one row (the earliest start is all the cohort reads).
/// </summary>
public sealed class ViolencePupilSpan
{
    /// <summary>The last year of a span with no end date.</summary>
    public const int OpenEnded = 9999;

    public Guid PersonId { get; set; }
    public Guid SchoolId { get; set; }
    public int FromYear { get; set; }
    public int ToYear { get; set; }
    public DateOnly FirstStart { get; set; }
    public DateOnly? DateOfBirth { get; set; }
}

/// <summary>
/// A person's first suspension, first permanent exclusion (withdrawn ones never count), first
/// violent occurrence as a suspect or offender and first as a victim, each within one academic
/// year, with the offence group of the occurrence. A run of years reads the earliest of its years.
/// </summary>
public sealed class ViolencePersonYear
{
    public Guid PersonId { get; set; }
    public int AcademicYear { get; set; }
    public DateOnly? FirstSuspension { get; set; }
    public DateOnly? FirstPermanentExclusion { get; set; }
    public DateOnly? FirstPerpetrator { get; set; }
    public string? PerpetratorGroup { get; set; }
    public DateOnly? FirstVictim { get; set; }
    public string? VictimGroup { get; set; }
}

// No foreign key to People: a merge must not move these rows (they are recounted from the raw rows
// after it), and a person removed is recounted to nothing by the context's upkeep. No foreign key to
// Organisations either (wave 26b): a span is a recount of enrolments, whose own key restricts deleting
// their school, so a school with spans cannot go; the analysis joins the spans to the schools anyway.
// The key cost a check a row (120,000 an import, the upkeep's largest part) and an index on SchoolId.
internal sealed class ViolencePupilSpanConfiguration : IEntityTypeConfiguration<ViolencePupilSpan>
{
    public void Configure(EntityTypeBuilder<ViolencePupilSpan> b)
    {
        b.HasKey(x => new { x.PersonId, x.SchoolId, x.FromYear, x.ToYear });
        b.HasIndex(x => new { x.FromYear, x.ToYear });
    }
}

internal sealed class ViolencePersonYearConfiguration : IEntityTypeConfiguration<ViolencePersonYear>
{
    public void Configure(EntityTypeBuilder<ViolencePersonYear> b)
    {
        b.HasKey(x => new { x.PersonId, x.AcademicYear });
        b.HasIndex(x => x.AcademicYear);
        b.Property(x => x.PerpetratorGroup).HasMaxLength(Occurrence.MaxTextLength);
        b.Property(x => x.VictimGroup).HasMaxLength(Occurrence.MaxTextLength);
    }
}

/// <summary>
/// Keeps the per-person evidence rollups (<see cref="ViolencePupilSpan"/>, <see cref="ViolencePersonYear"/>)
/// equal to a recount from the raw rows. Every write that touches a person's enrolments,
/// suspensions, police occurrences or date of birth recounts that person's rows in the writer's
/// transaction (the context collects them in <see cref="RollupSlices"/>); a merge or unmerge
/// recounts both entries; a disposal that deletes past the change tracker must call
/// <see cref="RefreshPeopleAsync"/> with the people it touched.
/// </summary>
public static class EvidenceRollups
{
    private const int Chunk = 2000;

    /// <summary>Recounts the rows of these people, and of the people named by these occurrences. The caller holds the transaction; its rows must be flushed.</summary>
    public static async Task RefreshAsync(WaypointDbContext db, IReadOnlyCollection<Guid> people, IReadOnlyCollection<Guid> occurrences, CancellationToken ct)
    {
        var all = people.ToHashSet();
        foreach (var chunk in occurrences.Chunk(Chunk))
            all.UnionWith(await db.Unfiltered<OccurrencePerson>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").Where(x => chunk.Contains(x.OccurrenceId)).Select(x => x.PersonId).ToListAsync(ct));
        await RefreshPeopleAsync(db, all, ct);
    }

    /// <summary>Recounts the rows of these people from the raw rows (none left: their rows go). The caller holds the transaction.</summary>
    public static async Task RefreshPeopleAsync(WaypointDbContext db, IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        if (db.IsPostgres)
        {
            foreach (var chunk in people.Distinct().Chunk(PostgresChunk))
                await RecountInPostgresAsync(db, chunk, ct);
            return;
        }
        foreach (var chunk in people.Distinct().Chunk(Chunk))
        {
            await db.Set<ViolencePupilSpan>().Where(s => chunk.Contains(s.PersonId)).ExecuteDeleteAsync(ct);
            await db.Set<ViolencePersonYear>().Where(s => chunk.Contains(s.PersonId)).ExecuteDeleteAsync(ct);
            var (spans, years) = await CountAsync(db, chunk, ct);
            await InsertAsync(db, spans, ct);
            await InsertAsync(db, years, ct);
        }
    }

    /// <summary>Throws the rows away and counts them again for everyone: the reference the upkeep must equal, and the first count of an existing database.</summary>
    public static async Task RebuildAsync(WaypointDbContext db, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Set<ViolencePupilSpan>().ExecuteDeleteAsync(ct);
            await db.Set<ViolencePersonYear>().ExecuteDeleteAsync(ct);
            var people = await db.Unfiltered<Enrolment>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").Select(e => e.PersonId)
                .Union(db.Unfiltered<Suspension>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").Select(s => s.PersonId))
                .Union(db.Unfiltered<OccurrencePerson>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").Select(o => o.PersonId))
                .ToListAsync(ct);
            if (db.IsPostgres)
            {
                foreach (var chunk in people.Chunk(PostgresChunk))
                    await RecountInPostgresAsync(db, chunk, ct);
                people.Clear();
            }
            foreach (var chunk in people.Chunk(Chunk))
            {
                var (spans, years) = await CountAsync(db, chunk, ct);
                await InsertAsync(db, spans, ct);
                await InsertAsync(db, years, ct);
            }
            await tx.CommitAsync(ct);
        });
    }

    private const int PostgresChunk = 20_000;

    /// <summary>
    /// The same recount as <see cref="CountAsync"/> (which the tests hold it to), set-based inside
    /// PostgreSQL: four statements a chunk of people, and no rows brought into the application.
    /// A county's import recounts a hundred thousand pupils this way in its own transaction.
    /// </summary>
    private static async Task RecountInPostgresAsync(WaypointDbContext db, Guid[] ids, CancellationToken ct)
    {
        var groups = ViolenceAnalysis.ViolentGroups.ToArray();
        var roles = ViolenceAnalysis.PerpetratorRoles.Append(OccurrenceRole.Victim).Select(r => r.ToString()).ToArray();
        var victim = nameof(OccurrenceRole.Victim);
        var suspension = nameof(ExclusionKind.Suspension);
        var withdrawn = nameof(ExclusionOutcome.Withdrawn);
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "ViolencePupilSpan" WHERE "PersonId" = ANY({ids})""", ct);
        await db.Database.ExecuteSqlAsync($"""DELETE FROM "ViolencePersonYear" WHERE "PersonId" = ANY({ids})""", ct);
        // The academic year a date falls in (AcademicYear.Of): September onwards is the calendar year's.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ViolencePupilSpan" ("PersonId", "SchoolId", "FromYear", "ToYear", "FirstStart", "DateOfBirth")
            SELECT e."PersonId", e."SchoolId",
                   EXTRACT(YEAR FROM e."StartDate")::int - CASE WHEN EXTRACT(MONTH FROM e."StartDate") < 9 THEN 1 ELSE 0 END,
                   COALESCE(EXTRACT(YEAR FROM e."EndDate")::int - CASE WHEN EXTRACT(MONTH FROM e."EndDate") < 9 THEN 1 ELSE 0 END, {ViolencePupilSpan.OpenEnded}),
                   MIN(e."StartDate"), MIN(p."DateOfBirth")
            FROM "Enrolments" e LEFT JOIN "People" p ON p."Id" = e."PersonId"
            WHERE e."PersonId" = ANY({ids})
            GROUP BY 1, 2, 3, 4
            """, ct);
        // Of two violent occurrences on a person-year's first day, the group first in byte order stands for it (as CountAsync).
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "ViolencePersonYear" ("PersonId", "AcademicYear", "FirstSuspension", "FirstPermanentExclusion", "FirstPerpetrator", "PerpetratorGroup", "FirstVictim", "VictimGroup")
            WITH sus AS (
                SELECT "PersonId", EXTRACT(YEAR FROM "StartDate")::int - CASE WHEN EXTRACT(MONTH FROM "StartDate") < 9 THEN 1 ELSE 0 END AS y,
                       MIN("StartDate") FILTER (WHERE "Kind" = {suspension}) AS s,
                       MIN("StartDate") FILTER (WHERE "Kind" <> {suspension}) AS x
                FROM "Suspensions"
                WHERE "PersonId" = ANY({ids}) AND "Outcome" <> {withdrawn}
                GROUP BY 1, 2),
            inv AS (
                SELECT DISTINCT ON (1, 2, 3) op."PersonId",
                       EXTRACT(YEAR FROM o."OccurredOn")::int - CASE WHEN EXTRACT(MONTH FROM o."OccurredOn") < 9 THEN 1 ELSE 0 END AS y,
                       op."Role" = {victim} AS victim, o."OccurredOn" AS d, o."OffenceGroup" AS g
                FROM "OccurrencePeople" op JOIN "Occurrences" o ON o."Id" = op."OccurrenceId"
                WHERE op."PersonId" = ANY({ids}) AND o."OffenceGroup" = ANY({groups}) AND op."Role" = ANY({roles})
                ORDER BY 1, 2, 3, o."OccurredOn", o."OffenceGroup" COLLATE "C"),
            per AS (
                SELECT "PersonId", y, MAX(d) FILTER (WHERE NOT victim) AS p, MAX(g) FILTER (WHERE NOT victim) AS pg,
                       MAX(d) FILTER (WHERE victim) AS v, MAX(g) FILTER (WHERE victim) AS vg
                FROM inv GROUP BY 1, 2)
            SELECT COALESCE(s."PersonId", p."PersonId"), COALESCE(s.y, p.y), s.s, s.x, p.p, p.pg, p.v, p.vg
            FROM sus s FULL JOIN per p ON p."PersonId" = s."PersonId" AND p.y = s.y
            """, ct);
    }

    /// <summary>The rows a recount from the raw rows gives for these people.</summary>
    public static async Task<(List<ViolencePupilSpan> Spans, List<ViolencePersonYear> Years)> CountAsync(WaypointDbContext db, IReadOnlyCollection<Guid> people, CancellationToken ct)
    {
        var enrolments = await db.Unfiltered<Enrolment>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").AsNoTracking().Where(e => people.Contains(e.PersonId))
            .Select(e => new { e.PersonId, e.SchoolId, e.StartDate, e.EndDate }).ToListAsync(ct);
        var births = enrolments.Count == 0 ? [] : await db.Unfiltered<Person>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").AsNoTracking().Where(p => people.Contains(p.Id))
            .Select(p => new { p.Id, p.DateOfBirth }).ToDictionaryAsync(p => p.Id, p => p.DateOfBirth, ct);
        var suspensions = await db.Unfiltered<Suspension>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept").AsNoTracking()
            .Where(s => people.Contains(s.PersonId) && s.Outcome != ExclusionOutcome.Withdrawn)
            .Select(s => new { s.PersonId, s.Kind, s.StartDate }).ToListAsync(ct);
        var groups = ViolenceAnalysis.ViolentGroups.ToList();
        var roles = ViolenceAnalysis.PerpetratorRoles.Append(OccurrenceRole.Victim).ToList();
        var involvements = await (from op in db.Unfiltered<OccurrencePerson>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept")
                                  join o in db.Unfiltered<Occurrence>("evidence rollups recount a person's enrolments, exclusions and violent occurrences; only dates and schools are kept") on op.OccurrenceId equals o.Id
                                  where people.Contains(op.PersonId) && o.OffenceGroup != null && groups.Contains(o.OffenceGroup) && roles.Contains(op.Role)
                                  select new { op.PersonId, op.Role, o.OccurredOn, Group = o.OffenceGroup! })
            .AsNoTracking().ToListAsync(ct);

        return Count(enrolments.Select(e => (e.PersonId, e.SchoolId, e.StartDate, e.EndDate)), births,
            suspensions.Select(x => (x.PersonId, x.Kind, x.StartDate)), involvements.Select(i => (i.PersonId, i.Role, i.OccurredOn, i.Group)));
    }

    /// <summary>
    /// Rows for people new to the database, from the rows about to be written for them (no
    /// occurrence can name someone who did not exist): the import counts its new pupils without
    /// reading anything back.
    /// </summary>
    public static async Task AddNewPeopleAsync(WaypointDbContext db, IEnumerable<Person> people, IEnumerable<Enrolment> enrolments, IEnumerable<Suspension> suspensions, CancellationToken ct)
    {
        var births = people.ToDictionary(p => p.Id, p => p.DateOfBirth);
        var (spans, years) = Count(enrolments.Where(e => births.ContainsKey(e.PersonId)).Select(e => (e.PersonId, e.SchoolId, e.StartDate, e.EndDate)), births,
            suspensions.Where(x => births.ContainsKey(x.PersonId) && x.Outcome != ExclusionOutcome.Withdrawn).Select(x => (x.PersonId, x.Kind, x.StartDate)), []);
        await InsertAsync(db, spans, ct);
        await InsertAsync(db, years, ct);
    }

    /// <summary>The rows these raw facts give (the recount's arithmetic, shared by every way in).</summary>
    private static (List<ViolencePupilSpan> Spans, List<ViolencePersonYear> Years) Count(
        IEnumerable<(Guid PersonId, Guid SchoolId, DateOnly StartDate, DateOnly? EndDate)> enrolments,
        IReadOnlyDictionary<Guid, DateOnly?> births,
        IEnumerable<(Guid PersonId, ExclusionKind Kind, DateOnly StartDate)> suspensions,
        IEnumerable<(Guid PersonId, OccurrenceRole Role, DateOnly OccurredOn, string Group)> involvements)
    {
        var spans = enrolments
            .GroupBy(e => (e.PersonId, e.SchoolId, From: AcademicYear.Of(e.StartDate).StartYear, To: e.EndDate is { } end ? AcademicYear.Of(end).StartYear : ViolencePupilSpan.OpenEnded))
            .Select(g => new ViolencePupilSpan
            {
                PersonId = g.Key.PersonId,
                SchoolId = g.Key.SchoolId,
                FromYear = g.Key.From,
                ToYear = g.Key.To,
                FirstStart = g.Min(e => e.StartDate),
                DateOfBirth = births.GetValueOrDefault(g.Key.PersonId),
            }).ToList();

        var years = new Dictionary<(Guid, int), ViolencePersonYear>();
        ViolencePersonYear Year(Guid person, DateOnly day)
        {
            var key = (person, AcademicYear.Of(day).StartYear);
            if (!years.TryGetValue(key, out var row))
                years[key] = row = new ViolencePersonYear { PersonId = person, AcademicYear = key.Item2 };
            return row;
        }
        foreach (var s in suspensions)
        {
            var row = Year(s.PersonId, s.StartDate);
            if (s.Kind == ExclusionKind.Suspension)
                row.FirstSuspension = Earliest(row.FirstSuspension, s.StartDate);
            else
                row.FirstPermanentExclusion = Earliest(row.FirstPermanentExclusion, s.StartDate);
        }
        // Of two occurrences on the first day, the group first in order stands for the day.
        foreach (var i in involvements.OrderBy(i => i.OccurredOn).ThenBy(i => i.Group, StringComparer.Ordinal))
        {
            var row = Year(i.PersonId, i.OccurredOn);
            if (i.Role == OccurrenceRole.Victim)
            {
                if (row.FirstVictim is null)
                    (row.FirstVictim, row.VictimGroup) = (i.OccurredOn, i.Group);
            }
            else if (row.FirstPerpetrator is null)
                (row.FirstPerpetrator, row.PerpetratorGroup) = (i.OccurredOn, i.Group);
        }
        return (spans, years.Values.ToList());
    }

    private static DateOnly Earliest(DateOnly? held, DateOnly day) => held is { } h && h <= day ? h : day;

    // Binary COPY on PostgreSQL (inside the caller's transaction, on its connection): a county's
    // import recounts a hundred thousand pupils, and the change tracker would cost more than the import.
    private static async Task InsertAsync<T>(WaypointDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
            return;
        if (db.IsPostgres)
        {
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
