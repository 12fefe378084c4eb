using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue14Services2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ReviewNoticeSentFor",
                table: "Services",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "AcceptedAt",
                table: "ServiceReferrals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "AgendaItemId",
                table: "ServiceReferrals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CaseId",
                table: "ServiceReferrals",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeclinedAt",
                table: "ServiceReferrals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "ServiceReferrals",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "WaitingAt",
                table: "ServiceReferrals",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_AgendaItemId",
                table: "ServiceReferrals",
                column: "AgendaItemId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_CaseId",
                table: "ServiceReferrals",
                column: "CaseId");

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_AgendaItems_AgendaItemId",
                table: "ServiceReferrals",
                column: "AgendaItemId",
                principalTable: "AgendaItems",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_Cases_CaseId",
                table: "ServiceReferrals",
                column: "CaseId",
                principalTable: "Cases",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_AgendaItems_AgendaItemId",
                table: "ServiceReferrals");

            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_Cases_CaseId",
                table: "ServiceReferrals");

            migrationBuilder.DropIndex(
                name: "IX_ServiceReferrals_AgendaItemId",
                table: "ServiceReferrals");

            migrationBuilder.DropIndex(
                name: "IX_ServiceReferrals_CaseId",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "ReviewNoticeSentFor",
                table: "Services");

            migrationBuilder.DropColumn(
                name: "AcceptedAt",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "AgendaItemId",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "CaseId",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "DeclinedAt",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "ServiceReferrals");

            migrationBuilder.DropColumn(
                name: "WaitingAt",
                table: "ServiceReferrals");
        }
    }
}
