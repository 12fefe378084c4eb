using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Session11EvidenceRollupsTermDatesPlacementRetentionAuditGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements");

            migrationBuilder.AddColumn<int>(
                name: "SessionsAttended",
                table: "ServiceReferrals",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DisposedCount",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    AcademicYear = table.Column<int>(type: "integer", nullable: false),
                    Part = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: true),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    ReasonCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    Term = table.Column<int>(type: "integer", nullable: true),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisposedCount", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisposedCount_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TermDates",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    StartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "date", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TermDates", x => x.Id);
                    table.CheckConstraint("CK_TermDates_Dates", "\"EndDate\" >= \"StartDate\"");
                    table.ForeignKey(
                        name: "FK_TermDates_Areas_AuthorityId",
                        column: x => x.AuthorityId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ViolencePersonYear",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    AcademicYear = table.Column<int>(type: "integer", nullable: false),
                    FirstSuspension = table.Column<DateOnly>(type: "date", nullable: true),
                    FirstPermanentExclusion = table.Column<DateOnly>(type: "date", nullable: true),
                    FirstPerpetrator = table.Column<DateOnly>(type: "date", nullable: true),
                    PerpetratorGroup = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    FirstVictim = table.Column<DateOnly>(type: "date", nullable: true),
                    VictimGroup = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolencePersonYear", x => new { x.PersonId, x.AcademicYear });
                });

            migrationBuilder.CreateTable(
                name: "ViolencePupilSpan",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromYear = table.Column<int>(type: "integer", nullable: false),
                    ToYear = table.Column<int>(type: "integer", nullable: false),
                    FirstStart = table.Column<DateOnly>(type: "date", nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolencePupilSpan", x => new { x.PersonId, x.SchoolId, x.FromYear, x.ToYear });
                    table.ForeignKey(
                        name: "FK_ViolencePupilSpan_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "RetentionSchedules",
                columns: new[] { "RecordType", "Basis", "Period", "Trigger", "Unit", "UpdatedAt", "UpdatedByUserId" },
                values: new object[] { "ProvisionPlacement", "A placement in alternative provision is part of the pupil's education record: kept, like the school's own, to the 25th birthday and a year more; never before the placement has ended", 1, "TwentyFifthBirthday", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null });

            migrationBuilder.CreateIndex(
                name: "IX_DisposedCount_AcademicYear_SchoolId",
                table: "DisposedCount",
                columns: new[] { "AcademicYear", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_DisposedCount_SchoolId",
                table: "DisposedCount",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_TermDates_AuthorityId_StartDate",
                table: "TermDates",
                columns: new[] { "AuthorityId", "StartDate" });

            migrationBuilder.CreateIndex(
                name: "IX_ViolencePersonYear_AcademicYear",
                table: "ViolencePersonYear",
                column: "AcademicYear");

            migrationBuilder.CreateIndex(
                name: "IX_ViolencePupilSpan_FromYear_ToYear",
                table: "ViolencePupilSpan",
                columns: new[] { "FromYear", "ToYear" });

            migrationBuilder.CreateIndex(
                name: "IX_ViolencePupilSpan_SchoolId",
                table: "ViolencePupilSpan",
                column: "SchoolId");

            migrationBuilder.AddForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            // Hand-written: the live audit log's delete guard, one check a statement (AuditProtectionSql).
            migrationBuilder.Sql(Waypoint.Audit.AuditProtectionSql.PostgresStatementDeleteGuard);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Waypoint.Audit.AuditProtectionSql.PostgresStatementDeleteGuardDown);

            migrationBuilder.DropForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements");

            migrationBuilder.DropTable(
                name: "DisposedCount");

            migrationBuilder.DropTable(
                name: "TermDates");

            migrationBuilder.DropTable(
                name: "ViolencePersonYear");

            migrationBuilder.DropTable(
                name: "ViolencePupilSpan");

            migrationBuilder.DeleteData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "ProvisionPlacement");

            migrationBuilder.DropColumn(
                name: "SessionsAttended",
                table: "ServiceReferrals");

            migrationBuilder.AddForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
