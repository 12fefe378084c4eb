using Microsoft.EntityFrameworkCore;
using Npgsql;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>
/// Apps for the tests that rewrite the audit log: anchored every hour, so that the background
/// writer never anchors a state a test is about to put back (tests anchor when they mean to).
/// </summary>
public sealed class AuditSqliteApp() : WaypointApp(DatabaseKind.Sqlite)
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Audit:AnchorInterval", "01:00:00")];
}

public sealed class AuditPostgresApp() : WaypointApp(DatabaseKind.Postgres)
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Audit:AnchorInterval", "01:00:00")];
}

/// <summary>
/// What an attacker with the database (but not the audit key) can do to the log: on PostgreSQL as
/// the owner role, who may disable the append-only triggers; on SQLite by dropping them. Each
/// tampering test puts the log back afterwards, so the chain is whole again for the next test.
/// </summary>
internal static class AuditTampering
{
    public static async Task WithoutTriggersAsync(WaypointApp app, Func<WaypointDbContext, Task> change)
    {
        if (app.Kind == DatabaseKind.Postgres)
        {
            var options = new DbContextOptionsBuilder<PostgresWaypointDbContext>().UseNpgsql(app.OwnerConnectionString).Options;
            await using var db = new PostgresWaypointDbContext(options, new Waypoint.Access.ReaderContext(), TimeProvider.System);
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER");
            await change(db);
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditEntries\" ENABLE TRIGGER USER");
            await tx.CommitAsync();
            return;
        }
        await app.AsSystemAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_no_update");
            await db.Database.ExecuteSqlRawAsync("DROP TRIGGER audit_no_delete");
            await change(db);
            await db.Database.ExecuteSqlRawAsync(AuditProtectionSql.SqliteLiveNoUpdate);
            await db.Database.ExecuteSqlRawAsync(AuditProtectionSql.SqliteLiveNoDelete);
            await tx.CommitAsync();
        });
    }

    /// <summary>As <see cref="WithoutTriggersAsync"/>, for the archive and its months' seals.</summary>
    public static async Task WithoutArchiveTriggersAsync(WaypointApp app, Func<WaypointDbContext, Task<int>> change)
    {
        if (app.Kind == DatabaseKind.Postgres)
        {
            var options = new DbContextOptionsBuilder<PostgresWaypointDbContext>().UseNpgsql(app.OwnerConnectionString).Options;
            await using var db = new PostgresWaypointDbContext(options, new Waypoint.Access.ReaderContext(), TimeProvider.System);
            await using var tx = await db.Database.BeginTransactionAsync();
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditArchive\" DISABLE TRIGGER USER; ALTER TABLE \"AuditPeriods\" DISABLE TRIGGER USER");
            await change(db);
            await db.Database.ExecuteSqlRawAsync("ALTER TABLE \"AuditArchive\" ENABLE TRIGGER USER; ALTER TABLE \"AuditPeriods\" ENABLE TRIGGER USER");
            await tx.CommitAsync();
            return;
        }
        await app.AsSystemAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            foreach (var drop in AuditProtectionSql.SqliteArchiveTriggerDrops)
                await db.Database.ExecuteSqlRawAsync(drop);
            await change(db);
            foreach (var sql in AuditProtectionSql.SqliteArchiveTriggers)
                await db.Database.ExecuteSqlRawAsync(sql);
            await tx.CommitAsync();
        });
    }

    /// <summary>Runs SQL as the owner role (PostgreSQL) or the app (SQLite, which has no roles).</summary>
    public static async Task AsOwnerAsync(WaypointApp app, string sql)
    {
        if (app.Kind == DatabaseKind.Postgres)
        {
            await using var conn = new NpgsqlConnection(app.OwnerConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
            return;
        }
        await app.AsSystemAsync(db => db.Database.ExecuteSqlRawAsync(sql));
    }

    public static Task<List<AuditEntry>> RowsFromAsync(WaypointApp app, long fromId) =>
        app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.Id >= fromId).OrderBy(a => a.Id).ToListAsync());

    /// <summary>Puts the log back as it was from <paramref name="fromId"/> on, and forgets the anchors written meanwhile.</summary>
    public static async Task RestoreAsync(WaypointApp app, long fromId, IReadOnlyList<AuditEntry> rows)
    {
        await WithoutTriggersAsync(app, db => db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" >= {fromId}"));
        await app.AsSystemAsync(async db =>
        {
            db.AuditEntries.AddRange(rows.Select(r => new AuditEntry
            {
                Id = r.Id,
                OccurredAt = r.OccurredAt,
                UserId = r.UserId,
                OrganisationId = r.OrganisationId,
                PersonId = r.PersonId,
                Action = r.Action,
                Subject = r.Subject,
                Basis = r.Basis,
                Channel = r.Channel,
                PreviousHash = r.PreviousHash,
                Hash = r.Hash,
            }));
            await db.SaveChangesAsync();
        });
        ForgetAnchors(app);
    }

    public static void ForgetAnchors(WaypointApp app)
    {
        foreach (var file in Directory.EnumerateFiles(app.DataFolder, "audit-anchors*"))
            File.Delete(file);
    }

    /// <summary>Rewrites the hashes from <paramref name="fromId"/> on so that every link holds again, as someone without the key can: plain SHA-256, or an HMAC under a key of their own.</summary>
    public static async Task RecomputeFromAsync(WaypointDbContext db, long fromId, AuditKeys? attackersKey)
    {
        var previous = await db.AuditEntries.AsNoTracking().Where(a => a.Id < fromId).OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync() ?? AuditChain.Genesis;
        foreach (var row in await db.AuditEntries.AsNoTracking().Where(a => a.Id >= fromId).OrderBy(a => a.Id).ToListAsync())
        {
            row.PreviousHash = previous;
            row.Hash = attackersKey is null ? AuditChain.UnkeyedHash(row) : attackersKey.Sign(AuditChain.Canonical(row));
            await db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"PreviousHash\" = {row.PreviousHash}, \"Hash\" = {row.Hash} WHERE \"Id\" = {row.Id}");
            previous = row.Hash;
        }
    }

    public static AuditKeys SomeoneElsesKey() => new(new AuditKey(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), []);
}
