using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue15Evidence2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BenchmarkAuthorities",
                columns: table => new
                {
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 9, nullable: true),
                    IsHome = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChosenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ChosenByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BenchmarkAuthorities", x => x.Name);
                    table.ForeignKey(
                        name: "FK_BenchmarkAuthorities_AspNetUsers_ChosenByUserId",
                        column: x => x.ChosenByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "DfeImports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    Sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Rows = table.Column<int>(type: "INTEGER", nullable: false),
                    Skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    FirstYear = table.Column<int>(type: "INTEGER", nullable: false),
                    LastYear = table.Column<int>(type: "INTEGER", nullable: false),
                    ImportedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ImportedByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DfeImports", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DfeImports_AspNetUsers_ImportedByUserId",
                        column: x => x.ImportedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "DfeExclusionFigures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Level = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 9, nullable: true),
                    SchoolType = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Schools = table.Column<int>(type: "INTEGER", nullable: true),
                    Headcount = table.Column<int>(type: "INTEGER", nullable: true),
                    PermanentExclusions = table.Column<decimal>(type: "TEXT", precision: 12, scale: 5, nullable: true),
                    PermanentExclusionRate = table.Column<decimal>(type: "TEXT", precision: 7, scale: 2, nullable: true),
                    Suspensions = table.Column<int>(type: "INTEGER", nullable: true),
                    SuspensionRate = table.Column<decimal>(type: "TEXT", precision: 7, scale: 2, nullable: true),
                    PupilsSuspended = table.Column<int>(type: "INTEGER", nullable: true),
                    PupilsSuspendedRate = table.Column<decimal>(type: "TEXT", precision: 7, scale: 2, nullable: true),
                    Withheld = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ImportId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DfeExclusionFigures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DfeExclusionFigures_DfeImports_ImportId",
                        column: x => x.ImportId,
                        principalTable: "DfeImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BenchmarkAuthorities_ChosenByUserId",
                table: "BenchmarkAuthorities",
                column: "ChosenByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_DfeExclusionFigures_AcademicYear_Level_Name_SchoolType",
                table: "DfeExclusionFigures",
                columns: new[] { "AcademicYear", "Level", "Name", "SchoolType" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DfeExclusionFigures_ImportId",
                table: "DfeExclusionFigures",
                column: "ImportId");

            migrationBuilder.CreateIndex(
                name: "IX_DfeExclusionFigures_Name_SchoolType",
                table: "DfeExclusionFigures",
                columns: new[] { "Name", "SchoolType" });

            migrationBuilder.CreateIndex(
                name: "IX_DfeImports_ImportedByUserId",
                table: "DfeImports",
                column: "ImportedByUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BenchmarkAuthorities");

            migrationBuilder.DropTable(
                name: "DfeExclusionFigures");

            migrationBuilder.DropTable(
                name: "DfeImports");
        }
    }
}
