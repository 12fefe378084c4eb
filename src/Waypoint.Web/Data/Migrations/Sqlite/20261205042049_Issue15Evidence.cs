using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue15Evidence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CensusHeadcounts",
                columns: table => new
                {
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Headcount = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CensusHeadcounts", x => new { x.SchoolId, x.AcademicYear });
                    table.ForeignKey(
                        name: "FK_CensusHeadcounts_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExclusionDayCounts",
                columns: table => new
                {
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionDayCounts", x => new { x.SchoolId, x.Date, x.Kind, x.ReasonCode });
                    table.ForeignKey(
                        name: "FK_ExclusionDayCounts_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExclusionPupilCounts",
                columns: table => new
                {
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Term = table.Column<int>(type: "INTEGER", nullable: false),
                    PupilsSuspended = table.Column<int>(type: "INTEGER", nullable: false),
                    PupilsPermanentlyExcluded = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionPupilCounts", x => new { x.SchoolId, x.AcademicYear, x.Term });
                    table.ForeignKey(
                        name: "FK_ExclusionPupilCounts_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "StatisticsPublications",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Through = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Threshold = table.Column<int>(type: "INTEGER", nullable: false),
                    PublishedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PublishedByUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RevisionNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Tables = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StatisticsPublications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_StatisticsPublications_AspNetUsers_PublishedByUserId",
                        column: x => x.PublishedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CensusHeadcounts_AcademicYear",
                table: "CensusHeadcounts",
                column: "AcademicYear");

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionDayCounts_AcademicYear_SchoolId",
                table: "ExclusionDayCounts",
                columns: new[] { "AcademicYear", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionPupilCounts_AcademicYear_Term",
                table: "ExclusionPupilCounts",
                columns: new[] { "AcademicYear", "Term" });

            migrationBuilder.CreateIndex(
                name: "IX_StatisticsPublications_AcademicYear_Version",
                table: "StatisticsPublications",
                columns: new[] { "AcademicYear", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StatisticsPublications_PublishedByUserId",
                table: "StatisticsPublications",
                column: "PublishedByUserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CensusHeadcounts");

            migrationBuilder.DropTable(
                name: "ExclusionDayCounts");

            migrationBuilder.DropTable(
                name: "ExclusionPupilCounts");

            migrationBuilder.DropTable(
                name: "StatisticsPublications");
        }
    }
}
