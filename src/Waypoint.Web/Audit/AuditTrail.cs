using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>What to record; the trail adds the time, the reader and the chain.</summary>
public sealed record AuditEvent(Guid? PersonId, AuditAction Action, string Subject, string Basis);

/// <summary>
/// Records to the keyed, hash-chained audit log (<see cref="AuditChain"/>).
/// Writes (create, update, delete, break-glass) are staged on the request's context and appended
/// by its next SaveChanges in the same transaction as the change: a write and its audit rows
/// commit together or not at all. Record a write's event before the SaveChanges that makes it.
/// Reads are gathered per request and appended in one transaction just before the response
/// starts: nothing reaches the user before its audit rows are stored (a failed append fails the
/// response), and a page that reads a person and lists their family pays for one append instead of
/// several, itself gathered with other requests' into one transaction (<see cref="AuditAppender"/>). Outside a request (jobs, commands) reads are appended at once, and
/// writes are staged only through <see cref="StageWrite(AuditEvent)"/>.
/// </summary>
public sealed class AuditTrail(
    ReaderContext readerContext, IHttpContextAccessor http, WaypointDbContext db, AuditChain chain, AuditAnchors anchors, AuditAppender appender,
    ILogger<AuditTrail> log)
{
    public const string Genesis = AuditChain.Genesis;

    private readonly List<AuditRow> pending = [];
    private bool flushRegistered;

    public Task RecordAsync(AuditEvent e, CancellationToken ct = default) => RecordAsync([e], ct);

    public async Task RecordAsync(IReadOnlyCollection<AuditEvent> events, CancellationToken ct = default)
    {
        if (events.Count == 0)
            return;
        var response = http.HttpContext?.Response;
        var rows = events.Select(Row).ToList();
        if (response is null || response.HasStarted)
        {
            await AppendAsync(rows, ct);
            return;
        }
        foreach (var row in rows)
        {
            if (IsWrite(row.Event.Action))
                AddStaged(row, null);
            else
                pending.Add(row);
        }
        RegisterFlush(response);
    }

    /// <summary>
    /// Drops the reads recorded so far in this request and not yet appended: a request refused
    /// before anything was shown (a POST to a page with no such handler, whose GET ran only for its
    /// access check) read nothing. Refusals (Denied rows) are kept.
    /// </summary>
    internal void DiscardPendingReads() => pending.RemoveAll(r => r.Event.Action is AuditAction.Read or AuditAction.ListedInSearch);

    /// <summary>Stages a write's audit row on this scope's context: its next SaveChanges appends it in the change's own transaction.</summary>
    public void StageWrite(AuditEvent e) => AddStaged(Row(e), null);

    /// <summary>As <see cref="StageWrite(AuditEvent)"/> for many rows (an import's pupils): COPY on PostgreSQL from 200 rows.</summary>
    public void StageWrite(IReadOnlyCollection<AuditEvent> events)
    {
        foreach (var e in events)
            AddStaged(Row(e), null);
    }

    /// <summary>Stages a write whose basis is read once the change is saved (a new record's relationship exists only then).</summary>
    internal void StageWrite(AuditEvent e, Func<CancellationToken, Task<string>> basisAfterSave) => AddStaged(Row(e), basisAfterSave);

    private void AddStaged(AuditRow row, Func<CancellationToken, Task<string>>? basisAfterSave)
    {
        (db.AuditStage ??= new AuditStage(chain, anchors)).Add(row, basisAfterSave);
        // In a request, a write recorded after its SaveChanges is still appended, after the request.
        if (http.HttpContext?.Response is { HasStarted: false } response)
            RegisterFlush(response);
    }

    private static bool IsWrite(AuditAction action) => action is AuditAction.Create or AuditAction.Update or AuditAction.Delete or AuditAction.BreakGlass;

    private AuditRow Row(AuditEvent e)
    {
        var context = http.HttpContext;
        var channel = context?.Request.Path.StartsWithSegments("/api") == true ? "api" : context is null ? "system" : "ui";
        return new AuditRow(e, readerContext.Current, channel);
    }

    private void RegisterFlush(HttpResponse response)
    {
        if (flushRegistered)
            return;
        flushRegistered = true;
        response.OnStarting(FlushAsync);
    }

    private async Task FlushAsync()
    {
        var rows = pending.ToList();
        pending.Clear();
        if (db.AuditStage is { IsEmpty: false } stage)
        {
            // A write recorded after its SaveChanges, or made without one (ExecuteUpdate): appended
            // now, as before staging existed, but not atomically with the change.
            var unsaved = stage.TakeUnsaved();
            log.LogWarning("{Count} write audit row(s) were recorded with no SaveChanges after them ({Actions}); appended after the request", unsaved.Count,
                string.Join(", ", unsaved.Select(r => r.Event.Action).Distinct()));
            rows.AddRange(unsaved);
        }
        if (rows.Count > 0)
            await AppendAsync(rows, CancellationToken.None);
    }

    // Cancelling would not take back rows a group may already hold; the caller's response waits for them.
    private Task AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken ct) => appender.AppendAsync(rows).WaitAsync(ct);
}
