using Microsoft.EntityFrameworkCore;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>
/// The audit rows of a write, staged on the request's context before its SaveChanges, which then
/// saves the change and appends the rows in one transaction: both commit, or neither does.
/// Staged rows belong to the next SaveChanges; if it fails they go with it (a retry stages again).
/// </summary>
internal sealed class AuditStage(AuditChain chain, AuditAnchors anchors)
{
    private readonly List<StagedWrite> staged = [];

    internal sealed record StagedWrite(AuditRow Row, Func<CancellationToken, Task<string>>? BasisAfterSave);

    public bool IsEmpty => staged.Count == 0;

    public void Add(AuditRow row, Func<CancellationToken, Task<string>>? basisAfterSave = null) => staged.Add(new StagedWrite(row, basisAfterSave));

    /// <summary>What was staged and never saved (a write made outside SaveChanges): the trail appends it after the request.</summary>
    public List<AuditRow> TakeUnsaved()
    {
        var rows = staged.Select(s => s.Row).ToList();
        staged.Clear();
        return rows;
    }

    public async Task<int> SaveAsync(WaypointDbContext db, Func<bool, CancellationToken, Task<int>> save, bool acceptAllChangesOnSuccess, CancellationToken ct)
    {
        if (!acceptAllChangesOnSuccess)
            throw new NotSupportedException("A save with staged audit rows accepts its changes: the rows are saved after the change, in the same transaction.");
        var writes = staged.ToList();
        staged.Clear();
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            // The change first, so that the basis of a new record (a person just registered) can be read.
            var changed = await save(true, ct);
            var rows = new List<AuditRow>(writes.Count);
            foreach (var w in writes)
                rows.Add(w.BasisAfterSave is null ? w.Row : w.Row with { Event = w.Row.Event with { Basis = await w.BasisAfterSave(ct) } });
            var head = await chain.AppendInTransactionAsync(db, rows, c => save(true, c), ct);
            if (own is not null)
            {
                await own.CommitAsync(ct);
                anchors.Offer(head);
            }
            return changed;
        }
        finally
        {
            if (own is not null)
                await own.DisposeAsync();
        }
    }
}
