using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>
/// The outcome of a check: intact, or the first broken entry and what is wrong with it.
/// <paramref name="UnkeyedEntries"/> counts entries from before the chain was keyed (accepted only
/// at its start); <paramref name="LastAnchor"/> is the newest anchor read from outside the database.
/// </summary>
public sealed record ChainVerification(
    bool IsIntact, long EntriesChecked, long? FirstBrokenId, string? Problem,
    long UnkeyedEntries = 0, int AnchorsChecked = 0, AuditAnchor? LastAnchor = null, int AnchorsUnverifiable = 0);

/// <summary>
/// Walks the audit chain in order and names the first entry that does not hold: one that does not
/// follow the entry before it, whose keyed hash does not match its content (changed, or written
/// without the key), or that differs from an anchor; then checks that nothing anchored is missing
/// (a cut tail). Without the key a rewritten chain cannot be made to verify.
/// </summary>
public static class AuditChainVerifier
{
    /// <summary>With this app's keys and anchor file (the context must come from the app's container).</summary>
    public static async Task<ChainVerification> VerifyAsync(WaypointDbContext db, CancellationToken ct = default)
    {
        var services = db.GetService<Microsoft.EntityFrameworkCore.Infrastructure.IDbContextOptions>()
            .FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()?.ApplicationServiceProvider
            ?? throw new InvalidOperationException("This context was not made by the app's container: pass the audit keys and anchors.");
        return await VerifyAsync(db, services.GetRequiredService<AuditKeys>(), await services.GetRequiredService<AuditAnchors>().ReadAsync(ct), ct);
    }

    public static async Task<ChainVerification> VerifyAsync(WaypointDbContext db, AuditKeys keys, AnchorFile anchors, CancellationToken ct = default)
    {
        // The newest anchor of each entry id; they are checked as the walk reaches them.
        var anchoredAt = anchors.Anchors.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.MaxBy(a => a.At)!);
        var last = anchors.Anchors.OrderBy(a => a.Id).ThenBy(a => a.At).LastOrDefault();
        var anchoredSeen = new HashSet<long>();
        var previous = AuditChain.Genesis;
        long checkedCount = 0, unkeyed = 0, upToLastAnchor = 0, lastId = 0;
        var keyedSeen = false;
        ChainVerification Broken(long id, string problem) =>
            new(false, checkedCount, id, problem, unkeyed, anchors.Anchors.Count, last, anchors.Unverifiable);

        const int batch = 5000;
        while (true)
        {
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(batch).ToListAsync(ct);
            if (rows.Count == 0)
                break;
            foreach (var row in rows)
            {
                if (row.PreviousHash != previous)
                    return Broken(row.Id, $"Entry {row.Id} does not follow the entry before it (a row was removed, inserted or re-ordered).");
                switch (keys.Check(row.Hash, AuditChain.Canonical(row)))
                {
                    case KeyedHashCheck.Valid:
                        keyedSeen = true;
                        break;
                    case KeyedHashCheck.Mismatch:
                        return Broken(row.Id, $"Entry {row.Id} was changed after it was written, or written without the audit key (its content no longer matches its keyed hash).");
                    case KeyedHashCheck.UnknownKey:
                        return Broken(row.Id, $"Entry {row.Id} claims audit key {AuditKeys.KeyIdOf(row.Hash)}, which this server does not hold: a forged entry, or a retired key missing from Audit:PreviousKeys.");
                    case KeyedHashCheck.NotKeyed when keyedSeen:
                        return Broken(row.Id, $"Entry {row.Id} has no keyed hash although entries before it have: it was written or rewritten without the audit key.");
                    case KeyedHashCheck.NotKeyed when AuditChain.UnkeyedHash(row) != row.Hash:
                        return Broken(row.Id, $"Entry {row.Id} was changed after it was written (its content no longer matches its hash).");
                    case KeyedHashCheck.NotKeyed:
                        unkeyed++;
                        break;
                }
                var anchor = anchoredAt.GetValueOrDefault(row.Id);
                if (anchor is not null && anchor.Hash != row.Hash)
                    return Broken(row.Id, $"Entry {row.Id} differs from the anchor written outside the database at {anchor.At:yyyy-MM-dd HH:mm:ss} UTC: the log was rewritten from this entry on.");
                previous = row.Hash;
                lastId = row.Id;
                if (anchor is not null)
                    anchoredSeen.Add(row.Id);
                checkedCount++;
                if (last is not null && row.Id <= last.Id)
                    upToLastAnchor++;
            }
        }

        // An anchored entry that is gone, with entries after it: removed, and the chain mended around it.
        if (anchoredAt.Keys.Where(id => id <= lastId && !anchoredSeen.Contains(id)).Order().FirstOrDefault() is var gone and > 0)
            return Broken(gone, $"Entry {gone}, recorded by the anchor written at {anchoredAt[gone].At:yyyy-MM-dd HH:mm:ss} UTC, is missing from the log.");
        if (last is not null && (last.Id > lastId || last.Count > upToLastAnchor))
        {
            var missing = Math.Max(last.Count - upToLastAnchor, 1);
            return Broken(last.Id,
                $"The end of the log was cut: the anchor written at {last.At:yyyy-MM-dd HH:mm:ss} UTC recorded {last.Count:N0} entries up to entry {last.Id}, " +
                $"and {missing:N0} of them are missing (the log now {(lastId == 0 ? "is empty" : $"ends at entry {lastId}")}).");
        }
        return new ChainVerification(true, checkedCount, null, null, unkeyed, anchors.Anchors.Count, last, anchors.Unverifiable);
    }
}

/// <summary>The check as the page, the API and <c>verify-audit</c> run it: every row, as the system, against the anchors on file.</summary>
public sealed class AuditVerification(IServiceScopeFactory scopes, AuditKeys keys, AuditAnchors anchors)
{
    public async Task<ChainVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateSystemScope("audit verification: reads every entry of the log, whoever wrote it");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        return await AuditChainVerifier.VerifyAsync(db, keys, await anchors.ReadAsync(ct), ct);
    }
}
