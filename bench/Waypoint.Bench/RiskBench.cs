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
        await GenerateHistoryAsync(app, occurrencesPerYear);
        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connection));
        var (young, occurrences, matrix) = await AsSystemAsync(app, async db => (
            await db.People.CountAsync(p => p.Kind == PersonKind.YoungPerson),
            await db.OccurrencePeople.CountAsync(),
            (await RiskScoring.PublishedAsync(db, CancellationToken.None))!));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Console.WriteLine($"Risk scoring: {young:N0} young people, {occurrences:N0} occurrence links, matrix v{matrix.Number} ({matrix.Factors.Count} factors); " +
            $"{rounds} rounds after a warm-up; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        var sql = ScoreSql(matrix, today);
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
            byApp = await AppScoresAsync(app, matrix, today);
            var computeSeconds = clock.Elapsed.TotalSeconds;
            computePeak = Math.Max(computePeak, GC.GetTotalAllocatedBytes(precise: true) - before);

            clock.Restart();
            await app.Services.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(CancellationToken.None);
            var recomputeSeconds = clock.Elapsed.TotalSeconds;
            if (round == 0)
                continue; // the round after the warm-up settles the JIT and the caches; not counted
            sqlTimes.Add(sqlSeconds);
            computeTimes.Add(computeSeconds);
            recomputeTimes.Add(recomputeSeconds);
        }

        var mismatches = byApp.Count(kv => bySql.GetValueOrDefault(kv.Key) != kv.Value) + bySql.Keys.Count(k => !byApp.ContainsKey(k) && bySql[k] != (0, 0));
        Console.WriteLine($"  scored people (non-zero): SQL {bySql.Count(kv => kv.Value != (0, 0)):N0}, app {byApp.Count(kv => kv.Value != (0, 0)):N0}; mismatches {mismatches:N0}");
        Report("set-based SQL (baseline)", sqlTimes, sqlTimes);
        Report("app scoring, no writes (EF facts + in-memory)", computeTimes, sqlTimes);
        Report("app recompute (steady state, writes changes only)", recomputeTimes, sqlTimes);
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
    /// linking one to three young people each, and flags. Deterministic; skipped when present.
    /// </summary>
    private static async Task GenerateHistoryAsync(WebApplication app, int occurrencesPerYear)
    {
        var already = await AsSystemAsync(app, db => db.Occurrences.CountAsync());
        if (already >= occurrencesPerYear / 2)
            return;
        var clock = Stopwatch.StartNew();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var random = new Random(13);
        // A run cut off part-way leaves part of the history: start it again from nothing.
        await AsSystemAsync(app, async db =>
        {
            await db.OccurrencePeople.ExecuteDeleteAsync();
            await db.Occurrences.ExecuteDeleteAsync();
            await db.PersonFlags.ExecuteDeleteAsync();
            await db.BehaviourIncidents.ExecuteDeleteAsync();
            await db.Suspensions.ExecuteDeleteAsync();
            await db.AttendanceRecords.ExecuteDeleteAsync();
            return 0;
        });
        var (pupils, police, user) = await AsSystemAsync(app, async db => (
            await db.Enrolments.AsNoTracking().Where(e => e.EndDate == null && e.Person!.Kind == PersonKind.YoungPerson).Select(e => new { e.PersonId, e.SchoolId }).ToListAsync(),
            await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.Police).Select(o => o.Id).FirstAsync(),
            await db.Users.AsNoTracking().Select(u => u.Id).FirstAsync()));
        var young = pupils.Select(p => p.PersonId).Distinct().ToArray();
        var batch = new List<object>();
        long rows = 0;
        async Task FlushAsync(bool force)
        {
            if (batch.Count < 5000 && !(force && batch.Count > 0))
                return;
            await AsSystemAsync(app, async db =>
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                db.AddRange(batch);
                await db.SaveChangesAsync();
                return 0;
            });
            rows += batch.Count;
            batch.Clear();
        }
        foreach (var pupil in pupils)
        {
            var weak = random.NextDouble() < 0.15;
            for (var term = 0; term < 3; term++)
            {
                var end = today.AddMonths(-4 * term);
                var possible = 120 + random.Next(10);
                var present = (int)(possible * (weak ? 0.70 + random.NextDouble() * 0.2 : 0.92 + random.NextDouble() * 0.08));
                batch.Add(new AttendanceRecord { PersonId = pupil.PersonId, SchoolId = pupil.SchoolId, PeriodStart = end.AddMonths(-4), PeriodEnd = end, SessionsPossible = possible, SessionsPresent = present, UnauthorisedAbsence = possible - present });
            }
            if (random.NextDouble() < 0.08)
                foreach (var day in Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.Next(1, 365)).Distinct())
                    batch.Add(new Suspension { PersonId = pupil.PersonId, SchoolId = pupil.SchoolId, Kind = ExclusionKind.Suspension, StartDate = today.AddDays(-day), Sessions = 2, ReasonCode1 = "PP" });
            if (random.NextDouble() < 0.2)
                foreach (var day in Enumerable.Range(0, random.Next(1, 6)).Select(_ => random.Next(1, 365)).Distinct())
                    batch.Add(new BehaviourIncident { PersonId = pupil.PersonId, SchoolId = pupil.SchoolId, OccurredOn = today.AddDays(-day), Severity = random.Next(1, 4), Description = $"Disruption in class ({day})" });
            if (random.NextDouble() < 0.015)
                batch.Add(new PersonFlag { PersonId = pupil.PersonId, Kind = (FlagKind)random.Next(5), Evidence = "Bench", OwnerOrganisationId = police, CategoryCode = RecordCategories.PoliceGeneral, SetByUserId = user, SetAt = DateTimeOffset.UtcNow, ReviewOn = today.AddMonths(random.Next(1, 6)), Status = FlagStatus.Active });
            await FlushAsync(false);
        }
        var subGroups = HomeOfficeOffences.SubGroups;
        for (var n = 0; n < occurrencesPerYear; n++)
        {
            IncidentType? incident = random.NextDouble() < 0.3 ? (IncidentType)random.Next(3) : null;
            var sub = incident is null ? subGroups[random.Next(subGroups.Count)] : null;
            var occurrence = new Occurrence
            {
                PoliceReference = $"BENCH-{n:D7}",
                OccurredOn = today.AddDays(-random.Next(1, 365)),
                OffenceGroup = sub?.Group,
                OffenceSubGroup = sub?.Code,
                IncidentType = incident,
                OwnerOrganisationId = police,
                CategoryCode = RecordCategories.PoliceGeneral,
                RecordedByUserId = user,
                RecordedAt = DateTimeOffset.UtcNow,
            };
            batch.Add(occurrence);
            var roles = HomeOfficeOffences.RolesFor(incident);
            foreach (var person in Enumerable.Range(0, random.Next(1, 4)).Select(_ => young[random.Next(young.Length)]).Distinct())
                batch.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = person, Role = roles[random.Next(roles.Count)] });
            await FlushAsync(false);
        }
        await FlushAsync(true);
        Console.WriteLine($"  history generated: {rows:N0} rows ({occurrencesPerYear:N0} occurrences) in {clock.Elapsed.TotalSeconds:F0} s");
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

    /// <summary>What the app's scoring computes, chunk by chunk as the recompute does, without writing.</summary>
    private static async Task<Dictionary<Guid, (int, int)>> AppScoresAsync(WebApplication app, RiskMatrixVersion matrix, DateOnly today) =>
        await AsSystemAsync(app, async db =>
        {
            var result = new Dictionary<Guid, (int, int)>();
            var restricted = (await db.RestrictedPeople().ToListAsync()).ToHashSet();
            Guid? after = null;
            while (true)
            {
                var q = db.People.AsNoTracking().Where(p => p.Kind == PersonKind.YoungPerson);
                if (after is { } a)
                    q = q.Where(p => p.Id.CompareTo(a) > 0);
                var ids = await q.OrderBy(p => p.Id).Select(p => p.Id).Take(2000).ToListAsync();
                if (ids.Count == 0)
                    break;
                var facts = await RiskFacts.LoadAsync(db, ids.Where(id => !restricted.Contains(id)).ToList(), today, CancellationToken.None);
                foreach (var (id, list) in facts)
                {
                    var score = RiskMatrixRules.Score(matrix.Factors, list, today);
                    result[id] = (score.Offending, score.Vulnerability);
                }
                after = ids[^1];
            }
            return result;
        });

    /// <summary>
    /// The matrix as one SQL statement: each factor a grouped subquery of the people it holds for,
    /// their weights summed by kind. Generated from the published matrix, so it scores by the same
    /// factors (roles, offence group, incident, flag, look-back, minimum count, attendance below).
    /// </summary>
    private static string ScoreSql(RiskMatrixVersion matrix, DateOnly today)
    {
        static string D(DateOnly d) => $"DATE '{d:yyyy-MM-dd}'";
        static string Q(string s) => $"'{s.Replace("'", "''")}'";
        var parts = new List<string>();
        foreach (var f in matrix.Factors)
        {
            var since = today.AddMonths(-f.LookBackMonths);
            var kind = f.Kind == RiskFactorKind.Offending ? 0 : 1;
            var head = $"SELECT \"PersonId\", {kind} AS k, {f.Weight} AS w FROM";
            parts.Add(f.Source switch
            {
                RiskSource.Suspensions => $"{head} \"Suspensions\" WHERE \"Kind\" <> 'PermanentExclusion' AND \"StartDate\" > {D(since)} AND \"StartDate\" <= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.PermanentExclusions => $"{head} \"Suspensions\" WHERE \"Kind\" = 'PermanentExclusion' AND \"StartDate\" > {D(since)} AND \"StartDate\" <= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.BehaviourIncidents => $"{head} \"BehaviourIncidents\" WHERE \"OccurredOn\" > {D(since)} AND \"OccurredOn\" <= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.Attendance => $"{head} \"AttendanceRecords\" WHERE \"PeriodEnd\" > {D(since)} AND \"PeriodEnd\" <= {D(today)} GROUP BY \"PersonId\" HAVING SUM(\"SessionsPossible\") > 0 AND SUM(\"SessionsPresent\")::bigint * 100 < {f.AttendanceBelowPercent ?? 0}::bigint * SUM(\"SessionsPossible\")",
                RiskSource.Flags => $"{head} \"PersonFlags\" WHERE \"Kind\" = {Q(f.FlagKind.ToString()!)} AND \"Status\" = 'Active' AND \"ReviewOn\" >= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.Occurrences => $"SELECT l.\"PersonId\", {kind} AS k, {f.Weight} AS w FROM \"OccurrencePeople\" l JOIN \"Occurrences\" o ON o.\"Id\" = l.\"OccurrenceId\" " +
                    $"WHERE l.\"Role\" IN ({string.Join(", ", f.RoleList.Where(r => !(f.Kind == RiskFactorKind.Offending && RiskMatrixRules.VictimSide.Contains(r))).Select(r => Q(r.ToString())).DefaultIfEmpty("''"))}) " +
                    $"AND o.\"OccurredOn\" > {D(since)} AND o.\"OccurredOn\" <= {D(today)}" +
                    (f.OffenceGroup is { } g ? $" AND o.\"OffenceGroup\" = {Q(g)}" : "") + (f.IncidentType is { } i ? $" AND o.\"IncidentType\" = {Q(i.ToString())}" : "") +
                    $" GROUP BY l.\"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                _ => throw new InvalidOperationException(f.Source.ToString()),
            });
        }
        var sql = new StringBuilder("SELECT h.\"PersonId\", SUM(CASE WHEN h.k = 0 THEN h.w ELSE 0 END), SUM(CASE WHEN h.k = 1 THEN h.w ELSE 0 END) FROM (");
        sql.Append(string.Join(" UNION ALL ", parts));
        sql.Append(") h JOIN \"People\" p ON p.\"Id\" = h.\"PersonId\" AND p.\"Kind\" = 'YoungPerson' ");
        sql.Append("WHERE NOT EXISTS (SELECT 1 FROM \"ProcessingRestrictions\" r WHERE r.\"PersonId\" = h.\"PersonId\" AND r.\"LiftedAt\" IS NULL) GROUP BY h.\"PersonId\"");
        return sql.ToString();
    }

    private static async Task<Dictionary<Guid, (int, int)>> SqlScoresAsync(NpgsqlDataSource raw, string sql)
    {
        var result = new Dictionary<Guid, (int, int)>();
        await using var command = raw.CreateCommand(sql);
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
