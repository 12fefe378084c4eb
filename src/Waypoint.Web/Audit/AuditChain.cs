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
        var entries = Sign(rows, previous);
        previous = entries[^1].Hash;
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

    /// <summary>The rows as entries chained after <paramref name="previous"/>, each signed with the audit key, all at one moment.</summary>
    private List<AuditEntry> Sign(IReadOnlyList<AuditRow> rows, string previous)
    {
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
        return entries;
    }

    /// <summary>
    /// PostgreSQL, in one round trip and one implicit transaction (a batch of two statements): takes the chain's lock, then
    /// inserts the rows, chained after <paramref name="expected"/>, only if that is still the head — a statement of its own,
    /// so its snapshot is taken once the lock is granted and sees any entry the lock waited for. The rows are signed
    /// before they are sent, as in <see cref="AppendInTransactionAsync"/>; the database only decides whether they follow
    /// the head. Returns the new head, or null when another writer extended the chain since (nothing was inserted: the
    /// caller appends the usual way, reading the head under the lock). The read audit's appender calls this with the head
    /// it wrote last, so a page's read audit costs one round trip instead of three (BEGIN with the lock and the head, the
    /// INSERT, the COMMIT) while the lock is held.
    /// </summary>
    internal async Task<AuditHead?> TryAppendAfterAsync(Npgsql.NpgsqlConnection connection, IReadOnlyList<AuditRow> rows, AuditHead expected, CancellationToken ct)
    {
        var entries = Sign(rows, expected.Hash);
        await using var batch = new Npgsql.NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new Npgsql.NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({ChainLockKey})"),
                new Npgsql.NpgsqlBatchCommand($"""
                    INSERT INTO "AuditEntries" ("OccurredAt", "UserId", "OrganisationId", "PersonId", "Action", "Subject", "Basis", "Channel", "PreviousHash", "Hash")
                    SELECT $1, r.u, r.o, r.p, r.a, r.s, r.b, r.c, r.ph, r.h
                    FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                        WITH ORDINALITY AS r(u, o, p, a, s, b, c, ph, h, n)
                    WHERE COALESCE((SELECT "Hash" FROM "AuditEntries" ORDER BY "Id" DESC LIMIT 1), '{Genesis}') = $11
                    ORDER BY r.n
                    RETURNING "Id"
                    """)
                {
                    Parameters =
                    {
                        new Npgsql.NpgsqlParameter { Value = entries[0].OccurredAt },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.UserId).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.OrganisationId).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.PersonId).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.Action.ToString()).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.Subject).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.Basis).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.Channel).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.PreviousHash).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = entries.Select(x => x.Hash).ToArray() },
                        new Npgsql.NpgsqlParameter { Value = expected.Hash },
                    },
                },
            },
        };
        long? last = null;
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                last = Math.Max(last ?? long.MinValue, reader.GetInt64(0));
        }
        return last is { } id ? new AuditHead(id, entries[^1].Hash) : null;
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
