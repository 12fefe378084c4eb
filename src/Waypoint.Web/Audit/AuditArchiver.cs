using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Audit;

/// <summary>What one archive run did: the months it sealed and moved.</summary>
public sealed record AuditArchiveRun(IReadOnlyList<AuditPeriod> Archived)
{
    public long Entries => Archived.Sum(p => p.Count);
}

/// <summary>Why a month's disposal was refused, in words for the DPO.</summary>
public sealed class AuditDisposalRefused(string reason) : Exception(reason);

/// <summary>
/// Keeps the live audit log the size of the months in use (issue 16, item 6). Whole calendar
/// months older than <see cref="AuditOptions.KeepLiveMonths"/> are moved, oldest first and one
/// month to a transaction, into the archive table with a seal made with the audit key (ids, count,
/// first and last hash), and the move is itself an entry in the chain. A month past the audit's
/// retention period is disposed of the same way: its archived entries removed, its seal and the
/// chained record of the disposal kept, so the chain still verifies from the first entry kept.
/// On PostgreSQL both run as the owner role when one is configured: the app's own role may only
/// insert into and read the audit tables.
/// </summary>
public sealed class AuditArchiver(
    IServiceScopeFactory scopes, IConfiguration config, AuditChain chain, AuditKeys keys, AuditAnchors anchors,
    IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditArchiver> log)
{
    /// <summary>The first month that stays live today: months before it may be archived.</summary>
    public DateOnly FirstLiveMonth()
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return new DateOnly(today.Year, today.Month, 1).AddMonths(-options.Value.KeepLiveMonths);
    }

    /// <summary>Archives every whole month before <see cref="FirstLiveMonth"/> (or <paramref name="before"/>, never later than the month in progress).</summary>
    /// <remarks><paramref name="by"/> is who asked (the DPO on the page); null for the nightly run and operators, recorded as the system.</remarks>
    public async Task<AuditArchiveRun> ArchiveAsync(Reader? by = null, DateOnly? before = null, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var thisMonth = new DateOnly(today.Year, today.Month, 1);
        var limit = before is { } b ? new DateOnly(b.Year, b.Month, 1) : FirstLiveMonth();
        if (limit > thisMonth)
            limit = thisMonth;
        var end = new DateTimeOffset(limit.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var archived = new List<AuditPeriod>();
        while (await ArchiveOldestMonthAsync(by, end, ct) is { } period)
        {
            archived.Add(period);
            log.LogInformation("Audit month {Month} archived: {Count} entries, ids {FirstId}-{LastId}", period.Month.ToString("yyyy-MM"), period.Count, period.FirstId, period.LastId);
        }
        return new AuditArchiveRun(archived);
    }

    private async Task<AuditPeriod?> ArchiveOldestMonthAsync(Reader? asked, DateTimeOffset end, CancellationToken ct)
    {
        await using var writer = OpenWriter();
        var db = writer.Db;
        var by = asked ?? writer.SystemReader;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditChain.LockAsync(db, ct);
        var first = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).Select(a => new { a.Id, a.OccurredAt, a.PreviousHash }).FirstOrDefaultAsync(ct);
        if (first is null || first.OccurredAt >= end)
            return null;
        var month = new DateOnly(first.OccurredAt.UtcDateTime.Year, first.OccurredAt.UtcDateTime.Month, 1);
        var monthEnd = new DateTimeOffset(month.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (monthEnd > end)
            monthEnd = end;
        // The chain's order is the ids'; a month is the run of ids written before its end.
        var lastId = await LastIdBeforeAsync(db, monthEnd, ct);
        var lastEntry = await db.AuditEntries.AsNoTracking().Where(a => a.Id == lastId).Select(a => new { a.Id, a.Hash }).FirstAsync(ct);
        var count = await db.AuditEntries.LongCountAsync(a => a.Id >= first.Id && a.Id <= lastEntry.Id, ct);
        var sealedBefore = await db.AuditPeriods.AsNoTracking().OrderByDescending(p => p.LastId).Select(p => new { p.LastId, p.LastHash }).FirstOrDefaultAsync(ct);
        if (sealedBefore is not null && (sealedBefore.LastId >= first.Id || sealedBefore.LastHash != first.PreviousHash))
            throw new InvalidOperationException($"The oldest live audit entry ({first.Id}) does not follow the last archived month: verify the audit log before archiving.");
        if (await db.AuditPeriods.AnyAsync(p => p.Month == month, ct))
            throw new InvalidOperationException($"Audit entry {first.Id} is dated {first.OccurredAt:yyyy-MM-dd}, in a month already archived: the server's clock went back. Nothing was archived.");

        var now = Truncated(clock.GetUtcNow());
        var period = new AuditPeriod
        {
            Month = month,
            FirstId = first.Id,
            LastId = lastEntry.Id,
            Count = count,
            PreviousHash = first.PreviousHash,
            LastHash = lastEntry.Hash,
            ArchivedAt = now,
            Seal = "",
        };
        period.Seal = keys.Sign(period.Canonical);
        db.AuditPeriods.Add(period);
        var head = await chain.AppendInTransactionAsync(db,
            [new AuditRow(new AuditEvent(null, AuditAction.Update, $"audit.archive {month:yyyy-MM}: entries {first.Id}-{lastEntry.Id} ({count})", Basis(by)), by, "system")],
            db.SaveChangesAsync, ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "AuditArchive" ("Id", "OccurredAt", "UserId", "OrganisationId", "PersonId", "Action", "Subject", "Basis", "Channel", "PreviousHash", "Hash")
            SELECT "Id", "OccurredAt", "UserId", "OrganisationId", "PersonId", "Action", "Subject", "Basis", "Channel", "PreviousHash", "Hash"
            FROM "AuditEntries" WHERE "Id" >= {first.Id} AND "Id" <= {lastEntry.Id}
            """, ct);
        var removed = await db.Database.ExecuteSqlAsync($"""DELETE FROM "AuditEntries" WHERE "Id" >= {first.Id} AND "Id" <= {lastEntry.Id}""", ct);
        if (removed != count)
            throw new InvalidOperationException($"Archiving {month:yyyy-MM} moved {removed} entries where {count} were counted; nothing was archived.");
        await tx.CommitAsync(ct);
        anchors.Offer(head);
        return period;
    }

    /// <summary>
    /// The last id written before <paramref name="end"/>, read through the time index over the month
    /// (older months are already gone from the live log). Left to itself PostgreSQL answers
    /// "newest id before a time" by walking the primary key back from the head of the log, past
    /// every newer entry: 19% of a 5-million run and growing with the log. The OFFSET 0 fence keeps
    /// the scan on the month's own entries.
    /// </summary>
    private static async Task<long> LastIdBeforeAsync(WaypointDbContext db, DateTimeOffset end, CancellationToken ct) => db.IsPostgres
        ? await db.RawSql<long>("audit archive: the last entry of the month being moved, read through the time index",
            $"SELECT max(t.\"Id\") AS \"Value\" FROM (SELECT \"Id\" FROM \"AuditEntries\" WHERE \"OccurredAt\" < {end} OFFSET 0) AS t").SingleAsync(ct)
        : await db.AuditEntries.Where(a => a.OccurredAt < end).MaxAsync(a => a.Id, ct);

    /// <summary>Whether a month is past the audit's retention period today, and the day it gets there.</summary>
    public static DateOnly DueOn(AuditPeriod period, RetentionSchedule schedule) => schedule.DueOn(period.Month.AddMonths(1).AddDays(-1));

    /// <summary>
    /// Removes an archived month's entries under the audit retention schedule: refused before the
    /// month is due or while a legal hold stands. The seal stays, and the chain records the disposal.
    /// </summary>
    public async Task<AuditPeriod> DisposeAsync(Guid periodId, Reader? asked, CancellationToken ct = default)
    {
        await using var writer = OpenWriter();
        var db = writer.Db;
        var by = asked ?? writer.SystemReader;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await AuditChain.LockAsync(db, ct);
        var period = await db.AuditPeriods.FirstOrDefaultAsync(p => p.Id == periodId, ct)
            ?? throw new AuditDisposalRefused("No archived audit month has this id.");
        if (period.DisposedAt is not null)
            throw new AuditDisposalRefused($"The audit entries of {period.Label} were disposed of on {period.DisposedAt:d MMMM yyyy}.");
        var schedule = await db.Set<RetentionSchedule>().AsNoTracking().FirstOrDefaultAsync(s => s.RecordType == RetentionRecordType.Audit, ct)
            ?? throw new AuditDisposalRefused("The partnership has no retention period for the audit: set one before disposing of audit entries.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (DueOn(period, schedule) > today)
            throw new AuditDisposalRefused($"The audit entries of {period.Label} are kept until {DueOn(period, schedule):d MMMM yyyy} under the retention schedule.");
        if (await db.Set<LegalHold>().AnyAsync(h => h.RecordType == RetentionRecordType.Audit && h.RecordId == period.Id && h.LiftedAt == null, ct))
            throw new AuditDisposalRefused($"The audit entries of {period.Label} are under a legal hold: lift it before disposing of them.");

        period.DisposedAt = Truncated(clock.GetUtcNow());
        var head = await chain.AppendInTransactionAsync(db,
            [new AuditRow(new AuditEvent(null, AuditAction.Delete, period.DisposalSubject, Basis(by) + "; audit retention schedule"), by, "system")],
            db.SaveChangesAsync, ct);
        var removed = await db.Database.ExecuteSqlAsync($"""DELETE FROM "AuditArchive" WHERE "Id" >= {period.FirstId} AND "Id" <= {period.LastId}""", ct);
        if (removed != period.Count)
            throw new InvalidOperationException($"Disposing of {period.Label} would remove {removed} entries where its seal records {period.Count}: the archive does not verify, nothing was removed.");
        await tx.CommitAsync(ct);
        anchors.Offer(head);
        log.LogInformation("Audit month {Month} disposed of under the retention schedule: {Count} entries", period.Month.ToString("yyyy-MM"), period.Count);
        return period;
    }

    private static string Basis(Reader by) => by.IsSystem ? "daily audit archive run" : "data-protection officer";

    private static DateTimeOffset Truncated(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);

    /// <summary>The owner role's context on PostgreSQL when one is configured, else the app's own (as the system).</summary>
    private Writer OpenWriter()
    {
        var scope = scopes.CreateSystemScope("audit archive: moves and seals whole months of the log, whoever wrote them");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var owner = config.GetConnectionString(DatabaseInitialiser.OwnerConnectionStringName);
        if (!db.IsPostgres || string.IsNullOrWhiteSpace(owner))
            return new Writer(db, scope, null);
        var builder = new DbContextOptionsBuilder<PostgresWaypointDbContext>();
        DatabaseServices.Configure(builder.UseNpgsql(DatabaseServices.PostgresConnectionString(owner)));
        var asOwner = new PostgresWaypointDbContext(builder.Options, scope.ServiceProvider.GetRequiredService<ReaderContext>(), clock);
        return new Writer(asOwner, scope, asOwner);
    }

    private sealed class Writer(WaypointDbContext db, AsyncServiceScope scope, WaypointDbContext? own) : IAsyncDisposable
    {
        public WaypointDbContext Db => db;

        /// <summary>The system reader of the scope the writer was opened in.</summary>
        public Reader SystemReader => scope.ServiceProvider.GetRequiredService<ReaderContext>().Current;

        public async ValueTask DisposeAsync()
        {
            if (own is not null)
                await own.DisposeAsync();
            await scope.DisposeAsync();
        }
    }
}

/// <summary>Once a day (<c>Audit:ArchiveRunAt</c>): archives the months past <c>Audit:KeepLiveMonths</c>.</summary>
public sealed class DailyAuditArchiveRun(AuditArchiver archiver, IOptions<AuditOptions> options, TimeProvider clock, ILogger<DailyAuditArchiveRun> log)
    : Shell.DailyJob(clock, log)
{
    protected override TimeOnly? RunAt => options.Value.ArchiveAt;

    protected override string Name => "Daily audit archive run (the log stays as it was)";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var run = await archiver.ArchiveAsync(ct: ct);
        Log.LogInformation("Daily audit archive run: {Months} months, {Entries} entries archived", run.Archived.Count, run.Entries);
    }
}
