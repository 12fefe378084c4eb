using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave18eInvolvementsSourceIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Involvements_SourceId_OrganisationId",
                table: "Involvements",
                columns: new[] { "SourceId", "OrganisationId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Involvements_SourceId_OrganisationId",
                table: "Involvements");
        }
    }
}
