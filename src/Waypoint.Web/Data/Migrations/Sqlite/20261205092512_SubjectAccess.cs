using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SubjectAccess : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SubjectAccessRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequesterName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Relationship = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReceivedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    ExtensionReason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ExtendedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RecordedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompiledJson = table.Column<string>(type: "TEXT", nullable: true),
                    CompiledAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    IssuedByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectAccessRequests", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SubjectAccessSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    RedactStaffNames = table.Column<bool>(type: "INTEGER", nullable: false),
                    NameStaffInAudit = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectAccessSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SubjectAccessIssues",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IssuedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    IssuedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Pdf = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Zip = table.Column<byte[]>(type: "BLOB", nullable: false),
                    RedactionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    KeepUntil = table.Column<DateOnly>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectAccessIssues", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubjectAccessIssues_SubjectAccessRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "SubjectAccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubjectAccessPoliceItems",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemKey = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Exemption = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DecidedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectAccessPoliceItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubjectAccessPoliceItems_SubjectAccessRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "SubjectAccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SubjectAccessRedactions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    RequestId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ItemKey = table.Column<string>(type: "TEXT", maxLength: 80, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Why = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    DecidedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SubjectAccessRedactions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SubjectAccessRedactions_SubjectAccessRequests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "SubjectAccessRequests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.InsertData(
                table: "SubjectAccessSettings",
                columns: new[] { "Id", "NameStaffInAudit", "RedactStaffNames" },
                values: new object[] { 1, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessIssues_KeepUntil",
                table: "SubjectAccessIssues",
                column: "KeepUntil");

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessIssues_RequestId",
                table: "SubjectAccessIssues",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessPoliceItems_OwnerOrganisationId_Decision",
                table: "SubjectAccessPoliceItems",
                columns: new[] { "OwnerOrganisationId", "Decision" });

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessPoliceItems_RequestId_ItemKey",
                table: "SubjectAccessPoliceItems",
                columns: new[] { "RequestId", "ItemKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessRedactions_RequestId_Decision",
                table: "SubjectAccessRedactions",
                columns: new[] { "RequestId", "Decision" });

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessRequests_PersonId",
                table: "SubjectAccessRequests",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_SubjectAccessRequests_Status_ReceivedOn",
                table: "SubjectAccessRequests",
                columns: new[] { "Status", "ReceivedOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SubjectAccessIssues");

            migrationBuilder.DropTable(
                name: "SubjectAccessPoliceItems");

            migrationBuilder.DropTable(
                name: "SubjectAccessRedactions");

            migrationBuilder.DropTable(
                name: "SubjectAccessSettings");

            migrationBuilder.DropTable(
                name: "SubjectAccessRequests");
        }
    }
}
