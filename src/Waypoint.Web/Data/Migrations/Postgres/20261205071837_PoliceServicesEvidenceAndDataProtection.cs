using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PoliceServicesEvidenceAndDataProtection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ReviewNoticeSentFor",
                table: "Services",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "AcceptedAt",
                table: "ServiceReferrals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "AgendaItemId",
                table: "ServiceReferrals",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CaseId",
                table: "ServiceReferrals",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DeclinedAt",
                table: "ServiceReferrals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "ServiceReferrals",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "WaitingAt",
                table: "ServiceReferrals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ChangeNote",
                table: "RiskMatrixVersions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "People",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LinkedPersonId",
                table: "OccurrenceMatchReviews",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Ethnicity",
                table: "Enrolments",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FsmEligible",
                table: "Enrolments",
                type: "boolean",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BenchmarkAuthorities",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    IsHome = table.Column<bool>(type: "boolean", nullable: false),
                    ChosenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChosenByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkAuthorities", x => x.Name);
                    table.ForeignKey(
                        name: "FK_BenchmarkAuthorities_AspNetUsers_ChosenByUserId",
                        column: x => x.ChosenByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "DfeImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(260)", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Rows = table.Column<int>(type: "integer", nullable: false),
                    Skipped = table.Column<int>(type: "integer", nullable: false),
                    FirstYear = table.Column<int>(type: "integer", nullable: false),
                    LastYear = table.Column<int>(type: "integer", nullable: false),
                    ImportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ImportedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DfeImports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DfeImports_AspNetUsers_ImportedByUserId",
                        column: x => x.ImportedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RecordId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    PlacedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    PlacedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LiftedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LiftedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PersonMerges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SurvivorId = table.Column<Guid>(type: "uuid", nullable: false),
                    MergedId = table.Column<Guid>(type: "uuid", nullable: false),
                    MergedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    MergedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    UnmergedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    UnmergedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonMerges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProcessingRestrictions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RecordedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    LiftedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LiftedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProcessingRestrictions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProcessingRestrictions_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RetentionReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RecordId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: true),
                    Trigger = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TriggeredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Why = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    FoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ExtendedUntil = table.Column<DateOnly>(type: "date", nullable: true),
                    ExtensionReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionReviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionSchedules",
                columns: table => new
                {
                    RecordType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Period = table.Column<int>(type: "integer", nullable: false),
                    Unit = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Trigger = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Basis = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionSchedules", x => x.RecordType);
                    table.CheckConstraint("CK_RetentionSchedules_PeriodPositive", "\"Period\" > 0");
                });

            migrationBuilder.CreateTable(
                name: "DfeExclusionFigures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AcademicYear = table.Column<int>(type: "integer", nullable: false),
                    Level = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Code = table.Column<string>(type: "character varying(9)", maxLength: 9, nullable: true),
                    SchoolType = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Schools = table.Column<int>(type: "integer", nullable: true),
                    Headcount = table.Column<int>(type: "integer", nullable: true),
                    PermanentExclusions = table.Column<decimal>(type: "numeric(12,5)", precision: 12, scale: 5, nullable: true),
                    PermanentExclusionRate = table.Column<decimal>(type: "numeric(7,2)", precision: 7, scale: 2, nullable: true),
                    Suspensions = table.Column<int>(type: "integer", nullable: true),
                    SuspensionRate = table.Column<decimal>(type: "numeric(7,2)", precision: 7, scale: 2, nullable: true),
                    PupilsSuspended = table.Column<int>(type: "integer", nullable: true),
                    PupilsSuspendedRate = table.Column<decimal>(type: "numeric(7,2)", precision: 7, scale: 2, nullable: true),
                    Withheld = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ImportId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DfeExclusionFigures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DfeExclusionFigures_DfeImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "DfeImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PersonMergeSteps",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MergeId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sequence = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    TableName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ColumnName = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    RowKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RowJson = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonMergeSteps", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonMergeSteps_PersonMerges_MergeId",
                        column: x => x.MergeId,
                        principalTable: "PersonMerges",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "RetentionSchedules",
                columns: new[] { "RecordType", "Basis", "Period", "Trigger", "Unit", "UpdatedAt", "UpdatedByUserId" },
                values: new object[,]
                {
                    { "Audit", "Who looked at a child's record: kept beyond the records themselves", 7, "LastActivity", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "ConcernNotTakenFurther", "A report that did not meet the threshold: kept long enough to see a pattern of later reports", 2, "Closure", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "Consent", "What the family agreed, as long as the work it allowed", 6, "LastActivity", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "EarlyHelpCase", "Early-help records: six years after the case closes", 6, "Closure", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "MeetingItem", "Minutes of multi-agency meetings about a child", 2, "LastActivity", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "PoliceFlag", "A flag removed or lapsed is kept a year for the review's own record", 12, "Closure", "Months", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "PoliceOccurrence", "Police information shared with the partnership, as the force's own review and disposal", 6, "LastActivity", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null },
                    { "SchoolRecord", "The pupil record is kept until the pupil's 25th birthday", 1, "TwentyFifthBirthday", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_AgendaItemId",
                table: "ServiceReferrals",
                column: "AgendaItemId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_CaseId",
                table: "ServiceReferrals",
                column: "CaseId");

            migrationBuilder.CreateIndex(
                name: "IX_OccurrenceMatchReviews_LinkedPersonId",
                table: "OccurrenceMatchReviews",
                column: "LinkedPersonId");

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkAuthorities_ChosenByUserId",
                table: "BenchmarkAuthorities",
                column: "ChosenByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_DfeExclusionFigures_AcademicYear_Level_Name_SchoolType",
                table: "DfeExclusionFigures",
                columns: new[] { "AcademicYear", "Level", "Name", "SchoolType" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DfeExclusionFigures_ImportId",
                table: "DfeExclusionFigures",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_DfeExclusionFigures_Name_SchoolType",
                table: "DfeExclusionFigures",
                columns: new[] { "Name", "SchoolType" });

            migrationBuilder.CreateIndex(
                name: "IX_DfeImports_ImportedByUserId",
                table: "DfeImports",
                column: "ImportedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_RecordType_RecordId",
                table: "LegalHolds",
                columns: new[] { "RecordType", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonMerges_MergedId",
                table: "PersonMerges",
                column: "MergedId");

            migrationBuilder.CreateIndex(
                name: "IX_PersonMerges_SurvivorId",
                table: "PersonMerges",
                column: "SurvivorId");

            migrationBuilder.CreateIndex(
                name: "IX_PersonMergeSteps_MergeId_Sequence",
                table: "PersonMergeSteps",
                columns: new[] { "MergeId", "Sequence" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProcessingRestrictions_PersonId_LiftedAt",
                table: "ProcessingRestrictions",
                columns: new[] { "PersonId", "LiftedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_RetentionReviews_RecordType_RecordId",
                table: "RetentionReviews",
                columns: new[] { "RecordType", "RecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RetentionReviews_Status_DueOn",
                table: "RetentionReviews",
                columns: new[] { "Status", "DueOn" });

            migrationBuilder.AddForeignKey(
                name: "FK_OccurrenceMatchReviews_People_LinkedPersonId",
                table: "OccurrenceMatchReviews",
                column: "LinkedPersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_AgendaItems_AgendaItemId",
                table: "ServiceReferrals",
                column: "AgendaItemId",
                principalTable: "AgendaItems",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_Cases_CaseId",
                table: "ServiceReferrals",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OccurrenceMatchReviews_People_LinkedPersonId",
                table: "OccurrenceMatchReviews");

            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_AgendaItems_AgendaItemId",
                table: "ServiceReferrals");

            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_Cases_CaseId",
                table: "ServiceReferrals");

            migrationBuilder.DropTable(
                name: "BenchmarkAuthorities");

            migrationBuilder.DropTable(
                name: "DfeExclusionFigures");

            migrationBuilder.DropTable(
                name: "LegalHolds");

            migrationBuilder.DropTable(
                name: "PersonMergeSteps");

            migrationBuilder.DropTable(
                name: "ProcessingRestrictions");

            migrationBuilder.DropTable(
                name: "RetentionReviews");

            migrationBuilder.DropTable(
                name: "RetentionSchedules");

            migrationBuilder.DropTable(
                name: "DfeImports");

            migrationBuilder.DropTable(
                name: "PersonMerges");

            migrationBuilder.DropIndex(
                name: "IX_ServiceReferrals_AgendaItemId",
                table: "ServiceReferrals");

            migrationBuilder.DropIndex(
                name: "IX_ServiceReferrals_CaseId",
                table: "ServiceReferrals");

            migrationBuilder.DropIndex(
                name: "IX_OccurrenceMatchReviews_LinkedPersonId",
                table: "OccurrenceMatchReviews");

            migrationBuilder.DropColumn(
                name: "ReviewNoticeSentFor",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "AcceptedAt",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "AgendaItemId",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "CaseId",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "DeclinedAt",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "WaitingAt",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "ChangeNote",
                table: "RiskMatrixVersions");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "People");

            migrationBuilder.DropColumn(
                name: "LinkedPersonId",
                table: "OccurrenceMatchReviews");

            migrationBuilder.DropColumn(
                name: "Ethnicity",
                table: "Enrolments");

            migrationBuilder.DropColumn(
                name: "FsmEligible",
                table: "Enrolments");
        }
    }
}
