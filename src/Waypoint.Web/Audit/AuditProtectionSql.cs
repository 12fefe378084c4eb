namespace Waypoint.Audit;

/// <summary>
/// The database's own guard over the audit log and its archive, as the migrations install it (and
/// the tampering tests put it back): nothing is ever updated; a live entry may leave only once an
/// identical copy sits in the archive inside a sealed month; an archived entry only once its month
/// is marked disposed; a month's seal only ever gains its disposal date.
/// </summary>
public static class AuditProtectionSql
{
    public const string SqliteLiveNoDelete = """
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON AuditEntries
        WHEN NOT EXISTS (SELECT 1 FROM AuditArchive a WHERE a.Id = OLD.Id AND a.Hash = OLD.Hash)
          OR NOT EXISTS (SELECT 1 FROM AuditPeriods p WHERE OLD.Id BETWEEN p.FirstId AND p.LastId)
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """;

    public const string SqliteLiveNoUpdate =
        "CREATE TRIGGER audit_no_update BEFORE UPDATE ON AuditEntries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

    /// <summary>Drops <see cref="SqliteArchiveTriggers"/>.</summary>
    public static readonly string[] SqliteArchiveTriggerDrops =
        ["DROP TRIGGER audit_archive_no_update;", "DROP TRIGGER audit_archive_no_delete;", "DROP TRIGGER audit_period_no_delete;", "DROP TRIGGER audit_period_no_update;"];

    public static readonly string[] SqliteArchiveTriggers =
    [
        "CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON AuditArchive BEGIN SELECT RAISE(ABORT, 'the audit archive is append-only'); END;",
        """
        CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON AuditArchive
        WHEN NOT EXISTS (SELECT 1 FROM AuditPeriods p WHERE OLD.Id BETWEEN p.FirstId AND p.LastId AND p.DisposedAt IS NOT NULL)
        BEGIN SELECT RAISE(ABORT, 'the audit archive is append-only'); END;
        """,
        "CREATE TRIGGER audit_period_no_delete BEFORE DELETE ON AuditPeriods BEGIN SELECT RAISE(ABORT, 'an audit month''s seal is kept'); END;",
        """
        CREATE TRIGGER audit_period_no_update BEFORE UPDATE ON AuditPeriods
        WHEN OLD.DisposedAt IS NOT NULL OR NEW.DisposedAt IS NULL
          OR NEW.Id IS NOT OLD.Id OR NEW.Month IS NOT OLD.Month OR NEW.FirstId IS NOT OLD.FirstId OR NEW.LastId IS NOT OLD.LastId
          OR NEW.Count IS NOT OLD.Count OR NEW.PreviousHash IS NOT OLD.PreviousHash OR NEW.LastHash IS NOT OLD.LastHash
          OR NEW.ArchivedAt IS NOT OLD.ArchivedAt OR NEW.Seal IS NOT OLD.Seal
        BEGIN SELECT RAISE(ABORT, 'an audit month''s seal only gains its disposal date'); END;
        """,
    ];

    public static readonly string[] SqliteInstall = ["DROP TRIGGER audit_no_delete;", SqliteLiveNoDelete, .. SqliteArchiveTriggers];

    public static readonly string[] SqliteUninstall =
    [
        "DROP TRIGGER audit_period_no_update;",
        "DROP TRIGGER audit_period_no_delete;",
        "DROP TRIGGER audit_archive_no_delete;",
        "DROP TRIGGER audit_archive_no_update;",
        "DROP TRIGGER audit_no_delete;",
        "CREATE TRIGGER audit_no_delete BEFORE DELETE ON AuditEntries BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    ];

    public const string PostgresInstall = """
        CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- Nested, not AND: a statement trigger (TRUNCATE) has no OLD row to read.
            IF TG_OP = 'DELETE' THEN
                IF EXISTS (SELECT 1 FROM "AuditArchive" a WHERE a."Id" = OLD."Id" AND a."Hash" = OLD."Hash")
                   AND EXISTS (SELECT 1 FROM "AuditPeriods" p WHERE OLD."Id" BETWEEN p."FirstId" AND p."LastId") THEN
                    RETURN OLD;
                END IF;
            END IF;
            RAISE EXCEPTION 'the audit log is append-only';
        END $$;
        CREATE FUNCTION audit_archive_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                IF EXISTS (SELECT 1 FROM "AuditPeriods" p WHERE OLD."Id" BETWEEN p."FirstId" AND p."LastId" AND p."DisposedAt" IS NOT NULL) THEN
                    RETURN OLD;
                END IF;
            END IF;
            RAISE EXCEPTION 'the audit archive is append-only';
        END $$;
        CREATE FUNCTION audit_period_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' THEN
                IF OLD."DisposedAt" IS NULL AND NEW."DisposedAt" IS NOT NULL
               AND (NEW."Id", NEW."Month", NEW."FirstId", NEW."LastId", NEW."Count", NEW."PreviousHash", NEW."LastHash", NEW."ArchivedAt", NEW."Seal")
                   IS NOT DISTINCT FROM (OLD."Id", OLD."Month", OLD."FirstId", OLD."LastId", OLD."Count", OLD."PreviousHash", OLD."LastHash", OLD."ArchivedAt", OLD."Seal") THEN
                    RETURN NEW;
                END IF;
            END IF;
            RAISE EXCEPTION 'an audit month''s seal only gains its disposal date';
        END $$;
        CREATE TRIGGER audit_archive_no_update_or_delete BEFORE UPDATE OR DELETE ON "AuditArchive"
            FOR EACH ROW EXECUTE FUNCTION audit_archive_guard();
        CREATE TRIGGER audit_archive_no_truncate BEFORE TRUNCATE ON "AuditArchive"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        CREATE TRIGGER audit_period_no_change BEFORE UPDATE OR DELETE ON "AuditPeriods"
            FOR EACH ROW EXECUTE FUNCTION audit_period_guard();
        CREATE TRIGGER audit_period_no_truncate BEFORE TRUNCATE ON "AuditPeriods"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
        """;

    /// <summary>
    /// The live log's delete guard made one check a statement (issue 16's archive at 50 million
    /// entries): the row trigger of <see cref="PostgresInstall"/> ran two lookups in PL/pgSQL for
    /// every entry a month's move deleted, 45% of the archive run. The statement trigger sees the
    /// deleted rows as a table: the whole id range inside one sealed month (or else every row inside
    /// some sealed month), and an identical copy (id and hash) of every row in the archive, counted
    /// by one join. Installed by the <c>Issue16PlacementRetentionAndAuditDeleteGuard</c> migration, which reads this text:
    /// a later change needs a migration of its own with its SQL written out; <see cref="PostgresStatementDeleteGuardDown"/> undoes it.
    /// </summary>
    public const string PostgresStatementDeleteGuard = """
        DROP TRIGGER audit_no_update_or_delete ON "AuditEntries";
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON "AuditEntries"
            FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        CREATE FUNCTION audit_live_delete_guard() RETURNS trigger LANGUAGE plpgsql
        SET enable_nestloop = off AS $$
        DECLARE
            lo bigint;
            hi bigint;
            n bigint;
        BEGIN
            SELECT min("Id"), max("Id"), count(*) INTO lo, hi, n FROM gone;
            IF n = 0 THEN
                RETURN NULL;
            END IF;
            IF NOT EXISTS (SELECT 1 FROM "AuditPeriods" p WHERE lo >= p."FirstId" AND hi <= p."LastId")
               AND EXISTS (SELECT 1 FROM gone g WHERE NOT EXISTS (SELECT 1 FROM "AuditPeriods" p WHERE g."Id" BETWEEN p."FirstId" AND p."LastId")) THEN
                RAISE EXCEPTION 'the audit log is append-only';
            END IF;
            IF (SELECT count(*) FROM gone g JOIN "AuditArchive" a ON a."Id" = g."Id" AND a."Hash" = g."Hash" WHERE a."Id" BETWEEN lo AND hi) <> n THEN
                RAISE EXCEPTION 'the audit log is append-only';
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER audit_delete_only_archived AFTER DELETE ON "AuditEntries"
            REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION audit_live_delete_guard();
        """;

    public const string PostgresStatementDeleteGuardDown = """
        DROP TRIGGER audit_delete_only_archived ON "AuditEntries";
        DROP FUNCTION audit_live_delete_guard();
        DROP TRIGGER audit_no_update ON "AuditEntries";
        CREATE TRIGGER audit_no_update_or_delete BEFORE UPDATE OR DELETE ON "AuditEntries"
            FOR EACH ROW EXECUTE FUNCTION audit_append_only();
        """;

    public const string PostgresUninstall = """
        DROP TRIGGER audit_period_no_truncate ON "AuditPeriods";
        DROP TRIGGER audit_period_no_change ON "AuditPeriods";
        DROP TRIGGER audit_archive_no_truncate ON "AuditArchive";
        DROP TRIGGER audit_archive_no_update_or_delete ON "AuditArchive";
        DROP FUNCTION audit_period_guard();
        DROP FUNCTION audit_archive_guard();
        CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END $$;
        """;
}
