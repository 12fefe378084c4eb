using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Wave13gMyWorkCaseIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadPractitionerId_Status_OpenedAt",
                table: "Cases",
                columns: new[] { "LeadPractitionerId", "Status", "OpenedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_Status_OpenedAt_Id",
                table: "Cases",
                columns: new[] { "Status", "OpenedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_LeadPractitionerId_Status_OpenedAt",
                table: "Cases");

            migrationBuilder.DropIndex(
                name: "IX_Cases_Status_OpenedAt_Id",
                table: "Cases");
        }
    }
}
