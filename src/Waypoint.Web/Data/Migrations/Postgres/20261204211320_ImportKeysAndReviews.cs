using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportKeysAndReviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PupilMatchReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    ImportJobId = table.Column<Guid>(type: "uuid", nullable: true),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false),
                    Upn = table.Column<string>(type: "character varying(13)", maxLength: 13, nullable: true),
                    Surname = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Forename = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: false),
                    EnrolmentStart = table.Column<DateOnly>(type: "date", nullable: false),
                    EnrolmentEnd = table.Column<DateOnly>(type: "date", nullable: true),
                    YearGroup = table.Column<int>(type: "integer", nullable: true),
                    IsDualRegistration = table.Column<bool>(type: "boolean", nullable: false),
                    CandidatePersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    SentByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    SentAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EnrolledPersonId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PupilMatchReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PupilMatchReviews_ImportJobs_ImportJobId",
                        column: x => x.ImportJobId,
                        principalTable: "ImportJobs",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_PupilMatchReviews_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PupilMatchReviews_People_CandidatePersonId",
                        column: x => x.CandidatePersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Exact duplicates first (the same natural key and the same values: two imports of one file run
            // at once stored each row twice), keeping the earliest of each; nothing else is removed. Rows that
            // share a key but differ in their values are left for a person to resolve, and the index then refuses.
            migrationBuilder.Sql("""
                DELETE FROM "AttendanceCodeCounts" WHERE "AttendanceRecordId" IN (SELECT a."Id" FROM "AttendanceRecords" AS a WHERE EXISTS (SELECT 1 FROM "AttendanceRecords" AS b WHERE b."PersonId" = a."PersonId" AND b."SchoolId" = a."SchoolId" AND b."PeriodStart" = a."PeriodStart" AND b."PeriodEnd" = a."PeriodEnd" AND b."SessionsPossible" IS NOT DISTINCT FROM a."SessionsPossible" AND b."SessionsPresent" IS NOT DISTINCT FROM a."SessionsPresent" AND b."AuthorisedAbsence" IS NOT DISTINCT FROM a."AuthorisedAbsence" AND b."UnauthorisedAbsence" IS NOT DISTINCT FROM a."UnauthorisedAbsence" AND b."Id" < a."Id"));
                DELETE FROM "AttendanceRecords" WHERE "Id" IN (SELECT a."Id" FROM "AttendanceRecords" AS a WHERE EXISTS (SELECT 1 FROM "AttendanceRecords" AS b WHERE b."PersonId" = a."PersonId" AND b."SchoolId" = a."SchoolId" AND b."PeriodStart" = a."PeriodStart" AND b."PeriodEnd" = a."PeriodEnd" AND b."SessionsPossible" IS NOT DISTINCT FROM a."SessionsPossible" AND b."SessionsPresent" IS NOT DISTINCT FROM a."SessionsPresent" AND b."AuthorisedAbsence" IS NOT DISTINCT FROM a."AuthorisedAbsence" AND b."UnauthorisedAbsence" IS NOT DISTINCT FROM a."UnauthorisedAbsence" AND b."Id" < a."Id"));
                DELETE FROM "Suspensions" WHERE "Id" IN (SELECT a."Id" FROM "Suspensions" AS a WHERE EXISTS (SELECT 1 FROM "Suspensions" AS b WHERE b."PersonId" = a."PersonId" AND b."SchoolId" = a."SchoolId" AND b."StartDate" = a."StartDate" AND b."Kind" = a."Kind" AND b."IsLunchtime" = a."IsLunchtime" AND b."Sessions" IS NOT DISTINCT FROM a."Sessions" AND b."ReasonCode1" IS NOT DISTINCT FROM a."ReasonCode1" AND b."ReasonCode2" IS NOT DISTINCT FROM a."ReasonCode2" AND b."ReasonCode3" IS NOT DISTINCT FROM a."ReasonCode3" AND b."Outcome" IS NOT DISTINCT FROM a."Outcome" AND b."AlternativeProvisionArranged" IS NOT DISTINCT FROM a."AlternativeProvisionArranged" AND b."MissesPublicExamination" IS NOT DISTINCT FROM a."MissesPublicExamination" AND b."Id" < a."Id"));
                DELETE FROM "BehaviourIncidents" WHERE "Id" IN (SELECT a."Id" FROM "BehaviourIncidents" AS a WHERE EXISTS (SELECT 1 FROM "BehaviourIncidents" AS b WHERE b."PersonId" = a."PersonId" AND b."SchoolId" = a."SchoolId" AND b."OccurredOn" = a."OccurredOn" AND b."Category" = a."Category" AND b."Description" = a."Description" AND b."Severity" IS NOT DISTINCT FROM a."Severity" AND b."Id" < a."Id"));
                DELETE FROM "Enrolments" WHERE "Id" IN (SELECT a."Id" FROM "Enrolments" AS a WHERE EXISTS (SELECT 1 FROM "Enrolments" AS b WHERE b."PersonId" = a."PersonId" AND b."SchoolId" = a."SchoolId" AND b."StartDate" = a."StartDate" AND b."EndDate" IS NOT DISTINCT FROM a."EndDate" AND b."YearGroup" IS NOT DISTINCT FROM a."YearGroup" AND b."IsDualRegistration" IS NOT DISTINCT FROM a."IsDualRegistration" AND b."SenProvision" IS NOT DISTINCT FROM a."SenProvision" AND b."SenPrimaryNeed" IS NOT DISTINCT FROM a."SenPrimaryNeed" AND b."Id" < a."Id"));
                """);

            migrationBuilder.CreateIndex(
                name: "UX_Suspensions_NaturalKey",
                table: "Suspensions",
                columns: new[] { "PersonId", "SchoolId", "StartDate", "Kind", "IsLunchtime" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "UX_Enrolments_NaturalKey",
                table: "Enrolments",
                columns: new[] { "PersonId", "SchoolId", "StartDate" },
                unique: true);

            // The model's (PersonId, SchoolId, OccurredOn, Category, Description) key, over md5 of the description:
            // a 2,000-character description can be larger than a B-tree entry may be. The same name, so EF can drop it.
            migrationBuilder.Sql("""
                CREATE UNIQUE INDEX "UX_BehaviourIncidents_NaturalKey" ON "BehaviourIncidents" ("PersonId", "SchoolId", "OccurredOn", "Category", md5("Description"));
                """);

            migrationBuilder.CreateIndex(
                name: "UX_AttendanceRecords_NaturalKey",
                table: "AttendanceRecords",
                columns: new[] { "PersonId", "SchoolId", "PeriodStart", "PeriodEnd" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PupilMatchReviews_CandidatePersonId",
                table: "PupilMatchReviews",
                column: "CandidatePersonId");

            migrationBuilder.CreateIndex(
                name: "IX_PupilMatchReviews_ImportJobId",
                table: "PupilMatchReviews",
                column: "ImportJobId");

            migrationBuilder.CreateIndex(
                name: "IX_PupilMatchReviews_SchoolId_Status",
                table: "PupilMatchReviews",
                columns: new[] { "SchoolId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PupilMatchReviews_Status_CandidatePersonId",
                table: "PupilMatchReviews",
                columns: new[] { "Status", "CandidatePersonId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PupilMatchReviews");

            migrationBuilder.DropIndex(
                name: "UX_Suspensions_NaturalKey",
                table: "Suspensions");

            migrationBuilder.DropIndex(
                name: "UX_Enrolments_NaturalKey",
                table: "Enrolments");

            migrationBuilder.DropIndex(
                name: "UX_BehaviourIncidents_NaturalKey",
                table: "BehaviourIncidents");

            migrationBuilder.DropIndex(
                name: "UX_AttendanceRecords_NaturalKey",
                table: "AttendanceRecords");
        }
    }
}
