using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SearchNamesOrdered : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_People_SearchGivenFamily_Ordered",
                table: "People",
                columns: new[] { "SearchGivenName", "SearchFamilyName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_People_SearchNames_Ordered",
                table: "People",
                columns: new[] { "SearchFamilyName", "SearchGivenName", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_SearchGivenFamily_Ordered",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_SearchNames_Ordered",
                table: "People");
        }
    }
}
