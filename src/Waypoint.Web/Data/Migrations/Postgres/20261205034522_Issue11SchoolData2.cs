using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue11SchoolData2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "EnrolStatus",
                table: "Enrolments",
                type: "character varying(1)",
                maxLength: 1,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LeavingReason",
                table: "Enrolments",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ImportColumnMappings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Heading = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    NormalisedHeading = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Column = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    SetByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    SetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportColumnMappings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ImportColumnMappings_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ImportColumnMappings_SchoolId_Kind_NormalisedHeading",
                table: "ImportColumnMappings",
                columns: new[] { "SchoolId", "Kind", "NormalisedHeading" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ImportColumnMappings");

            migrationBuilder.DropColumn(
                name: "EnrolStatus",
                table: "Enrolments");

            migrationBuilder.DropColumn(
                name: "LeavingReason",
                table: "Enrolments");
        }
    }
}
