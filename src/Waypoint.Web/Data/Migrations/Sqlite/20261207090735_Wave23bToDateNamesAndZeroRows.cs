using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave23bToDateNamesAndZeroRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AreaId",
                table: "ExclusionSchoolToDates",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<bool>(
                name: "IsSchool",
                table: "ExclusionSchoolToDates",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "ExclusionSchoolToDates",
                type: "TEXT",
                maxLength: 160,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "Urn",
                table: "ExclusionSchoolToDates",
                type: "TEXT",
                maxLength: 6,
                nullable: true);

            // Wave 23b: the register's columns filled in for the rows there are, and a zero row for every school
            // without one (what RebuildAsync and the writers keep from here), before the indexes are built.
            migrationBuilder.Sql("""
                UPDATE "ExclusionSchoolToDates" SET
                    "Name" = (SELECT o."Name" FROM "Organisations" AS o WHERE o."Id" = "ExclusionSchoolToDates"."SchoolId"),
                    "Urn" = (SELECT o."Urn" FROM "Organisations" AS o WHERE o."Id" = "ExclusionSchoolToDates"."SchoolId"),
                    "AreaId" = (SELECT o."AreaId" FROM "Organisations" AS o WHERE o."Id" = "ExclusionSchoolToDates"."SchoolId"),
                    "IsSchool" = (SELECT o."Type" = 'School' FROM "Organisations" AS o WHERE o."Id" = "ExclusionSchoolToDates"."SchoolId");
                """);
            migrationBuilder.Sql("""
                INSERT INTO "ExclusionSchoolToDates" ("SchoolId", "Name", "Urn", "AreaId", "IsSchool", "SuspensionsThisYear", "SuspensionsLastYear", "ExclusionsThisYear", "ExclusionsLastYear")
                SELECT o."Id", o."Name", o."Urn", o."AreaId", TRUE, 0, 0, 0, 0 FROM "Organisations" AS o
                WHERE o."Type" = 'School' AND NOT EXISTS (SELECT 1 FROM "ExclusionSchoolToDates" AS t WHERE t."SchoolId" = o."Id");
                """);

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_AreaId",
                table: "ExclusionSchoolToDates",
                columns: new[] { "AreaId", "IsSchool" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsLastYear",
                table: "ExclusionSchoolToDates",
                columns: new[] { "ExclusionsLastYear", "Name", "Urn", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsLastYear_Desc",
                table: "ExclusionSchoolToDates",
                columns: new[] { "ExclusionsLastYear", "Name", "Urn", "SchoolId" },
                descending: new[] { true, false, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsThisYear",
                table: "ExclusionSchoolToDates",
                columns: new[] { "ExclusionsThisYear", "Name", "Urn", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsThisYear_Desc",
                table: "ExclusionSchoolToDates",
                columns: new[] { "ExclusionsThisYear", "Name", "Urn", "SchoolId" },
                descending: new[] { true, false, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_Name",
                table: "ExclusionSchoolToDates",
                columns: new[] { "Name", "Urn", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsLastYear",
                table: "ExclusionSchoolToDates",
                columns: new[] { "SuspensionsLastYear", "Name", "Urn", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsLastYear_Desc",
                table: "ExclusionSchoolToDates",
                columns: new[] { "SuspensionsLastYear", "Name", "Urn", "SchoolId" },
                descending: new[] { true, false, false, false });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsThisYear",
                table: "ExclusionSchoolToDates",
                columns: new[] { "SuspensionsThisYear", "Name", "Urn", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsThisYear_Desc",
                table: "ExclusionSchoolToDates",
                columns: new[] { "SuspensionsThisYear", "Name", "Urn", "SchoolId" },
                descending: new[] { true, false, false, false });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The zero rows (wave 23b) go: before it, a school that counted nothing had no row.
            migrationBuilder.Sql("""
                DELETE FROM "ExclusionSchoolToDates"
                WHERE "SuspensionsThisYear" = 0 AND "SuspensionsLastYear" = 0 AND "ExclusionsThisYear" = 0 AND "ExclusionsLastYear" = 0;
                """);

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_AreaId",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsLastYear",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsLastYear_Desc",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsThisYear",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_ExclusionsThisYear_Desc",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_Name",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsLastYear",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsLastYear_Desc",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsThisYear",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionSchoolToDates_SuspensionsThisYear_Desc",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropColumn(
                name: "AreaId",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropColumn(
                name: "IsSchool",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "ExclusionSchoolToDates");

            migrationBuilder.DropColumn(
                name: "Urn",
                table: "ExclusionSchoolToDates");
        }
    }
}
