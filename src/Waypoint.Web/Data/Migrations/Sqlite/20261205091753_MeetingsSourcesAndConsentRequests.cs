using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MeetingsSourcesAndConsentRequests : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConsentRequests",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AskingOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AskingUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgendaItemId = table.Column<Guid>(type: "TEXT", nullable: true),
                    VisitActionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ResolvedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ConsentRecordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConsentRequests", x => x.Id);
                    table.CheckConstraint("CK_ConsentRequests_Resolved", "(\"ResolvedAt\" IS NULL AND \"Outcome\" IS NULL) OR (\"ResolvedAt\" IS NOT NULL AND \"Outcome\" IS NOT NULL)");
                    table.ForeignKey(
                        name: "FK_ConsentRequests_AgendaItems_AgendaItemId",
                        column: x => x.AgendaItemId,
                        principalTable: "AgendaItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ConsentRequests_ConsentRecords_ConsentRecordId",
                        column: x => x.ConsentRecordId,
                        principalTable: "ConsentRecords",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ConsentRequests_Organisations_AskingOrganisationId",
                        column: x => x.AskingOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ConsentRequests_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MeetingReferralMarks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferralId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SeriesId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Why = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    MarkedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    MarkedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MarkedByOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingReferralMarks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingReferralMarks_MeetingSeries_SeriesId",
                        column: x => x.SeriesId,
                        principalTable: "MeetingSeries",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MeetingReferralMarks_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MeetingReferralMarks_Referrals_ReferralId",
                        column: x => x.ReferralId,
                        principalTable: "Referrals",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MinutesCorrections",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MeetingId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AgendaItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    PreviousDiscussion = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Discussion = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    CorrectedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CorrectedByUserId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MinutesCorrections", x => x.Id);
                    table.CheckConstraint("CK_MinutesCorrections_Version", "\"Version\" >= 2");
                    table.ForeignKey(
                        name: "FK_MinutesCorrections_AgendaItems_AgendaItemId",
                        column: x => x.AgendaItemId,
                        principalTable: "AgendaItems",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MinutesCorrections_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_MinutesCorrections_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_AgendaItemId",
                table: "ConsentRequests",
                column: "AgendaItemId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_AskingOrganisationId_ResolvedAt_DueOn",
                table: "ConsentRequests",
                columns: new[] { "AskingOrganisationId", "ResolvedAt", "DueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_ConsentRecordId",
                table: "ConsentRequests",
                column: "ConsentRecordId");

            migrationBuilder.CreateIndex(
                name: "IX_ConsentRequests_PersonId",
                table: "ConsentRequests",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingReferralMarks_PersonId",
                table: "MeetingReferralMarks",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingReferralMarks_ReferralId_SeriesId",
                table: "MeetingReferralMarks",
                columns: new[] { "ReferralId", "SeriesId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingReferralMarks_SeriesId_MarkedAt",
                table: "MeetingReferralMarks",
                columns: new[] { "SeriesId", "MarkedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_MinutesCorrections_AgendaItemId",
                table: "MinutesCorrections",
                column: "AgendaItemId");

            migrationBuilder.CreateIndex(
                name: "IX_MinutesCorrections_MeetingId_Version",
                table: "MinutesCorrections",
                columns: new[] { "MeetingId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MinutesCorrections_PersonId",
                table: "MinutesCorrections",
                column: "PersonId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConsentRequests");

            migrationBuilder.DropTable(
                name: "MeetingReferralMarks");

            migrationBuilder.DropTable(
                name: "MinutesCorrections");
        }
    }
}
