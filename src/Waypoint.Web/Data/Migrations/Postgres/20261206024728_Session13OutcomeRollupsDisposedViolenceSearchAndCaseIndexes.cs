using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Session13OutcomeRollupsDisposedViolenceSearchAndCaseIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DisposedViolenceCount",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    FromYear = table.Column<int>(type: "integer", nullable: false),
                    ToYear = table.Column<int>(type: "integer", nullable: false),
                    Level = table.Column<int>(type: "integer", nullable: false),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: true),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    Band = table.Column<int>(type: "integer", nullable: false),
                    Flags = table.Column<int>(type: "integer", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisposedViolenceCount", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisposedViolenceCount_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OutcomeRollupRows",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Group = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    AcademicYear = table.Column<int>(type: "integer", nullable: false),
                    MeasureId = table.Column<Guid>(type: "uuid", nullable: false),
                    Start = table.Column<DateOnly>(type: "date", nullable: false),
                    End = table.Column<DateOnly>(type: "date", nullable: false),
                    Due6 = table.Column<DateOnly>(type: "date", nullable: false),
                    Due12 = table.Column<DateOnly>(type: "date", nullable: false),
                    Before6 = table.Column<bool>(type: "boolean", nullable: true),
                    After6 = table.Column<bool>(type: "boolean", nullable: true),
                    Before12 = table.Column<bool>(type: "boolean", nullable: true),
                    After12 = table.Column<bool>(type: "boolean", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutcomeRollupRows", x => new { x.PersonId, x.Group, x.AcademicYear, x.MeasureId });
                    table.ForeignKey(
                        name: "FK_OutcomeRollupRows_OutcomeMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "OutcomeMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchGivenFamily_Ordered",
                table: "People",
                columns: new[] { "SearchGivenName", "SearchFamilyName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchNames_Ordered",
                table: "People",
                columns: new[] { "SearchFamilyName", "SearchGivenName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadPractitionerId_Status_OpenedAt",
                table: "Cases",
                columns: new[] { "LeadPractitionerId", "Status", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_OpenedAt_Id",
                table: "Cases",
                columns: new[] { "Status", "OpenedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_DisposedViolenceCount_FromYear_ToYear_Level_AreaId_SchoolId~",
                table: "DisposedViolenceCount",
                columns: new[] { "FromYear", "ToYear", "Level", "AreaId", "SchoolId", "Band", "Flags" });

            migrationBuilder.CreateIndex(
                name: "IX_DisposedViolenceCount_SchoolId",
                table: "DisposedViolenceCount",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeRollupRows_AcademicYear_MeasureId",
                table: "OutcomeRollupRows",
                columns: new[] { "AcademicYear", "MeasureId" });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeRollupRows_MeasureId",
                table: "OutcomeRollupRows",
                column: "MeasureId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisposedViolenceCount");

            migrationBuilder.DropTable(
                name: "OutcomeRollupRows");

            migrationBuilder.DropIndex(
                name: "IX_People_SearchGivenFamily_Ordered",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_SearchNames_Ordered",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_Cases_LeadPractitionerId_Status_OpenedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_OpenedAt_Id",
                table: "Cases");
        }
    }
}
