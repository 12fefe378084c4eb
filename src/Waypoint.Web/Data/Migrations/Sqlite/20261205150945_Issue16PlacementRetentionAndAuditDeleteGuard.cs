using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue16PlacementRetentionAndAuditDeleteGuard : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements");

            migrationBuilder.InsertData(
                table: "RetentionSchedules",
                columns: new[] { "RecordType", "Basis", "Period", "Trigger", "Unit", "UpdatedAt", "UpdatedByUserId" },
                values: new object[] { "ProvisionPlacement", "A placement in alternative provision is part of the pupil's education record: kept, like the school's own, to the 25th birthday and a year more; never before the placement has ended", 1, "TwentyFifthBirthday", "Years", 639320256000000000L, null });

            migrationBuilder.AddForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements");

            migrationBuilder.DeleteData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "ProvisionPlacement");

            migrationBuilder.AddForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
