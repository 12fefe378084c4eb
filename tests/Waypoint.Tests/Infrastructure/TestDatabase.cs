using Npgsql;

namespace Waypoint.Tests.Infrastructure;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>
/// A new, empty database for one test app: a SQLite file in a temporary folder, or a PostgreSQL
/// database on the server named by WAYPOINT_TEST_POSTGRES (scripts/test.sh starts one). Dropped
/// when the app is disposed.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "WAYPOINT_TEST_POSTGRES";

    private readonly string? postgresServer;
    private readonly string? postgresName;
    private readonly string? folder;

    private TestDatabase(DatabaseKind kind, string connectionString, string? postgresServer, string? postgresName, string? folder)
    {
        Kind = kind;
        ConnectionString = connectionString;
        this.postgresServer = postgresServer;
        this.postgresName = postgresName;
        this.folder = folder;
    }

    public DatabaseKind Kind { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "waypoint-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return new TestDatabase(kind, $"Data Source={Path.Combine(folder, "waypoint.db")};Pooling=False", null, null, folder);
        }

        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set. Run the tests with scripts/test.sh, which starts a throwaway PostgreSQL, " +
                $"or set it to a connection string for a server where the user may create databases.");
        var name = "wp_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(server))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase(kind, builder.ConnectionString, server, name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgresServer is not null && postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(postgresServer);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresName}\" WITH (FORCE)", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        if (folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown; the temp folder is cleaned by the OS.
            }
        }
    }
}
