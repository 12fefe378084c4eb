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
/// Then the equality report, against one raw GROUP BY of the same counts (see <see cref="EqualityAsync"/>).
/// </summary>
internal static class RiskBench
{
    public static async Task<int> RunAsync(string connection, int rounds, int occurrencesPerYear, bool historyOnly, bool equality)
    {
        await using var app = BuildApp(connection);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        await app.Services.GetRequiredService<RiskScoring>().EnsureStarterAsync(CancellationToken.None);
        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connection));
        await GenerateHistoryAsync(app, raw, occurrencesPerYear);
        if (historyOnly)
            return 0;
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
        var sqlCpu = new List<double>();
        var computeCpu = new List<double>();
        var recomputeCpu = new List<double>();
        for (var round = 0; round <= rounds; round++)
        {
            var cpu = await CpuSecondsAsync(raw);
            var clock = Stopwatch.StartNew();
            bySql = await SqlScoresAsync(raw, sql);
            var sqlSeconds = clock.Elapsed.TotalSeconds;
            var sqlCpuSeconds = await CpuSecondsAsync(raw) - cpu;

            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            cpu = await CpuSecondsAsync(raw);
            clock.Restart();
            (byApp, var readSeconds, var scoreSeconds) = await AppScoresAsync(app, matrix, today);
            var computeSeconds = clock.Elapsed.TotalSeconds;
            var computeCpuSeconds = await CpuSecondsAsync(raw) - cpu;
            Console.WriteLine($"    round {round}: SQL {sqlSeconds:F2} s ({sqlCpuSeconds:F2} CPU s); app scoring {computeSeconds:F2} s ({computeCpuSeconds:F2} CPU s; reading {readSeconds:F2} s, scoring in memory {scoreSeconds:F2} s){Bench.LoadAverage()}");
            computePeak = Math.Max(computePeak, GC.GetTotalAllocatedBytes(precise: true) - before);

            cpu = await CpuSecondsAsync(raw);
            clock.Restart();
            await app.Services.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(CancellationToken.None);
            var recomputeSeconds = clock.Elapsed.TotalSeconds;
            var recomputeCpuSeconds = await CpuSecondsAsync(raw) - cpu;
            Console.WriteLine($"    round {round}: app recompute {recomputeSeconds:F2} s ({recomputeCpuSeconds:F2} CPU s)");
            if (round == 0)
                continue; // the round after the warm-up settles the JIT and the caches; not counted
            sqlTimes.Add(sqlSeconds);
            computeTimes.Add(computeSeconds);
            recomputeTimes.Add(recomputeSeconds);
            sqlCpu.Add(sqlCpuSeconds);
            computeCpu.Add(computeCpuSeconds);
            recomputeCpu.Add(recomputeCpuSeconds);
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
        Report("CPU: set-based SQL (baseline; the app and the database's server processes)", sqlCpu, sqlCpu);
        Report("CPU: app scoring, no writes", computeCpu, sqlCpu);
        Report("CPU: app recompute", recomputeCpu, sqlCpu);
        Console.WriteLine($"  CPU per young person: SQL {Median(sqlCpu) / young * 1e6:F1} µs, app scoring {Median(computeCpu) / young * 1e6:F1} µs, app recompute {Median(recomputeCpu) / young * 1e6:F1} µs");
        Console.WriteLine($"  per young person: SQL {Median(sqlTimes) / young * 1e6:F1} µs, app scoring {Median(computeTimes) / young * 1e6:F1} µs, app recompute {Median(recomputeTimes) / young * 1e6:F1} µs");
        Console.WriteLine($"  allocated by one app scoring pass: {computePeak / 1024.0 / 1024.0:F0} MiB; working set now {Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:F0} MiB, peak {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; {DateTime.UtcNow:HH:mm} UTC{Bench.LoadAverage()}");

        if (!equality)
            return mismatches == 0 ? 0 : 2;
        // The equality report: the app's report (system scope, counting, suppression) against the raw GROUP BY of the same counts
        // (the `equality` command times the two with percentiles and checks the counts).
        var reportTimes = new List<double>();
        var readTimes = new List<double>();
        var equalitySql = EqualityReferenceSql(today);
        for (var round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            await EqualityCellsAsync(raw, equalitySql);
            var read = clock.Elapsed.TotalSeconds;
            clock.Restart();
            await app.Services.GetRequiredService<EqualityMonitoring>().ReportAsync(CancellationToken.None);
            var report = clock.Elapsed.TotalSeconds;
            if (round == 0)
                continue;
            readTimes.Add(read);
            reportTimes.Add(report);
        }
        Report("equality: raw GROUP BY of the same counts (baseline)", readTimes, readTimes);
        Report("equality: the report (EqualityMonitoring)", reportTimes, readTimes);
        return mismatches == 0 ? 0 : 2;
    }

    /// <summary>
    /// The equality report (bench/README.md, section 4): <see cref="EqualityMonitoring.ReportAsync"/>
    /// (the cohorts and the population counted by grouped statements, then suppression and ratios)
    /// against one raw GROUP BY (grouping sets) that makes the same counts, alternately in the same
    /// run, p50 and p95 over <paramref name="runs"/> runs each after a warm-up. The population
    /// counts the report shows are checked against the raw statement's, so the baseline is honest.
    /// </summary>
    public static async Task<int> EqualityAsync(string connection, int runs, int occurrencesPerYear)
    {
        await using var app = BuildApp(connection);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        await app.Services.GetRequiredService<RiskScoring>().EnsureStarterAsync(CancellationToken.None);
        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connection));
        await GenerateHistoryAsync(app, raw, occurrencesPerYear);
        await GenerateEqualityDataAsync(app, raw);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var young = await AsSystemAsync(app, db => db.People.CountAsync(p => p.Kind == PersonKind.YoungPerson));
        var monitoring = app.Services.GetRequiredService<EqualityMonitoring>();
        var sql = EqualityReferenceSql(today);
        Console.WriteLine($"Equality report: {young:N0} young people; {runs} runs each after a warm-up; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        List<(string Dimension, string Group, int Count)> cells = [];
        IReadOnlyList<CohortRepresentation> report = [];
        var sqlTimes = new List<double>();
        var reportTimes = new List<double>();
        var sqlCpu = new List<double>();
        var reportCpu = new List<double>();
        var machineBefore = Bench.MachineBusySeconds();
        var wall = Stopwatch.StartNew();
        for (var run = -1; run < runs; run++)
        {
            var cpu = await CpuSecondsAsync(raw);
            var clock = Stopwatch.StartNew();
            cells = await EqualityCellsAsync(raw, sql);
            var sqlSeconds = clock.Elapsed.TotalSeconds;
            var sqlCpuSeconds = await CpuSecondsAsync(raw) - cpu;
            cpu = await CpuSecondsAsync(raw);
            clock.Restart();
            (report, _) = await monitoring.ReportAsync(CancellationToken.None);
            var reportSeconds = clock.Elapsed.TotalSeconds;
            var reportCpuSeconds = await CpuSecondsAsync(raw) - cpu;
            if (run < 0)
            {
                Console.WriteLine($"  warm-up: raw GROUP BY {sqlSeconds:F2} s, report {reportSeconds:F2} s{Bench.LoadAverage()}");
                continue;
            }
            sqlTimes.Add(sqlSeconds);
            reportTimes.Add(reportSeconds);
            sqlCpu.Add(sqlCpuSeconds);
            reportCpu.Add(reportCpuSeconds);
        }
        var machineBusy = (Bench.MachineBusySeconds() - machineBefore) / wall.Elapsed.TotalSeconds;

        // The population column of the report against the raw statement's counts (shown cells only).
        var mismatches = 0;
        var compared = 0;
        foreach (var row in report[0].Rows.Where(r => r.Population is not null && r.Characteristic is not ("Ward" or "Age band")))
        {
            var expected = cells.Where(c => c.Dimension == row.Characteristic && c.Group == row.Group).Sum(c => c.Count);
            compared++;
            if (expected != row.Population)
            {
                mismatches++;
                Console.WriteLine($"  MISMATCH {row.Characteristic} {row.Group}: report {row.Population}, SQL {expected}");
            }
        }
        Console.WriteLine($"  cohorts: {string.Join("; ", report.Select(c => $"{c.Cohort} {c.Size?.ToString("N0", CultureInfo.InvariantCulture) ?? "suppressed"}"))}");
        Console.WriteLine($"  population counts compared with the raw GROUP BY: {compared}, mismatches {mismatches}");
        Percentiles("raw GROUP BY (baseline)", sqlTimes, sqlTimes);
        Percentiles("equality report (EqualityMonitoring)", reportTimes, sqlTimes);
        Console.WriteLine($"  CPU seconds (this process and the database's server processes), median: raw {Median(sqlCpu):F2}, report {Median(reportCpu):F2}, x{Median(reportCpu) / Median(sqlCpu):F1}");
        Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB; machine busy {machineBusy:F2} of {Environment.ProcessorCount} cores during the runs; {DateTime.UtcNow:HH:mm} UTC{Bench.LoadAverage()}");
        return mismatches == 0 ? 0 : 2;
    }

    private static void Percentiles(string name, List<double> seconds, List<double> baseline)
    {
        static double P(List<double> v, double q) => v.Order().ElementAt(Math.Min(v.Count - 1, (int)Math.Ceiling(q * v.Count) - 1));
        Console.WriteLine($"  {name}: p50 {P(seconds, 0.5):F3} s, p95 {P(seconds, 0.95):F3} s (min {seconds.Min():F3}, max {seconds.Max():F3}); " +
            $"p50 x{P(seconds, 0.5) / P(baseline, 0.5):F2}, p95 x{P(seconds, 0.95) / P(baseline, 0.95):F2} the baseline");
    }

    /// <summary>
    /// The same counts as the report in one statement: the young people on a roll today, each once,
    /// with their chosen school record's characteristics (the fullest, then the lowest id), grouped by
    /// ward, age band, cohort membership (bits, restricted apart) and each characteristic in turn
    /// (grouping sets); then each cohort's size and restricted members.
    /// </summary>
    private static string EqualityReferenceSql(DateOnly today)
    {
        var d = $"DATE '{today:yyyy-MM-dd}'";
        string Cut(int years) => $"DATE '{EqualityMonitoring.BornOnOrBefore(years, today):yyyy-MM-dd}'";
        const string Held = "((c.\"Sex\" IS NOT NULL)::int + (c.\"Ethnicity\" IS NOT NULL)::int + (c.\"SenProvision\" IS NOT NULL)::int + (c.\"FsmEligible\" IS NOT NULL)::int)";
        return $"""
            WITH cur AS (SELECT "PersonId", "SchoolId" FROM "Enrolments" WHERE "StartDate" <= {d} AND ("EndDate" IS NULL OR "EndDate" >= {d})),
            restricted AS (SELECT DISTINCT "PersonId" AS id FROM "ProcessingRestrictions" WHERE "LiftedAt" IS NULL),
            c0 AS (SELECT DISTINCT "PersonId" AS id FROM "CohortReviews" WHERE "Decision" = 'Accepted' AND "EndedAt" IS NULL),
            c1 AS (SELECT DISTINCT "PersonId" AS id FROM "TopTenNominations" WHERE "WithdrawnAt" IS NULL),
            c2 AS (SELECT DISTINCT "PersonId" AS id FROM "RiskScores" WHERE "IsLatest" AND "OffendingBand" = 'High'),
            c3 AS (SELECT DISTINCT "PersonId" AS id FROM "RiskScores" WHERE "IsLatest" AND "VulnerabilityBand" = 'High'),
            c4 AS (SELECT DISTINCT "PersonId" AS id FROM "PersonFlags" WHERE "Status" = 'Active' AND "ReviewOn" >= {d}),
            chosen AS (SELECT DISTINCT ON (c."PersonId") c."PersonId", c."Sex", c."Ethnicity", c."SenProvision", c."FsmEligible"
                FROM "PupilCharacteristics" c WHERE EXISTS (SELECT 1 FROM cur WHERE cur."PersonId" = c."PersonId" AND cur."SchoolId" = c."SchoolId")
                ORDER BY c."PersonId", {Held} DESC, c."Id"),
            pupils AS (
                SELECT p."AreaId" AS area,
                    CASE WHEN p."DateOfBirth" IS NULL THEN 0 WHEN p."DateOfBirth" > {Cut(11)} THEN 1 WHEN p."DateOfBirth" > {Cut(14)} THEN 2 WHEN p."DateOfBirth" > {Cut(16)} THEN 3 ELSE 4 END AS band,
                    (p."Id" IN (SELECT id FROM c0))::int + 2 * (p."Id" IN (SELECT id FROM c1))::int + 4 * (p."Id" IN (SELECT id FROM c2))::int
                        + 8 * (p."Id" IN (SELECT id FROM c3))::int + 16 * (p."Id" IN (SELECT id FROM c4))::int + 32 * (p."Id" IN (SELECT id FROM restricted))::int AS bits,
                    COALESCE(NULLIF(ch."Sex", 'Unknown'), p."Sex") AS sex, ch."Ethnicity" AS ethnicity, ch."SenProvision" AS sen, ch."FsmEligible" AS fsm
                FROM "People" p LEFT JOIN chosen ch ON ch."PersonId" = p."Id"
                WHERE p."Kind" = 'YoungPerson' AND EXISTS (SELECT 1 FROM cur WHERE cur."PersonId" = p."Id"))
            SELECT CASE WHEN GROUPING(sex) = 0 THEN 'Sex' WHEN GROUPING(ethnicity) = 0 THEN 'Ethnicity' WHEN GROUPING(sen) = 0 THEN 'SEN provision' ELSE 'Free school meals' END AS dimension,
                area, band, bits, COALESCE(sex, ethnicity, sen, fsm::text) AS value, count(*)::int AS n
            FROM pupils GROUP BY GROUPING SETS ((area, band, bits, sex), (area, band, bits, ethnicity), (area, band, bits, sen), (area, band, bits, fsm))
            UNION ALL
            SELECT 'Cohort ' || k, NULL, NULL, NULL, NULL, count(*)::int - count(r.id)::int
            FROM (SELECT 0 AS k, id FROM c0 UNION ALL SELECT 1, id FROM c1 UNION ALL SELECT 2, id FROM c2 UNION ALL SELECT 3, id FROM c3 UNION ALL SELECT 4, id FROM c4) m
                LEFT JOIN restricted r ON r.id = m.id GROUP BY k
            """;
    }

    /// <summary>The raw statement's cells, with each raw value mapped to the report's group (all the cells are read).</summary>
    private static async Task<List<(string Dimension, string Group, int Count)>> EqualityCellsAsync(NpgsqlDataSource raw, string sql)
    {
        var cells = new List<(string, string, int)>();
        await using var command = raw.CreateCommand(sql);
        command.CommandTimeout = 600;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var dimension = reader.GetString(0);
            var value = reader.IsDBNull(4) ? null : reader.GetString(4);
            var group = dimension switch
            {
                "Sex" => value is "Female" or "Male" ? value : "Not recorded",
                "Ethnicity" => Representation.EthnicGroup(value),
                "SEN provision" => Representation.SenGroup(value),
                "Free school meals" => value switch { "true" => "Eligible", "false" => "Not eligible", _ => "Not recorded" },
                _ => dimension,
            };
            cells.Add((dimension, group, reader.GetInt32(5)));
        }
        return cells;
    }

    /// <summary>
    /// What the equality report counts that the generated county lacks: each pupil's characteristics
    /// from the school of their current enrolment (92% of pupils; DfE codes in rough national
    /// proportions, SEN support 13%, EHC plan 4%, FSM 24%, each field missing 3%), ten top-10
    /// nominations in each school, and the scores (one recompute) with a third of the high offending
    /// scores reviewed into the cohort. Written set-based in SQL with a fixed seed; skipped when present.
    /// </summary>
    private static async Task GenerateEqualityDataAsync(WebApplication app, NpgsqlDataSource raw)
    {
        var clock = Stopwatch.StartNew();
        if (await AsSystemAsync(app, db => db.RiskScores.AnyAsync(s => s.IsLatest)) is false)
        {
            var written = await app.Services.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(CancellationToken.None);
            Console.WriteLine($"  scores computed for the cohorts: {written:N0} in {clock.Elapsed.TotalSeconds:F0} s");
        }
        if (await AsSystemAsync(app, db => db.PupilCharacteristics.AnyAsync()))
            return;
        var (user, organisation) = await AsSystemAsync(app, async db => (
            await db.Users.AsNoTracking().OrderBy(u => u.Id).Select(u => u.Id).FirstAsync(),
            await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.LocalAuthorityTeam).OrderBy(o => o.Id).Select(o => o.Id).FirstAsync()));
        await using var connection = await raw.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        long rows = 0;
        foreach (var sql in new[]
        {
            "SELECT setseed(0.31)",
            "INSERT INTO \"PupilCharacteristics\" (\"Id\", \"PersonId\", \"SchoolId\", \"Sex\", \"Ethnicity\", \"SenProvision\", \"FsmEligible\", \"UpdatedAt\") " +
                "SELECT gen_random_uuid(), person, school, CASE WHEN random() < 0.03 THEN NULL ELSE sex END, " +
                "CASE WHEN e < 0.03 THEN NULL WHEN e < 0.70 THEN 'WBRI' WHEN e < 0.74 THEN 'WOTH' WHEN e < 0.75 THEN 'WROM' WHEN e < 0.81 THEN 'MWBC' WHEN e < 0.85 THEN 'AIND' " +
                "WHEN e < 0.89 THEN 'APKN' WHEN e < 0.91 THEN 'ABAN' WHEN e < 0.94 THEN 'BAFR' WHEN e < 0.955 THEN 'BCRB' WHEN e < 0.96 THEN 'CHNE' WHEN e < 0.98 THEN 'OOTH' WHEN e < 0.99 THEN 'REFU' ELSE 'NOBT' END, " +
                "CASE WHEN s < 0.03 THEN NULL WHEN s < 0.16 THEN 'K' WHEN s < 0.20 THEN 'E' ELSE 'N' END, CASE WHEN f < 0.03 THEN NULL ELSE f < 0.27 END, now() " +
                "FROM (SELECT DISTINCT ON (e.\"PersonId\") e.\"PersonId\" AS person, e.\"SchoolId\" AS school, p.\"Sex\" AS sex, random() AS e, random() AS s, random() AS f, random() AS r " +
                "FROM \"Enrolments\" e JOIN \"People\" p ON p.\"Id\" = e.\"PersonId\" WHERE e.\"EndDate\" IS NULL AND p.\"Kind\" = 'YoungPerson' ORDER BY e.\"PersonId\", e.\"SchoolId\") q WHERE r < 0.92",
            "DELETE FROM \"TopTenNominations\"",
            "INSERT INTO \"TopTenNominations\" (\"Id\", \"PersonId\", \"SchoolId\", \"Rank\", \"Reason\", \"NominatedAt\") " +
                "SELECT gen_random_uuid(), person, school, rank, 'Bench', now() FROM (SELECT e.\"PersonId\" AS person, e.\"SchoolId\" AS school, " +
                "row_number() OVER (PARTITION BY e.\"SchoolId\" ORDER BY random()) AS rank FROM \"Enrolments\" e WHERE e.\"EndDate\" IS NULL) q WHERE rank <= 10",
            "DELETE FROM \"CohortReviews\"",
            "INSERT INTO \"CohortReviews\" (\"Id\", \"PersonId\", \"ScoreId\", \"Decision\", \"Rationale\", \"ReviewedByUserId\", \"ReviewedByOrganisationId\", \"ReviewedAt\") " +
                $"SELECT gen_random_uuid(), \"PersonId\", \"Id\", 'Accepted', 'Bench', '{user}', '{organisation}', now() FROM \"RiskScores\" WHERE \"IsLatest\" AND \"OffendingBand\" = 'High' AND random() < 0.33",
        })
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 3600 };
            var n = await command.ExecuteNonQueryAsync();
            if (sql.StartsWith("INSERT", StringComparison.Ordinal))
                rows += n;
        }
        await transaction.CommitAsync();
        foreach (var table in new[] { "PupilCharacteristics", "TopTenNominations", "CohortReviews" })
        {
            await using var analyse = new NpgsqlCommand($"ANALYZE \"{table}\"", connection);
            await analyse.ExecuteNonQueryAsync();
        }
        Console.WriteLine($"  equality data generated in SQL: {rows:N0} rows in {clock.Elapsed.TotalSeconds:F0} s");
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

    /// <summary>
    /// CPU seconds spent so far by this process and by the database's server processes serving this
    /// database (from /proc; NaN elsewhere). On a machine shared with other work, wall time mostly
    /// measures waiting for a core; CPU time measures the work, so the two sides compare fairly.
    /// </summary>
    private static async Task<double> CpuSecondsAsync(NpgsqlDataSource raw)
    {
        if (!File.Exists("/proc/self/stat"))
            return double.NaN;
        var total = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        await using var command = raw.CreateCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database()");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            try
            {
                var stat = await File.ReadAllTextAsync($"/proc/{reader.GetInt32(0)}/stat");
                // After the command name in parentheses: state is field 3, utime 14 and stime 15 (clock ticks, 100 a second).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                total += (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
            }
            catch (IOException)
            {
                // The backend ended between the list and the read.
            }
        }
        return total;
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
            // As the recompute does: the matrix compiled once, each person scored over a slice of the chunk's facts.
            var compiled = RiskMatrixRules.Compile(matrix.Factors, today);
            var contributions = new List<RiskContribution>();
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
                for (var i = 0; i < facts.Count; i++)
                {
                    contributions.Clear();
                    result[facts.People[i]] = compiled.Score(facts.Of(i), contributions);
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
