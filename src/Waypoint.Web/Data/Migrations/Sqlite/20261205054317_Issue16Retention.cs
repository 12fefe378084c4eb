using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue16Retention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LegalHolds",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    PlacedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PlacedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LiftedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LiftedByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LegalHolds", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RecordId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    TriggeredOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Why = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ExtendedUntil = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ExtensionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionReviews", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RetentionSchedules",
                columns: table => new
                {
                    RecordType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Period = table.Column<int>(type: "INTEGER", nullable: false),
                    Unit = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionSchedules", x => x.RecordType);
                    table.CheckConstraint("CK_RetentionSchedules_PeriodPositive", "\"Period\" > 0");
                });

            migrationBuilder.InsertData(
                table: "RetentionSchedules",
                columns: new[] { "RecordType", "Basis", "Period", "Trigger", "Unit", "UpdatedAt", "UpdatedByUserId" },
                values: new object[,]
                {
                    { "Audit", "Who looked at a child's record: kept beyond the records themselves", 7, "LastActivity", "Years", 639320256000000000L, null },
                    { "ConcernNotTakenFurther", "A report that did not meet the threshold: kept long enough to see a pattern of later reports", 2, "Closure", "Years", 639320256000000000L, null },
                    { "Consent", "What the family agreed, as long as the work it allowed", 6, "LastActivity", "Years", 639320256000000000L, null },
                    { "EarlyHelpCase", "Early-help records: six years after the case closes", 6, "Closure", "Years", 639320256000000000L, null },
                    { "MeetingItem", "Minutes of multi-agency meetings about a child", 2, "LastActivity", "Years", 639320256000000000L, null },
                    { "PoliceFlag", "A flag removed or lapsed is kept a year for the review's own record", 12, "Closure", "Months", 639320256000000000L, null },
                    { "PoliceOccurrence", "Police information shared with the partnership, as the force's own review and disposal", 6, "LastActivity", "Years", 639320256000000000L, null },
                    { "SchoolRecord", "The pupil record is kept until the pupil's 25th birthday", 1, "TwentyFifthBirthday", "Years", 639320256000000000L, null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_LegalHolds_RecordType_RecordId",
                table: "LegalHolds",
                columns: new[] { "RecordType", "RecordId" });

            migrationBuilder.CreateIndex(
                name: "IX_RetentionReviews_RecordType_RecordId",
                table: "RetentionReviews",
                columns: new[] { "RecordType", "RecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RetentionReviews_Status_DueOn",
                table: "RetentionReviews",
                columns: new[] { "Status", "DueOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LegalHolds");

            migrationBuilder.DropTable(
                name: "RetentionReviews");

            migrationBuilder.DropTable(
                name: "RetentionSchedules");
        }
    }
}
