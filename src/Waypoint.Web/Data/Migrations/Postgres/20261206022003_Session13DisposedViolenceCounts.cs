using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Session13DisposedViolenceCounts : Migration
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

            migrationBuilder.CreateIndex(
                name: "IX_DisposedViolenceCount_FromYear_ToYear_Level_AreaId_SchoolId~",
                table: "DisposedViolenceCount",
                columns: new[] { "FromYear", "ToYear", "Level", "AreaId", "SchoolId", "Band", "Flags" });

            migrationBuilder.CreateIndex(
                name: "IX_DisposedViolenceCount_SchoolId",
                table: "DisposedViolenceCount",
                column: "SchoolId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DisposedViolenceCount");
        }
    }
}
