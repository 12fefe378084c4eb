using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Waypoint.Data;

/// <summary>
/// Several reads sent in one round trip (issue 18: the app's CPU per request follows its round trips, ~0.35 ms each).
/// Each query is an EF <see cref="IQueryable{T}"/>: its command is EF's own (<c>CreateDbCommand</c>), so the query
/// filters are in its SQL exactly as when it runs alone. On PostgreSQL the commands go as one <see cref="NpgsqlBatch"/>
/// on the context's connection (and transaction), each result set read in turn; on SQLite (no batching) each runs alone,
/// in order, with the same results. A raw statement joins a batch only through Access/PastTheFilters (<c>RawSql</c>),
/// named and listed like every other read past the filters.
/// <para>
/// Rows are read by a small typed reader (<see cref="BatchRow"/>: columns by position, in the order the query's
/// projection names them, each converted as the model maps its type): keep each query a flat projection of scalars
/// (no collections, no entities). <see cref="StatementCounter"/> counts a batch once on PostgreSQL (one round trip) and
/// each statement on SQLite.
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
        var model = db.Model;
        var mappings = db.GetService<IRelationalTypeMappingSource>();
        entries.Add((command, reader =>
        {
            var r = new BatchRow(reader, model, mappings);
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

    public IReadOnlyList<T> Rows => Read ? Items : throw new InvalidOperationException("The query batch has not run.");

    /// <summary>The first row, or the default when there is none (a query ending in Take(1)).</summary>
    public T? FirstOrDefault() => Rows.Count > 0 ? Rows[0] : default;
}

/// <summary>
/// A result row of a <see cref="QueryBatch"/>: <see cref="Get{T}"/> reads the column at a position (the projection's
/// order) as the model maps <typeparamref name="T"/> (an enum kept as text, a date-time kept as ticks on SQLite), so
/// that a row reads the same on both databases.
/// </summary>
public readonly struct BatchRow
{
    private static readonly ConcurrentDictionary<(Type, IModel), Func<DbDataReader, int, object?>> Readers = new();
    private readonly DbDataReader reader;
    private readonly IModel model;
    private readonly IRelationalTypeMappingSource mappings;

    internal BatchRow(DbDataReader reader, IModel model, IRelationalTypeMappingSource mappings)
    {
        this.reader = reader;
        this.model = model;
        this.mappings = mappings;
    }

    public T Get<T>(int ordinal)
    {
        if (reader.IsDBNull(ordinal))
            return default(T) is null ? default! : throw new InvalidOperationException($"Column {ordinal} of a query batch's row is null, read as {typeof(T).Name}.");
        var type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        var mappingSource = mappings;
        var read = Readers.GetOrAdd((type, model), key => ReaderFor(key.Item1, key.Item2, mappingSource));
        return (T)read(reader, ordinal)!;
    }

    private static Func<DbDataReader, int, object?> ReaderFor(Type type, IModel model, IRelationalTypeMappingSource mappings)
    {
        var mapping = mappings.FindMapping(type, model);
        var converter = mapping?.Converter;
        var provider = converter?.ProviderClrType ?? type;
        var get = typeof(BatchRow).GetMethod(nameof(GetField), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(provider).CreateDelegate<Func<DbDataReader, int, object?>>();
        return converter is null ? get : (r, i) => converter.ConvertFromProvider(get(r, i));
    }

    private static object? GetField<TProvider>(DbDataReader reader, int ordinal) => reader.GetFieldValue<TProvider>(ordinal);
}
