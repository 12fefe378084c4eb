using System.Linq.Expressions;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Npgsql;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// A chunk of people's facts as one array: person <c>i</c>'s facts are the slice
/// <see cref="Of"/>(i), so scoring a chunk allocates nothing per person.
/// </summary>
public sealed class RiskFactChunk
{
    private readonly Dictionary<Guid, int> index;
    private readonly List<(int Person, RiskFact Fact)> rows = [];
    private RiskFact[] facts = [];
    private int[] starts = [];

    public RiskFactChunk(IReadOnlyList<Guid> people)
    {
        index = new Dictionary<Guid, int>(people.Count);
        var distinct = new List<Guid>(people.Count);
        foreach (var id in people)
        {
            if (index.TryAdd(id, distinct.Count))
                distinct.Add(id);
        }
        People = distinct;
    }

    /// <summary>The people of the chunk, in the order given (each once).</summary>
    public IReadOnlyList<Guid> People { get; }

    public int Count => index.Count;
    public int FactCount => facts.Length;

    public ReadOnlySpan<RiskFact> Of(int person) => facts.AsSpan(starts[person], starts[person + 1] - starts[person]);

    public bool TryIndexOf(Guid personId, out int person) => index.TryGetValue(personId, out person);

    /// <summary>A record of a person in the chunk; one of anyone else (an adult or a restricted person in the id range) is dropped.</summary>
    internal void Add(Guid personId, RiskFact fact)
    {
        if (index.TryGetValue(personId, out var person))
            rows.Add((person, fact));
    }

    /// <summary>Groups the rows by person (a counting sort: each kind's rows keep their order).</summary>
    internal RiskFactChunk Seal()
    {
        starts = new int[index.Count + 1];
        foreach (var (person, _) in rows)
            starts[person + 1]++;
        for (var i = 0; i < index.Count; i++)
            starts[i + 1] += starts[i];
        facts = new RiskFact[rows.Count];
        var next = starts[..^1];
        foreach (var (person, fact) in rows)
            facts[next[person]++] = fact;
        rows.Clear();
        rows.Capacity = 0;
        return this;
    }
}

/// <summary>
/// The records risk factors read, loaded through whichever reader the context has: the system
/// (scoring, which counts every record) or a reader (the explanation, which shows only their share).
/// One loader for both, so the explanation and the score cannot disagree on what a factor reads.
/// Set-based: one query per kind of record for a whole chunk of people, never one per person.
/// </summary>
public static class RiskFacts
{
    /// <summary>People per query when they are listed by id (a list of ids is sent as one array parameter).</summary>
    private const int ListChunk = 10_000;

    /// <summary>
    /// What to read: per kind of record, from which day (null: not read); for occurrences, the roles
    /// (null: every role). Reading less than the matrix reads would change a score, so a plan is
    /// either everything (<see cref="All"/>) or derived from the matrix's factors (<see cref="For"/>).
    /// </summary>
    internal sealed record Plan(IReadOnlyDictionary<RiskSource, DateOnly> Since, IReadOnlySet<OccurrenceRole>? Roles, DateOnly Today)
    {
        public static Plan All(DateOnly today)
        {
            var since = today.AddMonths(-RiskFactor.MaxLookBackMonths);
            return new Plan(Enum.GetValues<RiskSource>().ToDictionary(s => s, _ => since), null, today);
        }

        /// <summary>Each kind the matrix reads from the longest look-back of its factors; occurrences only in the roles some factor reads.</summary>
        public static Plan For(IReadOnlyList<RiskFactor> factors, DateOnly today)
        {
            var since = factors.GroupBy(f => f.Source).ToDictionary(g => g.Key, g => today.AddMonths(-g.Max(f => f.LookBackMonths)));
            var roles = factors.Where(f => f.Source == RiskSource.Occurrences)
                .SelectMany(f => RiskMatrixRules.ParseRoles(f.Roles).Where(r => !(f.Kind == RiskFactorKind.Offending && RiskMatrixRules.VictimSide.Contains(r))))
                .ToHashSet();
            return new Plan(since, roles, today);
        }

        public DateOnly? From(RiskSource source) => Since.TryGetValue(source, out var d) ? d : null;
    }

    /// <summary>
    /// One person's facts as <see cref="LoadAsync"/> reads them (every kind, the longest look-back, every role),
    /// in one statement instead of one a kind: what the person page scores as of now on every request.
    /// The kinds come back in <see cref="LoadChunkAsync"/>'s order, so that the scorer sees the same list.
    /// </summary>
    public static async Task<List<RiskFact>> LoadOneAsync(WaypointDbContext db, Guid personId, DateOnly today, CancellationToken ct) =>
        (await LoadOneWithStampAsync(db, personId, today, ct)).Facts;

    /// <summary>
    /// <see cref="LoadOneAsync"/>'s facts, and in the same statement the published matrix's id (null when none is
    /// published) and whether a restriction of processing holds for the person (<see cref="RiskFactSql.OnePersonScored"/>).
    /// </summary>
    internal static async Task<(List<RiskFact> Facts, Guid? Published, bool Restricted)> LoadOneWithStampAsync(WaypointDbContext db, Guid personId, DateOnly today,
        CancellationToken ct)
    {
        var since = today.AddMonths(-RiskFactor.MaxLookBackMonths);
        var rows = await db.RawSql<RiskFactRow>("a person's risk facts as their score reads them, every record of each kind whoever reads the page (the score counts every record; a reader is shown only their share), with the published matrix's id and whether processing is restricted",
            System.Runtime.CompilerServices.FormattableStringFactory.Create(RiskFactSql.OnePersonScored, personId, since, today)).ToListAsync(ct);
        return OfRows(rows, today);
    }

    /// <summary>
    /// <see cref="LoadOneWithStampAsync"/>'s statement sent with the next query of the context (the person page: in the round trip
    /// of the opened person's records, issue 18); <see cref="OfRide"/> gives its result once that query has run.
    /// </summary>
    internal static RidingRead<RiskFactRow> OneWithStampInNextRead(WaypointDbContext db, Guid personId, DateOnly today) =>
        db.RawSqlInNextRead<RiskFactRow>("a person's risk facts as their score reads them, by the opened person's id, sent with the person's records: every record of each kind whoever reads the page (the score counts every record; a reader is shown only their share), with the published matrix's id and whether processing is restricted",
            System.Runtime.CompilerServices.FormattableStringFactory.Create(RiskFactSql.OnePersonScored, personId, today.AddMonths(-RiskFactor.MaxLookBackMonths), today),
            RiskFactRow.Read);

    /// <summary>The facts a ride read (null when it did not ride: read them apart).</summary>
    internal static OneScored? OfRide(RidingRead<RiskFactRow>? ride, DateOnly today) =>
        ride?.Rows is { } rows ? new OneScored(OfRows(rows, today), today) : null;

    /// <summary>One person's facts, the published matrix's id and the restriction, read for the day given.</summary>
    internal sealed record OneScored((List<RiskFact> Facts, Guid? Published, bool Restricted) Read, DateOnly Today);

    private static (List<RiskFact> Facts, Guid? Published, bool Restricted) OfRows(IReadOnlyList<RiskFactRow> rows, DateOnly today)
    {
        Guid? published = null;
        var restricted = false;
        var facts = new List<RiskFact>(rows.Count);
        foreach (var r in rows.OrderBy(r => r.Source))
        {
            if (r.Source == RiskFactSql.Stamp)
            {
                published = r.RecordId;
                restricted = r.Kind is not null;
                continue;
            }
            facts.Add(r.Source switch
            {
                RiskFactSql.Suspension => new RiskFact(Enum.Parse<ExclusionKind>(r.Kind!) == ExclusionKind.PermanentExclusion ? RiskSource.PermanentExclusions : RiskSource.Suspensions,
                    r.Date, r.RecordId),
                RiskFactSql.Attendance => new RiskFact(RiskSource.Attendance, r.Date, r.RecordId, SessionsPossible: r.SessionsPossible ?? 0, SessionsPresent: r.SessionsPresent ?? 0),
                RiskFactSql.Behaviour => new RiskFact(RiskSource.BehaviourIncidents, r.Date, r.RecordId),
                RiskFactSql.Occurrence => new RiskFact(RiskSource.Occurrences, r.Date, r.RecordId, Enum.Parse<OccurrenceRole>(r.Role!), r.OffenceGroup,
                    r.IncidentType is { } incident ? Enum.Parse<IncidentType>(incident) : null),
                // A flag counts while it is current, whenever it was set: it is dated today for the look-back.
                _ => new RiskFact(RiskSource.Flags, today, r.RecordId, FlagKind: Enum.Parse<FlagKind>(r.Kind!)),
            });
        }
        return (facts, published, restricted);
    }

    public static async Task<Dictionary<Guid, List<RiskFact>>> LoadAsync(WaypointDbContext db, IReadOnlyCollection<Guid> personIds, DateOnly today, CancellationToken ct)
    {
        var result = personIds.Distinct().ToDictionary(id => id, _ => new List<RiskFact>());
        foreach (var ids in result.Keys.Chunk(ListChunk))
        {
            var chunk = await LoadChunkAsync(db, ids, id => ids.Contains(id), Plan.All(today), ct);
            for (var i = 0; i < chunk.Count; i++)
                result[chunk.People[i]].AddRange(chunk.Of(i));
        }
        return result;
    }

    /// <summary>
    /// The facts of the people listed, who are every young person scored between <paramref name="first"/>
    /// and <paramref name="last"/> in the database's id order (a recompute's chunk): read as one
    /// range of the person-id index per kind of record, and only the kinds, the look-back and the
    /// roles the matrix reads. Records of anyone in the range who is not listed (an adult, a person
    /// who restricted processing) are dropped.
    /// </summary>
    public static Task<RiskFactChunk> LoadRangeAsync(WaypointDbContext db, IReadOnlyList<Guid> personIds, Guid first, Guid last,
        IReadOnlyList<RiskFactor> factors, DateOnly today, CancellationToken ct) =>
        LoadChunkAsync(db, personIds, id => id.CompareTo(first) >= 0 && id.CompareTo(last) <= 0, Plan.For(factors, today), ct);

    /// <summary>A predicate on a person id applied to a record's person id, so that one chunk's test serves every table.</summary>
    internal static Expression<Func<T, bool>> ByPerson<T>(Expression<Func<T, Guid>> personId, Expression<Func<Guid, bool>> test) =>
        Expression.Lambda<Func<T, bool>>(ReplacingExpressionVisitor.Replace(test.Parameters[0], personId.Body, test.Body), personId.Parameters);

    /// <summary>Reads the plan's records of the people the predicate selects, streamed (no list per query), into one chunk.</summary>
    internal static async Task<RiskFactChunk> LoadChunkAsync(WaypointDbContext db, IReadOnlyList<Guid> people, Expression<Func<Guid, bool>> inChunk, Plan plan, CancellationToken ct)
    {
        var chunk = new RiskFactChunk(people);
        if (chunk.Count == 0 || plan.Since.Count == 0)
            return chunk.Seal();
        var today = plan.Today;
        var (suspensions, exclusions) = (plan.From(RiskSource.Suspensions), plan.From(RiskSource.PermanentExclusions));
        if (suspensions is not null || exclusions is not null)
        {
            var q = db.Suspensions.AsNoTracking().Where(ByPerson<Suspension>(s => s.PersonId, inChunk));
            // Both kinds live in one table: read from the earlier day, only the kind the matrix reads when it reads one.
            var earliest = new[] { suspensions, exclusions }.OfType<DateOnly>().Min();
            q = (suspensions, exclusions) switch
            {
                (not null, null) => q.Where(x => x.Kind != ExclusionKind.PermanentExclusion && x.StartDate > earliest),
                (null, not null) => q.Where(x => x.Kind == ExclusionKind.PermanentExclusion && x.StartDate > earliest),
                _ => q.Where(x => x.StartDate > earliest),
            };
            await foreach (var s in q.Select(s => new { s.Id, s.PersonId, s.StartDate, s.Kind }).AsAsyncEnumerable().WithCancellation(ct))
                chunk.Add(s.PersonId, new RiskFact(s.Kind == ExclusionKind.PermanentExclusion ? RiskSource.PermanentExclusions : RiskSource.Suspensions, s.StartDate, s.Id));
        }
        if (plan.From(RiskSource.Attendance) is { } attendanceSince)
            await foreach (var a in db.AttendanceRecords.AsNoTracking().Where(ByPerson<AttendanceRecord>(a => a.PersonId, inChunk)).Where(a => a.PeriodEnd > attendanceSince)
                               .Select(a => new { a.Id, a.PersonId, a.PeriodEnd, a.SessionsPossible, a.SessionsPresent }).AsAsyncEnumerable().WithCancellation(ct))
                chunk.Add(a.PersonId, new RiskFact(RiskSource.Attendance, a.PeriodEnd, a.Id, SessionsPossible: a.SessionsPossible, SessionsPresent: a.SessionsPresent));
        if (plan.From(RiskSource.BehaviourIncidents) is { } behaviourSince)
            await foreach (var b in db.BehaviourIncidents.AsNoTracking().Where(ByPerson<BehaviourIncident>(b => b.PersonId, inChunk)).Where(b => b.OccurredOn > behaviourSince)
                               .Select(b => new { b.Id, b.PersonId, b.OccurredOn }).AsAsyncEnumerable().WithCancellation(ct))
                chunk.Add(b.PersonId, new RiskFact(RiskSource.BehaviourIncidents, b.OccurredOn, b.Id));
        if (plan.From(RiskSource.Occurrences) is { } occurrencesSince && plan.Roles is not { Count: 0 })
        {
            var links = db.OccurrencePeople.AsNoTracking().Where(ByPerson<OccurrencePerson>(l => l.PersonId, inChunk)).Where(l => l.Occurrence!.OccurredOn > occurrencesSince);
            if (plan.Roles is { } roles)
            {
                var read = roles.ToList();
                links = links.Where(l => read.Contains(l.Role));
            }
            await foreach (var o in links.Select(l => new { l.OccurrenceId, l.PersonId, l.Role, l.Occurrence!.OccurredOn, l.Occurrence.OffenceGroup, l.Occurrence.IncidentType })
                               .AsAsyncEnumerable().WithCancellation(ct))
                chunk.Add(o.PersonId, new RiskFact(RiskSource.Occurrences, o.OccurredOn, o.OccurrenceId, o.Role, o.OffenceGroup, o.IncidentType));
        }
        // A flag counts while it is current, whenever it was set: it is dated today for the look-back.
        if (plan.From(RiskSource.Flags) is not null)
            await foreach (var f in db.PersonFlags.AsNoTracking().Where(ByPerson<PersonFlag>(f => f.PersonId, inChunk)).Where(FlagRules.Counts(today))
                               .Select(f => new { f.Id, f.PersonId, f.Kind }).AsAsyncEnumerable().WithCancellation(ct))
                chunk.Add(f.PersonId, new RiskFact(RiskSource.Flags, today, f.Id, FlagKind: f.Kind));
        return chunk.Seal();
    }
}

/// <summary>
/// One person's risk facts in one statement (<see cref="RiskFacts.LoadOneAsync"/>), hand-written so that
/// both databases take it: the same reads as <see cref="RiskFacts.LoadChunkAsync"/> with <c>Plan.All</c>
/// (suspensions and permanent exclusions, attendance, behaviour, occurrences in every role, current flags).
/// Enums are stored as their names: every constant is written as the text the column holds, and each
/// empty column is cast, so that PostgreSQL types the UNION ALL (EF's own Concat wrote enum constants
/// as integers against text columns and was refused). Parameters: {0} the person, {1} the look-back's
/// first day (exclusive), {2} today (a flag counts while its review date is today or later).
/// </summary>
public static class RiskFactSql
{
    public const int Suspension = 0, Attendance = 1, Behaviour = 2, Occurrence = 3, Flag = 4, Stamp = 5;

    public const string OnePerson = """
        SELECT 0 AS "Source", s."StartDate" AS "Date", s."Id" AS "RecordId", s."Kind" AS "Kind", CAST(NULL AS text) AS "Role",
               CAST(NULL AS text) AS "OffenceGroup", CAST(NULL AS text) AS "IncidentType",
               CAST(NULL AS integer) AS "SessionsPossible", CAST(NULL AS integer) AS "SessionsPresent"
        FROM "Suspensions" AS s WHERE s."PersonId" = {0} AND s."StartDate" > {1}
        UNION ALL
        SELECT 1, a."PeriodEnd", a."Id", NULL, NULL, NULL, NULL, a."SessionsPossible", a."SessionsPresent"
        FROM "AttendanceRecords" AS a WHERE a."PersonId" = {0} AND a."PeriodEnd" > {1}
        UNION ALL
        SELECT 2, b."OccurredOn", b."Id", NULL, NULL, NULL, NULL, NULL, NULL
        FROM "BehaviourIncidents" AS b WHERE b."PersonId" = {0} AND b."OccurredOn" > {1}
        UNION ALL
        SELECT 3, o."OccurredOn", l."OccurrenceId", NULL, l."Role", o."OffenceGroup", o."IncidentType", NULL, NULL
        FROM "OccurrencePeople" AS l INNER JOIN "Occurrences" AS o ON o."Id" = l."OccurrenceId"
        WHERE l."PersonId" = {0} AND o."OccurredOn" > {1}
        UNION ALL
        SELECT 4, f."ReviewOn", f."Id", f."Kind", NULL, NULL, NULL, NULL, NULL
        FROM "PersonFlags" AS f WHERE f."PersonId" = {0} AND f."Status" = 'Active' AND f."ReviewOn" >= {2}
        """;

    /// <summary>
    /// <see cref="OnePerson"/> and one more row (source <see cref="Stamp"/>) when a matrix is published: its id as the
    /// record's, and in "Kind" 'Restricted' when a restriction of processing holds for the person (not lifted:
    /// <c>RestrictedProcessing.Holds</c>, which RiskRecomputeTests holds this equal to). The scorer keeps the matrix
    /// itself until the published id moves, so the score as of now is one statement.
    /// </summary>
    public const string OnePersonScored = OnePerson + """

        UNION ALL
        SELECT 5, {2}, v."Id", CASE WHEN EXISTS (SELECT 1 FROM "ProcessingRestrictions" AS r WHERE r."PersonId" = {0} AND r."LiftedAt" IS NULL)
            THEN 'Restricted' END, NULL, NULL, NULL, NULL, NULL
        FROM "RiskMatrixVersions" AS v WHERE v."Status" = 'Published'
        """;
}

/// <summary>A row of <see cref="RiskFactSql.OnePerson"/>.</summary>
public sealed class RiskFactRow
{
    public int Source { get; set; }
    public DateOnly Date { get; set; }
    public Guid RecordId { get; set; }
    public string? Kind { get; set; }
    public string? Role { get; set; }
    public string? OffenceGroup { get; set; }
    public string? IncidentType { get; set; }
    public int? SessionsPossible { get; set; }
    public int? SessionsPresent { get; set; }

    /// <summary>A row read from a command's result set by position (<see cref="RiskFacts.OneWithStampInNextRead"/>), as EF reads it by name.</summary>
    internal static RiskFactRow Read(System.Data.Common.DbDataReader r) => new()
    {
        Source = Convert.ToInt32(r.GetValue(0), System.Globalization.CultureInfo.InvariantCulture),
        Date = r.GetFieldValue<DateOnly>(1),
        RecordId = r.GetGuid(2),
        Kind = r.IsDBNull(3) ? null : r.GetString(3),
        Role = r.IsDBNull(4) ? null : r.GetString(4),
        OffenceGroup = r.IsDBNull(5) ? null : r.GetString(5),
        IncidentType = r.IsDBNull(6) ? null : r.GetString(6),
        SessionsPossible = r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7), System.Globalization.CultureInfo.InvariantCulture),
        SessionsPresent = r.IsDBNull(8) ? null : Convert.ToInt32(r.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Computes and stores scores under the published matrix: for people whose records changed (after
/// an import, an occurrence, a flag), for one person as their page is opened (so that a flag that
/// lapsed at midnight stops counting at once), and for everyone nightly. A new row is kept only
/// when the score changed, so the rows are the score's history.
/// </summary>
public sealed class RiskScoring(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RiskScoring> log)
{
    /// <summary>Young people per chunk of a recompute of everyone: few enough to hold their records in memory, many enough that each query reads a long range.</summary>
    public const int ChunkSize = 10_000;

    public async Task<int> RecomputeAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0)
            return 0;
        await using var scope = scopes.CreateSystemScope("risk scores count every record a factor reads; a reader's explanation shows only the records they may see and counts the rest");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var matrix = await PublishedOrStarterAsync(db, ct);
        if (matrix is null)
            return 0;
        var changed = 0;
        foreach (var chunk in personIds.Distinct().Chunk(ChunkSize))
            changed += await RecomputeChunkAsync(db, audit, matrix, chunk, ct);
        return changed;
    }

    /// <summary>
    /// A person's score as of now under the published matrix, computed and not stored: what a page
    /// or the API shows, so that a flag that lapsed at midnight or was just removed counts no more
    /// without a read writing anything. Null when no matrix is published or processing is restricted.
    /// In its own system scope: for callers without a context of their own.
    /// </summary>
    public async Task<(RiskMatrixVersion Matrix, RiskResult Result)?> ComputeAsync(Guid personId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("a person's score is computed from every record a factor reads; the reader is shown only their share of the records");
        return await ComputeAsync(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), personId, ct);
    }

    /// <summary>The published matrix with its factors, kept until another is published (a published version's factors never change).</summary>
    private sealed record KeptMatrix(Guid Id, RiskMatrixVersion Matrix);

    private volatile KeptMatrix? kept;

    /// <summary>
    /// The score as of now read through the caller's context, whoever its reader (issue 18: a system scope and context
    /// per call was a quarter of the score's cost on the person page): its one statement reads every record a factor
    /// reads by raw SQL, which no query filter touches, so the score does not depend on the reader; the reader is shown
    /// only their share by the explanation. The same statement names the published matrix, kept here until that id
    /// moves (read on every call, so a publish on another instance is seen at once), and whether processing is restricted.
    /// </summary>
    public Task<(RiskMatrixVersion Matrix, RiskResult Result)?> ComputeAsync(WaypointDbContext db, Guid personId, CancellationToken ct) =>
        ComputeAsync(db, personId, read: null, ct);

    /// <summary>As <see cref="ComputeAsync(WaypointDbContext, Guid, CancellationToken)"/>, from the facts already read for the person (the person page's, read with their records), or read now when none.</summary>
    internal async Task<(RiskMatrixVersion Matrix, RiskResult Result)?> ComputeAsync(WaypointDbContext db, Guid personId, RiskFacts.OneScored? read, CancellationToken ct)
    {
        var today = read?.Today ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (facts, published, restricted) = read?.Read ?? await RiskFacts.LoadOneWithStampAsync(db, personId, today, ct);
        if (published is not { } publishedId || restricted)
            return null;
        var matrix = kept is { } k && k.Id == publishedId ? k.Matrix : null;
        if (matrix is null)
        {
            // A matrix published since (or none kept yet): read by its id, so the matrix and the facts' stamp agree.
            matrix = await db.RiskMatrixVersions.AsNoTracking().Include(v => v.Factors).FirstOrDefaultAsync(v => v.Id == publishedId, ct);
            if (matrix is null)
                return null;
            kept = new KeptMatrix(publishedId, matrix);
        }
        return (matrix, RiskMatrixRules.Score(matrix.Factors, facts, today));
    }

    /// <summary>Whether the person has restricted processing (so is not scored, on demand or stored); read past the filters so that the answer does not depend on the reader.</summary>
    public async Task<bool> IsRestrictedAsync(Guid personId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("whether a person restricted processing decides whether they are scored, whoever reads the page");
        return await scope.ServiceProvider.GetRequiredService<WaypointDbContext>().RestrictedPeople().ContainsAsync(personId, ct);
    }

    /// <summary>Publishes the starter matrix when the partnership has no version at all (at start-up, so that no read has to).</summary>
    public async Task EnsureStarterAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("the starter risk matrix is published once for a partnership that has none");
        await PublishedOrStarterAsync(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), ct);
    }

    /// <summary>Every young person, in chunks (the nightly run and the command line).</summary>
    public async Task<int> RecomputeEveryoneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("risk scores count every record a factor reads; a reader's explanation shows only the records they may see and counts the rest");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var matrix = await PublishedOrStarterAsync(db, ct);
        if (matrix is null)
            return 0;
        var changed = 0;
        Guid? after = null;
        while (true)
        {
            var q = db.People.AsNoTracking().Where(p => p.Kind == PersonKind.YoungPerson);
            if (after is { } a)
                q = q.Where(p => p.Id.CompareTo(a) > 0);
            var ids = await q.OrderBy(p => p.Id).Select(p => p.Id).Take(ChunkSize).ToArrayAsync(ct);
            if (ids.Length == 0)
                break;
            changed += await RecomputeRangeAsync(db, audit, matrix, ids, ct);
            db.ChangeTracker.Clear();
            after = ids[^1];
        }
        log.LogInformation("Risk scores recomputed: {Changed} changed", changed);
        return changed;
    }

    public static Task<RiskMatrixVersion?> PublishedAsync(WaypointDbContext db, CancellationToken ct) =>
        db.RiskMatrixVersions.AsNoTracking().Include(v => v.Factors).FirstOrDefaultAsync(v => v.Status == RiskMatrixStatus.Published, ct);

    /// <summary>The published matrix; a partnership that has published none starts with the starter matrix, which its admin then replaces.</summary>
    private async Task<RiskMatrixVersion?> PublishedOrStarterAsync(WaypointDbContext db, CancellationToken ct)
    {
        if (await PublishedAsync(db, ct) is { } published)
            return published;
        if (!await db.RiskMatrixVersions.AnyAsync(ct))
        {
            db.RiskMatrixVersions.Add(RiskMatrixRules.Starter(Guid.Empty, clock.GetUtcNow()));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance seeded it first (the version number is unique).
            }
            db.ChangeTracker.Clear();
        }
        return await PublishedAsync(db, ct);
    }

    /// <summary>Scores the people listed by the matrix in the system's context, saving the changed scores; the number changed.</summary>
    internal Task<int> RecomputeChunkAsync(WaypointDbContext db, AuditTrail audit, RiskMatrixVersion matrix, Guid[] ids, CancellationToken ct) =>
        ScoreAndSaveAsync(db, audit, matrix, ids, id => ids.Contains(id), range: null, ct);

    /// <summary>
    /// Scores a chunk of the recompute of everyone: <paramref name="ids"/> are every young person from
    /// the first to the last in the database's id order, so each kind of record is read as one range.
    /// </summary>
    internal Task<int> RecomputeRangeAsync(WaypointDbContext db, AuditTrail audit, RiskMatrixVersion matrix, Guid[] ids, CancellationToken ct)
    {
        if (ids.Length == 0)
            return Task.FromResult(0);
        var (first, last) = (ids[0], ids[^1]);
        return ScoreAndSaveAsync(db, audit, matrix, ids, id => id.CompareTo(first) >= 0 && id.CompareTo(last) <= 0, (first, last), ct);
    }

    /// <summary>
    /// Scores a chunk and saves what changed in one transaction (the caller's, when it has one: the
    /// recompute job saves its cursor in it too), so a chunk that fails part-way leaves no score of it
    /// counting. Reads are set-based: the restricted, the facts and the latest scores, one query each
    /// per kind; the matrix is compiled once for the chunk and each person scored over a slice of the
    /// chunk's facts. Only changed scores are written: a superseded score is marked in one statement
    /// and the new ones written by COPY on PostgreSQL.
    /// </summary>
    private async Task<int> ScoreAndSaveAsync(WaypointDbContext db, AuditTrail audit, RiskMatrixVersion matrix, Guid[] ids, Expression<Func<Guid, bool>> people,
        (Guid First, Guid Last)? range, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var now = clock.GetUtcNow();
        // A person who restricted processing is not scored (issue 16): the one predicate; a score they had leaves the lists.
        var restricted = (await db.RestrictedPeople().Where(people).ToListAsync(ct)).ToHashSet();
        var withdrawn = restricted.Count == 0 ? [] : await db.RiskScores.Where(s => restricted.Contains(s.PersonId) && s.IsLatest).ToListAsync(ct);
        foreach (var score in withdrawn)
        {
            score.IsLatest = false;
            audit.StageWrite(new AuditEvent(score.PersonId, AuditAction.Update, "risk:score withdrawn (processing restricted)", "process"));
        }
        ids = restricted.Count == 0 ? ids : ids.Where(id => !restricted.Contains(id)).ToArray();
        var facts = range is { } r
            ? await RiskFacts.LoadRangeAsync(db, ids, r.First, r.Last, matrix.Factors, today, ct)
            : await RiskFacts.LoadChunkAsync(db, ids, id => ids.Contains(id), RiskFacts.Plan.All(today), ct);
        var latestRows = await db.RiskScores.AsNoTracking().Where(RiskFacts.ByPerson<RiskScore>(s => s.PersonId, people)).Where(s => s.IsLatest)
            .Select(s => new { s.Id, s.PersonId, s.MatrixVersionId, s.Offending, s.Vulnerability, s.ContributionsJson })
            .ToListAsync(ct);
        // One latest row a person, normally; two (a merge brought the merged entry's) are replaced by one new row.
        var twice = latestRows.GroupBy(s => s.PersonId).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.Select(s => s.Id).ToList());
        var latest = latestRows.DistinctBy(s => s.PersonId).ToDictionary(s => s.PersonId);
        var superseded = new List<Guid>();
        var scores = new List<RiskScore>();
        var compiled = RiskMatrixRules.Compile(matrix.Factors, today);
        var contributions = new List<RiskContribution>();
        for (var i = 0; i < facts.Count; i++)
        {
            var id = facts.People[i];
            contributions.Clear();
            var (offending, vulnerability) = compiled.Score(facts.Of(i), contributions);
            latest.TryGetValue(id, out var last);
            if (last is null && offending == 0 && vulnerability == 0)
                continue;
            var json = JsonSerializer.Serialize(contributions);
            if (last is not null && !twice.ContainsKey(id) && last.MatrixVersionId == matrix.Id && last.Offending == offending && last.Vulnerability == vulnerability && last.ContributionsJson == json)
                continue;
            if (twice.TryGetValue(id, out var rows))
                superseded.AddRange(rows);
            else if (last is not null)
                superseded.Add(last.Id);
            scores.Add(new RiskScore
            {
                PersonId = id,
                MatrixVersionId = matrix.Id,
                ComputedAt = now,
                Offending = offending,
                Vulnerability = vulnerability,
                OffendingBand = matrix.BandOf(offending),
                VulnerabilityBand = matrix.BandOf(vulnerability),
                ContributionsJson = json,
                IsLatest = true,
            });
            audit.StageWrite(new AuditEvent(id, AuditAction.Update, $"risk:score v{matrix.Number} offending {offending} vulnerability {vulnerability}", "process"));
        }
        var changed = withdrawn.Count + scores.Count;
        if (changed == 0)
            return 0;
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            foreach (var chunk in superseded.Chunk(10_000))
                await db.RiskScores.Where(s => chunk.Contains(s.Id)).ExecuteUpdateAsync(u => u.SetProperty(s => s.IsLatest, false), ct);
            // A first run or a new matrix writes a score for most people: COPY on PostgreSQL, past the change tracker (RiskScore has no save hooks; the audit rows are staged and written by the SaveChanges below).
            if (db.IsPostgres)
                await new PostgresBulkWriter<RiskScore>(db).WriteAsync((NpgsqlConnection)db.Database.GetDbConnection(), scores, ct);
            else
                db.RiskScores.AddRange(scores);
            await db.SaveChangesAsync(ct);
            if (own is not null)
                await own.CommitAsync(ct);
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
        return changed;
    }

    public static IReadOnlyList<RiskContribution> ContributionsOf(RiskScore score) =>
        JsonSerializer.Deserialize<List<RiskContribution>>(score.ContributionsJson) ?? [];
}

/// <summary>Recomputes every score once a night (<c>Risk:NightlyAt</c>, UTC, "01:30" unless set; "off" turns it off), for what only time changes.</summary>
public sealed class NightlyRiskScoring(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<NightlyRiskScoring> log)
    : Shell.DailyJob(clock, log)
{
    protected override TimeOnly? RunAt => Shell.DailyJob.TimeOfDay(config["Risk:NightlyAt"] ?? "01:30");

    protected override string Name => "Nightly risk scoring";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(ct);
    }
}

/// <summary>Publishes the starter matrix as the host starts (awaited, so no request or job meets a partnership without one).</summary>
public sealed class RiskMatrixStarter(RiskScoring scoring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => scoring.EnsureStarterAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class RiskServices
{
    public static IServiceCollection AddWaypointRisk(this IServiceCollection services)
    {
        services.AddSingleton<RiskScoring>();
        services.AddHostedService<RiskMatrixStarter>();
        services.AddHostedService<NightlyRiskScoring>();
        services.AddSingleton<RiskRecomputeRunner>();
        services.AddHostedService<RiskRecomputeWorker>();
        services.AddScoped<Police.OccurrenceImport>();
        services.AddScoped<Police.StreetCrimeImport>();
        services.AddScoped<Police.MatchReviewQueue>();
        services.AddScoped<Police.OccurrenceEntry>();
        services.AddScoped<RiskExplanation>();
        services.AddScoped<RiskMatrixPublishing>();
        services.AddSingleton<EqualityMonitoring>();
        return services;
    }
}
