namespace Waypoint.Data;

/// <summary>
/// Session 12's migration moves ethnicity, SEN provision and free-school-meal eligibility off the
/// enrolment (education data) into a record of their own (<see cref="Domain.PupilCharacteristics"/>,
/// category pupil-characteristics). Before the enrolment's columns are dropped, each pupil's values
/// at each school are copied from their latest enrolment there that holds any of them, so a
/// database migrated from before keeps what its CTF imports and staff entered. The migrations read
/// these constants: a later change needs its own migration with the SQL written out.
/// </summary>
public static class CharacteristicsMoveSql
{
    public const string Postgres = """
        INSERT INTO "PupilCharacteristics" ("Id", "PersonId", "SchoolId", "Sex", "Ethnicity", "SenProvision", "FsmEligible", "UpdatedAt", "UpdatedByUserId")
        SELECT gen_random_uuid(), e."PersonId", e."SchoolId", NULL, e."Ethnicity", e."SenProvision", e."FsmEligible", now(), NULL
        FROM (
            SELECT DISTINCT ON ("PersonId", "SchoolId") "PersonId", "SchoolId", "Ethnicity", "SenProvision", "FsmEligible"
            FROM "Enrolments"
            WHERE "Ethnicity" IS NOT NULL OR "SenProvision" IS NOT NULL OR "FsmEligible" IS NOT NULL
            ORDER BY "PersonId", "SchoolId", "StartDate" DESC
        ) e;
        """;

    public const string Sqlite = """
        INSERT INTO "PupilCharacteristics" ("Id", "PersonId", "SchoolId", "Sex", "Ethnicity", "SenProvision", "FsmEligible", "UpdatedAt", "UpdatedByUserId")
        SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
                     || substr('89AB', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
               e."PersonId", e."SchoolId", NULL, e."Ethnicity", e."SenProvision", e."FsmEligible",
               strftime('%Y-%m-%d %H:%M:%f', 'now') || '+00:00', NULL
        FROM (
            SELECT "PersonId", "SchoolId", "Ethnicity", "SenProvision", "FsmEligible",
                   row_number() OVER (PARTITION BY "PersonId", "SchoolId" ORDER BY "StartDate" DESC) AS n
            FROM "Enrolments"
            WHERE "Ethnicity" IS NOT NULL OR "SenProvision" IS NOT NULL OR "FsmEligible" IS NOT NULL
        ) e
        WHERE e.n = 1;
        """;
}
