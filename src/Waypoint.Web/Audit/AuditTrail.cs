using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>What to record; the trail adds the time, the reader and the chain.</summary>
public sealed record AuditEvent(Guid? PersonId, AuditAction Action, string Subject, string Basis);

/// <summary>
/// Appends to the hash-chained audit log. Each row's hash covers its content and the previous
/// row's hash, so changing or removing any row breaks every link after it. Appends are
/// serialised (an advisory lock on PostgreSQL, an immediate transaction on SQLite) so that
/// several app instances extend one chain. Writes go through their own DbContext so that an
/// audit row survives whatever the request does next.
/// Within a web request the events are gathered and appended in one transaction just before the
/// response starts: nothing reaches the user before its audit rows are stored (a failed append
/// fails the response), and a page that reads a person and lists their family pays for one
/// serialised append instead of several.
/// </summary>
public sealed class AuditTrail(IServiceScopeFactory scopes, ReaderContext readerContext, TimeProvider clock, IHttpContextAccessor http)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private const long ChainLockKey = 0x5741_5950_4F49_4E54; // "WAYPOINT"
    private const int BulkFrom = 200;

    public Task RecordAsync(AuditEvent e, CancellationToken ct = default) => RecordAsync([e], ct);

    private readonly List<AuditEvent> pending = [];
    private bool flushRegistered;

    public async Task RecordAsync(IReadOnlyCollection<AuditEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0)
            return;
        var response = http.HttpContext?.Response;
        if (response is null || response.HasStarted)
        {
            await AppendAsync(events, ct);
            return;
        }
        pending.AddRange(events);
        if (!flushRegistered)
        {
            flushRegistered = true;
            response.OnStarting(FlushAsync);
        }
    }

    private async Task FlushAsync()
    {
        if (pending.Count == 0)
            return;
        var events = pending.ToList();
        pending.Clear();
        await AppendAsync(events, CancellationToken.None);
    }

    private async Task AppendAsync(IReadOnlyCollection<AuditEvent> events, CancellationToken ct)
    {
        var reader = readerContext.Current;
        var channel = http.HttpContext?.Request.Path.StartsWithSegments("/api") == true ? "api" : http.HttpContext is null ? "system" : "ui";
        var now = clock.GetUtcNow();
        // Truncated to microseconds: PostgreSQL keeps no more, and the hash must survive a round trip.
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);

        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres)
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ChainLockKey})", ct);
            var previous = await db.AuditEntries.OrderByDescending(a => a.Id).Select(a => a.Hash).FirstOrDefaultAsync(ct) ?? Genesis;
            var entries = new List<AuditEntry>(events.Count);
            foreach (var e in events)
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
                entry.Hash = ComputeHash(entry);
                previous = entry.Hash;
                entries.Add(entry);
            }
            // A school import audits every pupil it touched: tens of thousands of rows, which COPY
            // writes in the chain's order at a fraction of the cost of single inserts.
            if (db.IsPostgres && entries.Count >= BulkFrom)
                await new PostgresBulkWriter<AuditEntry>(db).WriteAsync((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(), entries, ct);
            else
                db.AuditEntries.AddRange(entries);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        });
    }

    /// <summary>SHA-256 over the previous hash and every field, in a fixed order and format.</summary>
    public static string ComputeHash(AuditEntry e)
    {
        var canonical = string.Join('\u001f',
            e.PreviousHash,
            e.OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            e.UserId?.ToString("N") ?? "",
            e.OrganisationId?.ToString("N") ?? "",
            e.PersonId?.ToString("N") ?? "",
            e.Action.ToString(),
            e.Subject,
            e.Basis,
            e.Channel ?? "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
