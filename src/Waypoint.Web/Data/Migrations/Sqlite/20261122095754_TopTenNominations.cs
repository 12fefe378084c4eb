using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TopTenNominations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TopTenNominations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Rank = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    NominatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    NominatedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WithdrawnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    WithdrawnByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    WithdrawalReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TopTenNominations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TopTenNominations_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_TopTenNominations_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_TopTenNominations_PersonId",
                table: "TopTenNominations",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_TopTenNominations_SchoolId_WithdrawnAt",
                table: "TopTenNominations",
                columns: new[] { "SchoolId", "WithdrawnAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TopTenNominations");
        }
    }
}
