using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PersonSearchPrefixIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SearchFamilyName",
                table: "People");

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchFamilyName",
                table: "People",
                column: "SearchFamilyName")
                .Annotation("Npgsql:IndexOperators", new[] { "varchar_pattern_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchGivenName",
                table: "People",
                column: "SearchGivenName")
                .Annotation("Npgsql:IndexOperators", new[] { "varchar_pattern_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SearchFamilyName",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_SearchGivenName",
                table: "People");

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchFamilyName",
                table: "People",
                column: "SearchFamilyName");
        }
    }
}
