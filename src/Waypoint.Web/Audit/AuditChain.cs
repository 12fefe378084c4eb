using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>One row to add to the chain, with who did it and through which channel, as seen when it was recorded.</summary>
internal sealed record AuditRow(AuditEvent Event, Reader Reader, string Channel);

/// <summary>The head of the chain: its last entry.</summary>
public sealed record AuditHead(long Id, string Hash);

/// <summary>
/// Extends the chain inside a transaction the caller holds, so that a write and its audit rows
/// commit together. Appends are serialised: an advisory lock on PostgreSQL (held to the end of the
/// transaction), the write lock of SQLite's immediate transaction; so several app instances extend
/// one chain. Each entry's hash is an HMAC with a key the database does not hold. Reads are
/// appended through <see cref="AuditAppender"/>, which gathers the requests of the moment into one
/// such transaction.
/// </summary>
public sealed class AuditChain(AuditKeys keys, TimeProvider clock)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private const long ChainLockKey = 0x5741_5950_4F49_4E54; // "WAYPOINT"
    private const int BulkFrom = 200;

    /// <summary>
    /// Rows from which COPY is used when the context has nothing else to save (the read audit's own appends): a hub
    /// queue's 50 rows were 50 INSERTs tracked, generated and read back by EF (issue 18); COPY writes them in the same order.
    /// </summary>
    private const int BulkAloneFrom = 4;

    public AuditKeys Keys => keys;

    /// <summary>Takes the chain's lock, reads the head and inserts the rows after it. <paramref name="save"/> saves the context's pending changes.</summary>
    internal async Task<AuditHead> AppendInTransactionAsync(WaypointDbContext db, IReadOnlyList<AuditRow> rows, Func<CancellationToken, Task<int>> save, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Audit rows are appended inside the transaction of the change they record.");
        var previous = (db.IsPostgres
            ? await LockAndReadHeadAsync(db, ct)
            : await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct)) ?? Genesis;
        var now = clock.GetUtcNow();
        // Truncated to microseconds: PostgreSQL keeps no more, and the hash must survive a round trip.
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var entries = new List<AuditEntry>(rows.Count);
        foreach (var (e, reader, channel) in rows)
        {
            var entry = new AuditEntry
            {
                OccurredAt = now,
                UserId = reader.IsSystem ? null : reader.UserId,
                OrganisationId = reader.IsSystem ? null : reader.OrganisationId,
                PersonId = e.PersonId,
                Action = e.Action,
                Subject = Truncate(e.Subject, 200),
                Basis = Truncate(e.Basis, 200),
                Channel = channel,
                PreviousHash = previous,
                Hash = "",
            };
            entry.Hash = keys.Sign(Canonical(entry));
            previous = entry.Hash;
            entries.Add(entry);
        }
        // A school import audits every pupil it touched: tens of thousands of rows, which COPY
        // writes in the chain's order at a fraction of the cost of single inserts.
        if (db.IsPostgres && (entries.Count >= BulkFrom || (entries.Count >= BulkAloneFrom && !db.ChangeTracker.HasChanges())))
        {
            await new PostgresBulkWriter<AuditEntry>(db).WriteAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), entries, ct);
            var id = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Select(a => a.Id).FirstAsync(ct);
            return new AuditHead(id, previous);
        }
        db.AuditEntries.AddRange(entries);
        try
        {
            await save(ct);
        }
        finally
        {
            foreach (var entry in entries)
                db.Entry(entry).State = EntityState.Detached;
        }
        return new AuditHead(entries[^1].Id, previous);
    }

    /// <summary>Takes the chain's lock for the caller's transaction (PostgreSQL; SQLite's immediate transaction holds its write lock already).</summary>
    internal static async Task LockAsync(WaypointDbContext db, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("The chain's lock is held to the end of a transaction: begin one first.");
        if (db.IsPostgres)
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", ct);
    }

    /// <summary>
    /// Takes the chain's lock and reads the head in one round trip: the lock is held to the end of
    /// the transaction, so every round trip here is one that every other append waits for. The
    /// head is read by a statement of its own, whose snapshot is taken once the lock is granted
    /// (in one statement it would be taken before, and could miss the entry the lock waited for).
    /// </summary>
    private static async Task<string?> LockAndReadHeadAsync(WaypointDbContext db, CancellationToken ct)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new Npgsql.NpgsqlBatch(connection)
        {
            Transaction = (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
            BatchCommands =
            {
                new Npgsql.NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({ChainLockKey})"),
                new Npgsql.NpgsqlBatchCommand("""SELECT "Hash" FROM "AuditEntries" ORDER BY "Id" DESC LIMIT 1"""),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? reader.GetString(0) : null;
    }

    /// <summary>The fields an entry's hash covers, in a fixed order and format; the previous hash chains it.</summary>
    public static string Canonical(AuditEntry e) => string.Join('\u001f',
        e.PreviousHash,
        e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
        e.UserId?.ToString("N") ?? "",
        e.OrganisationId?.ToString("N") ?? "",
        e.PersonId?.ToString("N") ?? "",
        e.Action.ToString(),
        e.Subject,
        e.Basis,
        e.Channel ?? "");

    /// <summary>The unkeyed SHA-256 of entries written before the chain was keyed: accepted only before the first keyed entry.</summary>
    public static string UnkeyedHash(AuditEntry e) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Canonical(e))));

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
