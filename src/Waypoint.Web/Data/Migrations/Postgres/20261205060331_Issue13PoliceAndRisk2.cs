using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue13PoliceAndRisk2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ChangeNote",
                table: "RiskMatrixVersions",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "LinkedPersonId",
                table: "OccurrenceMatchReviews",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Ethnicity",
                table: "Enrolments",
                type: "character varying(4)",
                maxLength: 4,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "FsmEligible",
                table: "Enrolments",
                type: "boolean",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OccurrenceMatchReviews_LinkedPersonId",
                table: "OccurrenceMatchReviews",
                column: "LinkedPersonId");

            migrationBuilder.AddForeignKey(
                name: "FK_OccurrenceMatchReviews_People_LinkedPersonId",
                table: "OccurrenceMatchReviews",
                column: "LinkedPersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_OccurrenceMatchReviews_People_LinkedPersonId",
                table: "OccurrenceMatchReviews");

            migrationBuilder.DropIndex(
                name: "IX_OccurrenceMatchReviews_LinkedPersonId",
                table: "OccurrenceMatchReviews");

            migrationBuilder.DropColumn(
                name: "ChangeNote",
                table: "RiskMatrixVersions");

            migrationBuilder.DropColumn(
                name: "LinkedPersonId",
                table: "OccurrenceMatchReviews");

            migrationBuilder.DropColumn(
                name: "Ethnicity",
                table: "Enrolments");

            migrationBuilder.DropColumn(
                name: "FsmEligible",
                table: "Enrolments");
        }
    }
}
