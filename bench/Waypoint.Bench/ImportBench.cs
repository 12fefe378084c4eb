using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Schools.Imports;
using Waypoint.Shell;

/// <summary>
/// A county's school files imported through the real import code (parse, match, compare, write,
/// audit), school by school as schools send them, against PostgreSQL's binary COPY of the very
/// rows the import wrote into the same tables of a fresh database, in the same run. Then the same
/// import on SQLite. The files are generated, deterministic and entirely fictional.
/// </summary>
internal static class ImportBench
{
    private static readonly string[] Surnames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright", "Robinson", "Thompson", "Evans", "Walker", "White",
        "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
        "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan", "Scott", "Watson", "Davis", "Parker", "James", "Bennett",
        "Young", "Phillips", "Richardson", "Mitchell", "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum", "Miller",
        "Cox", "Hussain", "Marshall", "Simpson", "Price", "Anderson", "Adams", "Wilkinson", "Ali", "Ahmed", "Foster", "Ellis", "Murphy", "Chapman", "Mason",
        "Gray", "Richards", "Webb", "Griffiths", "Hunt", "Palmer", "Campbell", "Holmes", "Mills", "Rogers", "Barnes", "Knight", "Matthews", "Barker",
        "Powell", "Stevens", "Kaur", "Fisher", "Butler", "Dixon", "Russell", "Harvey", "Pearson", "Graham", "Nowak", "Okafor", "Mensah", "Kowalski",
    ];

    private static readonly string[] Forenames =
    [
        "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Noah", "Mia", "Jack", "Ivy", "Leo", "Lily", "Arthur", "Isabella", "Muhammad", "Rosie",
        "Oscar", "Sophia", "Charlie", "Grace", "Jacob", "Willow", "Thomas", "Freya", "Henry", "Florence", "William", "Emily", "Alfie", "Ella", "Joshua",
        "Poppy", "Freddie", "Evie", "Archie", "Elsie", "Ethan", "Charlotte", "Isaac", "Evelyn", "Alexander", "Sienna", "Joseph", "Daisy", "Edward",
        "Phoebe", "Samuel", "Sofia", "Max", "Alice", "Logan", "Harper", "Lucas", "Matilda", "Daniel", "Ruby", "Theo", "Emilia", "Arlo", "Maya", "Dylan",
        "Zara", "Adam", "Aisha", "Reuben", "Hannah", "Finley", "Layla", "Ibrahim", "Nia", "Kacper", "Amara", "Tyler", "Chloe", "Riley", "Jessica",
    ];

    private const int WarmUpSchools = 40;
    private const int WarmUpRounds = 3;

    private sealed record County(IReadOnlyList<(string Urn, string Enrolments, string Attendance, string Suspensions)> Schools, int Rows);

    public static async Task<int> RunAsync(string connection, int schools, int pupilsPerSchool, int suspensionsPerSchool, bool sqlite, int workers)
    {
        var county = Generate(schools, pupilsPerSchool, suspensionsPerSchool);
        Console.WriteLine($"County import: {schools} schools x {pupilsPerSchool:N0} pupils = {schools * pupilsPerSchool:N0} pupils; " +
            $"{county.Rows:N0} file rows (enrolments, three terms of attendance, {schools * suspensionsPerSchool:N0} suspensions), {workers} at a time; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        // A server imports with code it has already compiled. Run small schools' files through the
        // import (enough of each kind for the runtime to finish compiling its hot code, about 30
        // calls a method) and through the COPY first, so that neither measurement pays for the JIT.
        for (var round = 0; round < WarmUpRounds; round++)
        {
            var warmImport = await FreshPostgresAsync(connection, $"waypoint_bench_warmup{round}");
            await ImportAsync("Postgres", warmImport, Generate(WarmUpSchools, 50, 5), workers, quiet: true);
            await CopyAsync(warmImport, await FreshPostgresAsync(connection, $"waypoint_bench_warmup_copy{round}"), WarmUpSchools, quiet: true);
            // Gone before the timed run, so that autovacuum is not busy with them while it runs.
            NpgsqlConnection.ClearAllPools();
            await DropPostgresAsync(connection, $"waypoint_bench_warmup{round}");
            await DropPostgresAsync(connection, $"waypoint_bench_warmup_copy{round}");
            await JitSettledAsync();
        }

        var importDb = await FreshPostgresAsync(connection, "waypoint_bench_import");
        var (importSeconds, peak, written) = await ImportAsync("Postgres", importDb, county, workers);
        var copyDb = await FreshPostgresAsync(connection, "waypoint_bench_copy");
        var copySeconds = await CopyAsync(importDb, copyDb, schools);
        var sqliteSeconds = double.NaN;
        if (sqlite)
        {
            var sqlitePath = Path.Combine(Path.GetTempPath(), $"waypoint-bench-import-{Environment.ProcessId}.db");
            File.Delete(sqlitePath);
            (sqliteSeconds, _, _) = await ImportAsync("Sqlite", $"Data Source={sqlitePath}", county, workers);
            File.Delete(sqlitePath);
        }

        Console.WriteLine();
        Console.WriteLine("| | rows | seconds | rows per second |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| import, PostgreSQL (file rows) | {county.Rows:N0} | {importSeconds:F1} | {county.Rows / importSeconds:N0} |");
        Console.WriteLine($"| COPY of the rows the import wrote, PostgreSQL | {written:N0} | {copySeconds:F1} | {written / copySeconds:N0} |");
        Console.WriteLine($"| import, SQLite (file rows) | {county.Rows:N0} | {sqliteSeconds:F1} | {county.Rows / sqliteSeconds:N0} |");
        Console.WriteLine();
        var ratio = copySeconds / importSeconds;
        Console.WriteLine($"Import time against COPY of the same rows: {ratio:P0} of COPY's speed (goal: at least 50%); whole county {importSeconds:F1} s (goal: under 30 s).");
        Console.WriteLine($"Peak working set during the PostgreSQL import: {peak / (1024 * 1024):N0} MB.");
        return ratio >= 0.5 && importSeconds < 30 ? 0 : 3;
    }

    /// <summary>
    /// What keeping the evidence rollups current adds to the county import (issue 15): the same
    /// county imported into a fresh PostgreSQL database with the upkeep switched off and on, in
    /// turn (off first, then on, each round), after the same warm-up; the ratio per round and its spread.
    /// </summary>
    public static async Task<int> UpkeepAsync(string connection, int schools, int pupilsPerSchool, int suspensionsPerSchool, int workers, int rounds)
    {
        var county = Generate(schools, pupilsPerSchool, suspensionsPerSchool);
        Console.WriteLine($"Rollup upkeep in the county import: {schools} schools x {pupilsPerSchool:N0} pupils, {schools * suspensionsPerSchool:N0} suspensions, {workers} at a time, {rounds} rounds; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");
        for (var round = 0; round < WarmUpRounds; round++)
        {
            foreach (var off in new[] { true, false })
            {
                AppContext.SetSwitch("Waypoint.Evidence.RollupUpkeepOff", off);
                var warm = await FreshPostgresAsync(connection, "waypoint_bench_warmup");
                await ImportAsync("Postgres", warm, Generate(WarmUpSchools, 50, 5), workers, quiet: true);
                NpgsqlConnection.ClearAllPools();
                await DropPostgresAsync(connection, "waypoint_bench_warmup");
            }
            await JitSettledAsync();
        }
        // Three measures per round, each as (with / without - 1): the wall clock (the goal's measure, which moves by
        // seconds between imports of the same build at this machine's load), the app's process CPU and the PostgreSQL
        // server's CPU (every process of the server, from /proc, exited backends included), which a busy machine delays
        // but does not inflate much: the upkeep's cost is the CPU it adds.
        var wall = new List<double>();
        var appCpu = new List<double>();
        var serverCpu = new List<double>();
        var total = new Dictionary<bool, (double Wall, double App, double Server)> { [true] = default, [false] = default };
        var postmaster = await PostmasterAsync(connection);
        if (postmaster is null)
            Console.WriteLine("  (the server's processes are not readable here: no server CPU)");
        for (var round = 0; round < rounds; round++)
        {
            var measured = new Dictionary<bool, (double Wall, double App, double Server)>();
            // The order alternates round by round ("off" first in odd rounds, "on" first in even ones), so that
            // whatever the first import of a round pays (a colder file cache, a busier moment) falls on both sides.
            foreach (var off in round % 2 == 0 ? new[] { true, false } : new[] { false, true })
            {
                AppContext.SetSwitch("Waypoint.Evidence.RollupUpkeepOff", off);
                var db = await FreshPostgresAsync(connection, "waypoint_bench_import");
                await CheckpointAsync(connection);
                var server0 = ServerCpuSeconds(postmaster);
                var app0 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                var (seconds, _, _) = await ImportAsync("Postgres", db, county, workers, quiet: true);
                var app1 = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
                var server1 = ServerCpuSeconds(postmaster);
                measured[off] = (seconds, app1 - app0, server1 - server0);
                var sum = total[off];
                total[off] = (sum.Wall + seconds, sum.App + app1 - app0, sum.Server + server1 - server0);
                if (!off)
                {
                    // The upkeep must have counted what the import wrote: every suspension and this year's census.
                    await using var check = new NpgsqlConnection(db);
                    await check.OpenAsync();
                    await using var command = new NpgsqlCommand("""SELECT (SELECT COALESCE(SUM("Count"), 0) FROM "ExclusionDayCounts") - (SELECT COUNT(*) FROM "Suspensions" WHERE "Outcome" <> 'Withdrawn')""", check);
                    if (Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) != 0)
                        throw new InvalidOperationException("The rollups do not add up to the suspensions the import wrote.");
                }
                NpgsqlConnection.ClearAllPools();
                await DropPostgresAsync(connection, "waypoint_bench_import");
            }
            AppContext.SetSwitch("Waypoint.Evidence.RollupUpkeepOff", false);
            var (w0, a0, s0) = measured[true];
            var (w1, a1, s1) = measured[false];
            wall.Add(w1 / w0 - 1);
            appCpu.Add(a1 / a0 - 1);
            serverCpu.Add(s1 / s0 - 1);
            Console.WriteLine($"  round {round + 1} ({(round % 2 == 0 ? "off first" : "on first")}): without / with the upkeep: wall {w0:F1} / {w1:F1} s ({wall[^1]:+0.0%;-0.0%}), " +
                $"app CPU {a0:F1} / {a1:F1} s ({appCpu[^1]:+0.0%;-0.0%}), server CPU {s0:F1} / {s1:F1} s ({serverCpu[^1]:+0.0%;-0.0%}), " +
                $"both CPU {a0 + s0:F1} / {a1 + s1:F1} s ({(a1 + s1) / (a0 + s0) - 1:+0.0%;-0.0%}){Bench.LoadAverage()}");
        }
        static string Spread(List<double> values)
        {
            var sorted = values.Order().ToList();
            return $"{sorted[sorted.Count / 2]:+0.0%;-0.0%} (median of {sorted.Count}; from {sorted[0]:+0.0%;-0.0%} to {sorted[^1]:+0.0%;-0.0%})";
        }
        var (tw0, ta0, ts0) = total[true];
        var (tw1, ta1, ts1) = total[false];
        Console.WriteLine($"Upkeep adds, wall clock: {Spread(wall)}; summed {tw0:F1} -> {tw1:F1} s ({tw1 / tw0 - 1:+0.0%;-0.0%})");
        Console.WriteLine($"Upkeep adds, app CPU:    {Spread(appCpu)}; summed {ta0:F1} -> {ta1:F1} s ({ta1 / ta0 - 1:+0.0%;-0.0%})");
        Console.WriteLine($"Upkeep adds, server CPU: {Spread(serverCpu)}; summed {ts0:F1} -> {ts1:F1} s ({ts1 / ts0 - 1:+0.0%;-0.0%})");
        Console.WriteLine($"Upkeep adds, app + server CPU, summed: {ta0 + ts0:F1} -> {ta1 + ts1:F1} s ({(ta1 + ts1) / (ta0 + ts0) - 1:+0.0%;-0.0%}) (goal: under 10% of the import)");
        var median = wall.Order().ToList()[wall.Count / 2];
        return median < 0.10 ? 0 : 3;
    }

    /// <summary>The server's postmaster (the parent of this session's backend), when the server runs on this machine and /proc shows it.</summary>
    private static async Task<int?> PostmasterAsync(string connection)
    {
        try
        {
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", conn);
            var backend = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
            var stat = ProcStat(backend);
            return stat is null ? null : int.Parse(stat[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The server's CPU so far, in seconds: the postmaster's own and its reaped children's (every exited backend,
    /// autovacuum worker, parallel worker), plus each living child's own.
    /// </summary>
    private static double ServerCpuSeconds(int? postmaster)
    {
        if (postmaster is not { } pm || ProcStat(pm) is not { } own)
            return double.NaN;
        // Fields after the command: [0] state, [1] ppid, ... [11] utime, [12] stime, [13] cutime, [14] cstime (proc(5), from field 3).
        long ticks = long.Parse(own[11], CultureInfo.InvariantCulture) + long.Parse(own[12], CultureInfo.InvariantCulture)
            + long.Parse(own[13], CultureInfo.InvariantCulture) + long.Parse(own[14], CultureInfo.InvariantCulture);
        var parent = pm.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || ProcStat(pid) is not { } stat || stat[1] != parent)
                continue;
            ticks += long.Parse(stat[11], CultureInfo.InvariantCulture) + long.Parse(stat[12], CultureInfo.InvariantCulture);
        }
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /// <summary>A process's /proc/PID/stat fields after its command name (null when it has gone).</summary>
    private static string[]? ProcStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Waits (up to 30 s) until the runtime has stopped compiling: a second with no method compiled.</summary>
    private static async Task JitSettledAsync()
    {
        var clock = Stopwatch.StartNew();
        var count = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(1000);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == count)
                return;
            count = now;
        }
    }

    /// <summary>Enrolments, three terms of attendance and some suspensions for each school, as its MIS would export them.</summary>
    private static County Generate(int schools, int pupilsPerSchool, int suspensionsPerSchool)
    {
        var random = new Random(2026);
        var list = new List<(string, string, string, string)>();
        var rows = 0;
        (DateOnly Start, DateOnly End, int Sessions)[] terms =
        [
            (new(2025, 9, 3), new(2025, 12, 19), 144),
            (new(2026, 1, 5), new(2026, 3, 27), 120),
            (new(2026, 4, 13), new(2026, 7, 17), 134),
        ];
        for (var s = 0; s < schools; s++)
        {
            var urn = (140000 + s).ToString(CultureInfo.InvariantCulture);
            var enrolments = new StringBuilder("UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n");
            var attendance = new StringBuilder("UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes\n");
            var suspensions = new StringBuilder("UPN,Surname,Forename,DateOfBirth,SchoolURN,Category,StartDate,Sessions,Reason1,Reason2,Reason3,Outcome,AlternativeProvision,MissesPublicExam\n");
            var suspendEvery = Math.Max(1, pupilsPerSchool / Math.Max(1, suspensionsPerSchool));
            var suspended = 0;
            for (var i = 0; i < pupilsPerSchool; i++)
            {
                var year = 7 + i % 5;
                var born = new DateOnly(2025 - year - 5, 9, 1).AddDays(random.Next(365));
                var upn = Upn.Create(926, 4000 + s, born.Year + 5 + i / 999 * 10, i % 999 + 1);
                var surname = Surnames[random.Next(Surnames.Length)];
                var forename = Forenames[random.Next(Forenames.Length)];
                var who = $"{upn},{surname},{forename},{born:yyyy-MM-dd}";
                enrolments.Append(CultureInfo.InvariantCulture, $"{who},{(random.Next(2) == 0 ? "F" : "M")},{urn},{new DateOnly(2025 - year + 7, 9, 3):yyyy-MM-dd},,{year},C\n");
                foreach (var (start, end, sessions) in terms)
                {
                    var absent = random.Next(100) < 15 ? random.Next(15, 40) : random.Next(0, 10);
                    var unauthorised = absent / 3;
                    attendance.Append(CultureInfo.InvariantCulture, $"{who},{urn},{start:yyyy-MM-dd},{end:yyyy-MM-dd},{sessions},{sessions - absent},{absent - unauthorised},{unauthorised},\n");
                }
                if (i % suspendEvery == 0 && suspended < suspensionsPerSchool)
                {
                    suspended++;
                    var day = terms[i % 3].Start.AddDays(7 * (1 + random.Next(8)));
                    suspensions.Append(CultureInfo.InvariantCulture, $"{who},{urn},FIXD,{day:yyyy-MM-dd},{2 * (1 + random.Next(3))},PP,,,NotReviewed,N,N\n");
                }
            }
            rows += pupilsPerSchool * 4 + suspended;
            list.Add((urn, enrolments.ToString(), attendance.ToString(), suspensions.ToString()));
        }
        return new County(list, rows);
    }

    internal static async Task<string> FreshPostgresAsync(string connection, string database)
    {
        await DropPostgresAsync(connection, database);
        await AdminAsync(connection, $"CREATE DATABASE \"{database}\"");
        return new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString;
    }

    /// <summary>
    /// Writes out what earlier phases left dirty, so that no phase pays for another's checkpoint
    /// (runs of the same COPY otherwise vary by half). Needs a superuser; without one, skipped.
    /// </summary>
    private static async Task CheckpointAsync(string connection)
    {
        try
        {
            await AdminAsync(connection, "CHECKPOINT");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            Console.WriteLine("  (not a superuser: no CHECKPOINT between phases; expect more variation)");
        }
    }

    private static Task DropPostgresAsync(string connection, string database) =>
        AdminAsync(connection, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");

    private static async Task AdminAsync(string connection, string sql)
    {
        var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn);
        await command.ExecuteNonQueryAsync();
    }

    private static WebApplication BuildApp(string provider, string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Waypoint"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = Environment.GetEnvironmentVariable("BENCH_SQL_LOG") ?? "Warning",
        });
        builder.Services.AddWaypoint(builder.Configuration, builder.Environment);
        return builder.Build();
    }

    /// <summary>The partnership's bare bones: a county, a district, a ward and the schools, with their URNs.</summary>
    private static async Task SchoolsAsync(WaypointDbContext db, int schools)
    {
        var county = new Area { Name = "Benchshire", Kind = AreaKind.County };
        var district = new Area { Name = "Bench District", Kind = AreaKind.District, ParentId = county.Id };
        var ward = new Area { Name = "Bench Ward", Kind = AreaKind.Ward, ParentId = district.Id };
        db.Areas.AddRange(county, district, ward);
        for (var s = 0; s < schools; s++)
            db.Organisations.Add(new Organisation
            {
                Name = $"Bench School {s + 1}",
                Type = OrganisationType.School,
                AreaId = ward.Id,
                Urn = (140000 + s).ToString(CultureInfo.InvariantCulture),
                DfeNumber = $"926{4000 + s}",
                Phase = SchoolPhase.Secondary,
            });
        await db.SaveChangesAsync();
    }

    private static async Task<(double Seconds, long PeakBytes, long RowsWritten)> ImportAsync(string provider, string connectionString, County county, int workers, bool quiet = false)
    {
        await using var app = BuildApp(provider, connectionString);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        await using (var setup = app.Services.CreateAsyncScope())
        {
            setup.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
            await SchoolsAsync(setup.ServiceProvider.GetRequiredService<WaypointDbContext>(), county.Schools.Count);
        }
        var ids = await Bench.AsAsync(app, Reader.System, db => db.Organisations.Where(o => o.Urn != null).ToDictionaryAsync(o => o.Urn!, o => o.Id));
        GC.Collect();
        if (provider == "Postgres")
            await CheckpointAsync(connectionString);
        var machineBefore = Bench.MachineBusySeconds();
        var processBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var clock = Stopwatch.StartNew();
        var stages = new System.Collections.Concurrent.ConcurrentDictionary<string, double>();
        // As the import worker runs them: several schools at once, each school's files in the order sent.
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var lastStage = "";
            var kindNow = ImportKind.Enrolments;
            var lastAt = 0.0;
            Task Progress(int percent, string stage)
            {
                var now = clock.Elapsed.TotalSeconds;
                if (lastStage.Length > 0)
                    stages.AddOrUpdate($"{kindNow}: {lastStage}", now - lastAt, (_, v) => v + now - lastAt);
                (lastStage, lastAt) = (stage, now);
                return Task.CompletedTask;
            }
            foreach (var (urn, enrolments, attendance, suspensions) in county.Schools.Where((_, i) => i % workers == w))
            {
                foreach (var (kind, text) in new[] { (ImportKind.Enrolments, enrolments), (ImportKind.Attendance, attendance), (ImportKind.Suspensions, suspensions) })
                {
                    kindNow = kind;
                    // A scope per file, as the background worker has.
                    await using var scope = app.Services.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
                    var outcome = await scope.ServiceProvider.GetRequiredService<ImportApplier>()
                        .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(text)), $"{urn}-{kind}.csv", ids[urn], Progress, CancellationToken.None);
                    await Progress(100, "");
                    if (!outcome.Applied)
                        throw new InvalidOperationException($"{urn} {kind} rejected: {string.Join("; ", outcome.Problems.Take(3))}");
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var process = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - processBefore;
        var machine = Bench.MachineBusySeconds() - machineBefore;
        if (quiet)
            return (seconds, 0, 0);
        var jit = (System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalSeconds;
        Console.WriteLine($"  {provider} CPU: this process {process:F1} s (compiling code {jit:F1} s), the rest of the machine (the database) {machine - process:F1} s, of {seconds * Environment.ProcessorCount:F1} s on {Environment.ProcessorCount} cores");
        Console.WriteLine($"  {provider} stages{(workers > 1 ? $", summed over {workers} workers" : "")}: {string.Join("; ", stages.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => $"{x.Key} {x.Value:F1} s"))}");
        var peak = Process.GetCurrentProcess().PeakWorkingSet64;
        var written = await Bench.AsAsync(app, Reader.System, async db =>
            (long)await db.People.CountAsync() + await db.PersonIdentifiers.CountAsync() + await db.Enrolments.CountAsync()
            + await db.AttendanceRecords.CountAsync() + await db.Suspensions.CountAsync());
        Console.WriteLine($"  {provider}: imported in {seconds:F1} s; {written:N0} rows written (people, UPNs, enrolments, attendance, suspensions)");
        return (seconds, peak, written);
    }

    /// <summary>The baseline: the rows the import wrote, read back and written by binary COPY into the same tables of a fresh database.</summary>
    private static async Task<double> CopyAsync(string fromConnection, string toConnection, int schools, bool quiet = false)
    {
        await using var from = BuildApp("Postgres", fromConnection);
        await using var to = BuildApp("Postgres", toConnection);
        await DatabaseInitialiser.InitialiseAsync(to.Services, demo: false);
        await using var source = from.Services.CreateAsyncScope();
        source.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        var read = source.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var areas = await read.Areas.AsNoTracking().OrderBy(a => a.ParentId != null).ThenBy(a => a.Kind).ToListAsync();
        var organisations = await read.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School).ToListAsync();
        var people = await read.People.AsNoTracking().ToListAsync();
        var identifiers = await read.PersonIdentifiers.AsNoTracking().ToListAsync();
        var enrolments = await read.Enrolments.AsNoTracking().ToListAsync();
        var attendance = await read.AttendanceRecords.AsNoTracking().ToListAsync();
        var suspensions = await read.Suspensions.AsNoTracking().ToListAsync();

        await using var target = to.Services.CreateAsyncScope();
        target.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        var write = target.ServiceProvider.GetRequiredService<WaypointDbContext>();
        write.Areas.AddRange(areas);
        write.Organisations.AddRange(organisations);
        await write.SaveChangesAsync();
        write.ChangeTracker.Clear();

        await CheckpointAsync(toConnection);
        var machineBefore = Bench.MachineBusySeconds();
        var clock = Stopwatch.StartNew();
        var connection = (NpgsqlConnection)write.Database.GetDbConnection();
        await connection.OpenAsync();
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await new PostgresBulkWriter<Person>(write).WriteAsync(connection, people, CancellationToken.None);
            await new PostgresBulkWriter<PersonIdentifier>(write).WriteAsync(connection, identifiers, CancellationToken.None);
            await new PostgresBulkWriter<Enrolment>(write).WriteAsync(connection, enrolments, CancellationToken.None);
            await new PostgresBulkWriter<AttendanceRecord>(write).WriteAsync(connection, attendance, CancellationToken.None);
            await new PostgresBulkWriter<Suspension>(write).WriteAsync(connection, suspensions, CancellationToken.None);
            await tx.CommitAsync();
        }
        var seconds = clock.Elapsed.TotalSeconds;
        if (!quiet)
            Console.WriteLine($"  PostgreSQL COPY baseline: {seconds:F1} s for {schools} schools' rows; the machine busy {Bench.MachineBusySeconds() - machineBefore:F1} CPU s");
        return seconds;
    }
}
