using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SchoolRecordDisposal : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SchoolRecordUnits",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    SchoolId = table.Column<Guid>(type: "uuid", nullable: false),
                    FoundAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SchoolRecordUnits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SchoolRecordUnits_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SchoolRecordUnits_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.UpdateData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "SchoolRecord",
                column: "Basis",
                value: "A pupil's records from one school: kept to the 25th birthday (IRMS schools toolkit: date of birth + 25 years), and a year more to answer late queries; never before the pupil has left that school");

            migrationBuilder.InsertData(
                table: "RetentionSchedules",
                columns: new[] { "RecordType", "Basis", "Period", "Trigger", "Unit", "UpdatedAt", "UpdatedByUserId" },
                values: new object[] { "SubjectAccessCopy", "The copy issued and its redactions, to show the ICO or a court what was disclosed: the ICO sets no period and says keep no longer than needed; two years from issue covers a complaint (the ICO asks for one within three months of the response) and its investigation", 2, "Closure", "Years", new DateTimeOffset(new DateTime(2026, 12, 5, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)), null });

            migrationBuilder.CreateIndex(
                name: "IX_SchoolRecordUnits_PersonId_SchoolId",
                table: "SchoolRecordUnits",
                columns: new[] { "PersonId", "SchoolId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SchoolRecordUnits_SchoolId",
                table: "SchoolRecordUnits",
                column: "SchoolId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SchoolRecordUnits");

            migrationBuilder.DeleteData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "SubjectAccessCopy");

            migrationBuilder.UpdateData(
                table: "RetentionSchedules",
                keyColumn: "RecordType",
                keyValue: "SchoolRecord",
                column: "Basis",
                value: "The pupil record is kept until the pupil's 25th birthday");
        }
    }
}
