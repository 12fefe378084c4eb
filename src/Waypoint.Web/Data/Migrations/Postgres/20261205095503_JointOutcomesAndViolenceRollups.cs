using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
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
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "BenchmarkAuthorities",
                type: "character varying(400)",
                maxLength: 400,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "OutcomeMeasures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Rule = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Threshold = table.Column<int>(type: "integer", nullable: false),
                    DefinedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DefinedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
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
