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
/// when the app is disposed. On PostgreSQL the database has two roles of its own, as in
/// production: an owner that runs the migrations, and the app's role, which does not own the
/// audit table and may only insert into it and read it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "WAYPOINT_TEST_POSTGRES";

    private readonly string? postgresServer;
    private readonly string? postgresName;
    private readonly string? folder;

    private TestDatabase(DatabaseKind kind, string connectionString, string? postgresServer, string? postgresName, string? folder, string? ownerConnectionString = null)
    {
        Kind = kind;
        ConnectionString = connectionString;
        OwnerConnectionString = ownerConnectionString;
        this.postgresServer = postgresServer;
        this.postgresName = postgresName;
        this.folder = folder;
    }

    public DatabaseKind Kind { get; }
    /// <summary>The app's connection (on PostgreSQL, its restricted role).</summary>
    public string ConnectionString { get; }

    /// <summary>PostgreSQL only: the owner role's connection, for migrations and for tests that act as an owner would.</summary>
    public string? OwnerConnectionString { get; }

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
            foreach (var sql in new[]
            {
                $"CREATE ROLE \"{name}_owner\" LOGIN",
                $"CREATE ROLE \"{name}_app\" LOGIN",
                $"CREATE DATABASE \"{name}\" OWNER \"{name}_owner\"",
            })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                await cmd.ExecuteNonQueryAsync();
            }
        }
        var app = new NpgsqlConnectionStringBuilder(server) { Database = name, Username = $"{name}_app", Password = null };
        var owner = new NpgsqlConnectionStringBuilder(server) { Database = name, Username = $"{name}_owner", Password = null };
        return new TestDatabase(kind, app.ConnectionString, server, name, null, owner.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (postgresServer is not null && postgresName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(postgresServer);
            await conn.OpenAsync();
            foreach (var sql in new[]
            {
                $"DROP DATABASE IF EXISTS \"{postgresName}\" WITH (FORCE)",
                $"DROP ROLE IF EXISTS \"{postgresName}_app\"",
                $"DROP ROLE IF EXISTS \"{postgresName}_owner\"",
            })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                await cmd.ExecuteNonQueryAsync();
            }
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
