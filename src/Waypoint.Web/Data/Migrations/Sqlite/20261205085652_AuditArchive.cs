using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AuditArchive",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OrganisationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Action = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Basis = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Channel = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditArchive", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AuditPeriods",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    FirstId = table.Column<long>(type: "INTEGER", nullable: false),
                    LastId = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    PreviousHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    LastHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ArchivedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DisposedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Seal = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditPeriods", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditArchive_PersonId_OccurredAt",
                table: "AuditArchive",
                columns: new[] { "PersonId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditArchive_UserId_OccurredAt",
                table: "AuditArchive",
                columns: new[] { "UserId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditPeriods_FirstId",
                table: "AuditPeriods",
                column: "FirstId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AuditPeriods_Month",
                table: "AuditPeriods",
                column: "Month",
                unique: true);

            // Written by hand: the database's own guard over the archive (Audit/AuditProtectionSql.cs).
            foreach (var sql in Waypoint.Audit.AuditProtectionSql.SqliteInstall)
                migrationBuilder.Sql(sql);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var sql in Waypoint.Audit.AuditProtectionSql.SqliteUninstall)
                migrationBuilder.Sql(sql);

            migrationBuilder.DropTable(
                name: "AuditArchive");

            migrationBuilder.DropTable(
                name: "AuditPeriods");
        }
    }
}
