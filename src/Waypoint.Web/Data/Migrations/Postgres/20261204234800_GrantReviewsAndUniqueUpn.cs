using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class GrantReviewsAndUniqueUpn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // First: a register that already holds one UPN on two people fails here, before anything
            // else of this migration is applied (SQLite runs it outside one transaction), naming the index.
            migrationBuilder.CreateIndex(
                name: "IX_PersonIdentifiers_Upn",
                table: "PersonIdentifiers",
                column: "Value",
                unique: true,
                filter: "\"Scheme\" = 'Upn'");

            migrationBuilder.AddColumn<DateOnly>(
                name: "ReviewOn",
                table: "Involvements",
                type: "date",
                nullable: true);

            // Grants that never had an end (a case's team, a report's reporter) are due for review in three
            // months from now rather than ended: nobody loses access the day this runs.
            migrationBuilder.Sql("""
                UPDATE "Involvements" SET "ReviewOn" = (current_date + interval '3 months')::date WHERE "EndDate" IS NULL;
                """);

            migrationBuilder.AddCheckConstraint(
                name: "CK_Involvements_EndOrReview",
                table: "Involvements",
                sql: "\"EndDate\" IS NOT NULL OR \"ReviewOn\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PersonIdentifiers_Upn",
                table: "PersonIdentifiers");

            migrationBuilder.DropCheckConstraint(
                name: "CK_Involvements_EndOrReview",
                table: "Involvements");

            migrationBuilder.DropColumn(
                name: "ReviewOn",
                table: "Involvements");
        }
    }
}
