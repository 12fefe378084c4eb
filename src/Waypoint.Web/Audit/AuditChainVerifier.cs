using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>
/// The outcome of a check: intact, or the first broken entry and what is wrong with it.
/// <paramref name="UnkeyedEntries"/> counts entries from before the chain was keyed (accepted only
/// at its start); <paramref name="LastAnchor"/> is the newest anchor read from outside the database.
/// <paramref name="ArchivedEntries"/> of the entries checked were read from archived months;
/// <paramref name="DisposedEntries"/> were removed under the retention schedule and stand only as their months' seals.
/// </summary>
public sealed record ChainVerification(
    bool IsIntact, long EntriesChecked, long? FirstBrokenId, string? Problem,
    long UnkeyedEntries = 0, int AnchorsChecked = 0, AuditAnchor? LastAnchor = null, int AnchorsUnverifiable = 0,
    long ArchivedEntries = 0, long DisposedEntries = 0, int PeriodsArchived = 0);

/// <summary>
/// Walks the audit chain in order and names the first entry that does not hold: one that does not
/// follow the entry before it, whose keyed hash does not match its content (changed, or written
/// without the key), or that differs from an anchor; then checks that nothing anchored is missing
/// (a cut tail). Without the key a rewritten chain cannot be made to verify. Archived months are
/// walked first, from the archive, each against its keyed seal; a month disposed of under the
/// retention schedule is stepped over by its seal, and only if the chain records its disposal.
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
        var disposalsRecorded = new HashSet<string>(StringComparer.Ordinal);
        var previous = AuditChain.Genesis;
        long checkedCount = 0, unkeyed = 0, upToLastAnchor = 0, lastId = 0, archived = 0, disposed = 0;
        var keyedSeen = false;
        ChainVerification Broken(long id, string problem) =>
            new(false, checkedCount, id, problem, unkeyed, anchors.Anchors.Count, last, anchors.Unverifiable, archived, disposed);

        // One entry in the chain's order: null when it holds, else what is wrong.
        string? Check(AuditEntry row)
        {
            if (row.PreviousHash != previous)
                return $"Entry {row.Id} does not follow the entry before it (a row was removed, inserted or re-ordered).";
            switch (keys.Check(row.Hash, AuditChain.Canonical(row)))
            {
                case KeyedHashCheck.Valid:
                    keyedSeen = true;
                    break;
                case KeyedHashCheck.Mismatch:
                    return $"Entry {row.Id} was changed after it was written, or written without the audit key (its content no longer matches its keyed hash).";
                case KeyedHashCheck.UnknownKey:
                    return $"Entry {row.Id} claims audit key {AuditKeys.KeyIdOf(row.Hash)}, which this server does not hold: a forged entry, or a retired key missing from Audit:PreviousKeys.";
                case KeyedHashCheck.NotKeyed when keyedSeen:
                    return $"Entry {row.Id} has no keyed hash although entries before it have: it was written or rewritten without the audit key.";
                case KeyedHashCheck.NotKeyed when AuditChain.UnkeyedHash(row) != row.Hash:
                    return $"Entry {row.Id} was changed after it was written (its content no longer matches its hash).";
                case KeyedHashCheck.NotKeyed:
                    unkeyed++;
                    break;
            }
            var anchor = anchoredAt.GetValueOrDefault(row.Id);
            if (anchor is not null && anchor.Hash != row.Hash)
                return $"Entry {row.Id} differs from the anchor written outside the database at {anchor.At:yyyy-MM-dd HH:mm:ss} UTC: the log was rewritten from this entry on.";
            previous = row.Hash;
            lastId = row.Id;
            if (anchor is not null)
                anchoredSeen.Add(row.Id);
            if (row.Subject.StartsWith("audit.dispose ", StringComparison.Ordinal))
                disposalsRecorded.Add(row.Subject);
            checkedCount++;
            if (last is not null && row.Id <= last.Id)
                upToLastAnchor++;
            return null;
        }

        const int batch = 5000;
        var periods = await db.AuditPeriods.AsNoTracking().OrderBy(p => p.FirstId).ToListAsync(ct);
        foreach (var period in periods)
        {
            if (keys.Check(period.Seal, period.Canonical) != KeyedHashCheck.Valid)
                return Broken(period.FirstId, $"The seal of the archived month {period.Label} does not match its entries' ids, count and hashes, or was not made with the audit key: the archive was altered.");
            if (period.PreviousHash != previous || period.FirstId <= lastId)
                return Broken(period.FirstId, $"The archived month {period.Label} does not follow the entries before it (a month was removed, or the archive was re-ordered).");
            if (period.DisposedAt is not null)
            {
                // Its entries are gone by design; the seal stands for them, and the anchors taken then.
                previous = period.LastHash;
                lastId = period.LastId;
                disposed += period.Count;
                if (last is not null && period.LastId <= last.Id)
                    upToLastAnchor += period.Count;
                else if (last is not null && period.FirstId <= last.Id)
                    upToLastAnchor = last.Count; // the anchor fell inside the month: its count went with the month, the seal stands for it
                foreach (var id in anchoredAt.Keys.Where(id => id >= period.FirstId && id <= period.LastId))
                {
                    if (id == period.LastId && anchoredAt[id].Hash != period.LastHash)
                        return Broken(id, $"The disposed month {period.Label} ends on a different entry from the anchor written at {anchoredAt[id].At:yyyy-MM-dd HH:mm:ss} UTC.");
                    anchoredSeen.Add(id);
                }
                continue;
            }
            long inPeriod = 0;
            var from = period.FirstId - 1;
            while (true)
            {
                var until = from;
                var rows = await db.AuditArchive.AsNoTracking().Where(a => a.Id > until && a.Id <= period.LastId).OrderBy(a => a.Id).Take(batch).ToListAsync(ct);
                if (rows.Count == 0)
                    break;
                foreach (var row in rows)
                {
                    if (Check(row.ToEntry()) is { } problem)
                        return Broken(row.Id, problem);
                    inPeriod++;
                    archived++;
                }
                from = rows[^1].Id;
            }
            if (inPeriod != period.Count || previous != period.LastHash)
                return Broken(period.LastId, $"The archived month {period.Label} holds {inPeriod:N0} entries where its seal records {period.Count:N0} ending on entry {period.LastId}: entries were removed from the archive.");
            lastId = period.LastId;
        }
        if (periods.Count > 0)
        {
            var sealedUpTo = periods[^1].LastId;
            if (await db.AuditEntries.AsNoTracking().Where(a => a.Id <= sealedUpTo).OrderBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefaultAsync(ct) is { } stray)
                return Broken(stray, $"Entry {stray} is in the live log although its month was archived: it was put back or inserted afterwards.");
        }

        while (true)
        {
            var after = lastId;
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Id > after).OrderBy(a => a.Id).Take(batch).ToListAsync(ct);
            if (rows.Count == 0)
                break;
            foreach (var row in rows)
            {
                if (Check(row) is { } problem)
                    return Broken(row.Id, problem);
            }
        }

        // A month emptied without its disposal recorded in the chain: someone with the database removed it.
        if (periods.FirstOrDefault(p => p.DisposedAt is not null && !disposalsRecorded.Contains(p.DisposalSubject)) is { } undisclosed)
            return Broken(undisclosed.FirstId, $"The archived month {undisclosed.Label} was emptied without a disposal recorded in the audit chain.");
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
        return new ChainVerification(true, checkedCount, null, null, unkeyed, anchors.Anchors.Count, last, anchors.Unverifiable, archived, disposed,
            periods.Count(p => p.DisposedAt is null));
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
