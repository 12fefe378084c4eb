using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CaseAccessAfterClosure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CaseAccessDaysAfterClosure",
                table: "TriageSettings",
                type: "integer",
                nullable: false,
                defaultValue: 90); // a partnership that set its triage days keeps the default closure clock (Domain.TriageSettings)
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CaseAccessDaysAfterClosure",
                table: "TriageSettings");
        }
    }
}
