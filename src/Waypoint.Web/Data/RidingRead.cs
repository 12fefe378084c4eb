using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Waypoint.Data;

/// <summary>
/// A hand-written read sent in the round trip of the next read its context sends (issue 18: the person page's score facts,
/// raw SQL, with the opened person's records, a compiled EF statement). Made only by PastTheFilters' RawSqlInNextRead, each
/// with a literal reason listed in past-the-filters.txt. <see cref="RidingReadInterceptor"/> appends its statement to that command's text with its
/// parameters (typed by the context's own type mappings, as EF's raw SQL types them) and reads its rows from the command's
/// next result set as EF closes the reader of the first: both providers run a command's statements in order, Npgsql in one
/// round trip. <see cref="Rows"/> stays null when the read did not ride (the next read failed, was retried or was not a
/// query): the caller then reads it apart.
/// </summary>
public sealed class RidingRead<T> : RidingRead
{
    private readonly Func<DbDataReader, T> read;
    private List<T>? rows;

    internal RidingRead(FormattableString sql, Func<DbDataReader, T> read) : base(sql) => this.read = read;

    /// <summary>The statement's rows, once the read it rode with has closed its reader; null if it did not ride.</summary>
    public IReadOnlyList<T>? Rows => rows;

    internal override async ValueTask ReadAsync(DbDataReader reader, CancellationToken ct)
    {
        var list = new List<T>();
        if (await reader.NextResultAsync(ct))
            while (await reader.ReadAsync(ct))
                list.Add(read(reader));
        rows = list;
    }

    internal override void Read(DbDataReader reader)
    {
        var list = new List<T>();
        if (reader.NextResult())
            while (reader.Read())
                list.Add(read(reader));
        rows = list;
    }
}

/// <summary>See <see cref="RidingRead{T}"/>.</summary>
public abstract class RidingRead
{
    private static readonly ConditionalWeakTable<DbContext, RidingRead> Pending = [];
    private static readonly ConditionalWeakTable<DbCommand, RidingRead> Sent = [];

    private readonly FormattableString sql;

    private protected RidingRead(FormattableString sql) => this.sql = sql;

    internal abstract ValueTask ReadAsync(DbDataReader reader, CancellationToken ct);

    internal abstract void Read(DbDataReader reader);

    /// <summary>Sends this read with the next query the context runs (one at a time: a second replaces the first).</summary>
    internal void RideWithNextRead(DbContext db) => Pending.AddOrUpdate(db, this);

    /// <summary>Drops a read that has not ridden (the caller's read is done or failed), so that a pooled context's next lease cannot send it.</summary>
    public static void Forget(DbContext db) => Pending.Remove(db);

    /// <summary>Appends the pending read (if any) of the command's context to the command, and remembers it for the reader's close.</summary>
    internal static void Attach(DbCommand command, DbContext? db)
    {
        if (db is null || !Pending.TryGetValue(db, out var ride))
            return;
        Pending.Remove(db);
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        // Npgsql takes either named (@name) or positional ($n) placeholders in one command, not both: follow the command's.
        var positional = command.Parameters.Count > 0 && string.IsNullOrEmpty(command.Parameters[0].ParameterName);
        var arguments = ride.sql.GetArguments();
        var placeholders = new object[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            var value = arguments[i] ?? throw new InvalidOperationException("A riding read's arguments are values, never null.");
            var name = positional ? "" : $"@riding_{i}";
            placeholders[i] = positional ? $"${command.Parameters.Count + 1}" : name;
            command.Parameters.Add(mappings.GetMapping(value.GetType()).CreateParameter(command, name, value));
        }
        command.CommandText = command.CommandText.TrimEnd().TrimEnd(';') + ";\n" + string.Format(CultureInfo.InvariantCulture, ride.sql.Format, placeholders);
        Sent.AddOrUpdate(command, ride);
    }

    /// <summary>The ride sent with this command, taken once (its rows are read as the command's reader closes).</summary>
    internal static RidingRead? TakeSent(DbCommand command)
    {
        if (!Sent.TryGetValue(command, out var ride))
            return null;
        Sent.Remove(command);
        return ride;
    }
}

/// <summary>Sends a context's pending <see cref="RidingRead"/> with its next query and reads its rows as that query's reader closes.</summary>
internal sealed class RidingReadInterceptor : DbCommandInterceptor
{
    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        RidingRead.Attach(command, eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        RidingRead.Attach(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        RidingRead.TakeSent(command)?.Read(eventData.DataReader);
        return result;
    }

    public override async ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        if (RidingRead.TakeSent(command) is { } ride)
            await ride.ReadAsync(eventData.DataReader, CancellationToken.None);
        return result;
    }
}
