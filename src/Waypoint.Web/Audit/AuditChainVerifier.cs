using Microsoft.EntityFrameworkCore;
using Waypoint.Data;

namespace Waypoint.Audit;

public sealed record ChainVerification(bool IsIntact, long EntriesChecked, long? FirstBrokenId, string? Problem);

/// <summary>Walks the audit chain in order and names the first row whose link does not hold.</summary>
public static class AuditChainVerifier
{
    public static async Task<ChainVerification> VerifyAsync(WaypointDbContext db, CancellationToken ct = default)
    {
        var previous = AuditTrail.Genesis;
        long checkedCount = 0;
        long lastId = 0;
        const int batch = 5000;
        while (true)
        {
            var rows = await db.AuditEntries.AsNoTracking().Where(a => a.Id > lastId).OrderBy(a => a.Id).Take(batch).ToListAsync(ct);
            if (rows.Count == 0)
                return new ChainVerification(true, checkedCount, null, null);
            foreach (var row in rows)
            {
                if (row.PreviousHash != previous)
                    return new ChainVerification(false, checkedCount, row.Id,
                        $"Entry {row.Id} does not follow the entry before it (a row was removed, inserted or re-ordered).");
                if (AuditTrail.ComputeHash(row) != row.Hash)
                    return new ChainVerification(false, checkedCount, row.Id,
                        $"Entry {row.Id} was changed after it was written (its content no longer matches its hash).");
                previous = row.Hash;
                lastId = row.Id;
                checkedCount++;
            }
        }
    }
}
