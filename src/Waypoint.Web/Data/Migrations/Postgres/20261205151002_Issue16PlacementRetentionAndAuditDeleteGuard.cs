using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
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
                values: new object[] { "ProvisionPlacement", "A placement in alternative provision is part of the pupil's education record: kept, like the school's own, to the 25th birthday and a year more; never before the placement has ended", 1, "TwentyFifthBirthday", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null });

            migrationBuilder.AddForeignKey(
                name: "FK_ProvisionPlacements_People_PersonId",
                table: "ProvisionPlacements",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);

            // Hand-written: the live audit log's delete guard, one check a statement (AuditProtectionSql).
            migrationBuilder.Sql(Waypoint.Audit.AuditProtectionSql.PostgresStatementDeleteGuard);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Waypoint.Audit.AuditProtectionSql.PostgresStatementDeleteGuardDown);

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
