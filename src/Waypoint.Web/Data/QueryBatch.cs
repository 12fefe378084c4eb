using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Waypoint.Data;

/// <summary>
/// Several reads sent in one round trip (issue 18: the app's CPU per request follows its round trips, ~0.35 ms each).
/// Each query is an EF <see cref="IQueryable{T}"/>: its command is EF's own (<c>CreateDbCommand</c>), so the query
/// filters are in its SQL exactly as when it runs alone. On PostgreSQL the commands go as one <see cref="NpgsqlBatch"/>
/// on the context's connection (and transaction), each result set read in turn; on SQLite (no batching) each runs alone,
/// in order, with the same results. A raw statement joins a batch only through Access/PastTheFilters (its raw SQL entry),
/// named and listed like every other read past the filters.
/// <para>
/// Rows are read by a small typed reader (<see cref="BatchRow"/>: columns by position, in the order the query's
/// projection names them, each read as the model stores its type): keep each query a flat projection of scalars
/// (no collections, no entities). <see cref="StatementCounter"/> counts a batch once on PostgreSQL (one round trip) and
/// each statement on SQLite.
/// </para>
/// <para>
/// Cost: each query goes through EF's query cache on every call (its expression tree keyed and its parameters extracted), which a
/// compiled query skips. The person page's card (15 subqueries), score and menu counts sent as one batch were measured slower than
/// the three compiled round trips they replaced (session 21, three quiet pairs: app CPU per HTML request 2.4–3.4 → 3.1–4.8 ms), and
/// that use was withdrawn. Batch queries that are cheap to key, or keep each query's command per model and rebind its parameters.
/// </para>
/// </summary>
/// <example>
/// <code>
/// var batch = new QueryBatch(db);
/// var counts = batch.Add(db.Users.Where(u => u.Id == id).Select(u => new { A = db.Notifications.Count() }), r => r.Get&lt;int&gt;(0));
/// var names = batch.Add(db.People.Where(p => ids.Contains(p.Id)).Select(p => p.GivenName), r => r.Get&lt;string&gt;(0));
/// await batch.RunAsync(ct);   // then counts.Rows, names.Rows
/// </code>
/// </example>
public sealed class QueryBatch(WaypointDbContext db)
{
    private readonly List<(DbCommand Command, Action<DbDataReader> Read)> entries = [];
    private bool ran;

    public WaypointDbContext Context => db;

    /// <summary>Adds a query, read after <see cref="RunAsync"/> into the returned rows, one <paramref name="row"/> a result row.</summary>
    public BatchRows<T> Add<T>(IQueryable<T> query, Func<BatchRow, T> row) => AddCommand(query.CreateDbCommand(), row);

    /// <summary>Adds a command EF made (Access/PastTheFilters.RawSql's raw statement); not for other callers.</summary>
    internal BatchRows<T> AddCommand<T>(DbCommand command, Func<BatchRow, T> row)
    {
        if (ran)
            throw new InvalidOperationException("A query batch runs once.");
        var rows = new BatchRows<T>();
        entries.Add((command, reader =>
        {
            var r = new BatchRow(reader);
            while (reader.Read())
                rows.Items.Add(row(r));
            rows.Read = true;
        }));
        return rows;
    }

    /// <summary>Sends every query added: one round trip on PostgreSQL, one a query elsewhere.</summary>
    public async Task RunAsync(CancellationToken ct = default)
    {
        if (ran)
            throw new InvalidOperationException("A query batch runs once.");
        ran = true;
        if (entries.Count == 0)
            return;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (db.Database.GetDbConnection() is NpgsqlConnection connection && entries.Count > 1)
            {
                await using var batch = new NpgsqlBatch(connection) { Transaction = (NpgsqlTransaction?)transaction };
                foreach (var (command, _) in entries)
                {
                    var each = new NpgsqlBatchCommand(command.CommandText);
                    foreach (NpgsqlParameter p in command.Parameters)
                        each.Parameters.Add(p.Clone());
                    batch.BatchCommands.Add(each);
                }
                StatementCounter.CountFor(db);
                await using var reader = await batch.ExecuteReaderAsync(ct);
                for (var i = 0; i < entries.Count; i++)
                {
                    if (i > 0 && !await reader.NextResultAsync(ct))
                        throw new InvalidOperationException("A query batch returned fewer result sets than its queries.");
                    entries[i].Read(reader);
                }
                return;
            }
            foreach (var (command, read) in entries)
            {
                command.Transaction = transaction;
                StatementCounter.CountFor(db);
                await using var reader = await command.ExecuteReaderAsync(ct);
                read(reader);
            }
        }
        finally
        {
            foreach (var (command, _) in entries)
                await command.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>The rows of one query of a <see cref="QueryBatch"/>, there once the batch has run.</summary>
public sealed class BatchRows<T>
{
    internal List<T> Items { get; } = [];
    internal bool Read { get; set; }

    /// <summary>Whether the batch has run and read these rows.</summary>
    public bool Ran => Read;

    public IReadOnlyList<T> Rows => Read ? Items : throw new InvalidOperationException("The query batch has not run.");

    /// <summary>The first row, or the default when there is none (a query ending in Take(1)).</summary>
    public T? FirstOrDefault() => Rows.Count > 0 ? Rows[0] : default;
}

/// <summary>
/// A result row of a <see cref="QueryBatch"/>: <see cref="Get{T}"/> reads the column at a position (the projection's
/// order) as the model stores <typeparamref name="T"/>, so that a row reads the same on both databases: an enum kept as
/// its name (WaypointDbContext's convention), a date-time kept as UTC ticks on SQLite (SqliteWaypointDbContext's).
/// </summary>
public readonly struct BatchRow
{
    private readonly DbDataReader reader;

    internal BatchRow(DbDataReader reader) => this.reader = reader;

    public T Get<T>(int ordinal)
    {
        if (reader.IsDBNull(ordinal))
            return default(T) is null ? default! : throw new InvalidOperationException($"Column {ordinal} of a query batch's row is null, read as {typeof(T).Name}.");
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (type.IsEnum)
            return (T)(reader.GetValue(ordinal) is string name ? Enum.Parse(type, name) : Enum.ToObject(type, Convert.ToInt64(reader.GetValue(ordinal), System.Globalization.CultureInfo.InvariantCulture)));
        if (type == typeof(DateTimeOffset) && reader.GetFieldType(ordinal) == typeof(long))
            return (T)(object)new DateTimeOffset(reader.GetInt64(ordinal), TimeSpan.Zero);
        if (type == typeof(T))
            return reader.GetFieldValue<T>(ordinal);
        // A nullable value type's value (GetFieldValue<int?> is not supported by every provider).
        return (T)(type == typeof(int) ? (object)reader.GetInt32(ordinal)
            : type == typeof(long) ? (object)reader.GetInt64(ordinal)
            : type == typeof(bool) ? (object)reader.GetBoolean(ordinal)
            : type == typeof(Guid) ? (object)reader.GetGuid(ordinal)
            : type == typeof(DateOnly) ? (object)reader.GetFieldValue<DateOnly>(ordinal)
            : type == typeof(DateTimeOffset) ? (object)reader.GetFieldValue<DateTimeOffset>(ordinal)
            : ReadAs(type, ordinal));
    }

    private object ReadAs(Type type, int ordinal) =>
        typeof(BatchRow).GetMethod(nameof(Field), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .MakeGenericMethod(type).Invoke(this, [ordinal])!;

    private object Field<TValue>(int ordinal) => reader.GetFieldValue<TValue>(ordinal)!;
}
