using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Features.Demo;
using Waypoint.Features.People;
using Waypoint.Shell;

// Benchmarks run on purpose (bench/README.md), never in the test suite. Each reports against a
// baseline measured in the same run, on the same machine, so the ratios mean something even
// where the absolute figures depend on the machine.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var command = args.FirstOrDefault();
var connection = Option(args, "--connection")
    ?? Environment.GetEnvironmentVariable("WAYPOINT_BENCH_POSTGRES")
    ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=waypoint_bench";

return command switch
{
    "generate" => await Bench.GenerateAsync(connection, Enum.Parse<DemoScale>(Option(args, "--scale") ?? "million", ignoreCase: true)),
    "search" => await Bench.SearchAsync(connection,
        int.Parse(Option(args, "--count") ?? "300", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--seed") ?? "7", CultureInfo.InvariantCulture),
        args.Contains("--explain")),
    "import" => await ImportBench.RunAsync(connection,
        int.Parse(Option(args, "--schools") ?? "60", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--pupils") ?? "2000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--suspensions") ?? "250", CultureInfo.InvariantCulture),
        sqlite: !args.Contains("--no-sqlite"),
        workers: int.Parse(Option(args, "--workers") ?? "2", CultureInfo.InvariantCulture)),
    "import-upkeep" => await ImportBench.UpkeepAsync(connection,
        int.Parse(Option(args, "--schools") ?? "60", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--pupils") ?? "2000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--suspensions") ?? "250", CultureInfo.InvariantCulture),
        workers: int.Parse(Option(args, "--workers") ?? "2", CultureInfo.InvariantCulture),
        rounds: int.Parse(Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture)),
    "audit" => await AuditBench.RunAsync(connection,
        long.Parse(Option(args, "--rows") ?? "50000000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--people") ?? "200000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--count") ?? "300", CultureInfo.InvariantCulture),
        measureOnly: args.Contains("--measure-only")),
    "risk" => await RiskBench.RunAsync(connection, int.Parse(Option(args, "--rounds") ?? "3", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--occurrences") ?? "40000", CultureInfo.InvariantCulture), historyOnly: args.Contains("--history-only"), equality: !args.Contains("--no-equality")),
    "equality" => await RiskBench.EqualityAsync(connection, int.Parse(Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--occurrences") ?? "40000", CultureInfo.InvariantCulture)),
    "evidence" => await EvidenceBench.RunAsync(connection, double.Parse(Option(args, "--scale") ?? "1", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--count") ?? "50", CultureInfo.InvariantCulture),
        reuse: args.Contains("--reuse") || Option(args, "--data-set") is not null,
        dataSet: Option(args, "--data-set"),
        violenceCount: int.Parse(Option(args, "--violence-count") ?? Option(args, "--count") ?? "50", CultureInfo.InvariantCulture)),
    "outcomes" => await OutcomesBench.RunAsync(connection, double.Parse(Option(args, "--scale") ?? "1", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--count") ?? "50", CultureInfo.InvariantCulture), int.Parse(Option(args, "--raw-count") ?? "5", CultureInfo.InvariantCulture)),
    "dashboard" => await EvidenceBench.RunDashboardAsync(connection,
        int.Parse(Option(args, "--schools") ?? "21000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--pupils") ?? "1000000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--suspensions") ?? "2400000", CultureInfo.InvariantCulture),
        int.Parse(Option(args, "--count") ?? "50", CultureInfo.InvariantCulture),
        reuse: args.Contains("--reuse"), profile: args.Contains("--profile"), cold: args.Contains("--cold")),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Waypoint.Bench <command> [--connection "Host=...;Database=waypoint_bench"]
          generate [--scale demo|county|million|millionyoung]   create or migrate the database and generate the data set, timed
          search [--count 300] [--seed 7] [--explain]
                                                   person search as realistic readers: EF with the policy,
                                                   the same SQL raw, and the name-matching SQL without the policy
          import [--schools 60] [--pupils 2000] [--suspensions 250] [--workers 2] [--no-sqlite]
                                                   a county's school files through the real import (databases
                                                   waypoint_bench_import and waypoint_bench_copy, recreated),
                                                   against COPY of the same rows, both after a warm-up; then on SQLite
          import-upkeep [--rounds 3] [--schools 60] [--pupils 2000] [--suspensions 250] [--workers 2]
                                                   the same county import with the evidence rollups' upkeep switched
                                                   off and on, in turn, same run: what the upkeep adds (issue 15)
          audit [--rows 50000000] [--people 200000] [--count 300]
                                                   recent audit reads on a seven-year log (database <name>_audit,
                                                   recreated), before and after archiving the months past the window;
                                                   --measure-only: the reads on that database as it stands
          outcomes [--scale 1] [--count 50] [--raw-count 5]
                                                   the joint outcomes dashboard from its rollup against the raw reading it
                                                   replaced, same rows, same run (database <name>_outcomes, recreated)
          risk [--rounds 3] [--occurrences 40000]  every young person's score: set-based SQL, the app's scoring, the app's
                                                   recompute; then the equality report against its raw GROUP BY;
                                                   --history-only: generate the school and police history and stop;
                                                   --no-equality: scores only
          equality [--runs 20] [--occurrences 40000]
                                                   the equality report (EqualityMonitoring) against one raw GROUP BY
                                                   of the same counts, p50/p95 over the runs; generates the history,
                                                   the pupils' characteristics, top-10 lists and cohort when absent
          evidence [--scale 1] [--count 50] [--reuse] [--violence-count N]
                                                   the published statistics and exclusion and violence at England-like
                                                   scale (database <name>_evidence, recreated): from the rollups against
                                                   the raw GROUP BY; --reuse: keep the data of an earlier run (rollups
                                                   counted again); --violence-count 0: statistics only
          dashboard [--schools 21000] [--pupils 1000000] [--suspensions 2400000] [--count 50] [--reuse] [--cold]
                                                   the inclusion dashboard over one county (database <name>_dashboard,
                                                   recreated): the page's tables from the rollup against the raw GROUP BY;
                                                   --reuse: keep the data of an earlier run (rollups counted again);
                                                   --cold: only the six cold requests, p50/p95/p99 and server time per statement
        """);
    return 1;
}

static string? Option(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

internal static class Bench
{
    private const int Warmup = 30;

    private static WebApplication BuildApp(string connectionString)
    {
        // The app's own service registration on PostgreSQL: the same DbContext options, policy and seeder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Waypoint"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Waypoint"] = "Information",
        });
        builder.Services.AddWaypoint(builder.Configuration, builder.Environment);
        return builder.Build();
    }

    public static async Task<int> GenerateAsync(string connectionString, DemoScale scale)
    {
        await using var app = BuildApp(connectionString);
        var clock = Stopwatch.StartNew();
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        Console.WriteLine($"migrate + reference data: {clock.Elapsed.TotalSeconds:F1} s");

        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        clock.Restart();
        if (!await scope.ServiceProvider.GetRequiredService<DemoPartnershipSeeder>().SeedIfEmptyAsync(scale))
        {
            Console.WriteLine("The database already holds a partnership; nothing generated.");
            return 0;
        }
        Console.WriteLine($"generate {scale}: {clock.Elapsed.TotalSeconds:F1} s");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        Console.WriteLine($"  people {await db.People.CountAsync():N0} (adults {await db.People.CountAsync(p => p.Kind == Waypoint.Domain.PersonKind.Adult):N0}), " +
            $"relationships {await db.PersonRelationships.CountAsync():N0}, enrolments {await db.Enrolments.CountAsync():N0}, " +
            $"identifiers {await db.PersonIdentifiers.CountAsync():N0}, involvements {await db.Involvements.CountAsync():N0}, households {await db.Households.CountAsync():N0}");
        return 0;
    }

    private sealed record Input(PersonSearchQuery Query, string PolicyQueryString, string PolicySql, NpgsqlParameter[] PolicyParameters, string NamesSql, NpgsqlParameter[] NamesParameters);

    private sealed class Series(string name)
    {
        public string Name => name;
        public List<double> Milliseconds { get; } = [];
        public long Rows { get; set; }

        public double Percentile(double q)
        {
            var sorted = Milliseconds.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }

    public static async Task<int> SearchAsync(string connectionString, int count, int seed, bool explain)
    {
        await using var app = BuildApp(connectionString);
        // The raw baselines use the connection as the app configures it (session settings included).
        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connectionString));
        var population = await AsAsync(app, Reader.System, db => db.People.IgnoreQueryFilters().CountAsync());
        Console.WriteLine($"Person search, {population:N0} people, PostgreSQL; {count} searches per reader after {Warmup} warm-up; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{LoadAverage()}");

        var failed = false;
        foreach (var (label, email) in new[] { ("hub (county-wide partnership role)", "hub@nenshire.demo"), ("school DSL (one school)", "dsl@brackton-academy.demo") })
        {
            var reader = await AsAsync(app, Reader.System, db => db.Users.Where(u => u.Email == email)
                .Select(u => new Reader(u.Id, u.OrganisationId, u.Organisation!.Type, false)).SingleAsync());
            var inputs = await InputsAsync(app, reader, count + Warmup, seed);

            var ef = new Series("policy, PersonSearch (EF)");
            var policy = new Series("policy SQL, raw Npgsql");
            var names = new Series("names only SQL, raw Npgsql");
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                // Rotating the order keeps any one of the three from always running on a cache the previous warmed.
                var runs = new Func<Task>[]
                {
                    () => Time(i, ef, async () => (await SearchAsEfAsync(app, reader, input.Query)).Count),
                    () => Time(i, policy, () => RunRawAsync(raw, input.PolicySql, input.PolicyParameters)),
                    () => Time(i, names, () => RunRawAsync(raw, input.NamesSql, input.NamesParameters)),
                };
                for (var r = 0; r < runs.Length; r++)
                    await runs[(i + r) % runs.Length]();
            }

            var visible = await AsAsync(app, reader, db => db.People.CountAsync());
            Console.WriteLine();
            Console.WriteLine($"{label}: sees {visible:N0} people");
            Console.WriteLine($"  {"",-28} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"rows/search",12}");
            foreach (var s in new[] { ef, policy, names })
                Console.WriteLine($"  {s.Name,-28} {s.Percentile(0.50),8:F2} {s.Percentile(0.95),8:F2} {s.Percentile(0.99),8:F2} {(double)s.Rows / count,12:F1}");
            var vsSame = ef.Percentile(0.95) / policy.Percentile(0.95);
            var vsNames = ef.Percentile(0.95) / names.Percentile(0.95);
            Console.WriteLine($"  p95 ratio EF policy / same SQL raw:     {vsSame:F2}");
            Console.WriteLine($"  p95 ratio EF policy / names-only raw:   {vsNames:F2}");
            Console.WriteLine($"  p95 ratio policy SQL / names-only SQL:  {policy.Percentile(0.95) / names.Percentile(0.95):F2}");
            var met = vsSame <= 1.5 && vsNames <= 1.5 && ef.Percentile(0.95) < 30;
            Console.WriteLine($"  goal (p95 <= 1.5 x raw, both baselines, and < 30 ms): {(met ? "met" : "MISSED")}");
            failed |= !met;

            if (explain)
            {
                Console.WriteLine("  slowest searches (policy SQL ms, names-only SQL ms, EF ms: name):");
                foreach (var i in Enumerable.Range(0, count).OrderByDescending(i => policy.Milliseconds[i]).Take(8))
                    Console.WriteLine($"    {policy.Milliseconds[i],7:F1} {names.Milliseconds[i],7:F1} {ef.Milliseconds[i],7:F1}: {inputs[Warmup + i].Query.Name}");
                var slowest = Enumerable.Range(0, count).MaxBy(i => policy.Milliseconds[i]);
                Console.WriteLine($"  slowest policy SQL ({policy.Milliseconds[slowest]:F1} ms), as EF generates it (ToQueryString):");
                Console.WriteLine("    " + inputs[Warmup + slowest].PolicyQueryString.ReplaceLineEndings(Environment.NewLine + "    "));
                Console.WriteLine("  EXPLAIN ANALYZE:");
                await ExplainAsync(raw, inputs[Warmup + slowest].PolicySql, inputs[Warmup + slowest].PolicyParameters);
                Console.WriteLine("  the same names without the policy:");
                await ExplainAsync(raw, inputs[Warmup + slowest].NamesSql, inputs[Warmup + slowest].NamesParameters);
            }
        }
        return failed ? 2 : 0;
    }

    // The machine is shared: the load says how far to trust the absolute figures (the ratios hold up better).
    /// <summary>CPU seconds the whole machine has spent busy (every process, every core), from /proc/stat; NaN elsewhere.</summary>
    internal static double MachineBusySeconds()
    {
        if (!File.Exists("/proc/stat"))
            return double.NaN;
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
        var busy = fields.Take(8).Sum() - fields[3] - fields[4];
        return busy / 100.0; // USER_HZ is 100 on Linux
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? $", load average {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}" : "";

    private static async Task Time(int i, Series series, Func<Task<int>> work)
    {
        var started = Stopwatch.GetTimestamp();
        var rows = await work();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (i < Warmup)
            return;
        series.Milliseconds.Add(elapsed);
        series.Rows += rows;
    }

    private static async Task<IReadOnlyList<PersonSearchHit>> SearchAsEfAsync(WebApplication app, Reader reader, PersonSearchQuery query)
    {
        // One scope per search, as one request: a new DbContext, a pooled connection.
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = reader;
        return await PersonSearch.SearchAsync(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), query);
    }

    private static async Task<int> RunRawAsync(NpgsqlDataSource raw, string sql, NpgsqlParameter[] parameters)
    {
        await using var connection = await raw.OpenConnectionAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
            command.Parameters.Add(p.Clone());
        await using var reader = await command.ExecuteReaderAsync();
        var values = new object[reader.FieldCount];
        var rows = 0;
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows++;
        }
        return rows;
    }

    private static async Task ExplainAsync(NpgsqlDataSource raw, string sql, NpgsqlParameter[] parameters)
    {
        await using var connection = await raw.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection);
        foreach (var p in parameters)
            command.Parameters.Add(p.Clone());
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            Console.WriteLine("    " + reader.GetString(0));
    }

    /// <summary>
    /// Names as people type them: sampled from what the reader can see (and, for a narrow
    /// reader, some they cannot), in either order or the family name alone, half with a typo.
    /// Each is captured as the SQL EF generates for it, with and without the policy.
    /// </summary>
    private static async Task<List<Input>> InputsAsync(WebApplication app, Reader reader, int count, int seed)
    {
        var visible = await AsAsync(app, reader, db => db.People.OrderBy(p => p.Id).Take(20_000)
            .Select(p => new { p.GivenName, p.FamilyName }).ToListAsync());
        var anyone = await AsAsync(app, Reader.System, db => db.People.OrderBy(p => p.Id).Take(20_000)
            .Select(p => new { p.GivenName, p.FamilyName }).ToListAsync());
        var random = new Random(seed);
        var inputs = new List<Input>(count);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = reader;
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        for (var i = 0; i < count; i++)
        {
            var person = random.Next(4) == 0 ? anyone[random.Next(anyone.Count)] : visible[random.Next(visible.Count)];
            var given = random.Next(4) == 0 ? Typo(person.GivenName, random) : person.GivenName;
            var family = random.Next(3) == 0 ? Typo(person.FamilyName, random) : person.FamilyName;
            var name = random.Next(20) switch
            {
                < 12 => $"{given} {family}",
                < 17 => family,
                _ => $"{family} {given}",
            };
            var query = new PersonSearchQuery(name, null, null);
            var candidates = PersonSearch.Candidates(db.People.AsNoTracking(), query).ByName(400);
            var (policySql, policyParameters) = Capture(candidates);
            var (namesSql, namesParameters) = Capture(PersonSearch.Candidates(db.People.IgnoreQueryFilters().AsNoTracking(), query).ByName(400));
            inputs.Add(new Input(query, candidates.ToQueryString(), policySql, policyParameters, namesSql, namesParameters));
        }
        return inputs;
    }

    private static (string Sql, NpgsqlParameter[] Parameters) Capture<T>(IQueryable<T> query)
    {
        using var command = query.CreateDbCommand();
        return (command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray());
    }

    private static string Typo(string name, Random random)
    {
        if (name.Length < 4)
            return name;
        // The first letter stays: people rarely get it wrong, and the search leans on it.
        var i = random.Next(1, name.Length - 1);
        return random.Next(4) switch
        {
            0 => string.Concat(name.AsSpan(0, i), name[i + 1].ToString(), name[i].ToString(), name.AsSpan(i + 2)),
            1 => name.Remove(i, 1),
            2 => name.Insert(i, name[i].ToString()),
            _ => string.Concat(name.AsSpan(0, i), "aeiou"[random.Next(5)].ToString(), name.AsSpan(i + 1)),
        };
    }

    internal static async Task<T> AsAsync<T>(WebApplication app, Reader reader, Func<WaypointDbContext, Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = reader;
        return await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>());
    }
}
