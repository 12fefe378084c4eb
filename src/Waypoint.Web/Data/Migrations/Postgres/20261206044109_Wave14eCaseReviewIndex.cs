using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Wave14eCaseReviewIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_LeadOrganisationId_Status",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadOrganisationId_Status_NextReviewOn",
                table: "Cases",
                columns: new[] { "LeadOrganisationId", "Status", "NextReviewOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_LeadOrganisationId_Status_NextReviewOn",
                table: "Cases");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadOrganisationId_Status",
                table: "Cases",
                columns: new[] { "LeadOrganisationId", "Status" });
        }
    }
}
