using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave13eOutcomeRollup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OutcomeRollupRows",
                columns: table => new
                {
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    MeasureId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    End = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Due6 = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Due12 = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Before6 = table.Column<bool>(type: "INTEGER", nullable: true),
                    After6 = table.Column<bool>(type: "INTEGER", nullable: true),
                    Before12 = table.Column<bool>(type: "INTEGER", nullable: true),
                    After12 = table.Column<bool>(type: "INTEGER", nullable: true)
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
                name: "OutcomeRollupRows");
        }
    }
}
