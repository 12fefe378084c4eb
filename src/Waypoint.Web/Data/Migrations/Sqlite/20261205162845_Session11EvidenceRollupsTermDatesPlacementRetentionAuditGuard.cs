using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DisposedCount",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Part = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    Term = table.Column<int>(type: "INTEGER", nullable: true),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
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
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstSuspension = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FirstPermanentExclusion = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FirstPerpetrator = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    PerpetratorGroup = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    FirstVictim = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    VictimGroup = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ViolencePersonYear", x => new { x.PersonId, x.AcademicYear });
                });

            migrationBuilder.CreateTable(
                name: "ViolencePupilSpan",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FromYear = table.Column<int>(type: "INTEGER", nullable: false),
                    ToYear = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstStart = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "TEXT", nullable: true)
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
                values: new object[] { "ProvisionPlacement", "A placement in alternative provision is part of the pupil's education record: kept, like the school's own, to the 25th birthday and a year more; never before the placement has ended", 1, "TwentyFifthBirthday", "Years", 639320256000000000L, null });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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
