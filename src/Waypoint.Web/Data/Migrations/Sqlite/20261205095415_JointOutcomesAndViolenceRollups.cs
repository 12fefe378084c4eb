using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class JointOutcomesAndViolenceRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LaNumber",
                table: "DfeExclusionFigures",
                type: "TEXT",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "BenchmarkAuthorities",
                type: "TEXT",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutcomeMeasures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Rule = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    DefinedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DefinedByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutcomeMeasures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OutcomeMeasures_AspNetUsers_DefinedByUserId",
                        column: x => x.DefinedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeMeasures_DefinedByUserId",
                table: "OutcomeMeasures",
                column: "DefinedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeMeasures_Name",
                table: "OutcomeMeasures",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OutcomeMeasures");

            migrationBuilder.DropColumn(
                name: "LaNumber",
                table: "DfeExclusionFigures");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "BenchmarkAuthorities");
        }
    }
}
