using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Shell;

/// <summary>
/// Scoring the county (bench/README.md, section 4): every young person's score under the published
/// matrix, three ways in the same run on the same database: one set-based SQL query that computes
/// the same scores (the baseline, generated from the matrix), the app's scoring without writing
/// (load the facts through EF, score in memory), and the app's full recompute (which writes only
/// changed scores). The SQL's scores are checked against the app's, so the baseline is honest.
/// Then the equality report, against the SQL that reads the same rows.
/// </summary>
internal static class RiskBench
{
    public static async Task<int> RunAsync(string connection, int rounds, int occurrencesPerYear)
    {
        await using var app = BuildApp(connection);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        await app.Services.GetRequiredService<RiskScoring>().EnsureStarterAsync(CancellationToken.None);
        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connection));
        await GenerateHistoryAsync(app, raw, occurrencesPerYear);
        var (young, occurrences, matrix) = await AsSystemAsync(app, async db => (
            await db.People.CountAsync(p => p.Kind == PersonKind.YoungPerson),
            await db.OccurrencePeople.CountAsync(),
            (await RiskScoring.PublishedAsync(db, CancellationToken.None))!));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Console.WriteLine($"Risk scoring: {young:N0} young people, {occurrences:N0} occurrence links, matrix v{matrix.Number} ({matrix.Factors.Count} factors); " +
            $"{rounds} rounds after a warm-up; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        var sql = RiskReferenceSql.For(matrix, today);
        Dictionary<Guid, (int O, int V)> bySql = [];
        Dictionary<Guid, (int O, int V)> byApp = [];
        var sqlTimes = new List<double>();
        var computeTimes = new List<double>();
        var recomputeTimes = new List<double>();
        long computePeak = 0;

        // Warm-up: the first full recompute also writes every score that changed since the data was generated.
        var first = Stopwatch.StartNew();
        var written = await app.Services.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(CancellationToken.None);
        Console.WriteLine($"  warm-up recompute (writes): {first.Elapsed.TotalSeconds:F2} s, {written:N0} scores written");
        for (var round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            bySql = await SqlScoresAsync(raw, sql);
            var sqlSeconds = clock.Elapsed.TotalSeconds;

            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            (byApp, var readSeconds, var scoreSeconds) = await AppScoresAsync(app, matrix, today);
            var computeSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"    round {round}: SQL {sqlSeconds:F2} s; app scoring {computeSeconds:F2} s (reading {readSeconds:F2} s, scoring in memory {scoreSeconds:F2} s)");
            computePeak = Math.Max(computePeak, GC.GetTotalAllocatedBytes(precise: true) - before);

            clock.Restart();
            await app.Services.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(CancellationToken.None);
            var recomputeSeconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"    round {round}: app recompute {recomputeSeconds:F2} s");
            if (round == 0)
                continue; // the round after the warm-up settles the JIT and the caches; not counted
            sqlTimes.Add(sqlSeconds);
            computeTimes.Add(computeSeconds);
            recomputeTimes.Add(recomputeSeconds);
        }

        var mismatches = byApp.Count(kv => bySql.GetValueOrDefault(kv.Key) != kv.Value) + bySql.Keys.Count(k => !byApp.ContainsKey(k) && bySql[k] != (0, 0));
        // The stored scores too (what the recompute wrote): a person the SQL scores 0 may hold a 0 row or none.
        var stored = await AsSystemAsync(app, db => db.RiskScores.AsNoTracking().Where(s => s.IsLatest).Select(s => new { s.PersonId, s.Offending, s.Vulnerability }).ToDictionaryAsync(s => s.PersonId, s => (s.Offending, s.Vulnerability)));
        var storedMismatches = stored.Count(kv => bySql.GetValueOrDefault(kv.Key) != kv.Value) + bySql.Count(kv => !stored.ContainsKey(kv.Key) && kv.Value != (0, 0));
        Console.WriteLine($"  stored latest scores against the SQL: {stored.Count:N0} rows, mismatches {storedMismatches:N0}");
        mismatches += storedMismatches;
        Console.WriteLine($"  scored people (non-zero): SQL {bySql.Count(kv => kv.Value != (0, 0)):N0}, app {byApp.Count(kv => kv.Value != (0, 0)):N0}; mismatches {mismatches:N0}");
        Report("set-based SQL (baseline)", sqlTimes, sqlTimes);
        Report("app scoring, no writes (EF facts + in-memory)", computeTimes, sqlTimes);
        Report("app recompute (steady state, writes changes only)", recomputeTimes, sqlTimes);
        Console.WriteLine($"  per young person: SQL {Median(sqlTimes) / young * 1e6:F1} µs, app scoring {Median(computeTimes) / young * 1e6:F1} µs, app recompute {Median(recomputeTimes) / young * 1e6:F1} µs");
        Console.WriteLine($"  allocated by one app scoring pass: {computePeak / 1024.0 / 1024.0:F0} MiB; working set now {Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:F0} MiB, peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB");

        // The equality report: the app's report (system scope, counting, suppression) against reading the rows it reads.
        var reportTimes = new List<double>();
        var readTimes = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            await ReadEqualityRowsAsync(raw, today);
            var read = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await app.Services.GetRequiredService<EqualityMonitoring>().ReportAsync(CancellationToken.None);
            var report = clock.Elapsed.TotalSeconds;
            if (round == 0)
                continue;
            readTimes.Add(read);
            reportTimes.Add(report);
        }
        Report("equality: raw SQL reading the same rows (baseline)", readTimes, readTimes);
        Report("equality: the report (EqualityMonitoring)", reportTimes, readTimes);
        return mismatches == 0 ? 0 : 2;
    }

    /// <summary>
    /// The school and police history the county data set lacks (it holds people, families and
    /// enrolments): a year of attendance by term, suspensions, behaviour incidents, occurrences
    /// linking one to three young people each, and flags. Written set-based in SQL (a million
    /// young people in minutes, not hours), with a fixed seed; skipped when present.
    /// </summary>
    private static async Task GenerateHistoryAsync(WebApplication app, NpgsqlDataSource raw, int occurrencesPerYear)
    {
        var already = await AsSystemAsync(app, db => db.Occurrences.CountAsync());
        if (already >= occurrencesPerYear / 2)
            return;
        var clock = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (police, user) = await AsSystemAsync(app, async db => (
            await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.Police).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync(),
            await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => u.Id).FirstAsync()));
        var d = $"DATE '{today:yyyy-MM-dd}'";
        var subGroups = string.Join(", ", HomeOfficeOffences.SubGroups.Select((g, i) => $"({i}, '{g.Group.Replace("'", "''")}', '{g.Code}')"));
        await using var connection = await raw.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long rows = 0;
        foreach (var sql in new[]
        {
            // A run cut off part-way leaves part of the history: start it again from nothing.
            "DELETE FROM \"OccurrencePeople\"", "DELETE FROM \"Occurrences\"", "DELETE FROM \"PersonFlags\"",
            "DELETE FROM \"BehaviourIncidents\"", "DELETE FROM \"Suspensions\"", "DELETE FROM \"AttendanceRecords\"",
            "SELECT setseed(0.13)",
            "CREATE TEMP TABLE bench_pupils ON COMMIT DROP AS SELECT DISTINCT ON (e.\"PersonId\") e.\"PersonId\" AS person, e.\"SchoolId\" AS school, random() AS a, random() AS s, random() AS b, random() AS f " +
                "FROM \"Enrolments\" e JOIN \"People\" p ON p.\"Id\" = e.\"PersonId\" WHERE e.\"EndDate\" IS NULL AND p.\"Kind\" = 'YoungPerson' ORDER BY e.\"PersonId\", e.\"SchoolId\"",
            "CREATE TEMP TABLE bench_young ON COMMIT DROP AS SELECT person, (row_number() OVER (ORDER BY person) - 1)::int AS i FROM bench_pupils",
            "CREATE INDEX ON bench_young (i)",
            // Three terms of attendance for every pupil, 15% below 90%.
            "INSERT INTO \"AttendanceRecords\" (\"Id\", \"PersonId\", \"SchoolId\", \"PeriodStart\", \"PeriodEnd\", \"SessionsPossible\", \"SessionsPresent\", \"AuthorisedAbsence\", \"UnauthorisedAbsence\", \"RecordedAt\") " +
                "SELECT gen_random_uuid(), person, school, (ends - INTERVAL '4 months')::date, ends, possible, present, 0, possible - present, now() FROM (" +
                $"SELECT person, school, ({d} - make_interval(months => 4 * t))::date AS ends, possible, floor(possible * CASE WHEN a < 0.15 THEN 0.70 + random() * 0.2 ELSE 0.92 + random() * 0.08 END)::int AS present " +
                "FROM (SELECT person, school, a, t, 120 + floor(random() * 10)::int AS possible FROM bench_pupils CROSS JOIN generate_series(0, 2) t) q) r",
            // Suspensions: 8% of pupils, one to three on different days in the year.
            "INSERT INTO \"Suspensions\" (\"Id\", \"PersonId\", \"SchoolId\", \"Kind\", \"StartDate\", \"Sessions\", \"IsLunchtime\", \"ReasonCode1\", \"Outcome\", \"AlternativeProvisionArranged\", \"MissesPublicExamination\", \"RecordedAt\") " +
                $"SELECT gen_random_uuid(), person, school, 'Suspension', {d} - day, 2, false, 'PP', 'NotReviewed', false, false, now() FROM (" +
                "SELECT DISTINCT person, school, 1 + floor(random() * 364)::int AS day FROM bench_pupils CROSS JOIN LATERAL generate_series(1, 1 + floor(s * 10000)::int % 3) g WHERE s < 0.08) q",
            // Behaviour incidents: 20% of pupils, one to five.
            "INSERT INTO \"BehaviourIncidents\" (\"Id\", \"PersonId\", \"SchoolId\", \"OccurredOn\", \"Category\", \"Severity\", \"Description\", \"RecordedAt\") " +
                $"SELECT gen_random_uuid(), person, school, {d} - day, 'DisruptionInLessons', 1 + floor(random() * 3)::int, 'Disruption in class (' || day || ')', now() FROM (" +
                "SELECT DISTINCT person, school, 1 + floor(random() * 364)::int AS day FROM bench_pupils CROSS JOIN LATERAL generate_series(1, 1 + floor(b * 10000)::int % 5) g WHERE b < 0.2) q",
            // Flags: 1.5% of pupils, one of the five kinds, review in one to five months.
            "INSERT INTO \"PersonFlags\" (\"Id\", \"PersonId\", \"Kind\", \"Evidence\", \"OwnerOrganisationId\", \"CategoryCode\", \"SetByUserId\", \"SetAt\", \"ReviewOn\", \"Status\") " +
                $"SELECT gen_random_uuid(), person, (ARRAY['GangAssociated', 'CriminalExploitationRisk', 'SexualExploitationRisk', 'GoingMissing', 'IntegratedOffenderManagement'])[1 + floor(random() * 5)::int], 'Bench', '{police}', '{RecordCategories.PoliceGeneral}', '{user}', now(), " +
                $"({d} + make_interval(months => 1 + floor(random() * 5)::int))::date, 'Active' FROM bench_pupils WHERE f < 0.015",
            // Occurrences: 30% non-crime incidents, the rest a Home Office sub-group; one to three young people each, in a role the kind allows.
            $"CREATE TEMP TABLE bench_occurrences ON COMMIT DROP AS SELECT gen_random_uuid() AS id, n, CASE WHEN r < 0.1 THEN 'MissingPerson' WHEN r < 0.2 THEN 'ConcernForSafety' WHEN r < 0.3 THEN 'AntisocialBehaviour' END AS incident, " +
                $"floor(random() * {HomeOfficeOffences.SubGroups.Count})::int AS sub, {d} - (1 + floor(random() * 364)::int) AS occurred FROM (SELECT n, random() AS r FROM generate_series(0, {occurrencesPerYear - 1}) n) q",
            "INSERT INTO \"Occurrences\" (\"Id\", \"PoliceReference\", \"OccurredOn\", \"OffenceGroup\", \"OffenceSubGroup\", \"IncidentType\", \"OwnerOrganisationId\", \"CategoryCode\", \"RecordedByUserId\", \"RecordedAt\") " +
                $"SELECT o.id, 'BENCH-' || lpad(o.n::text, 7, '0'), o.occurred, CASE WHEN o.incident IS NULL THEN g.grp END, CASE WHEN o.incident IS NULL THEN g.code END, o.incident, '{police}', '{RecordCategories.PoliceGeneral}', '{user}', now() " +
                $"FROM bench_occurrences o JOIN (VALUES {subGroups}) AS g(i, grp, code) ON g.i = o.sub",
            "INSERT INTO \"OccurrencePeople\" (\"Id\", \"OccurrenceId\", \"PersonId\", \"Role\") " +
                "SELECT gen_random_uuid(), x.id, y.person, CASE x.incident WHEN 'MissingPerson' THEN (ARRAY['MissingPerson', 'Witness'])[1 + floor(random() * 2)::int] " +
                "WHEN 'ConcernForSafety' THEN (ARRAY['SubjectOfConcern', 'Witness'])[1 + floor(random() * 2)::int] " +
                "WHEN 'AntisocialBehaviour' THEN (ARRAY['Suspect', 'Victim', 'Witness', 'SubjectOfConcern'])[1 + floor(random() * 4)::int] " +
                "ELSE (ARRAY['Victim', 'Witness', 'Suspect', 'Offender'])[1 + floor(random() * 4)::int] END " +
                "FROM (SELECT DISTINCT o.id, o.incident, floor(random() * (SELECT count(*) FROM bench_young))::int AS pick FROM bench_occurrences o CROSS JOIN LATERAL generate_series(1, 1 + o.n % 3) g) x " +
                "JOIN bench_young y ON y.i = x.pick",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 3600 };
            var n = await command.ExecuteNonQueryAsync();
            if (sql.StartsWith("INSERT", StringComparison.Ordinal))
                rows += n;
        }
        await transaction.CommitAsync();
        foreach (var table in new[] { "AttendanceRecords", "Suspensions", "BehaviourIncidents", "PersonFlags", "Occurrences", "OccurrencePeople" })
        {
            await using var analyse = new NpgsqlCommand($"ANALYZE \"{table}\"", connection);
            await analyse.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"  history generated in SQL: {rows:N0} rows ({occurrencesPerYear:N0} occurrences) in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static void Report(string name, List<double> seconds, List<double> baseline)
    {
        var median = Median(seconds);
        Console.WriteLine($"  {name}: median {median:F2} s (min {seconds.Min():F2}, max {seconds.Max():F2}); x{median / Median(baseline):F1} the baseline");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// What the app's scoring computes, chunk by chunk as the recompute reads (a range of young
    /// people, the facts set-based for the range), without writing; the time split into reading and scoring.
    /// </summary>
    private static async Task<(Dictionary<Guid, (int, int)> Scores, double ReadSeconds, double ScoreSeconds)> AppScoresAsync(WebApplication app, RiskMatrixVersion matrix, DateOnly today) =>
        await AsSystemAsync(app, async db =>
        {
            var result = new Dictionary<Guid, (int, int)>();
            var read = new Stopwatch();
            var score = new Stopwatch();
            Guid? after = null;
            while (true)
            {
                read.Start();
                var q = db.People.AsNoTracking().Where(p => p.Kind == PersonKind.YoungPerson);
                if (after is { } a)
                    q = q.Where(p => p.Id.CompareTo(a) > 0);
                var ids = await q.OrderBy(p => p.Id).Select(p => p.Id).Take(RiskScoring.ChunkSize).ToArrayAsync();
                if (ids.Length == 0)
                    break;
                var (first, last) = (ids[0], ids[^1]);
                var restricted = (await db.RestrictedPeople().Where(id => id.CompareTo(first) >= 0 && id.CompareTo(last) <= 0).ToListAsync()).ToHashSet();
                var facts = await RiskFacts.LoadRangeAsync(db, ids.Where(id => !restricted.Contains(id)).ToList(), first, last, matrix.Factors, today, CancellationToken.None);
                read.Stop();
                score.Start();
                foreach (var (id, list) in facts)
                {
                    var scored = RiskMatrixRules.Score(matrix.Factors, list, today);
                    result[id] = (scored.Offending, scored.Vulnerability);
                }
                score.Stop();
                after = last;
            }
            read.Stop();
            return (result, read.Elapsed.TotalSeconds, score.Elapsed.TotalSeconds);
        });

    /// <summary>The reference statement (<see cref="RiskReferenceSql"/>) straight through Npgsql: the baseline.</summary>
    private static async Task<Dictionary<Guid, (int, int)>> SqlScoresAsync(NpgsqlDataSource raw, string sql)
    {
        var result = new Dictionary<Guid, (int, int)>();
        await using var command = raw.CreateCommand(sql);
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result[reader.GetGuid(0)] = ((int)reader.GetInt64(1), (int)reader.GetInt64(2));
        return result;
    }

    private static async Task ReadEqualityRowsAsync(NpgsqlDataSource raw, DateOnly today)
    {
        var d = $"DATE '{today:yyyy-MM-dd}'";
        foreach (var sql in new[]
        {
            $"SELECT e.\"PersonId\", p.\"Sex\", p.\"AreaId\", p.\"DateOfBirth\", e.\"Ethnicity\", e.\"SenProvision\", e.\"FsmEligible\" FROM \"Enrolments\" e JOIN \"People\" p ON p.\"Id\" = e.\"PersonId\" WHERE e.\"StartDate\" <= {d} AND (e.\"EndDate\" IS NULL OR e.\"EndDate\" >= {d}) AND p.\"Kind\" = 'YoungPerson'",
            "SELECT DISTINCT \"PersonId\" FROM \"CohortReviews\" WHERE \"Decision\" = 'Accepted' AND \"EndedAt\" IS NULL",
            "SELECT DISTINCT \"PersonId\" FROM \"TopTenNominations\" WHERE \"WithdrawnAt\" IS NULL",
            "SELECT \"PersonId\" FROM \"RiskScores\" WHERE \"IsLatest\" AND \"OffendingBand\" = 'High'",
            "SELECT \"PersonId\" FROM \"RiskScores\" WHERE \"IsLatest\" AND \"VulnerabilityBand\" = 'High'",
            $"SELECT DISTINCT \"PersonId\" FROM \"PersonFlags\" WHERE \"Status\" = 'Active' AND \"ReviewOn\" >= {d}",
        })
        {
            await using var command = raw.CreateCommand(sql);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                    _ = reader.GetValue(i);
            }
        }
    }

    private static async Task<T> AsSystemAsync<T>(WebApplication app, Func<WaypointDbContext, Task<T>> work)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("the risk bench reads and scores every young person, as the nightly run does");
        return await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>());
    }

    private static WebApplication BuildApp(string connectionString)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Waypoint"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Risk:NightlyAt"] = "off",
        });
        builder.Services.AddWaypoint(builder.Configuration, builder.Environment);
        return builder.Build();
    }
}
