using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RenameImportJobSender : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ImportJobs_Organisations_SchoolId",
                table: "ImportJobs");

            migrationBuilder.RenameColumn(
                name: "SchoolId",
                table: "ImportJobs",
                newName: "SenderOrganisationId");

            migrationBuilder.RenameIndex(
                name: "IX_ImportJobs_SchoolId_QueuedAt",
                table: "ImportJobs",
                newName: "IX_ImportJobs_SenderOrganisationId_QueuedAt");

            migrationBuilder.AddForeignKey(
                name: "FK_ImportJobs_Organisations_SenderOrganisationId",
                table: "ImportJobs",
                column: "SenderOrganisationId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ImportJobs_Organisations_SenderOrganisationId",
                table: "ImportJobs");

            migrationBuilder.RenameColumn(
                name: "SenderOrganisationId",
                table: "ImportJobs",
                newName: "SchoolId");

            migrationBuilder.RenameIndex(
                name: "IX_ImportJobs_SenderOrganisationId_QueuedAt",
                table: "ImportJobs",
                newName: "IX_ImportJobs_SchoolId_QueuedAt");

            migrationBuilder.AddForeignKey(
                name: "FK_ImportJobs_Organisations_SchoolId",
                table: "ImportJobs",
                column: "SchoolId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
