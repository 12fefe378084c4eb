using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;

namespace Waypoint.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseServices
{
    /// <summary>
    /// SQLite in a file under the data folder unless <c>Database:Provider</c> is <c>Postgres</c>
    /// with <c>ConnectionStrings:Waypoint</c> (or <c>WAYPOINT_Database__Provider</c> and
    /// <c>WAYPOINT_ConnectionStrings__Waypoint</c> in the environment).
    /// </summary>
    public static IServiceCollection AddWaypointDatabase(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        var provider = config.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        var connectionString = config.GetConnectionString("Waypoint");
        services.AddScoped<ReaderContext>();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddSingleton<StatementCounter>();

        if (provider == DatabaseProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Waypoint is not set.");
            var postgres = PostgresConnectionString(connectionString);
            services.AddPooledDbContextFactory<PostgresWaypointDbContext>((sp, o) => Configure(o.UseNpgsql(postgres)).AddInterceptors(sp.GetRequiredService<StatementCounter>(), Stamp, Riding), ContextPoolSize(config));
            services.AddScoped(Leased<PostgresWaypointDbContext>);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var folder = DataFolder(config, env);
                Directory.CreateDirectory(folder);
                connectionString = $"Data Source={Path.Combine(folder, "waypoint.db")}";
            }
            services.AddPooledDbContextFactory<SqliteWaypointDbContext>((sp, o) => Configure(o.UseSqlite(connectionString)).AddInterceptors(sp.GetRequiredService<StatementCounter>(), SecureDelete, Stamp, Riding), ContextPoolSize(config));
            services.AddScoped(Leased<SqliteWaypointDbContext>);
        }

        services.AddWaypointAudit(config, DataFolder(config, env));
        services.AddSingleton<DbDataProtectionRepository>();
        services.AddDataProtection().SetApplicationName("Waypoint");
        services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
            .Configure<DbDataProtectionRepository>((o, repo) => o.XmlRepository = repo);
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddTransient<IStartupFilter, BenchBaseline>();
        return services;
    }

    private static readonly SqliteSecureDelete SecureDelete = new();

    /// <summary>Moves <see cref="WriteStamp"/> on every write through EF but the audit's (stateless but for a weak table keyed by context).</summary>
    private static readonly WriteStampInterceptor Stamp = new();

    /// <summary>Sends a context's pending <see cref="RidingRead"/> with its next query (stateless but for weak tables keyed by context and command).</summary>
    private static readonly RidingReadInterceptor Riding = new();

    /// <summary>
    /// The request's context, leased from EF's pool of contexts and given the request's reader.
    /// Making a context for every request (EF's scoped services for it, its options, finding the
    /// compiled model) was about 12% of the app's CPU on the person page; a pooled context is reset
    /// by EF when it goes back (change tracker, transaction, connection, tracking behaviour) and
    /// loses its reader and staged audit there too (<see cref="WaypointDbContext"/>'s Dispose), so a
    /// lease never carries another request's reader. The options are built once, as the pool needs:
    /// nothing in them is per request (the connection string, the singleton StatementCounter, the
    /// stateless SecureDelete interceptor).
    /// </summary>
    private static WaypointDbContext Leased<TContext>(IServiceProvider services) where TContext : WaypointDbContext =>
        Lease(services.GetRequiredService<IDbContextFactory<TContext>>(), services);

    /// <summary>A context from <paramref name="pool"/> with the reader and clock of <paramref name="scope"/> (the request's services).</summary>
    internal static WaypointDbContext Lease<TContext>(IDbContextFactory<TContext> pool, IServiceProvider scope) where TContext : WaypointDbContext =>
        pool.CreateDbContext().Lease(scope.GetRequiredService<ReaderContext>(), scope.GetRequiredService<TimeProvider>());

    /// <summary>How many idle contexts the pool keeps (<c>Database:ContextPoolSize</c>; EF's 1,024 unless set): the tests set 1, so that consecutive requests share a context.</summary>
    private static int ContextPoolSize(IConfiguration config) => config.GetValue("Database:ContextPoolSize", 1024);

    /// <summary>The app's own folder for files that must not live in the database (the SQLite file, the audit key and anchors): <c>Waypoint:DataFolder</c>, else App_Data.</summary>
    public static string DataFolder(IConfiguration config, IHostEnvironment env) =>
        config["Waypoint:DataFolder"] ?? Path.Combine(env.ContentRootPath, "App_Data");

    /// <summary>
    /// The connection string as the app uses it, each setting kept where the string sets it:
    /// <list type="bullet">
    /// <item>PostgreSQL's JIT compilation off. JIT pays off for long analytical queries; the access
    /// policy's OR-ed EXISTS make the planner overestimate ordinary searches enough to switch it on,
    /// and compiling then takes about 400 ms for a search that runs in 15 (bench/README.md).</item>
    /// <item>Statements prepared once they recur (<c>Max Auto Prepare</c>): the policy's SQL takes
    /// PostgreSQL 2 to 15 ms to plan and 0.2 to 5 to run, so planning it again on every call was
    /// most of a page's database time.</item>
    /// <item>No <c>DISCARD ALL</c> when a connection goes back to the pool (<c>No Reset On Close</c>):
    /// a page opens and closes the pooled connection for each query, and each reset was a round
    /// trip that also threw the prepared statements away. Nothing here is kept in the session
    /// between uses: the reader is a parameter of every query, never a session setting
    /// (ConnectionReuseTests), an open transaction is rolled back on close, and the imports give
    /// back their session locks themselves.</item>
    /// </list>
    /// </summary>
    internal static string PostgresConnectionString(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (builder.Options?.Contains("jit", StringComparison.OrdinalIgnoreCase) != true)
            builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : $"{builder.Options} -c jit=off";
        if (builder.MaxAutoPrepare == 0 && !Sets(connectionString, "Max Auto Prepare", "MaxAutoPrepare"))
            builder.MaxAutoPrepare = 256;
        if (!Sets(connectionString, "No Reset On Close", "NoResetOnClose"))
            builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static bool Sets(string connectionString, params string[] keywords) =>
        keywords.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

    // The access policy filters Person deliberately while records that point at a person are
    // filtered by their own rules; EF's warning about that pairing is expected here.
    internal static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning))
#pragma warning disable EF9100 // EF's liftable-constant step is experimental API: SharedShaperDelegates says why it is replaced.
            .ReplaceService<Microsoft.EntityFrameworkCore.Query.ILiftableConstantProcessor, SharedShaperDelegates>();
#pragma warning restore EF9100
}
