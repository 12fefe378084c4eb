using Microsoft.EntityFrameworkCore;
using Npgsql;
using Waypoint.Access;
using Waypoint.Features.Demo;

namespace Waypoint.Data;

/// <summary>Brings the database to the latest migration and ensures reference data; seeds the demo partnership when asked.</summary>
public static class DatabaseInitialiser
{
    /// <summary>The PostgreSQL role that owns the schema and runs migrations; the app's own role then only reads and adds to the audit log.</summary>
    public const string OwnerConnectionStringName = "WaypointOwner";

    public static async Task InitialiseAsync(IServiceProvider services, bool demo, CancellationToken ct = default)
    {
        await using var scope = services.GetRequiredService<IServiceScopeFactory>()
            .CreateSystemScope("database initialisation: migrations, reference data and the demo partnership");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitialiser));
        var owner = scope.ServiceProvider.GetRequiredService<IConfiguration>().GetConnectionString(OwnerConnectionStringName);
        if (db.IsPostgres && !string.IsNullOrWhiteSpace(owner))
        {
            await MigrateAsOwnerAsync(owner, db, scope.ServiceProvider, log, ct);
        }
        else
        {
            await db.Database.MigrateAsync(ct);
            if (db.IsPostgres && await AppOwnsAuditTableAsync(db, ct))
                log.LogWarning(
                    "The application's database role owns the audit table, so only triggers protect the audit log and this role could disable them. " +
                    "Give ConnectionStrings:{Owner} (a separate owner role) to run migrations as the owner and leave the application insert and select only (docs/audit.md).",
                    OwnerConnectionStringName);
        }
        await ReferenceData.EnsureAsync(db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        // Search keys stored before names were folded (Ł, ø, ß ...) are brought into step once (issue 11).
        await Features.People.SearchKeyBackfill.RunAsync(db, ct);
        // A database from before the rollups (issue 15) has suspensions but no counts: count them once, so the
        // dashboard and the statistics are not empty. Afterwards every save keeps them current.
        // The same for a database from before the month and day-and-reason rollups (issue 15, wave 14): day rows, no month rows;
        // and from before the rollup by area and phase (wave 15).
        if ((!await db.Set<Domain.ExclusionDayCount>().AnyAsync(ct) && await db.Unfiltered<Domain.Suspension>("start-up: whether any suspension is held, to count the rollups once").AnyAsync(ct))
            || (await db.Set<Domain.ExclusionDayCount>().AnyAsync(ct) && !await db.Set<Domain.ExclusionMonthCount>().AnyAsync(ct))
            || (await db.Set<Domain.ExclusionDayCount>().AnyAsync(ct) && !await db.Set<Domain.ExclusionAreaMonthCount>().AnyAsync(ct)))
            await Features.Evidence.ExclusionRollups.RebuildAsync(db, DateOnly.FromDateTime(scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime), ct);
        // The to-date-by-school rollup (issue 15, wave 16) of a database from before it: counted once (an empty one starts as of today).
        if (await Features.Evidence.ExclusionToDate.AsOfAsync(db, ct) is null)
            await Features.Evidence.ExclusionToDate.RollForwardAsync(db, DateOnly.FromDateTime(scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime), ct);
        // The statistics' cell rollup (issue 15, wave 23d) of a database from before it: counted once.
        await Features.Evidence.StatisticsCellRollup.RebuildIfStaleAsync(db, ct);
        if (demo)
            await scope.ServiceProvider.GetRequiredService<DemoPartnershipSeeder>().SeedIfEmptyAsync(DemoScale.Demo, ct);
        // The per-person evidence rollups (issue 15) of a database from before them, or of rows seeded by COPY: counted once.
        if (!await db.Set<Features.Evidence.ViolencePupilSpan>().AnyAsync(ct) && await db.Unfiltered<Domain.Enrolment>("start-up: whether any enrolment is held, to count the rollups once").AnyAsync(ct))
            await Features.Evidence.EvidenceRollups.RebuildAsync(db, ct);
        // The joint outcomes rollup (issue 15) of a database from before it, or of rows seeded by COPY: computed once.
        // Its summary by area (the rows of a database from before it carry no area): computed once.
        if ((await db.OutcomeMeasures.AnyAsync(ct) && !await db.Set<Domain.OutcomeRollupRow>().AnyAsync(ct))
            || (await db.Set<Domain.OutcomeRollupRow>().AnyAsync(ct) && !await db.Set<Features.Evidence.OutcomeSummaryRow>().AnyAsync(ct)))
            await Features.Evidence.OutcomeRollups.RebuildAsync(db, ct);
    }

    /// <summary>
    /// Migrates as the owner role, then grants the app's role what it needs: reading and changing
    /// the other tables as before, but on the audit table insert and select only. Not owning the
    /// table, the app's role cannot alter it, disable its triggers, or truncate it.
    /// </summary>
    private static async Task MigrateAsOwnerAsync(string ownerConnectionString, WaypointDbContext db, IServiceProvider services, ILogger log, CancellationToken ct)
    {
        var app = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Username;
        var ownerBuilder = new NpgsqlConnectionStringBuilder(DatabaseServices.PostgresConnectionString(ownerConnectionString));
        if (string.IsNullOrWhiteSpace(app) || string.Equals(app, ownerBuilder.Username, StringComparison.Ordinal))
            throw new InvalidOperationException(
                $"ConnectionStrings:Waypoint and ConnectionStrings:{OwnerConnectionStringName} must name two different roles (the app's and the owner's).");
        var options = new DbContextOptionsBuilder<PostgresWaypointDbContext>();
        DatabaseServices.Configure(options.UseNpgsql(ownerBuilder.ConnectionString));
        await using (var asOwner = new PostgresWaypointDbContext(options.Options, services.GetRequiredService<ReaderContext>(), services.GetRequiredService<TimeProvider>()))
        {
            await asOwner.Database.MigrateAsync(ct);
            var role = Quote(app);
            var auditSequence = await asOwner.RawSql<string>("the audit table's sequence, named to grant the app role its use", $"SELECT pg_get_serial_sequence('\"AuditEntries\"', 'Id') AS \"Value\"").SingleAsync(ct);
            string[] grants =
            [
                $"GRANT USAGE ON SCHEMA public TO {role}",
                $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
                $"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
                $"REVOKE ALL ON TABLE \"AuditEntries\" FROM {role}",
                $"GRANT SELECT, INSERT ON TABLE \"AuditEntries\" TO {role}",
                $"REVOKE UPDATE ON SEQUENCE {auditSequence} FROM {role}",
                // Archived months are moved and disposed of by the owner role only (AuditArchiver).
                $"REVOKE ALL ON TABLE \"AuditArchive\" FROM {role}",
                $"GRANT SELECT ON TABLE \"AuditArchive\" TO {role}",
                $"REVOKE ALL ON TABLE \"AuditPeriods\" FROM {role}",
                $"GRANT SELECT ON TABLE \"AuditPeriods\" TO {role}",
                $"REVOKE ALL ON TABLE \"__EFMigrationsHistory\" FROM {role}",
                $"GRANT SELECT ON TABLE \"__EFMigrationsHistory\" TO {role}",
            ];
            await using var tx = await asOwner.Database.BeginTransactionAsync(ct);
            foreach (var grant in grants)
            {
                try
                {
                    await asOwner.Database.ExecuteSqlRawAsync(grant, ct); // role and sequence names quoted by us or by PostgreSQL, never input
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject)
                {
                    throw new InvalidOperationException($"The app's role \"{app}\" does not exist: create it (CREATE ROLE ... LOGIN) before migrating. {e.MessageText}", e);
                }
            }
            await tx.CommitAsync(ct);
        }
        if (await AppOwnsAuditTableAsync(db, ct))
            throw new InvalidOperationException($"The app's role \"{app}\" still owns the audit table: hand the tables to the owner role (ALTER TABLE ... OWNER TO) and migrate again.");
        log.LogInformation("Migrated as the owner role; the app's role may only insert into and read the audit table");
    }

    private static async Task<bool> AppOwnsAuditTableAsync(WaypointDbContext db, CancellationToken ct) =>
        await db.RawSql<bool>("whether the app's own role owns the audit table (then only triggers protect it)", $"SELECT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'AuditEntries' AND tableowner = current_user) AS \"Value\"").SingleAsync(ct);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
