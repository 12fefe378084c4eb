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
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using Waypoint.Shell;

/// <summary>
/// The evidence tables at England-like scale (bench/README.md, section 6): 2.4 million
/// suspensions over three years and 9 million pupils on the rolls of 21,000 schools at scale 1,
/// generated set-based (INSERT ... SELECT) into a fresh database. Each published table and
/// dashboard request is timed as the app serves it (from the rollups) against the raw GROUP BY
/// over the same rows in the same run, p50 and p95. The cost of keeping the rollups current is
/// measured in the county import (ImportBench.UpkeepAsync).
/// </summary>
internal static class EvidenceBench
{
    public static async Task<int> RunAsync(string connection, double scale, int count)
    {
        var database = new NpgsqlConnectionStringBuilder(connection).Database + "_evidence";
        var target = new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString;
        await FreshAsync(connection, database);
        await using var app = BuildApp(target);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var current = AcademicYear.Of(today).StartYear;
        var schools = Math.Max(20, (int)(21_000 * scale));
        var pupils = Math.Max(2_000, (int)(9_000_000 * scale));
        var suspensions = Math.Max(500, (int)(2_400_000 * scale));
        Console.WriteLine($"Evidence: scale {scale} of England: {schools:N0} schools, {pupils:N0} pupils, {suspensions:N0} suspensions over three years; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        var clock = Stopwatch.StartNew();
        var districts = await GenerateAsync(app, target, schools, pupils, suspensions, current);
        var held = await AsSystemAsync(app, async db => (await db.Enrolments.CountAsync(), await db.Suspensions.CountAsync(), await db.OccurrencePeople.CountAsync()));
        Console.WriteLine($"  generated (set-based): {clock.Elapsed.TotalSeconds:F1} s; {held.Item1:N0} enrolments, {held.Item2:N0} suspensions (repeats of a pupil's day left out), {held.Item3:N0} occurrence links");
        clock.Restart();
        await AsSystemAsync(app, async db => { await ExclusionRollups.RebuildAsync(db, today, CancellationToken.None); return 0; });
        Console.WriteLine($"  exclusion rollups counted from scratch: {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        await AsSystemAsync(app, async db => { await EvidenceRollups.RebuildAsync(db, CancellationToken.None); return 0; });
        Console.WriteLine($"  per-person rollups counted from scratch: {clock.Elapsed.TotalSeconds:F1} s");
        await using (var analyse = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(target)))
            await analyse.CreateCommand("ANALYZE").ExecuteNonQueryAsync();

        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(target));
        var year = current - 1;
        var through = new AcademicYear(year).End;
        var district = districts[0];
        var rows = new List<(string Table, Series App, Series Raw)>
        {
            ("published statistics, one year (every table)",
                await TimeAsync(count, () => AsSystemAsync(app, db => ExclusionStatistics.LoadAsync(db, year, through, 5, CancellationToken.None))),
                await TimeAsync(count, () => RawAsync(raw, StatisticsSql(year)))),
            ("exclusion and violence, three years, partnership",
                await TimeAsync(count, () => AsSystemAsync(app, db => ViolenceAnalysis.LoadAsync(db, current - 2, current, today, null, 5, CancellationToken.None))),
                await TimeAsync(Math.Min(count, 5), () => RawAsync(raw, ViolenceSql(current - 2, today, null)))),
            ("exclusion and violence, three years, one district",
                await TimeAsync(count, () => AsSystemAsync(app, db => ViolenceAnalysis.LoadAsync(db, current - 2, current, today, district, 5, CancellationToken.None))),
                await TimeAsync(Math.Min(count, 5), () => RawAsync(raw, ViolenceSql(current - 2, today, district)))),
        };
        Console.WriteLine();
        Console.WriteLine("| request | from the rollups p50 / p95 | raw GROUP BY p50 / p95 | p95 raw / rollups |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (table, fromRollups, fromRaw) in rows)
            Console.WriteLine($"| {table} | {fromRollups.Percentile(0.5):F1} / {fromRollups.Percentile(0.95):F1} ms | {fromRaw.Percentile(0.5):F0} / {fromRaw.Percentile(0.95):F0} ms | {fromRaw.Percentile(0.95) / fromRollups.Percentile(0.95):F2} |");

        // The upkeep's cost is measured where it is paid, in the county import (import-upkeep).
        Console.WriteLine($"load average at the end{Bench.LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// The inclusion dashboard (issue 18) over <paramref name="suspensions"/> suspensions in one county
    /// of <paramref name="schools"/> schools (database &lt;name&gt;_dashboard, recreated): the page's
    /// figures as it builds them (ExclusionFigures.LoadAsync and Build: every table from one grouped
    /// read of the exclusion rollup), against the raw GROUP BY over the suspensions of each table, in
    /// the same run, p50 and p95.
    /// </summary>
    public static async Task<int> RunDashboardAsync(string connection, int schools, int pupils, int suspensions, int count)
    {
        var database = new NpgsqlConnectionStringBuilder(connection).Database + "_dashboard";
        var target = new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString;
        await FreshAsync(connection, database);
        await using var app = BuildApp(target);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var current = AcademicYear.Of(today).StartYear;
        Console.WriteLine($"Dashboard: one county of {schools:N0} schools, {pupils:N0} pupils, {suspensions:N0} suspensions over three years; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");
        var clock = Stopwatch.StartNew();
        var districts = await GenerateAsync(app, target, schools, pupils, suspensions, current);
        var held = await AsSystemAsync(app, async db => await db.Suspensions.CountAsync());
        Console.WriteLine($"  generated (set-based): {clock.Elapsed.TotalSeconds:F1} s; {held:N0} suspensions");
        clock.Restart();
        await AsSystemAsync(app, async db => { await ExclusionRollups.RebuildAsync(db, today, CancellationToken.None); return 0; });
        Console.WriteLine($"  exclusion rollups counted from scratch: {clock.Elapsed.TotalSeconds:F1} s");
        await using var raw = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(target));
        await raw.CreateCommand("ANALYZE").ExecuteNonQueryAsync();

        var county = await AsSystemAsync(app, db => db.Areas.AsNoTracking().Where(a => a.ParentId == null && a.Kind == AreaKind.County).Select(a => a.Id).FirstAsync());
        var since = AcademicYear.Of(today).Previous.Start;
        var built = await AsSystemAsync(app, async db =>
        {
            var (s, c) = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.LoadAsync(db, county, today, CancellationToken.None);
            return (Counts: c.Count, Figures: Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(s, c, today, _ => true));
        });
        Console.WriteLine($"  the page reads {built.Counts:N0} grouped rows; {built.Figures.Schools.Count:N0} schools, {built.Figures.Districts.Count:N0} districts; " +
            $"suspensions this year to date {built.Figures.ToDate.SuspensionsThisYear:N0}, last year to date {built.Figures.ToDate.SuspensionsLastYear:N0}");
        var page = await TimeAsync(count, () => AsSystemAsync(app, async db =>
        {
            var (s, c) = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.LoadAsync(db, county, today, CancellationToken.None);
            return Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(s, c, today, _ => true).Tables.Count;
        }));
        // The raw side: what each table counts, straight from the suspensions of the county's schools.
        var scope = $"""
            FROM "Suspensions" s JOIN "Organisations" o ON o."Id" = s."SchoolId" JOIN "Areas" a ON a."Id" = o."AreaId"
            WHERE s."StartDate" BETWEEN {D(since)} AND {D(today)} AND s."Outcome" <> 'Withdrawn'
            """;
        var split = $"""s."StartDate" > {D(today.AddYears(-1))}""";
        var rows = new List<(string Table, Series Raw)>
        {
            ("by month", await TimeAsync(count, () => RawAsync(raw, $"""SELECT date_trunc('month', s."StartDate"), s."Kind", {split}, count(*) {scope} GROUP BY 1, 2, 3"""))),
            ("to date (total)", await TimeAsync(count, () => RawAsync(raw, $"""SELECT s."Kind", {split}, count(*) {scope} GROUP BY 1, 2"""))),
            ("by district", await TimeAsync(count, () => RawAsync(raw, $"""SELECT coalesce(a."ParentId", a."Id"), s."Kind", {split}, count(*) {scope} GROUP BY 1, 2, 3"""))),
            ("by phase", await TimeAsync(count, () => RawAsync(raw, $"""SELECT o."Phase", s."Kind", {split}, count(*) {scope} GROUP BY 1, 2, 3"""))),
            ("by school", await TimeAsync(count, () => RawAsync(raw, $"""SELECT s."SchoolId", s."Kind", {split}, count(*) {scope} GROUP BY 1, 2, 3"""))),
        };
        Console.WriteLine();
        Console.WriteLine($"The page, every table (one grouped read of the rollup, then Build): p50 {page.Percentile(0.5):F1} ms, p95 {page.Percentile(0.95):F1} ms ({count} requests)");
        Console.WriteLine();
        Console.WriteLine("| table | the page (all tables) p95 | raw GROUP BY p50 / p95 | p95 raw / page |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (table, fromRaw) in rows)
            Console.WriteLine($"| {table} | {page.Percentile(0.95):F1} ms | {fromRaw.Percentile(0.5):F0} / {fromRaw.Percentile(0.95):F0} ms | {fromRaw.Percentile(0.95) / page.Percentile(0.95):F2} |");
        Console.WriteLine($"load average at the end{Bench.LoadAverage()}");
        _ = districts;
        return 0;
    }

    internal sealed class Series
    {
        public List<double> Milliseconds { get; } = [];

        public double Percentile(double q)
        {
            var sorted = Milliseconds.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
        }
    }

    internal static async Task<Series> TimeAsync<T>(int count, Func<Task<T>> work)
    {
        await work(); // warm-up: the JIT and the plan cache
        var series = new Series();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await work();
            series.Milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return series;
    }

    private static async Task<int> RawAsync(NpgsqlDataSource raw, string sql)
    {
        await using var command = raw.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var n = 0;
        while (await reader.ReadAsync())
            n++;
        return n;
    }

    internal static string D(DateOnly d) => $"DATE '{d:yyyy-MM-dd}'";

    /// <summary>The statistics' figures straight from the raw rows: suspensions and exclusions by school, month, kind and reason; pupils suspended by school; census headcounts by school.</summary>
    private static string StatisticsSql(int year)
    {
        var ay = new AcademicYear(year);
        var census = ExclusionRollups.CensusDay(year);
        return $"""
            SELECT "SchoolId", date_trunc('month', "StartDate") AS m, "Kind", "ReasonCode1", count(*) FROM "Suspensions"
              WHERE "StartDate" BETWEEN {D(ay.Start)} AND {D(ay.End)} AND "Outcome" <> 'Withdrawn' GROUP BY 1, 2, 3, 4
            UNION ALL
            SELECT "SchoolId", NULL, "Kind", NULL, count(DISTINCT "PersonId") FROM "Suspensions"
              WHERE "StartDate" BETWEEN {D(ay.Start)} AND {D(ay.End)} AND "Outcome" <> 'Withdrawn' GROUP BY 1, 3
            UNION ALL
            SELECT "SchoolId", NULL, NULL, NULL, count(DISTINCT "PersonId") FROM "Enrolments"
              WHERE "StartDate" <= {D(census)} AND ("EndDate" IS NULL OR "EndDate" >= {D(census)}) GROUP BY 1
            """;
    }

    /// <summary>Exclusion and violence straight from the raw rows: the same cells as the rollups give, counted with one GROUP BY.</summary>
    private static string ViolenceSql(int fromYear, DateOnly end, Guid? district)
    {
        var start = new AcademicYear(fromYear).Start;
        var schools = district is { } d
            ? $"""SELECT o."Id" FROM "Organisations" o JOIN "Areas" a ON a."Id" = o."AreaId" WHERE o."Type" = 'School' AND (a."Id" = '{d}' OR a."ParentId" = '{d}')"""
            : """SELECT "Id" FROM "Organisations" WHERE "Type" = 'School'""";
        return $"""
            WITH cohort AS (
              SELECT DISTINCT ON (e."PersonId") e."PersonId", e."SchoolId", p."DateOfBirth" FROM "Enrolments" e JOIN "People" p ON p."Id" = e."PersonId"
              WHERE e."SchoolId" IN ({schools}) AND e."StartDate" <= {D(end)} AND (e."EndDate" IS NULL OR e."EndDate" >= {D(start)})
              ORDER BY e."PersonId", e."StartDate", e."SchoolId"),
            ex AS (
              SELECT "PersonId", min("StartDate") FILTER (WHERE "Kind" = 'Suspension') s, min("StartDate") FILTER (WHERE "Kind" = 'PermanentExclusion') x
              FROM "Suspensions" WHERE "StartDate" BETWEEN {D(start)} AND {D(end)} AND "Outcome" <> 'Withdrawn' GROUP BY 1),
            vi AS (
              SELECT op."PersonId", min(o."OccurredOn") FILTER (WHERE op."Role" IN ('Suspect', 'Offender')) pe, min(o."OccurredOn") FILTER (WHERE op."Role" = 'Victim') v
              FROM "OccurrencePeople" op JOIN "Occurrences" o ON o."Id" = op."OccurrenceId"
              WHERE o."OccurredOn" BETWEEN {D(start)} AND {D(end)} AND o."OffenceGroup" IN ('Violence against the person', 'Robbery', 'Possession of weapons offences') GROUP BY 1)
            SELECT c."SchoolId", date_part('year', age({D(start)}, c."DateOfBirth")) AS age, ex.s IS NOT NULL, ex.x IS NOT NULL, vi.pe IS NOT NULL, vi.v IS NOT NULL,
              vi.pe < ex.s, vi.pe < ex.x, vi.v < ex.s, vi.v < ex.x, count(*)
            FROM cohort c LEFT JOIN ex ON ex."PersonId" = c."PersonId" LEFT JOIN vi ON vi."PersonId" = c."PersonId"
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
            """;
    }

    /// <summary>Areas and schools through EF (few); people, enrolments, suspensions and violent occurrences set-based. Returns the districts.</summary>
    internal static async Task<List<Guid>> GenerateAsync(WebApplication app, string connection, int schools, int pupils, int suspensions, int current)
    {
        var (districts, police) = await AsSystemAsync(app, async db =>
        {
            var england = new Area { Name = "Benchland", Kind = AreaKind.County };
            db.Areas.Add(england);
            var districts = Enumerable.Range(0, Math.Max(4, schools / 140)).Select(i => new Area { Name = $"District {i}", Kind = AreaKind.District, ParentId = england.Id }).ToList();
            db.Areas.AddRange(districts);
            var police = new Organisation { Name = "Bench Police", Type = OrganisationType.Police, AreaId = england.Id };
            db.Organisations.Add(police);
            for (var i = 0; i < schools; i++)
                db.Organisations.Add(new Organisation { Name = $"School {i}", Type = OrganisationType.School, AreaId = districts[i % districts.Count].Id });
            await db.SaveChangesAsync();
            return (districts.Select(d => d.Id).ToList(), police.Id);
        });
        await using var source = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connection));
        async Task Run(string sql)
        {
            await using var command = source.CreateCommand(sql);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync();
        }
        var first = new AcademicYear(current - 2).Start;
        await Run("""
            CREATE UNLOGGED TABLE bench_schools AS SELECT row_number() OVER (ORDER BY "Id") - 1 AS k, "Id" AS id FROM "Organisations" WHERE "Type" = 'School';
            CREATE UNIQUE INDEX ON bench_schools (k);
            """);
        await Run($"""
            CREATE UNLOGGED TABLE bench_pupils AS SELECT n, gen_random_uuid() AS id, n % {schools} AS k FROM generate_series(0, {pupils - 1}) n;
            CREATE UNIQUE INDEX ON bench_pupils (n);
            """);
        await Run(await InsertSql(source, "People", new()
        {
            ["Id"] = "b.id",
            ["Kind"] = "'YoungPerson'",
            ["GivenName"] = "'Pupil'",
            ["FamilyName"] = "'Bench' || b.n",
            ["DateOfBirth"] = $"{D(first.AddYears(-16))} + (b.n % 4380)::int",
            ["OwnerOrganisationId"] = $"'{police}'",
        }, "FROM bench_pupils b"));
        // One enrolment each from before the three years; one in ten moves to another school in them.
        await Run(await InsertSql(source, "Enrolments", new()
        {
            ["PersonId"] = "b.id",
            ["SchoolId"] = "s.id",
            ["StartDate"] = $"{D(first.AddYears(-1))}",
            ["EndDate"] = $"CASE WHEN b.n % 10 = 0 THEN {D(first)} + (b.n % 700)::int END",
        }, "FROM bench_pupils b JOIN bench_schools s ON s.k = b.k"));
        await Run(await InsertSql(source, "Enrolments", new()
        {
            ["PersonId"] = "b.id",
            ["SchoolId"] = "s.id",
            ["StartDate"] = $"{D(first)} + (b.n % 700)::int + 1",
        }, $"FROM bench_pupils b JOIN bench_schools s ON s.k = (b.k + 1) % {schools} WHERE b.n % 10 = 0"));
        // The pupil is drawn in a subquery: random() in a join condition is drawn again for every pair compared, and matches nothing.
        // Suspensions over three years, a pupil drawn at random (skewed, as repeat suspensions are), one in a hundred permanent.
        await Run(await InsertSql(source, "Suspensions", new()
        {
            ["PersonId"] = "b.id",
            ["SchoolId"] = "s.id",
            ["Kind"] = "CASE WHEN r.g % 100 = 0 THEN 'PermanentExclusion' ELSE 'Suspension' END",
            ["StartDate"] = $"{D(first)} + (random() * 1090)::int",
            ["Sessions"] = "2",
            ["ReasonCode1"] = "'PA'",
            ["Outcome"] = "'NotReviewed'",
        }, $"FROM (SELECT g, (power(random(), 2) * {pupils - 1})::int AS n FROM generate_series(1, {suspensions}) g) r JOIN bench_pupils b ON b.n = r.n JOIN bench_schools s ON s.k = b.k"));
        // Violent occurrences: one for about one pupil in thirty, as a suspect, offender or victim.
        var occurrences = pupils / 30;
        await Run($"CREATE UNLOGGED TABLE bench_occurrences AS SELECT g, gen_random_uuid() AS id, (random() * {pupils - 1})::int AS n FROM generate_series(1, {occurrences}) g");
        await Run(await InsertSql(source, "Occurrences", new()
        {
            ["Id"] = "o.id",
            ["PoliceReference"] = "'B' || o.g",
            ["OccurredOn"] = $"{D(first)} + (random() * 1090)::int",
            ["OffenceGroup"] = "(ARRAY['Violence against the person', 'Robbery', 'Possession of weapons offences', 'Theft offences'])[1 + o.g % 4]",
            ["OffenceSubGroup"] = "'Bench'",
            ["OwnerOrganisationId"] = $"'{police}'",
            ["CategoryCode"] = $"'{RecordCategories.PoliceGeneral}'",
        }, "FROM bench_occurrences o"));
        await Run(await InsertSql(source, "OccurrencePeople", new()
        {
            ["OccurrenceId"] = "o.id",
            ["PersonId"] = "b.id",
            ["Role"] = "(ARRAY['Suspect', 'Offender', 'Victim'])[1 + o.g % 3]",
        }, "FROM bench_occurrences o JOIN bench_pupils b ON b.n = o.n"));
        await Run("DROP TABLE bench_schools, bench_pupils, bench_occurrences; ANALYZE");
        return districts;
    }

    /// <summary>
    /// An INSERT ... SELECT for the table: the columns given, and every other required column with
    /// no default filled with a plain value of its type (a foreign key with a row of the table it
    /// points at), so that the bench keeps up with columns added later.
    /// </summary>
    internal static async Task<string> InsertSql(NpgsqlDataSource source, string table, Dictionary<string, string> given, string from)
    {
        var values = new Dictionary<string, string>(given);
        await using (var command = source.CreateCommand("""
            SELECT c.column_name, c.data_type, (
              SELECT ccu.table_name FROM information_schema.key_column_usage k
              JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name AND t.constraint_type = 'FOREIGN KEY'
              JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = k.constraint_name
              WHERE k.table_name = c.table_name AND k.column_name = c.column_name LIMIT 1)
            FROM information_schema.columns c
            WHERE c.table_name = $1 AND c.is_nullable = 'NO' AND c.column_default IS NULL AND c.is_generated = 'NEVER'
            """))
        {
            command.Parameters.AddWithValue(table);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var (name, type, references) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
                if (values.ContainsKey(name))
                    continue;
                values[name] = (type, references) switch
                {
                    ("uuid", null) => "gen_random_uuid()",
                    ("uuid", { } r) => $"(SELECT \"Id\" FROM \"{r}\" LIMIT 1)",
                    ("boolean", _) => "false",
                    ("integer" or "smallint" or "bigint" or "numeric" or "double precision" or "real", _) => "0",
                    ("timestamp with time zone", _) => "now()",
                    ("date", _) => "DATE '2015-01-01'",
                    ("bytea", _) => "'\\x'::bytea",
                    _ => "''",
                };
            }
        }
        var columns = string.Join(", ", values.Keys.Select(k => $"\"{k}\""));
        // Two suspensions drawn for one pupil on one day are one (the natural key): the second is left out.
        return $"INSERT INTO \"{table}\" ({columns}) SELECT {string.Join(", ", values.Values)} {from} ON CONFLICT DO NOTHING";
    }

    internal static async Task FreshAsync(string connection, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres" }.ConnectionString;
        await using var source = NpgsqlDataSource.Create(admin);
        await source.CreateCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").ExecuteNonQueryAsync();
        await source.CreateCommand($"CREATE DATABASE \"{database}\"").ExecuteNonQueryAsync();
    }

    internal static async Task<T> AsSystemAsync<T>(WebApplication app, Func<WaypointDbContext, Task<T>> work)
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("the evidence bench generates and counts the whole partnership, as the rollups do");
        return await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>());
    }

    internal static WebApplication BuildApp(string connectionString)
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
