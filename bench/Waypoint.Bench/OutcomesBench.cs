using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using static EvidenceBench;

/// <summary>
/// The joint outcomes dashboard (issue 15, items 4 and 5; bench/README.md section 6, "Joint
/// outcomes") at England-like scale: EvidenceBench's set-based generator (pupils, suspensions,
/// police occurrences), then closed early-help cases, hub decisions not to take a child on and
/// termly attendance for those children, and the five suggested measures. The dashboard as the app
/// serves it (the rollup summed in SQL, <see cref="JointOutcomes.LoadAsync"/>) is timed against the
/// raw reading it replaced (<see cref="JointOutcomes.LoadFromRawAsync"/>: the raw tables read per
/// request and counted in the application) over the same rows in the same run, p50 and p95, for
/// the whole partnership and one district; the figures of the two are checked equal first.
/// </summary>
internal static class OutcomesBench
{
    public static async Task<int> RunAsync(string connection, double scale, int count, int rawCount)
    {
        var database = new NpgsqlConnectionStringBuilder(connection).Database + "_outcomes";
        var target = new NpgsqlConnectionStringBuilder(connection) { Database = database }.ConnectionString;
        await FreshAsync(connection, database);
        await using var app = BuildApp(target);
        await DatabaseInitialiser.InitialiseAsync(app.Services, demo: false);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var current = AcademicYear.Of(today).StartYear;
        var schools = Math.Max(20, (int)(21_000 * scale));
        var pupils = Math.Max(2_000, (int)(9_000_000 * scale));
        var suspensions = Math.Max(500, (int)(2_400_000 * scale));
        Console.WriteLine($"Outcomes: scale {scale} of England: {schools:N0} schools, {pupils:N0} pupils, {suspensions:N0} suspensions over three years; " +
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} cores{Bench.LoadAverage()}");

        var clock = Stopwatch.StartNew();
        var districts = await GenerateAsync(app, target, schools, pupils, suspensions, current);
        Console.WriteLine($"  pupils, suspensions, occurrences generated (set-based): {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        await GenerateHelpAsync(target, districts, current);
        var held = await AsSystemAsync(app, async db => (
            await db.Unfiltered<Case>("bench: counting").CountAsync(),
            await db.Unfiltered<Referral>("bench: counting").CountAsync(),
            await db.Unfiltered<AttendanceRecord>("bench: counting").CountAsync(),
            await db.Unfiltered<Suspension>("bench: counting").CountAsync(),
            await db.Unfiltered<OccurrencePerson>("bench: counting").CountAsync()));
        Console.WriteLine($"  cases, hub decisions, attendance generated: {clock.Elapsed.TotalSeconds:F1} s; {held.Item1:N0} closed cases, {held.Item2:N0} decisions not to take on, " +
            $"{held.Item3:N0} attendance records, {held.Item4:N0} suspensions, {held.Item5:N0} occurrence links");

        // The five suggested measures, added through the context: the upkeep computes their rows for everyone in a group.
        clock.Restart();
        await AsSystemAsync(app, async db =>
        {
            db.OutcomeMeasures.AddRange(JointOutcomes.Suggested.Select(s => new OutcomeMeasure { Name = s.Name, Rule = s.Rule, Threshold = s.Threshold, DefinedAt = DateTimeOffset.UtcNow }));
            return await db.SaveChangesAsync();
        });
        var added = clock.Elapsed;
        // Calculated by the background worker (as the app does it), run here until none is left.
        var worker = app.Services.GetRequiredService<OutcomeMeasureCalculation>();
        while (await AsSystemAsync(app, db => db.OutcomeMeasures.AnyAsync(m => m.Calculating)))
            if (!await worker.RunNextAsync(CancellationToken.None))
                await Task.Delay(200);
        var rows = await AsSystemAsync(app, db => db.Set<OutcomeRollupRow>().CountAsync());
        var summary = await AsSystemAsync(app, db => db.Set<OutcomeSummaryRow>().CountAsync());
        Console.WriteLine($"  five measures added: the request's save {added.TotalMilliseconds:F0} ms; calculated in the background for everyone in a group: {clock.Elapsed.TotalSeconds:F1} s; " +
            $"{rows:N0} rollup rows, {summary:N0} summary rows");
        await using (var analyse = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(target)))
            await analyse.CreateCommand("ANALYZE").ExecuteNonQueryAsync();

        // One write's upkeep: a suspension entered for a child in a group (the person's rows recomputed).
        var person = await AsSystemAsync(app, db => db.Set<OutcomeRollupRow>().Select(r => r.PersonId).FirstAsync());
        var school = await AsSystemAsync(app, db => db.Organisations.Where(o => o.Type == OrganisationType.School).Select(o => o.Id).FirstAsync());
        var write = await TimeAsync(Math.Min(count, 20), () => AsSystemAsync(app, async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = person, SchoolId = school, Kind = ExclusionKind.Suspension, StartDate = today.AddDays(-Random.Shared.Next(1, 3000)), Sessions = 1, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        }));

        var year = current - 1;
        var district = districts[0];
        foreach (var area in new Guid?[] { null, district })
        {
            var fromRollup = await AsSystemAsync(app, db => JointOutcomes.LoadAsync(db, year, area, today, CancellationToken.None));
            var fromRaw = await AsSystemAsync(app, db => JointOutcomes.LoadFromRawAsync(db, year, area, today, CancellationToken.None));
            if (fromRollup.ToCsv() != fromRaw.ToCsv())
            {
                Console.WriteLine($"  MISMATCH ({(area is null ? "partnership" : "district")}): the rollup's figures differ from the raw reading's");
                Console.WriteLine(fromRollup.ToCsv());
                Console.WriteLine(fromRaw.ToCsv());
                return 1;
            }
        }
        var check = await AsSystemAsync(app, db => JointOutcomes.LoadAsync(db, year, null, today, CancellationToken.None));
        var cell = check.Periods[0].Measures[0].Cells[0];
        Console.WriteLine($"  figures equal from the rollup and from the raw tables (partnership and one district); e.g. {check.Periods[0].Measures[0].Name}, {cell.Group}, {cell.Months} months: {cell.Children} children, {cell.Before} before, {cell.After} after");

        var rawWhole = await TimeAsync(rawCount, () => AsSystemAsync(app, db => JointOutcomes.LoadFromRawAsync(db, year, null, today, CancellationToken.None)));
        var results = new List<(string Request, Series Rollup, Series Raw)>
        {
            // The suppressed reports are kept until the outcomes stamp moves: moved here before each read, as every change to the summary moves it.
            ("the page's read after every change: every area's figures from the summary, suppressed together (OutcomesLinkedSuppression), whole partnership",
                await TimeAsync(count, () => AsSystemAsync(app, async db =>
                {
                    await EvidenceStamps.MoveAsync(db, EvidenceStamps.Outcomes, CancellationToken.None);
                    return await OutcomesLinkedSuppression.LoadAsync(db, year, null, today, CancellationToken.None);
                })),
                rawWhole),
            ("the page's read while nothing changes (the stamp read, the suppressed reports kept), whole partnership",
                await TimeAsync(count, () => AsSystemAsync(app, db => OutcomesLinkedSuppression.LoadAsync(db, year, null, today, CancellationToken.None))),
                rawWhole),
            ("dashboard, whole partnership (two years, five measures, three groups, 6 and 12 months)",
                await TimeAsync(count, () => AsSystemAsync(app, db => JointOutcomes.LoadAsync(db, year, null, today, CancellationToken.None))),
                await TimeAsync(rawCount, () => AsSystemAsync(app, db => JointOutcomes.LoadFromRawAsync(db, year, null, today, CancellationToken.None)))),
            ("dashboard, one district",
                await TimeAsync(count, () => AsSystemAsync(app, db => JointOutcomes.LoadAsync(db, year, district, today, CancellationToken.None))),
                await TimeAsync(rawCount, () => AsSystemAsync(app, db => JointOutcomes.LoadFromRawAsync(db, year, district, today, CancellationToken.None)))),
        };
        Console.WriteLine();
        Console.WriteLine($"| request | from the rollup p50 / p95 (min-max), {count} requests | raw reading p50 / p95 (min-max), {rawCount} requests | p95 raw / rollup |");
        Console.WriteLine("| --- | --- | --- | --- |");
        foreach (var (request, rollup, raw) in results)
            Console.WriteLine($"| {request} | {rollup.Percentile(0.5):F1} / {rollup.Percentile(0.95):F1} ms ({rollup.Milliseconds.Min():F1}-{rollup.Milliseconds.Max():F1}) | " +
                $"{raw.Percentile(0.5):F0} / {raw.Percentile(0.95):F0} ms ({raw.Milliseconds.Min():F0}-{raw.Milliseconds.Max():F0}) | {raw.Percentile(0.95) / rollup.Percentile(0.95):F1} |");
        Console.WriteLine($"| upkeep: one suspension entered for a child in a group (save with the person's rows recomputed) | {write.Percentile(0.5):F1} / {write.Percentile(0.95):F1} ms | | |");
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB; load average at the end{Bench.LoadAverage()}");
        return 0;
    }

    /// <summary>
    /// Set-based: one pupil in 25 had an early-help case closed in the three years (open 2 to 9
    /// months; one in ten closed by stepping up), one in 25 others was reported and not taken on,
    /// one in 50 of those reported was stepped up to social care instead; every child in a group has
    /// a termly attendance record for the three years and the year before (absence 0 to 20%). The
    /// children live in the districts, in turn.
    /// </summary>
    private static async Task GenerateHelpAsync(string connection, List<Guid> districts, int current)
    {
        await using var source = NpgsqlDataSource.Create(DatabaseServices.PostgresConnectionString(connection));
        async Task Run(string sql)
        {
            await using var command = source.CreateCommand(sql);
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync();
        }
        var first = new AcademicYear(current - 2).Start;
        var lead = "(SELECT \"Id\" FROM \"Organisations\" WHERE \"Type\" = 'Police' LIMIT 1)";
        var ids = string.Join(", ", districts.Select(d => $"'{d}'::uuid"));
        await Run($"""
            CREATE UNLOGGED TABLE bench_help AS
              SELECT "Id" AS id, n, (ARRAY[{ids}])[1 + n % {districts.Count}] AS area
              FROM (SELECT "Id", row_number() OVER (ORDER BY "Id") AS n FROM "People") p WHERE n % 25 IN (0, 1);
            UPDATE "People" p SET "AreaId" = h.area FROM bench_help h WHERE p."Id" = h.id;
            """);
        await Run(await InsertSql(source, "Cases", new()
        {
            ["PersonId"] = "h.id",
            ["LeadOrganisationId"] = lead,
            ["Level"] = "'EarlyHelp'",
            ["Status"] = "'Closed'",
            ["ClosedAt"] = $"({D(first)} + (h.n % 1090)::int)::timestamptz + interval '10 hours'",
            ["OpenedAt"] = $"({D(first)} + (h.n % 1090)::int - 60 - (h.n % 210)::int)::timestamptz + interval '10 hours'",
            ["ClosureReason"] = "CASE WHEN h.n % 10 = 0 THEN 'SteppedUp' ELSE 'OutcomesMet' END",
        }, "FROM bench_help h WHERE h.n % 25 = 0"));
        await Run(await InsertSql(source, "Referrals", new()
        {
            ["PersonId"] = "h.id",
            ["Categories"] = "'Other'",
            ["WhatIsKnown"] = "'Bench'",
            ["Status"] = "'Decided'",
            ["Outcome"] = "CASE WHEN h.n % 50 = 1 THEN 'StepUpToChildrensSocialCare' ELSE 'NoFurtherAction' END",
            ["DecidedAt"] = $"({D(first)} + (h.n % 1090)::int)::timestamptz + interval '11 hours'",
            ["ReportedAt"] = $"({D(first)} + (h.n % 1090)::int)::timestamptz",
        }, "FROM bench_help h WHERE h.n % 25 = 1"));
        await Run(await InsertSql(source, "AttendanceRecords", new()
        {
            ["PersonId"] = "h.id",
            ["SchoolId"] = "(SELECT \"Id\" FROM \"Organisations\" WHERE \"Type\" = 'School' LIMIT 1)",
            ["PeriodStart"] = $"{D(first.AddYears(-1))} + t * 121",
            ["PeriodEnd"] = $"{D(first.AddYears(-1))} + t * 121 + 120",
            ["SessionsPossible"] = "120",
            ["UnauthorisedAbsence"] = "((h.n * 7 + t * 3) % 25)",
            ["SessionsPresent"] = "120 - ((h.n * 7 + t * 3) % 25)",
        }, "FROM bench_help h CROSS JOIN generate_series(0, 11) t"));
        await Run("DROP TABLE bench_help; ANALYZE");
    }
}
