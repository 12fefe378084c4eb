using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave14ExclusionMonthAndReasonDayRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExclusionMonthCounts",
                columns: table => new
                {
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionMonthCounts", x => new { x.SchoolId, x.Month, x.Kind });
                    table.ForeignKey(
                        name: "FK_ExclusionMonthCounts_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExclusionReasonDayCounts",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionReasonDayCounts", x => new { x.Date, x.Kind, x.ReasonCode });
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionDayCounts_Date_SchoolId",
                table: "ExclusionDayCounts",
                columns: new[] { "Date", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionMonthCounts_AcademicYear_SchoolId",
                table: "ExclusionMonthCounts",
                columns: new[] { "AcademicYear", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionMonthCounts_Month_SchoolId",
                table: "ExclusionMonthCounts",
                columns: new[] { "Month", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionReasonDayCounts_AcademicYear",
                table: "ExclusionReasonDayCounts",
                column: "AcademicYear");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExclusionMonthCounts");

            migrationBuilder.DropTable(
                name: "ExclusionReasonDayCounts");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionDayCounts_Date_SchoolId",
                table: "ExclusionDayCounts");
        }
    }
}
