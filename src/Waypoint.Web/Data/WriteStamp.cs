using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Waypoint.Data;

/// <summary>
/// A number moved by every write this process makes through EF but the audit's own appends: a SaveChanges that adds, changes
/// or deletes anything that is not an audit row, and every <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> (or other statement sent
/// as a non-query outside a SaveChanges). A write inside a transaction moves it again when the transaction commits, so a
/// figure read while the write was not yet visible is not kept past the commit. Something kept "until the next write"
/// remembers the stamp read before it was counted, and is good only while the stamp is unchanged (issue 18: the menu's
/// badges). Writes this process does not make through EF (the bulk writer's COPY, another process) do not move it: what
/// is kept must also be kept for a short while only.
/// </summary>
public static class WriteStamp
{
    private static long stamp;

    /// <summary>The stamp now: read it before counting what is kept under it.</summary>
    public static long Current => Interlocked.Read(ref stamp);

    /// <summary>Moves the stamp: everything kept under an earlier one is no longer good.</summary>
    public static void Move() => Interlocked.Increment(ref stamp);
}

/// <summary>Moves <see cref="WriteStamp"/> for the writes made through a context (see there).</summary>
internal sealed class WriteStampInterceptor : ISaveChangesInterceptor, IDbTransactionInterceptor, IDbCommandInterceptor
{
    /// <summary>A context saving now (its statements are SaveChanges', counted once by it), or holding a write for its transaction's commit.</summary>
    private sealed class State
    {
        public bool Saving;
        public bool SavingMoreThanAudit;
        public bool Pending;
    }

    private static readonly ConditionalWeakTable<DbContext, State> States = [];

    private static State Of(DbContext context) => States.GetValue(context, static _ => new State());

    /// <summary>A write made now: moves the stamp, and again at the commit when a transaction holds it.</summary>
    private static void Written(DbContext? context)
    {
        WriteStamp.Move();
        if (context?.Database.CurrentTransaction is not null)
            Of(context).Pending = true;
    }

    private static bool WritesMoreThanAudit(DbContext? context)
    {
        if (context is null)
            return true;
        foreach (var entry in context.ChangeTracker.Entries())
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted && entry.Metadata.ClrType.Namespace != "Waypoint.Audit")
                return true;
        return false;
    }

    private static void Saving(DbContext? context)
    {
        if (context is null)
            return;
        var state = Of(context);
        state.Saving = true;
        state.SavingMoreThanAudit = WritesMoreThanAudit(context);
        if (state.SavingMoreThanAudit)
        {
            // Moved before the save too: a figure counted while it runs is not kept under the stamp read after it.
            WriteStamp.Move();
            state.Pending |= context.Database.CurrentTransaction is not null;
        }
    }

    private static void Saved(DbContext? context, bool wrote)
    {
        if (context is null)
            return;
        var state = Of(context);
        state.Saving = false;
        if (wrote && state.SavingMoreThanAudit)
            WriteStamp.Move();
        state.SavingMoreThanAudit = false;
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context, result > 0);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context, result > 0);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context, wrote: true);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context, wrote: true);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => Saved(eventData.Context, wrote: true);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context, wrote: true);
        return Task.CompletedTask;
    }

    // ExecuteUpdate, ExecuteDelete and raw non-queries: a write EF does not track. SaveChanges' own statements are counted by it.
    // A SELECT sent as a non-query (the audit chain's advisory lock) writes nothing.
    private static void NonQuery(DbCommand command, DbContext? context)
    {
        if (context is not null && Of(context).Saving)
            return;
        if (command.CommandText.AsSpan().TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase))
            return;
        Written(context);
    }

    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        NonQuery(command, eventData.Context);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NonQuery(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Ended(DbContext? context, bool committed)
    {
        if (context is null || !States.TryGetValue(context, out var state) || !state.Pending)
            return;
        state.Pending = false;
        if (committed)
            WriteStamp.Move();
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, committed: false);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, committed: false);
        return Task.CompletedTask;
    }
}
