using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave21dOrganisationsLowerNameIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The dashboard's shared-names read (lower("Name") IN a page's names) from an index, not a scan of the
            // county's schools lowering each name. An expression index: EF's model cannot hold it, so it is SQL here.
            migrationBuilder.Sql("""CREATE INDEX "IX_Organisations_LowerName" ON "Organisations" (lower("Name"));""");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP INDEX "IX_Organisations_LowerName";""");
        }
    }
}
