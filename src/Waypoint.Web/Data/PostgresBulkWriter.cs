using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Waypoint.Data;

/// <summary>
/// Writes entities of one type with PostgreSQL binary COPY, taking table, columns and value
/// converters from the EF model, so that the rows are the ones SaveChanges would have written
/// (at a fraction of the cost: a million people take minutes through the change tracker).
/// It bypasses SaveChanges and its hooks, so callers set derived values such as search keys
/// themselves. Used by the demo generator and the school imports on PostgreSQL.
/// </summary>
internal sealed class PostgresBulkWriter<T> where T : class
{
    private readonly string copyCommand;
    private readonly Column[] columns;

    private sealed record Column(IClrPropertyGetter Getter, ValueConverter? Converter);

    public PostgresBulkWriter(WaypointDbContext db)
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // A key the database generates (an identity column) is left to it, so rows number in the order written.
        var properties = entity.GetProperties()
            .Where(p => p.GetColumnName(table) is not null && !(p.IsKey() && p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType == typeof(long)))
            .ToList();
        if (properties.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
            throw new NotSupportedException($"{typeof(T).Name}.{shadow.Name} is a shadow property; bulk copy reads values from the entity.");
        columns = properties.Select(p => new Column(p.GetGetter(), p.GetTypeMapping().Converter)).ToArray();
        var names = string.Join(", ", properties.Select(p => Quote(p.GetColumnName(table)!)));
        var qualified = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        copyCommand = $"COPY {qualified} ({names}) FROM STDIN (FORMAT BINARY)";
    }

    public async Task<ulong> WriteAsync(NpgsqlConnection connection, IEnumerable<T> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copyCommand, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            foreach (var column in columns)
            {
                var value = column.Getter.GetClrValueUsingContainingEntity(row);
                if (value is not null && column.Converter is { } converter)
                    value = converter.ConvertToProvider(value);
                await WriteValueAsync(importer, value, ct);
            }
        }
        return await importer.CompleteAsync(ct);
    }

    // The column types the model uses today; a new one fails loudly rather than writing a guess.
    private static Task WriteValueAsync(NpgsqlBinaryImporter importer, object? value, CancellationToken ct) => value switch
    {
        null => importer.WriteNullAsync(ct),
        Guid v => importer.WriteAsync(v, NpgsqlDbType.Uuid, ct),
        string v => importer.WriteAsync(v, NpgsqlDbType.Text, ct),
        int v => importer.WriteAsync(v, NpgsqlDbType.Integer, ct),
        long v => importer.WriteAsync(v, NpgsqlDbType.Bigint, ct),
        bool v => importer.WriteAsync(v, NpgsqlDbType.Boolean, ct),
        DateOnly v => importer.WriteAsync(v, NpgsqlDbType.Date, ct),
        DateTimeOffset v => importer.WriteAsync(v, NpgsqlDbType.TimestampTz, ct),
        _ => throw new NotSupportedException($"Bulk copy of {typeof(T).Name}: no PostgreSQL mapping for {value.GetType().Name}."),
    };

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";
}
