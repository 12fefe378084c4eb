using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Session16ToDateRollupOrganisationAreaPhaseTypeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Organisations_AreaId",
                table: "Organisations");

            migrationBuilder.CreateTable(
                name: "ExclusionSchoolToDates",
                columns: table => new
                {
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    SuspensionsThisYear = table.Column<int>(type: "integer", nullable: false),
                    SuspensionsLastYear = table.Column<int>(type: "integer", nullable: false),
                    ExclusionsThisYear = table.Column<int>(type: "integer", nullable: false),
                    ExclusionsLastYear = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionSchoolToDates", x => x.SchoolId);
                    table.ForeignKey(
                        name: "FK_ExclusionSchoolToDates_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_AreaId_Phase_Type",
                table: "Organisations",
                columns: new[] { "AreaId", "Phase", "Type" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_Organisations_AreaId_Phase_Type",
                table: "Organisations");

            migrationBuilder.CreateIndex(
                name: "IX_Organisations_AreaId",
                table: "Organisations",
                column: "AreaId");
        }
    }
}
