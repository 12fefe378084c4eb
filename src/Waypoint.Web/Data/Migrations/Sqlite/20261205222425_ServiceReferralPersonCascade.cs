using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ServiceReferralPersonCascade : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals");

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals");

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
