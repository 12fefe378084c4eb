using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Features.Audit;
using Waypoint.Shell;

/// <summary>
/// The audit log at scale (issue 16, item 6): a log of seven years (50 million entries unless
/// told), read as the data-protection officer reads recent activity (one person's last 30 days;
/// the newest page), before and after the months past the live window are archived, in the same
/// run and database. Then how long the archive run took, per month moved. The entries are
/// generated (fictional ids, hashes that chain but are not keyed: this measures reads and moves,
/// not verification).
/// </summary>
internal static class AuditBench
{
    private const int Warmup = 30;

    public static async Task<int> RunAsync(string connection, long rows, int people, int count, bool measureOnly = false)
    {
        var database = new NpgsqlConnectionStringBuilder(connection).Database + "_audit";
        if (measureOnly)
            return await MeasureExistingAsync(new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString, people, count);
        var connectionString = await ImportBench.FreshPostgresAsync(connection, database);
        var folder = Directory.CreateTempSubdirectory("waypoint-audit-bench").FullName;
        await using var app = BuildApp(connectionString, folder);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        Console.WriteLine($"Audit log: {rows:N0} entries over 84 months, {people:N0} people; {count} reads per series after {Warmup} warm-up; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        var fill = Stopwatch.StartNew();
        await using (var raw = NpgsqlDataSource.Create(connectionString))
        {
            const long chunk = 2_000_000;
            for (long from = 1; from <= rows; from += chunk)
            {
                var to = Math.Min(rows, from + chunk - 1);
                // Ids follow generation order, so each entry's previous hash is the one generated before it.
                await ExecuteAsync(raw, $"""
                    INSERT INTO "AuditEntries" ("OccurredAt", "PersonId", "Action", "Subject", "Basis", "Channel", "PreviousHash", "Hash")
                    SELECT now() - interval '84 months' + (g::float8 / {rows}) * (interval '84 months' - interval '1 day'),
                           ('00000000-0000-4000-8000-' || lpad(to_hex(g % {people}), 12, '0'))::uuid, 0, 'person', 'bench', 'ui',
                           CASE WHEN g = 1 THEN '{AuditChain.Genesis}' ELSE 'bench-' || (g - 1) END, 'bench-' || g
                    FROM generate_series({from}::bigint, {to}::bigint) g ORDER BY g
                    """);
                Console.Write($"\r  filled {to:N0} entries ({fill.Elapsed.TotalSeconds:F0} s)");
            }
            // As autovacuum would leave a table of this age: hint bits set, visibility map current.
            await ExecuteAsync(raw, "VACUUM (ANALYZE) \"AuditEntries\"");
            Console.WriteLine();
        }

        var before = await MeasureAsync(app, people, count);
        // Printed at once: on a loaded machine the archive run can outlast the time there is, and these figures must not go with it.
        Print("whole log live", before);
        var archiving = Stopwatch.StartNew();
        var run = await app.Services.GetRequiredService<AuditArchiver>().ArchiveAsync(Reader.System);
        archiving.Stop();
        await using (var raw = NpgsqlDataSource.Create(connectionString))
        {
            await ExecuteAsync(raw, "VACUUM (ANALYZE) \"AuditEntries\"");
            await ExecuteAsync(raw, "VACUUM (ANALYZE) \"AuditArchive\"");
        }
        var after = await MeasureAsync(app, people, count);
        var live = await As(app, db => db.AuditEntries.LongCountAsync());

        Console.WriteLine($"archived {run.Archived.Count} months, {run.Entries:N0} entries, in {archiving.Elapsed.TotalSeconds:F0} s " +
            $"({archiving.Elapsed.TotalSeconds / Math.Max(1, run.Archived.Count):F1} s a month); {live:N0} entries left live");
        Console.WriteLine($"  {"",-44} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8}");
        foreach (var (name, b, a) in new[] { ("a person's last 30 days", before.Person, after.Person), ("the newest page", before.Newest, after.Newest) })
        {
            Console.WriteLine($"  {name + ", whole log live",-44} {Percentile(b, 0.5),8:F2} {Percentile(b, 0.95),8:F2} {Percentile(b, 0.99),8:F2}");
            Console.WriteLine($"  {name + ", after archiving",-44} {Percentile(a, 0.5),8:F2} {Percentile(a, 0.95),8:F2} {Percentile(a, 0.99),8:F2}");
            Console.WriteLine($"  p95 ratio after / before: {Percentile(a, 0.95) / Percentile(b, 0.95):F2}");
        }
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>
    /// The reads on the log as it stands (an earlier run's database, perhaps part-archived when a run
    /// was stopped): nothing filled, nothing archived, the live and archived counts printed with the figures.
    /// </summary>
    private static async Task<int> MeasureExistingAsync(string connectionString, int people, int count)
    {
        var folder = Directory.CreateTempSubdirectory("waypoint-audit-bench").FullName;
        await using var app = BuildApp(connectionString, folder);
        var live = await As(app, db => db.AuditEntries.LongCountAsync());
        var archived = await As(app, db => db.AuditArchive.LongCountAsync());
        var months = await As(app, db => db.AuditPeriods.CountAsync());
        Console.WriteLine($"Audit log as it stands: {live:N0} entries live, {archived:N0} archived in {months} months; {count} reads per series after {Warmup} warm-up; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");
        Print("as it stands", await MeasureAsync(app, people, count));
        Console.WriteLine($"  after the reads{Bench.LoadAverage()}");
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static void Print(string state, (List<double> Person, List<double> Newest) series)
    {
        foreach (var (name, values) in new[] { ("a person's last 30 days", series.Person), ("the newest page", series.Newest) })
            Console.WriteLine($"  {name + ", " + state,-44} p50 {Percentile(values, 0.5):F2} ms, p95 {Percentile(values, 0.95):F2} ms, p99 {Percentile(values, 0.99):F2} ms");
    }

    private static async Task<(List<double> Person, List<double> Newest)> MeasureAsync(WebApplication app, int people, int count)
    {
        var random = new Random(7);
        var person = new List<double>();
        var newest = new List<double>();
        var from = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-30));
        for (var i = 0; i < count + Warmup; i++)
        {
            var id = Guid.Parse($"00000000-0000-4000-8000-{random.Next(people):x12}");
            var started = Stopwatch.GetTimestamp();
            await As(app, db => AuditSearch.PageAsync(db, new AuditCriteria(id, null, null, null, null, from, null), null, null, default));
            if (i >= Warmup)
                person.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await As(app, db => AuditSearch.PageAsync(db, new AuditCriteria(null, null, null, null, null, null, null), null, null, default));
            if (i >= Warmup)
                newest.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return (person, newest);
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static async Task<T> As<T>(WebApplication app, Func<WaypointDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        return await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>());
    }

    private static async Task ExecuteAsync(NpgsqlDataSource raw, string sql)
    {
        await using var command = raw.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    private static WebApplication BuildApp(string connectionString, string folder)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Waypoint"] = connectionString,
            ["Waypoint:DataFolder"] = folder,
            ["Audit:ArchiveRunAt"] = "off",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddWaypoint(builder.Configuration, builder.Environment);
        return builder.Build();
    }
}
