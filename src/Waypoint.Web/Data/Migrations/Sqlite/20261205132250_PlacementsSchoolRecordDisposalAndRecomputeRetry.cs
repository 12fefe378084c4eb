using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PlacementsSchoolRecordDisposalAndRecomputeRetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Failures",
                table: "RiskRecomputeJobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "RetryAt",
                table: "RiskRecomputeJobs",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ProvisionPlacements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ServiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    HoursPerWeek = table.Column<decimal>(type: "TEXT", precision: 4, scale: 1, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OwnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProvisionPlacements", x => x.Id);
                    table.CheckConstraint("CK_ProvisionPlacements_Dates", "\"EndDate\" IS NULL OR \"EndDate\" >= \"StartDate\"");
                    table.ForeignKey(
                        name: "FK_ProvisionPlacements_Organisations_OwnerOrganisationId",
                        column: x => x.OwnerOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProvisionPlacements_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProvisionPlacements_Services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "Services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SchoolRecordUnits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FoundAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchoolRecordUnits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SchoolRecordUnits_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SchoolRecordUnits_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SixthDayAlerts",
                columns: table => new
                {
                    SuspensionId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SixthDay = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SixthDayAlerts", x => x.SuspensionId);
                    table.ForeignKey(
                        name: "FK_SixthDayAlerts_Suspensions_SuspensionId",
                        column: x => x.SuspensionId,
                        principalTable: "Suspensions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "SchoolRecord",
                column: "Basis",
                value: "A pupil's records from one school: kept to the 25th birthday (IRMS schools toolkit: date of birth + 25 years), and a year more to answer late queries; never before the pupil has left that school");

            migrationBuilder.InsertData(
                table: "RetentionSchedules",
                columns: new[] { "RecordType", "Basis", "Period", "Trigger", "Unit", "UpdatedAt", "UpdatedByUserId" },
                values: new object[] { "SubjectAccessCopy", "The copy issued and its redactions, to show the ICO or a court what was disclosed: the ICO sets no period and says keep no longer than needed; two years from issue covers a complaint (the ICO asks for one within three months of the response) and its investigation", 2, "Closure", "Years", 639320256000000000L, null });

            migrationBuilder.CreateIndex(
                name: "IX_ProvisionPlacements_OwnerOrganisationId",
                table: "ProvisionPlacements",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_ProvisionPlacements_PersonId_StartDate",
                table: "ProvisionPlacements",
                columns: new[] { "PersonId", "StartDate" });

            migrationBuilder.CreateIndex(
                name: "IX_ProvisionPlacements_ServiceId",
                table: "ProvisionPlacements",
                column: "ServiceId");

            migrationBuilder.CreateIndex(
                name: "IX_SchoolRecordUnits_PersonId_SchoolId",
                table: "SchoolRecordUnits",
                columns: new[] { "PersonId", "SchoolId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SchoolRecordUnits_SchoolId",
                table: "SchoolRecordUnits",
                column: "SchoolId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProvisionPlacements");

            migrationBuilder.DropTable(
                name: "SchoolRecordUnits");

            migrationBuilder.DropTable(
                name: "SixthDayAlerts");

            migrationBuilder.DeleteData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "SubjectAccessCopy");

            migrationBuilder.DropColumn(
                name: "Failures",
                table: "RiskRecomputeJobs");

            migrationBuilder.DropColumn(
                name: "RetryAt",
                table: "RiskRecomputeJobs");

            migrationBuilder.UpdateData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "SchoolRecord",
                column: "Basis",
                value: "The pupil record is kept until the pupil's 25th birthday");
        }
    }
}
