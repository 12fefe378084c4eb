using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PeopleBirthdayNameIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_DateOfBirth",
                table: "People");

            migrationBuilder.AddColumn<string>(
                name: "SearchFamilyPrefix",
                table: "People",
                type: "character varying(3)",
                maxLength: 3,
                nullable: false,
                defaultValue: "");

            // The people already registered get theirs from their normalised family name (letters only, so substr counts as the code does).
            migrationBuilder.Sql("""UPDATE "People" SET "SearchFamilyPrefix" = substr("SearchFamilyName", 1, 3)""");

            migrationBuilder.CreateIndex(
                name: "IX_People_DateOfBirth_FamilyNameKey",
                table: "People",
                columns: new[] { "DateOfBirth", "FamilyNameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_People_DateOfBirth_SearchFamilyPrefix",
                table: "People",
                columns: new[] { "DateOfBirth", "SearchFamilyPrefix" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_DateOfBirth_FamilyNameKey",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_DateOfBirth_SearchFamilyPrefix",
                table: "People");

            migrationBuilder.DropColumn(
                name: "SearchFamilyPrefix",
                table: "People");

            migrationBuilder.CreateIndex(
                name: "IX_People_DateOfBirth",
                table: "People",
                column: "DateOfBirth");
        }
    }
}
