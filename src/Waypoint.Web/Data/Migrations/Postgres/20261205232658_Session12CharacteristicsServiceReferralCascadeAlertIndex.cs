using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Session12CharacteristicsServiceReferralCascadeAlertIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals");

            migrationBuilder.CreateTable(
                name: "PupilCharacteristics",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    Sex = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Ethnicity = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    SenProvision = table.Column<string>(type: "character varying(1)", maxLength: 1, nullable: true),
                    FsmEligible = table.Column<bool>(type: "boolean", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PupilCharacteristics", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PupilCharacteristics_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PupilCharacteristics_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Copy each pupil's characteristics off their latest enrolment at each school before the columns go.
            migrationBuilder.Sql(Waypoint.Data.CharacteristicsMoveSql.Postgres);

            migrationBuilder.DropColumn(
                name: "Ethnicity",
                table: "Enrolments");

            migrationBuilder.DropColumn(
                name: "FsmEligible",
                table: "Enrolments");

            migrationBuilder.DropColumn(
                name: "SenProvision",
                table: "Enrolments");

            migrationBuilder.CreateTable(
                name: "PupilCharacteristicsChanges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    ChangedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ChangedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    Source = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Field = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    From = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    To = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PupilCharacteristicsChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PupilCharacteristicsChanges_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PupilCharacteristicsChanges_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Alerts_Status_RaisedAt_Id",
                table: "Alerts",
                columns: new[] { "Status", "RaisedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_PupilCharacteristics_PersonId_SchoolId",
                table: "PupilCharacteristics",
                columns: new[] { "PersonId", "SchoolId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PupilCharacteristics_SchoolId",
                table: "PupilCharacteristics",
                column: "SchoolId");

            migrationBuilder.CreateIndex(
                name: "IX_PupilCharacteristicsChanges_PersonId_SchoolId_ChangedAt",
                table: "PupilCharacteristicsChanges",
                columns: new[] { "PersonId", "SchoolId", "ChangedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PupilCharacteristicsChanges_SchoolId",
                table: "PupilCharacteristicsChanges",
                column: "SchoolId");

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals");

            migrationBuilder.DropTable(
                name: "PupilCharacteristics");

            migrationBuilder.DropTable(
                name: "PupilCharacteristicsChanges");

            migrationBuilder.DropIndex(
                name: "IX_Alerts_Status_RaisedAt_Id",
                table: "Alerts");

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

            migrationBuilder.AddColumn<string>(
                name: "SenProvision",
                table: "Enrolments",
                type: "character varying(1)",
                maxLength: 1,
                nullable: true);

            migrationBuilder.AddForeignKey(
                name: "FK_ServiceReferrals_People_PersonId",
                table: "ServiceReferrals",
                column: "PersonId",
                principalTable: "People",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
