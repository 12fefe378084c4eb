using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Schools.Imports;

/// <summary>How many records of one kind a file added, changed, and left as they were.</summary>
public sealed record RecordCounts(string Records, int Added, int Changed, int Unchanged);

/// <summary>
/// What an applied file did, for the person who sent it. Pupils awaiting review are those the file
/// could not match to a child the school may see; their lines were not applied, and the notes name them.
/// </summary>
public sealed record ImportSummary(int Rows, int PupilsMatched, int PupilsAdded, IReadOnlyList<RecordCounts> Records,
    int PupilsAwaitingReview = 0, IReadOnlyList<string>? Notes = null)
{
    public int Added => Records.Sum(r => r.Added);
    public int Changed => Records.Sum(r => r.Changed);
}

/// <summary>The summary of an applied file, or every problem of a rejected one (then nothing was applied).</summary>
public sealed record ImportOutcome(ImportSummary? Summary, IReadOnlyList<ImportProblem> Problems)
{
    public bool Applied => Summary is not null;
}

/// <summary>Where an import has got to: percent done and what it is doing.</summary>
public delegate Task ImportProgress(int percent, string stage);

/// <summary>
/// Applies one school's file: parses it, matches its pupils, and in one transaction adds what is
/// new and updates what changed, by each record's natural key (docs/imports.md), so that the same
/// file twice changes nothing and nothing the file does not mention is ever deleted. Any problem
/// rejects the whole file. On PostgreSQL new rows go in by binary COPY inside the transaction.
/// Every pupil touched is audited in the same transaction; after the commit the early-warning rules are told.
/// </summary>
public sealed class ImportApplier(WaypointDbContext db, AuditTrail audit, SchoolRecordsChanged changed, ImportLocks locks, Microsoft.Extensions.Options.IOptions<ImportOptions> options, TimeProvider clock)
{
    public Task<ImportOutcome> ApplyAsync(ImportKind kind, Stream file, string fileName, Guid schoolId, ImportProgress? progress, CancellationToken ct) =>
        ApplyAsync(kind, file, fileName, schoolId, progress, null, ct);

    /// <param name="jobId">The background job that sent the file, for the review queue; none from the command line.</param>
    public async Task<ImportOutcome> ApplyAsync(ImportKind kind, Stream file, string fileName, Guid schoolId, ImportProgress? progress, Guid? jobId, CancellationToken ct)
    {
        progress ??= (_, _) => Task.CompletedTask;
        await progress(5, "Reading the file");
        var school = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == schoolId && o.Type == OrganisationType.School, ct)
            ?? throw new InvalidOperationException("Imports are for schools.");
        var work = new ImportWork(db, school, fileName, jobId, clock.GetUtcNow());
        var mapping = kind == ImportKind.CommonTransferFile ? null : await ImportHeadings.MappingAsync(db, schoolId, kind, ct);
        IImportParseResult parsed = kind switch
        {
            ImportKind.CommonTransferFile => CommonTransferFile.Parse(file, fileName, options.Value.CtfLimits, ct),
            ImportKind.Enrolments => EnrolmentCsv.Parse(file, fileName, mapping),
            ImportKind.Attendance => AttendanceCsv.Parse(file, fileName, mapping),
            ImportKind.Suspensions => SuspensionCsv.Parse(file, fileName, mapping),
            ImportKind.Behaviour => BehaviourCsv.Parse(file, fileName, mapping),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        if (!parsed.IsAcceptable)
            return new ImportOutcome(null, parsed.Problems);

        await progress(20, "Matching pupils and saving");
        var rows = parsed switch
        {
            CtfParseResult ctf => work.CheckCtf(ctf),
            ImportParseResult<ParsedEnrolment> r => work.CheckSchool(r.Records.Select(x => (x.Line, x.SchoolUrn, x.Pupil)),
                r.Records.Select(x => x.Details ?? new PupilDetails(PupilDetails.SexOf(x.Gender), null, null, null)).ToList<PupilDetails?>(),
                r.Records.Select(x => x.FormerUpn).ToList()),
            ImportParseResult<ParsedAttendance> r => work.CheckSchool(r.Records.Select(x => (x.Line, x.SchoolUrn, x.Pupil))),
            ImportParseResult<ParsedSuspension> r => work.CheckSchool(r.Records.Select(x => (x.Line, x.SchoolUrn, x.Pupil))),
            ImportParseResult<ParsedBehaviour> r => work.CheckSchool(r.Records.Select(x => (x.Line, x.SchoolUrn, x.Pupil))),
            _ => throw new InvalidOperationException("Unknown file kind."),
        };
        if (work.Problems.Count > 0)
            return new ImportOutcome(null, work.Problems);
        work.Remember(rows);
        work.Notes.AddRange(parsed.Warnings.Select(w => w.ToString()));
        var mayAdd = kind is ImportKind.CommonTransferFile or ImportKind.Enrolments;

        PupilMatches matches;
        RecordCounts[] counts;
        // One school's files take turns from matching to commit, across every instance and the command line,
        // so that the same file applied twice at once adds its rows once (the unique keys are the backstop).
        await using (var section = await SchoolImportSection.EnterAsync(db, locks, schoolId, mayAdd, ct))
        {
            // On SQLite the section holds the database's write lock, which the progress updates (another connection) would wait for.
            ImportProgress report = section.HoldsWriteLock ? (_, _) => Task.CompletedTask : progress;
            matches = await new PupilMatcher(db, fileName, schoolId, work.Today).MatchAsync(rows, mayAdd, ct);
            if (matches.Problems.Count > 0)
                return new ImportOutcome(null, matches.Problems);
            work.AddPupils(matches);
            await work.KeepDetailsAsync(matches, ct);
            await work.HoldForReviewAsync(matches, parsed, ct);

            await report(40, "Comparing with the records held");
            counts = parsed switch
            {
                CtfParseResult ctf => await work.MergeCtfAsync(ctf, ct),
                ImportParseResult<ParsedEnrolment> r => [await work.MergeEnrolmentsAsync(r.Records.Where(x => work.IsMatched(x.Pupil)).ToList(), ct)],
                ImportParseResult<ParsedAttendance> r => [await work.MergeAttendanceAsync(r.Records, ct)],
                ImportParseResult<ParsedSuspension> r => [await work.MergeSuspensionsAsync(r.Records, ct)],
                ImportParseResult<ParsedBehaviour> r => [await work.MergeBehaviourAsync(r.Records, ct)],
                _ => Array.Empty<RecordCounts>(),
            };
            if (work.Problems.Count > 0)
            {
                db.ChangeTracker.Clear();
                return new ImportOutcome(null, work.Problems);
            }

            await report(60, "Saving");
            // Who was changed, and whom the duplicate check read past the policy for a school that cannot
            // see them, is audited in the import's own transaction: the data and its audit rows, or neither.
            audit.StageWrite(work.Touched.Select(t => new AuditEvent(t.Key, t.Value ? AuditAction.Create : AuditAction.Update,
                    $"school import: {kind}", "school import"))
                .Concat(work.Reviewed.Select(id => new AuditEvent(id, AuditAction.Read, $"school import: {kind}: possible match held for review", "school import duplicate check")))
                .ToList());
            await work.SaveAsync(ct);
        }
        await progress(90, "Recording who was changed");
        var touched = work.Touched;
        // Enrolments are no part of any early-warning rule: only files with attendance or suspensions are checked.
        if (kind != ImportKind.Enrolments && touched.Count > 0)
        {
            await progress(95, "Checking early-warning rules");
            await changed.NotifyAsync(touched.Keys.ToList(), ct);
        }
        return new ImportOutcome(new ImportSummary(parsed.RecordCount, matches.Matched.Count, matches.New.Count, counts,
            matches.Review.Count, work.Notes), []);
    }
}

/// <summary>The in-process half of the per-school import lock: one semaphore per school, for this process's workers.</summary>
public sealed class ImportLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> schools = new();

    internal SemaphoreSlim For(Guid schoolId) => schools.GetOrAdd(schoolId, _ => new SemaphoreSlim(1, 1));
}

/// <summary>
/// One school's import from matching to commit, taken in turn with every other import of that
/// school's files: in this process (a semaphore per school), then across processes (PostgreSQL:
/// a session advisory lock keyed by the school; SQLite: the database's write lock, taken by an
/// immediate transaction that the save then commits). Files that may add pupils take the
/// register's lock first, always in that order, so no two imports wait on each other in a circle.
/// </summary>
internal sealed class SchoolImportSection : IAsyncDisposable
{
    // The two-number key space of advisory locks, apart from the register's single number: this first number, then the school's.
    private const int SchoolLockClass = 0x5750_5343; // "WPSC"
    private WaypointDbContext? db;
    private SemaphoreSlim? inProcess;
    private RegisterAdditionsLock? register;
    private int? postgresKey;

    public bool HoldsWriteLock { get; private set; }

    public static async Task<SchoolImportSection> EnterAsync(WaypointDbContext db, ImportLocks locks, Guid schoolId, bool mayAdd, CancellationToken ct)
    {
        var section = new SchoolImportSection { db = db };
        try
        {
            var semaphore = locks.For(schoolId);
            await semaphore.WaitAsync(ct);
            section.inProcess = semaphore;
            if (mayAdd)
                section.register = await RegisterAdditionsLock.TakeAsync(db, ct);
            if (db.IsPostgres)
            {
                var key = KeyOf(schoolId);
                await db.Database.OpenConnectionAsync(ct);
                section.postgresKey = key;
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({SchoolLockClass}, {key})", ct);
            }
            else
            {
                // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock now, so another process's import waits here,
                // for as long as that import takes: each attempt waits out the busy timeout before it is tried again.
                while (true)
                {
                    try
                    {
                        await db.Database.BeginTransactionAsync(ct);
                        break;
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode == 5) // SQLITE_BUSY
                    {
                        ct.ThrowIfCancellationRequested();
                    }
                }
                section.HoldsWriteLock = true;
            }
            return section;
        }
        catch
        {
            await section.DisposeAsync();
            throw;
        }
    }

    private static int KeyOf(Guid schoolId)
    {
        Span<byte> bytes = stackalloc byte[16];
        schoolId.TryWriteBytes(bytes);
        var ints = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes);
        return ints[0] ^ ints[1] ^ ints[2] ^ ints[3];
    }

    public async ValueTask DisposeAsync()
    {
        if (db is { } held)
        {
            db = null;
            if (held.Database.CurrentTransaction is { } open)
                await open.DisposeAsync(); // not committed: rolled back
            if (postgresKey is { } key)
            {
                await held.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({SchoolLockClass}, {key})", CancellationToken.None);
                await held.Database.CloseConnectionAsync();
            }
        }
        if (register is not null)
            await register.DisposeAsync();
        register = null;
        inProcess?.Release();
        inProcess = null;
    }
}

/// <summary>
/// Serialises the files that may add pupils to the register, from matching to commit. On
/// PostgreSQL a session advisory lock, so that every instance's workers (and the command line)
/// take turns; on SQLite, the embedded single-instance database, a lock in the process.
/// Files that only add records for pupils on a school's roll do not take it.
/// </summary>
internal sealed class RegisterAdditionsLock : IAsyncDisposable
{
    private const long Key = 0x5741_5950_5245_4700; // "WAYPREG": any fixed number no other lock uses
    private static readonly SemaphoreSlim InProcess = new(1, 1);
    private WaypointDbContext? db;
    private bool inProcess;

    public static async Task<RegisterAdditionsLock> TakeAsync(WaypointDbContext db, CancellationToken ct)
    {
        var taken = new RegisterAdditionsLock();
        if (db.IsPostgres)
        {
            // The connection stays open (EF keeps an explicitly opened one) until the lock is given back in
            // DisposeAsync. Pooled connections are not reset on return (No Reset On Close, for speed), so
            // a lock whose dispose never ran would stay with the pooled session: dispose must always run.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({Key})", ct);
            taken.db = db;
        }
        else
        {
            await InProcess.WaitAsync(ct);
            taken.inProcess = true;
        }
        return taken;
    }

    public async ValueTask DisposeAsync()
    {
        if (db is { } held)
        {
            db = null;
            await held.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({Key})", CancellationToken.None);
            await held.Database.CloseConnectionAsync();
        }
        if (inProcess)
        {
            inProcess = false;
            InProcess.Release();
        }
    }
}

/// <summary>The state of one import between matching and saving.</summary>
internal sealed class ImportWork(WaypointDbContext db, Organisation school, string fileName, Guid? jobId, DateTimeOffset now)
{
    private const int AnalyseAfterRows = 1000;

    private readonly Dictionary<string, Guid> pupils = new(StringComparer.Ordinal);
    private readonly List<Person> newPeople = [];
    private readonly List<PersonIdentifier> newIdentifiers = [];
    private readonly List<Enrolment> newEnrolments = [];
    private readonly List<AttendanceRecord> newAttendance = [];
    private readonly List<Suspension> newSuspensions = [];
    private readonly List<BehaviourIncident> newBehaviour = [];
    private readonly List<PupilMatchReview> newReviews = [];

    public List<ImportProblem> Problems { get; } = [];

    /// <summary>Every pupil the import added or changed anything for; true where the pupil is new to the register.</summary>
    public Dictionary<Guid, bool> Touched { get; } = [];

    /// <summary>The register's children a possible match was held for review against (audited: the check read them).</summary>
    public HashSet<Guid> Reviewed { get; } = [];

    /// <summary>Lines not applied because their pupil is waiting for review, for the summary.</summary>
    public List<string> Notes { get; } = [];

    public DateOnly Today => DateOnly.FromDateTime(now.UtcDateTime);

    public bool IsMatched(ParsedPupilIdentity identity) => pupils.ContainsKey(identity.Key);

    /// <summary>
    /// Queues each pupil held for review (once: an open review of the same pupil as sent, at this
    /// school, is not repeated) with the enrolment the file asked for, and notes every line of the
    /// file about them. The notes say only that the line could not be matched, never why.
    /// </summary>
    public async Task HoldForReviewAsync(PupilMatches matches, IImportParseResult parsed, CancellationToken ct)
    {
        if (matches.Review.Count == 0)
            return;
        var open = await db.Set<PupilMatchReview>().AsNoTracking()
            .Where(r => r.SchoolId == school.Id && (r.Status == PupilMatchReviewStatus.Waiting || r.Status == PupilMatchReviewStatus.WithInclusionTeam || r.Status == PupilMatchReviewStatus.Rejected))
            .Select(r => new { r.Upn, r.Surname, r.Forename, r.DateOfBirth })
            .ToListAsync(ct);
        var held = open.Select(r => new ParsedPupilIdentity(r.Upn, r.Surname, r.Forename, r.DateOfBirth).Key).ToHashSet(StringComparer.Ordinal);
        var lines = parsed switch
        {
            ImportParseResult<ParsedEnrolment> r => r.Records.Select(x => (x.Line, (string?)null, x.Pupil.Key, Start: x.StartDate, x.EndDate, YearGroup: YearGroup(x.YearGroup), Dual: x.IsDualRegistration)).ToList(),
            CtfParseResult ctf => ctf.Pupils.Select(p => (p.Line, (string?)$"pupil {p.Position}", new ParsedPupilIdentity(p.Upn, p.Surname, p.Forename, p.DateOfBirth).Key,
                Start: p.Schools.LastOrDefault(h => h.DfeNumber == school.DfeNumber)?.EntryDate ?? (ctf.Header!.CreatedAt is { } created ? DateOnly.FromDateTime(created) : Today),
                EndDate: p.Schools.LastOrDefault(h => h.DfeNumber == school.DfeNumber)?.LeavingDate, YearGroup: (int?)null, Dual: false)).ToList(),
            _ => [],
        };
        foreach (var line in lines.Where(l => matches.Review.ContainsKey(l.Key)))
        {
            var (row, candidate) = matches.Review[line.Key];
            Notes.Add($"{fileName}, line {line.Line}{(line.Item2 is null ? "" : $", {line.Item2}")}: the pupil on this line could not be matched and is waiting for review (Imports, pupils to review). This line was not applied.");
            Reviewed.Add(candidate);
            if (!held.Add(line.Key))
                continue;
            newReviews.Add(new PupilMatchReview
            {
                SchoolId = school.Id,
                ImportJobId = jobId,
                FileName = fileName,
                Line = line.Line,
                Upn = row.Identity.Upn,
                Surname = row.Identity.Surname,
                Forename = row.Identity.Forename,
                DateOfBirth = row.Identity.DateOfBirth,
                EnrolmentStart = line.Start,
                EnrolmentEnd = line.EndDate,
                YearGroup = line.YearGroup,
                IsDualRegistration = line.Dual,
                CandidatePersonId = candidate,
                Status = PupilMatchReviewStatus.Waiting,
                CreatedAt = now,
            });
        }
    }

    public List<PupilRow> CheckSchool(IEnumerable<(int Line, string SchoolUrn, ParsedPupilIdentity Pupil)> rows,
        IReadOnlyList<PupilDetails?>? details = null, IReadOnlyList<string?>? formerUpns = null)
    {
        var result = new List<PupilRow>();
        foreach (var (line, urn, pupil) in rows)
        {
            // A file without a SchoolURN column is the importing school's own.
            if (urn.Length > 0 && !string.Equals(urn, school.Urn, StringComparison.Ordinal))
                Problems.Add(new ImportProblem(fileName, line, "SchoolURN",
                    $"This row is for the school with URN {urn}, but the file was sent for {school.Name} (URN {school.Urn ?? "not recorded"}). A school imports only its own pupils' records."));
            result.Add(new PupilRow(line, null, pupil, formerUpns?[result.Count], details?[result.Count]));
        }
        return result;
    }

    /// <summary>
    /// A CTF addressed to this school, or to no school (XXX/XXXX: Get Information about Pupils
    /// downloaded by someone not at a school), is applied to the school it is imported for; one
    /// addressed to another real school is refused.
    /// </summary>
    public List<PupilRow> CheckCtf(CtfParseResult ctf)
    {
        var header = ctf.Header!;
        var destination = header.DestinationSchool;
        var ours = destination.DfeNumber == school.DfeNumber || (destination.Urn is not null && destination.Urn == school.Urn);
        if (destination.IsPlaceholder)
            Notes.Add($"{fileName}: the file is addressed to no school (XXX/XXXX{(header.IsFromGiap ? ", as Get Information about Pupils writes it for someone not at a school" : "")}). It was applied to {school.Name}, the school it was imported for.");
        else if (!ours)
            Problems.Add(new ImportProblem(fileName, null, "Header/DestSchool",
                $"The file is addressed to school {destination.DfeNumber}{(destination.Name is { } n ? $" ({n})" : "")}, but it was sent for {school.Name} ({school.DfeNumber ?? "no DfE number recorded"}). A Common Transfer File is imported by the school it is addressed to."));
        return ctf.Pupils.Select(p => new PupilRow(p.Line, $"pupil {p.Position}", new ParsedPupilIdentity(p.Upn, p.Surname, p.Forename, p.DateOfBirth), p.FormerUpn,
            new PupilDetails(PupilDetails.SexOf(p.Sex), p.MiddleNames, p.PreferredForename, p.PreferredSurname))).ToList();
    }

    public void AddPupils(PupilMatches matches)
    {
        foreach (var (key, id) in matches.Matched)
            pupils[key] = id;
        foreach (var (personId, upn) in matches.UpnsToAdd)
        {
            newIdentifiers.Add(Upn(personId, upn));
            Touch(personId);
        }
        foreach (var (key, row) in matches.New)
        {
            var person = new Person
            {
                Kind = PersonKind.YoungPerson,
                GivenName = row.Identity.Forename,
                FamilyName = row.Identity.Surname,
                DateOfBirth = row.Identity.DateOfBirth,
                Sex = row.Details?.Sex ?? Sex.Unknown,
                MiddleNames = row.Details?.MiddleNames,
                PreferredName = row.Details?.PreferredForename,
                PreferredFamilyName = row.Details?.PreferredSurname,
                // Until an address is known, the pupil is placed where their school is.
                AreaId = school.AreaId,
                OwnerOrganisationId = school.Id,
                CreatedAt = now,
            };
            WaypointDbContext.SetSearchKeys(person);
            newPeople.Add(person);
            if (row.Identity.Upn is { } upn)
                newIdentifiers.Add(Upn(person.Id, upn));
            pupils[key] = person.Id;
            Touched[person.Id] = true;
        }
    }

    /// <summary>
    /// What a file says of a matched pupil that the register does not hold yet (a sex where it
    /// holds "unknown", middle and preferred names where it holds none) is kept; what the register
    /// already holds is never overwritten by a file.
    /// </summary>
    public async Task KeepDetailsAsync(PupilMatches matches, CancellationToken ct)
    {
        var wanted = new Dictionary<Guid, PupilDetails>();
        foreach (var (key, id) in matches.Matched)
            if (detailsByKey.GetValueOrDefault(key) is { } details)
                wanted.TryAdd(id, details);
        if (wanted.Count == 0)
            return;
        foreach (var chunk in wanted.Keys.Chunk(1000))
        {
            var people = await db.Unfiltered<Person>("an import keeps what a file says of its matched pupils where the register holds nothing").Where(p => chunk.Contains(p.Id)).ToListAsync(ct);
            foreach (var person in people)
            {
                var details = wanted[person.Id];
                var changed = false;
                if (person.Sex == Sex.Unknown && details.Sex != Sex.Unknown)
                    (person.Sex, changed) = (details.Sex, true);
                if (person.MiddleNames is null && details.MiddleNames is not null)
                    (person.MiddleNames, changed) = (details.MiddleNames, true);
                if (person.PreferredName is null && details.PreferredForename is not null)
                    (person.PreferredName, changed) = (details.PreferredForename, true);
                if (person.PreferredFamilyName is null && details.PreferredSurname is not null)
                    (person.PreferredFamilyName, changed) = (details.PreferredSurname, true);
                if (changed)
                    Touch(person.Id);
            }
        }
    }

    private readonly Dictionary<string, PupilDetails> detailsByKey = new(StringComparer.Ordinal);

    /// <summary>The file's details of each pupil, by the key the matcher matches on.</summary>
    public void Remember(IEnumerable<PupilRow> rows)
    {
        foreach (var row in rows)
            if (row.Details is { } details)
                detailsByKey.TryAdd(row.Identity.Key, details);
    }

    private PersonIdentifier Upn(Guid personId, string upn) => new()
    {
        PersonId = personId,
        Scheme = IdentifierScheme.Upn,
        Value = upn,
        OwnerOrganisationId = school.Id,
        CategoryCode = RegisterPerson.CategoryOf(IdentifierScheme.Upn),
    };

    private void Touch(Guid personId) => Touched.TryAdd(personId, false);

    private Guid PupilOf(ParsedPupilIdentity identity) => pupils[identity.Key];

    /// <summary>
    /// Adds what is new and updates what differs, by natural key. Two rows of one file that name
    /// the same record (the same pupil twice, once by UPN and once by name) are a problem.
    /// </summary>
    private RecordCounts Merge<TRow, TRecord, TKey>(string label, IEnumerable<TRow> rows, Func<TRow, int> line,
        Func<TRow, TKey> key, IEnumerable<TRecord> existing, Func<TRecord, TKey> existingKey,
        Func<TRow, TRecord> create, Func<TRecord, TRow, bool> update, List<TRecord> added)
        where TKey : notnull
    {
        // Records entered by hand can repeat a key; the first stands for them all, and none is deleted.
        var held = existing.GroupBy(existingKey).ToDictionary(g => g.Key, g => g.First());
        var seen = new Dictionary<TKey, int>();
        int addedCount = 0, changedCount = 0, unchanged = 0;
        foreach (var row in rows)
        {
            var k = key(row);
            if (seen.TryGetValue(k, out var first))
            {
                Problems.Add(new ImportProblem(fileName, line(row), null, $"This row is for the same pupil and {label} as line {first}."));
                continue;
            }
            seen[k] = line(row);
            if (held.TryGetValue(k, out var record))
            {
                if (update(record, row))
                {
                    changedCount++;
                    Touch(PersonOf(record));
                }
                else
                {
                    unchanged++;
                }
            }
            else
            {
                var created = create(row);
                added.Add(created);
                addedCount++;
                Touch(PersonOf(created));
            }
        }
        return new RecordCounts(label, addedCount, changedCount, unchanged);
    }

    private static Guid PersonOf<TRecord>(TRecord record) => record switch
    {
        ValueTuple<AttendanceRecord, int?> year => year.Item1.PersonId,
        ICategorisedRecord r => r.PersonId,
        _ => throw new InvalidOperationException(),
    };

    private static bool Set<T>(ref bool changed, T current, T value, Action<T> assign)
    {
        if (EqualityComparer<T>.Default.Equals(current, value))
            return changed;
        assign(value);
        return changed = true;
    }

    /// <summary>
    /// The characteristics a CTF states (sex, ethnicity, SEN provision, free-school meals) become the
    /// school's pupil characteristics, each change in their history under the file's name. A value the
    /// file does not give leaves the one held (perhaps entered by hand) as it was.
    /// </summary>
    private async Task MergeCharacteristicsAsync(IReadOnlyList<ParsedPupil> matched, CancellationToken ct)
    {
        var held = await db.Unfiltered<PupilCharacteristics>("a CTF's characteristics are compared with those its own school holds")
            .Where(c => c.SchoolId == school.Id).ToDictionaryAsync(c => c.PersonId, ct);
        foreach (var p in matched)
        {
            var personId = pupils[new ParsedPupilIdentity(p.Upn, p.Surname, p.Forename, p.DateOfBirth).Key];
            var current = held.GetValueOrDefault(personId);
            var values = new CharacteristicValues(
                PupilDetails.SexOf(p.Sex),
                p.Ethnicity ?? current?.Ethnicity,
                p.CurrentSenProvision ?? current?.SenProvision,
                p.FsmEligible ?? current?.FsmEligible);
            PupilCharacteristicsRecording.Apply(db, current, personId, school.Id, values, fileName, null, now);
        }
    }

    private async Task<List<Enrolment>> EnrolmentsHeldAsync(CancellationToken ct) =>
        await db.Unfiltered<Enrolment>("an import compares its rows with its own school's records").Where(e => e.SchoolId == school.Id).ToListAsync(ct);

    public async Task<RecordCounts> MergeEnrolmentsAsync(IReadOnlyList<ParsedEnrolment> rows, CancellationToken ct) =>
        Merge("enrolment start date", rows, r => r.Line, r => (PupilOf(r.Pupil), r.StartDate),
            await EnrolmentsHeldAsync(ct), e => (e.PersonId, e.StartDate),
            r => new Enrolment
            {
                PersonId = PupilOf(r.Pupil),
                SchoolId = school.Id,
                StartDate = r.StartDate,
                EndDate = r.EndDate,
                YearGroup = YearGroup(r.YearGroup),
                IsDualRegistration = r.IsDualRegistration,
                EnrolStatus = r.EnrolStatus,
                LeavingReason = r.LeavingReason,
            },
            (e, r) =>
            {
                var changed = false;
                Set(ref changed, e.EndDate, r.EndDate, v => e.EndDate = v);
                Set(ref changed, e.YearGroup, YearGroup(r.YearGroup), v => e.YearGroup = v);
                Set(ref changed, e.IsDualRegistration, r.IsDualRegistration, v => e.IsDualRegistration = v);
                Set(ref changed, e.EnrolStatus, r.EnrolStatus, v => e.EnrolStatus = v);
                // A file without the column leaves the reason held as it is.
                if (r.LeavingReason is not null)
                    Set(ref changed, e.LeavingReason, r.LeavingReason, v => e.LeavingReason = v);
                return changed;
            },
            newEnrolments) with
        { Records = "Enrolments" };

    /// <summary>Year groups 1 to 14 as numbers; reception and nursery (R, N1, N2) are not numbered.</summary>
    internal static int? YearGroup(string? value) => int.TryParse(value, out var n) ? n : null;

    public async Task<RecordCounts> MergeAttendanceAsync(IReadOnlyList<ParsedAttendance> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return new RecordCounts("Attendance periods", 0, 0, 0);
        var from = rows.Min(r => r.PeriodStart);
        var to = rows.Max(r => r.PeriodEnd);
        // Every period held that any row could overlap, not only those it could replace: an overlap would count sessions twice.
        var held = await db.Unfiltered<AttendanceRecord>("an import compares its rows with its own school's records")
            .Where(a => a.SchoolId == school.Id && a.PeriodStart <= to && a.PeriodEnd >= from).ToListAsync(ct);
        RefuseOverlaps(rows, held);
        return Merge("period", rows, r => r.Line, r => (PupilOf(r.Pupil), r.PeriodStart, r.PeriodEnd),
            held, a => (a.PersonId, a.PeriodStart, a.PeriodEnd),
            r => new AttendanceRecord
            {
                PersonId = PupilOf(r.Pupil),
                SchoolId = school.Id,
                PeriodStart = r.PeriodStart,
                PeriodEnd = r.PeriodEnd,
                SessionsPossible = r.SessionsPossible,
                SessionsPresent = r.SessionsPresent,
                AuthorisedAbsence = r.AuthorisedAbsence,
                UnauthorisedAbsence = r.UnauthorisedAbsence,
                CodeCounts = r.CodeCounts.Select(c => new AttendanceCodeCount { Code = c.Code, Sessions = c.Sessions }).ToList(),
                RecordedAt = now,
            },
            (a, r) =>
            {
                var changed = false;
                Set(ref changed, a.SessionsPossible, r.SessionsPossible, v => a.SessionsPossible = v);
                Set(ref changed, a.SessionsPresent, r.SessionsPresent, v => a.SessionsPresent = v);
                Set(ref changed, a.AuthorisedAbsence, r.AuthorisedAbsence, v => a.AuthorisedAbsence = v);
                Set(ref changed, a.UnauthorisedAbsence, r.UnauthorisedAbsence, v => a.UnauthorisedAbsence = v);
                var codes = string.Join(",", r.CodeCounts.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => $"{c.Code}={c.Sessions}"));
                var heldCodes = string.Join(",", a.CodeCounts.OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => $"{c.Code}={c.Sessions}"));
                // A file that gives no codes leaves those already held as they are: an import never deletes what it does not mention.
                if (r.CodeCounts.Count > 0 && codes != heldCodes)
                {
                    a.CodeCounts = r.CodeCounts.Select(c => new AttendanceCodeCount { Code = c.Code, Sessions = c.Sessions }).ToList();
                    changed = true;
                }
                if (changed)
                    a.RecordedAt = now;
                return changed;
            },
            newAttendance) with
        { Records = "Attendance periods" };
    }

    /// <summary>
    /// A pupil's periods at one school may not overlap unless they are the same period (which the
    /// row then replaces): the sessions of the overlapping days would be counted twice in every
    /// figure. Periods at different schools may overlap (dual registration); the person page flags those.
    /// </summary>
    private void RefuseOverlaps(IReadOnlyList<ParsedAttendance> rows, IReadOnlyList<AttendanceRecord> held)
    {
        var heldByPupil = held.ToLookup(a => a.PersonId);
        foreach (var pupil in rows.GroupBy(r => PupilOf(r.Pupil)))
        {
            var mine = pupil.OrderBy(r => r.Line).ToList();
            for (var i = 0; i < mine.Count; i++)
            {
                var row = mine[i];
                var earlier = mine.Take(i).FirstOrDefault(o => Overlaps(o.PeriodStart, o.PeriodEnd, row) && (o.PeriodStart, o.PeriodEnd) != (row.PeriodStart, row.PeriodEnd));
                if (earlier is not null)
                {
                    Problems.Add(new ImportProblem(fileName, row.Line, "column PeriodStart",
                        $"This pupil's period {Period(row.PeriodStart, row.PeriodEnd)} overlaps their period {Period(earlier.PeriodStart, earlier.PeriodEnd)} on line {earlier.Line}: " +
                        "the sessions of the days in both would be counted twice. Give each pupil periods that do not overlap"));
                    continue;
                }
                var stored = heldByPupil[pupil.Key].FirstOrDefault(a => Overlaps(a.PeriodStart, a.PeriodEnd, row) && (a.PeriodStart, a.PeriodEnd) != (row.PeriodStart, row.PeriodEnd)
                    && !mine.Any(o => (o.PeriodStart, o.PeriodEnd) == (a.PeriodStart, a.PeriodEnd)));
                if (stored is not null)
                    Problems.Add(new ImportProblem(fileName, row.Line, "column PeriodStart",
                        $"This pupil's period {Period(row.PeriodStart, row.PeriodEnd)} overlaps the period {Period(stored.PeriodStart, stored.PeriodEnd)} already held for them at this school " +
                        $"(recorded {ImportDates.Describe(DateOnly.FromDateTime(stored.RecordedAt.UtcDateTime))}): the sessions of the days in both would be counted twice. " +
                        $"Send the period as {Period(stored.PeriodStart, stored.PeriodEnd)} to replace what is held, or periods that do not overlap it"));
            }
        }

        static bool Overlaps(DateOnly start, DateOnly end, ParsedAttendance row) => start <= row.PeriodEnd && row.PeriodStart <= end;
        static string Period(DateOnly start, DateOnly end) => $"{ImportDates.Describe(start)} to {ImportDates.Describe(end)}";
    }

    public async Task<RecordCounts> MergeSuspensionsAsync(IReadOnlyList<ParsedSuspension> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return new RecordCounts("Suspensions and permanent exclusions", 0, 0, 0);
        var from = rows.Min(r => r.StartDate);
        var to = rows.Max(r => r.StartDate);
        var held = await db.Unfiltered<Suspension>("an import compares its rows with its own school's records")
            .Where(s => s.SchoolId == school.Id && s.StartDate >= from && s.StartDate <= to).ToListAsync(ct);
        return Merge("start date and kind of exclusion", rows, r => r.Line, r => (PupilOf(r.Pupil), r.StartDate, KindOf(r.Category), r.Category == ParsedExclusionCategory.LunchtimeSuspension),
            held, s => (s.PersonId, s.StartDate, s.Kind, s.IsLunchtime),
            r => new Suspension
            {
                PersonId = PupilOf(r.Pupil),
                SchoolId = school.Id,
                Kind = KindOf(r.Category),
                IsLunchtime = r.Category == ParsedExclusionCategory.LunchtimeSuspension,
                StartDate = r.StartDate,
                Sessions = r.Sessions,
                ReasonCode1 = r.ReasonCodes[0],
                ReasonCode2 = r.ReasonCodes.ElementAtOrDefault(1),
                ReasonCode3 = r.ReasonCodes.ElementAtOrDefault(2),
                Outcome = Enum.Parse<ExclusionOutcome>(r.Outcome.ToString()),
                AlternativeProvisionArranged = r.AlternativeProvisionArranged,
                MissesPublicExamination = r.MissesPublicExamination,
                RecordedAt = now,
            },
            (s, r) =>
            {
                var changed = false;
                Set(ref changed, s.Sessions, r.Sessions, v => s.Sessions = v);
                Set(ref changed, s.ReasonCode1, r.ReasonCodes[0], v => s.ReasonCode1 = v);
                Set(ref changed, s.ReasonCode2, r.ReasonCodes.ElementAtOrDefault(1), v => s.ReasonCode2 = v);
                Set(ref changed, s.ReasonCode3, r.ReasonCodes.ElementAtOrDefault(2), v => s.ReasonCode3 = v);
                Set(ref changed, s.Outcome, Enum.Parse<ExclusionOutcome>(r.Outcome.ToString()), v => s.Outcome = v);
                Set(ref changed, s.AlternativeProvisionArranged, r.AlternativeProvisionArranged, v => s.AlternativeProvisionArranged = v);
                Set(ref changed, s.MissesPublicExamination, r.MissesPublicExamination, v => s.MissesPublicExamination = v);
                return changed;
            },
            newSuspensions) with
        { Records = "Suspensions and permanent exclusions" };
    }

    private static ExclusionKind KindOf(ParsedExclusionCategory category) =>
        category == ParsedExclusionCategory.PermanentExclusion ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension;

    public async Task<RecordCounts> MergeBehaviourAsync(IReadOnlyList<ParsedBehaviour> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
            return new RecordCounts("Behaviour incidents", 0, 0, 0);
        var from = rows.Min(r => r.OccurredOn);
        var to = rows.Max(r => r.OccurredOn);
        var held = await db.Unfiltered<BehaviourIncident>("an import compares its rows with its own school's records")
            .Where(b => b.SchoolId == school.Id && b.OccurredOn >= from && b.OccurredOn <= to).ToListAsync(ct);
        // Several incidents can share a pupil, day and category; only the same description as well makes one record.
        return Merge("date, category and description", rows, r => r.Line, r => (PupilOf(r.Pupil), r.OccurredOn, Enum.Parse<BehaviourCategory>(r.Category), r.Description),
            held.DistinctBy(b => (b.PersonId, b.OccurredOn, b.Category, b.Description)), b => (b.PersonId, b.OccurredOn, b.Category, b.Description),
            r => new BehaviourIncident
            {
                PersonId = PupilOf(r.Pupil),
                SchoolId = school.Id,
                OccurredOn = r.OccurredOn,
                Category = Enum.Parse<BehaviourCategory>(r.Category),
                Severity = r.Severity,
                Description = r.Description,
                RecordedAt = now,
            },
            (b, r) =>
            {
                var changed = false;
                Set(ref changed, b.Severity, r.Severity, v => b.Severity = v);
                return changed;
            },
            newBehaviour) with
        { Records = "Behaviour incidents" };
    }

    /// <summary>
    /// A CTF brings the pupil onto this school's roll (an enrolment with their SEN) and their
    /// attendance years at the partnership's schools; years at schools outside it are counted, not kept.
    /// The enrolment takes the dates the file states for this school (its school history) where it
    /// has them; otherwise it starts on the file's date, and a file from before last academic year
    /// cannot say the pupil is still here, so its enrolment ends with the academic year after the file's.
    /// </summary>
    public async Task<RecordCounts[]> MergeCtfAsync(CtfParseResult ctf, CancellationToken ct)
    {
        var header = ctf.Header!;
        var fileDate = header.CreatedAt is { } created ? DateOnly.FromDateTime(created) : Today;
        var fileYear = header.AcademicYear ?? AcademicYearOf(fileDate);
        DateOnly? staleFrom = new DateOnly(fileYear + 2, 8, 31) is var last && last < Today ? last : null;
        // A pupil waiting for review is not applied at all.
        var matched = ctf.Pupils.Where(p => pupils.ContainsKey(Key(p))).ToList();
        var wanted = matched.ToDictionary(p => pupils[Key(p)], p => EnrolmentHere(p, fileDate, staleFrom));
        var stale = 0;
        // The enrolment a pupil's file is about: the one starting on the date the file states, else the current one.
        var candidates = (await EnrolmentsHeldAsync(ct)).Where(e => wanted.ContainsKey(e.PersonId))
            .GroupBy(e => e.PersonId)
            .Select(g => g.FirstOrDefault(e => e.StartDate == wanted[g.Key].Start) ?? g.FirstOrDefault(e => e.EndDate == null || e.EndDate >= Today))
            .OfType<Enrolment>().ToList();
        var enrolments = Merge("enrolment", matched, p => p.Line, p => pupils[Key(p)],
            candidates, e => e.PersonId,
            p =>
            {
                var (startDate, endDate, _) = wanted[pupils[Key(p)]];
                if (endDate == staleFrom && staleFrom is not null)
                    stale++;
                return new Enrolment
                {
                    PersonId = pupils[Key(p)],
                    SchoolId = school.Id,
                    StartDate = startDate,
                    EndDate = endDate,
                    SenPrimaryNeed = p.SenNeeds.OrderBy(n => n.Rank).FirstOrDefault()?.Type,
                    LeavingReason = LeavingReasonHere(p),
                };
            },
            (e, p) =>
            {
                var changed = false;
                Set(ref changed, e.SenPrimaryNeed, p.SenNeeds.OrderBy(n => n.Rank).FirstOrDefault()?.Type, v => e.SenPrimaryNeed = v);
                // Only a leaving date the file states for this school ends an enrolment already held.
                if (wanted[e.PersonId] is { Stated: true, End: { } leaving })
                {
                    Set(ref changed, e.EndDate, leaving, v => e.EndDate = v);
                    if (LeavingReasonHere(p) is { } reason)
                        Set(ref changed, e.LeavingReason, reason, v => e.LeavingReason = v);
                }
                return changed;
            },
            newEnrolments) with
        { Records = "Enrolments" };
        await MergeCharacteristicsAsync(matched, ct);
        if (stale > 0)
            Notes.Add($"{fileName}: the file is from {fileYear}/{(fileYear + 1) % 100:00} and cannot say that its pupils are still at {school.Name}: the enrolments it added end on {ImportDates.Describe(staleFrom!.Value)}. Import an enrolments file to record who is on the roll now.");

        var dfeNumbers = matched.SelectMany(p => p.Attendance).Where(a => a.Lea is not null && a.Estab is not null).Select(a => a.Lea + a.Estab).Distinct().ToList();
        var schools = await db.Organisations.AsNoTracking()
            .Where(o => o.Type == OrganisationType.School && o.DfeNumber != null && dfeNumbers.Contains(o.DfeNumber))
            .ToDictionaryAsync(o => o.DfeNumber!, o => o.Id, ct);
        var years = matched.SelectMany(p => p.Attendance.Select(a => (Pupil: p, Year: a,
                SchoolId: a.Lea is null || a.Estab is null ? school.Id : schools.GetValueOrDefault(a.Lea + a.Estab)))).ToList();
        var outside = years.Count(y => y.SchoolId == Guid.Empty);
        var kept = years.Where(y => y.SchoolId != Guid.Empty).ToList();
        var personIds = kept.Select(y => pupils[Key(y.Pupil)]).Distinct().ToList();
        var held = new List<AttendanceRecord>();
        foreach (var chunk in personIds.Chunk(1000))
            held.AddRange(await db.Unfiltered<AttendanceRecord>("a CTF's attendance years are compared with those held for its pupils").Where(a => chunk.Contains(a.PersonId)).ToListAsync(ct));
        // A CTF year is one record per pupil, school and academic year; those imported before the year was
        // recorded as such ran from 1 September to 31 August. Periods from attendance files are never matched.
        var heldYears = held.Select(a => (Record: a, Year: a.AcademicYear
                ?? (a.PeriodStart is { Month: 9, Day: 1 } && a.PeriodEnd == new DateOnly(a.PeriodStart.Year + 1, 8, 31) ? a.PeriodStart.Year : (int?)null)))
            .Where(x => x.Year is not null).ToList();
        var attendance = Merge("attendance year", kept, y => y.Pupil.Line,
            y => (pupils[Key(y.Pupil)], y.SchoolId, y.Year.AcademicYear),
            heldYears, x => (x.Record.PersonId, x.Record.SchoolId, x.Year!.Value),
            y =>
            {
                var (from, to) = PeriodOf(y.Pupil, y.Year);
                return (Record: new AttendanceRecord
                {
                    PersonId = pupils[Key(y.Pupil)],
                    SchoolId = y.SchoolId,
                    AcademicYear = y.Year.AcademicYear,
                    PeriodStart = from,
                    PeriodEnd = to,
                    SessionsPossible = y.Year.SessionsPossible,
                    SessionsPresent = y.Year.SessionsAttended,
                    AuthorisedAbsence = y.Year.AuthorisedAbsence,
                    UnauthorisedAbsence = y.Year.UnauthorisedAbsence,
                    MarksStartDate = y.Year.Marks is null ? null : y.Year.MarksStartDate,
                    Marks = y.Year.Marks is null ? null : string.Concat(y.Year.Marks),
                    RecordedAt = now,
                }, Year: (int?)y.Year.AcademicYear);
            },
            (x, y) =>
            {
                var a = x.Record;
                var changed = false;
                var (from, to) = PeriodOf(y.Pupil, y.Year);
                Set(ref changed, a.AcademicYear, y.Year.AcademicYear, v => a.AcademicYear = v);
                Set(ref changed, a.PeriodStart, from, v => a.PeriodStart = v);
                Set(ref changed, a.PeriodEnd, to, v => a.PeriodEnd = v);
                Set(ref changed, a.SessionsPossible, y.Year.SessionsPossible, v => a.SessionsPossible = v);
                Set(ref changed, a.SessionsPresent, y.Year.SessionsAttended, v => a.SessionsPresent = v);
                Set(ref changed, a.AuthorisedAbsence, y.Year.AuthorisedAbsence, v => a.AuthorisedAbsence = v);
                Set(ref changed, a.UnauthorisedAbsence, y.Year.UnauthorisedAbsence, v => a.UnauthorisedAbsence = v);
                // A file without marks leaves those held as they are: an import never deletes what it does not mention.
                if (y.Year.Marks is { } marks)
                {
                    Set(ref changed, a.MarksStartDate, y.Year.MarksStartDate, v => a.MarksStartDate = v);
                    Set(ref changed, a.Marks, string.Concat(marks), v => a.Marks = v);
                }
                if (changed)
                    a.RecordedAt = now;
                return changed;
            },
            newAttendanceYears) with
        { Records = "Attendance years" };
        newAttendance.AddRange(newAttendanceYears.Select(x => x.Record));
        return outside == 0
            ? [enrolments, attendance]
            : [enrolments, attendance, new RecordCounts("Attendance years at schools outside the partnership (not kept)", 0, 0, outside)];

        static string Key(ParsedPupil p) => new ParsedPupilIdentity(p.Upn, p.Surname, p.Forename, p.DateOfBirth).Key;
    }

    private readonly List<(AttendanceRecord Record, int? Year)> newAttendanceYears = [];

    /// <summary>The academic year a day falls in, by the year it starts (2024 for 2024/25), from 1 August as the CTF header counts it.</summary>
    internal static int AcademicYearOf(DateOnly day) => day.Month >= 8 ? day.Year : day.Year - 1;

    /// <summary>
    /// The pupil's enrolment here as the file states it (Stated): the school history's entry for
    /// this school; otherwise from the file's date, ending <paramref name="staleFrom"/> for an old file.
    /// </summary>
    private (DateOnly Start, DateOnly? End, bool Stated) EnrolmentHere(ParsedPupil pupil, DateOnly fileDate, DateOnly? staleFrom)
    {
        var here = HistoryHere(pupil);
        if (here is { EntryDate: { } entry })
            return (entry, here.LeavingDate, true);
        return (fileDate, staleFrom, false);
    }

    private ParsedSchoolHistory? HistoryHere(ParsedPupil pupil) =>
        pupil.Schools.LastOrDefault(h => (h.DfeNumber is not null && h.DfeNumber == school.DfeNumber) || (h.Urn is not null && h.Urn == school.Urn));

    /// <summary>The leaving reason the file gives for this school, only beside a leaving date (a reason alone says nothing has ended).</summary>
    private string? LeavingReasonHere(ParsedPupil pupil) =>
        HistoryHere(pupil) is { LeavingDate: not null, LeavingReason: { Length: > 0 } reason } ? reason[..Math.Min(reason.Length, EnrolmentLimits.LeavingReasonLength)] : null;

    /// <summary>
    /// The days a CTF year covers at its school: from the first to the last marked session where the
    /// marks are given, else the school history's entry and leaving dates within the year, else the whole year.
    /// </summary>
    private static (DateOnly From, DateOnly To) PeriodOf(ParsedPupil pupil, ParsedCtfAttendance year)
    {
        if (year.MarkedDays is { } marked)
            return marked;
        DateOnly from = new(year.AcademicYear, 9, 1), to = new(year.AcademicYear + 1, 8, 31);
        var dfe = year.Lea is null || year.Estab is null ? null : year.Lea + year.Estab;
        if (dfe is not null && pupil.Schools.LastOrDefault(h => h.DfeNumber == dfe) is { } stay)
        {
            if (stay.EntryDate is { } entry && entry > from && entry <= to)
                from = entry;
            if (stay.LeavingDate is { } leaving && leaving >= from && leaving < to)
                to = leaving;
        }
        return (from, to);
    }

    /// <summary>
    /// One transaction (the one the school's import section opened, on SQLite): new rows (by COPY on
    /// PostgreSQL), then the updates the change tracker holds, and any pupils held for review.
    /// </summary>
    public async Task SaveAsync(CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            var tx = db.Database.CurrentTransaction ?? await db.Database.BeginTransactionAsync(ct);
            await using var _ = tx;
            db.Set<PupilMatchReview>().AddRange(newReviews);
            // Rows written by COPY pass the change tracker by, so the context's own rollup upkeep
            // does not see them: what the rows make in the evidence rollups is added here (issue 15).
            var rollups = db.IsPostgres ? await Evidence.ImportRollups.BeforeAsync(db, newPeople, newEnrolments, newSuspensions, ct) : null;
            if (db.IsPostgres)
            {
                var connection = (NpgsqlConnection)db.Database.GetDbConnection();
                await new PostgresBulkWriter<Person>(db).WriteAsync(connection, newPeople, ct);
                await new PostgresBulkWriter<PersonIdentifier>(db).WriteAsync(connection, newIdentifiers, ct);
                await new PostgresBulkWriter<Enrolment>(db).WriteAsync(connection, newEnrolments, ct);
                // Attendance codes live in a table of their own that COPY here does not write: those few rows go through EF.
                await new PostgresBulkWriter<AttendanceRecord>(db).WriteAsync(connection, newAttendance.Where(a => a.CodeCounts.Count == 0), ct);
                db.AttendanceRecords.AddRange(newAttendance.Where(a => a.CodeCounts.Count > 0));
                await new PostgresBulkWriter<Suspension>(db).WriteAsync(connection, newSuspensions, ct);
                await new PostgresBulkWriter<BehaviourIncident>(db).WriteAsync(connection, newBehaviour, ct);
                if (rollups is not null)
                    await rollups.AfterCopyAsync(db, ct);
                await Evidence.OutcomeRollups.AfterCopyAsync(db, newSuspensions.Select(x => x.PersonId).Concat(newAttendance.Select(x => x.PersonId)), newPeople.Select(x => x.Id), ct);
            }
            else
            {
                db.People.AddRange(newPeople);
                db.PersonIdentifiers.AddRange(newIdentifiers);
                db.Enrolments.AddRange(newEnrolments);
                db.AttendanceRecords.AddRange(newAttendance);
                db.Suspensions.AddRange(newSuspensions);
                db.BehaviourIncidents.AddRange(newBehaviour);
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        db.ChangeTracker.Clear();
        // After a large load the planner's statistics say the tables are far smaller than they are,
        // and the next file's queries pick plans that scan; refresh them rather than wait for autovacuum.
        // Only where the rows added are a large share of the table, so that a county's loads analyse
        // a table a handful of times as it grows rather than after every school.
        if (!db.IsPostgres)
            return;
        foreach (var (table, added) in new[] { ("People", newPeople.Count), ("PersonIdentifiers", newIdentifiers.Count), ("Enrolments", newEnrolments.Count),
            ("AttendanceRecords", newAttendance.Count), ("Suspensions", newSuspensions.Count), ("BehaviourIncidents", newBehaviour.Count) })
        {
            if (added < AnalyseAfterRows)
                continue;
            var estimate = await db.RawSql<float>("the planner's row estimate of a table, no person-level data", $"SELECT reltuples AS \"Value\" FROM pg_class WHERE relname = {table}").FirstOrDefaultAsync(ct);
            if (added > 0.25 * Math.Max(estimate, 0))
                await db.Database.ExecuteSqlRawAsync(string.Concat("ANALYZE \"", table, "\""), ct); // a table name of ours, never input
        }
    }
}
