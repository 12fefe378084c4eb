using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Session14OutcomeSummaryExclusionMonthRollupsImportSenderCaseReviewIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ImportJobs_Organisations_SchoolId",
                table: "ImportJobs");

            migrationBuilder.DropIndex(
                name: "IX_Cases_LeadOrganisationId_Status",
                table: "Cases");

            migrationBuilder.RenameColumn(
                name: "SchoolId",
                table: "ImportJobs",
                newName: "SenderOrganisationId");

            migrationBuilder.RenameIndex(
                name: "IX_ImportJobs_SchoolId_QueuedAt",
                table: "ImportJobs",
                newName: "IX_ImportJobs_SenderOrganisationId_QueuedAt");

            migrationBuilder.AddColumn<Guid>(
                name: "AreaId",
                table: "OutcomeRollupRows",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<int>(
                name: "CalculatedPeople",
                table: "OutcomeMeasures",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "Calculating",
                table: "OutcomeMeasures",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "CalculationHeldUntil",
                table: "OutcomeMeasures",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PeopleToCalculate",
                table: "OutcomeMeasures",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "DisposedOutcomeCount",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MeasureId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Both6 = table.Column<int>(type: "INTEGER", nullable: false),
                    BeforeOnly6 = table.Column<int>(type: "INTEGER", nullable: false),
                    AfterOnly6 = table.Column<int>(type: "INTEGER", nullable: false),
                    Neither6 = table.Column<int>(type: "INTEGER", nullable: false),
                    Both12 = table.Column<int>(type: "INTEGER", nullable: false),
                    BeforeOnly12 = table.Column<int>(type: "INTEGER", nullable: false),
                    AfterOnly12 = table.Column<int>(type: "INTEGER", nullable: false),
                    Neither12 = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisposedOutcomeCount", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisposedOutcomeCount_OutcomeMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "OutcomeMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExclusionMonthCounts",
                columns: table => new
                {
                    SchoolId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionMonthCounts", x => new { x.SchoolId, x.Month, x.Kind });
                    table.ForeignKey(
                        name: "FK_ExclusionMonthCounts_Organisations_SchoolId",
                        column: x => x.SchoolId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ExclusionReasonDayCounts",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ReasonCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExclusionReasonDayCounts", x => new { x.Date, x.Kind, x.ReasonCode });
                });

            migrationBuilder.CreateTable(
                name: "OutcomeSummaryRows",
                columns: table => new
                {
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AcademicYear = table.Column<int>(type: "INTEGER", nullable: false),
                    Group = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    MeasureId = table.Column<Guid>(type: "TEXT", nullable: false),
                    End = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Due6 = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Due12 = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Children = table.Column<int>(type: "INTEGER", nullable: false),
                    Both6 = table.Column<int>(type: "INTEGER", nullable: false),
                    BeforeOnly6 = table.Column<int>(type: "INTEGER", nullable: false),
                    AfterOnly6 = table.Column<int>(type: "INTEGER", nullable: false),
                    Neither6 = table.Column<int>(type: "INTEGER", nullable: false),
                    Both12 = table.Column<int>(type: "INTEGER", nullable: false),
                    BeforeOnly12 = table.Column<int>(type: "INTEGER", nullable: false),
                    AfterOnly12 = table.Column<int>(type: "INTEGER", nullable: false),
                    Neither12 = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutcomeSummaryRows", x => new { x.AreaId, x.AcademicYear, x.Group, x.MeasureId, x.End });
                    table.ForeignKey(
                        name: "FK_OutcomeSummaryRows_OutcomeMeasures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "OutcomeMeasures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionDayCounts_Date_SchoolId",
                table: "ExclusionDayCounts",
                columns: new[] { "Date", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadOrganisationId_Status_NextReviewOn",
                table: "Cases",
                columns: new[] { "LeadOrganisationId", "Status", "NextReviewOn" });

            migrationBuilder.CreateIndex(
                name: "IX_DisposedOutcomeCount_AcademicYear_AreaId_Group_MeasureId",
                table: "DisposedOutcomeCount",
                columns: new[] { "AcademicYear", "AreaId", "Group", "MeasureId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DisposedOutcomeCount_MeasureId",
                table: "DisposedOutcomeCount",
                column: "MeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionMonthCounts_AcademicYear_SchoolId",
                table: "ExclusionMonthCounts",
                columns: new[] { "AcademicYear", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionMonthCounts_Month_SchoolId",
                table: "ExclusionMonthCounts",
                columns: new[] { "Month", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_ExclusionReasonDayCounts_AcademicYear",
                table: "ExclusionReasonDayCounts",
                column: "AcademicYear");

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeSummaryRows_AcademicYear_MeasureId",
                table: "OutcomeSummaryRows",
                columns: new[] { "AcademicYear", "MeasureId" });

            migrationBuilder.CreateIndex(
                name: "IX_OutcomeSummaryRows_MeasureId",
                table: "OutcomeSummaryRows",
                column: "MeasureId");

            migrationBuilder.AddForeignKey(
                name: "FK_ImportJobs_Organisations_SenderOrganisationId",
                table: "ImportJobs",
                column: "SenderOrganisationId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ImportJobs_Organisations_SenderOrganisationId",
                table: "ImportJobs");

            migrationBuilder.DropTable(
                name: "DisposedOutcomeCount");

            migrationBuilder.DropTable(
                name: "ExclusionMonthCounts");

            migrationBuilder.DropTable(
                name: "ExclusionReasonDayCounts");

            migrationBuilder.DropTable(
                name: "OutcomeSummaryRows");

            migrationBuilder.DropIndex(
                name: "IX_ExclusionDayCounts_Date_SchoolId",
                table: "ExclusionDayCounts");

            migrationBuilder.DropIndex(
                name: "IX_Cases_LeadOrganisationId_Status_NextReviewOn",
                table: "Cases");

            migrationBuilder.DropColumn(
                name: "AreaId",
                table: "OutcomeRollupRows");

            migrationBuilder.DropColumn(
                name: "CalculatedPeople",
                table: "OutcomeMeasures");

            migrationBuilder.DropColumn(
                name: "Calculating",
                table: "OutcomeMeasures");

            migrationBuilder.DropColumn(
                name: "CalculationHeldUntil",
                table: "OutcomeMeasures");

            migrationBuilder.DropColumn(
                name: "PeopleToCalculate",
                table: "OutcomeMeasures");

            migrationBuilder.RenameColumn(
                name: "SenderOrganisationId",
                table: "ImportJobs",
                newName: "SchoolId");

            migrationBuilder.RenameIndex(
                name: "IX_ImportJobs_SenderOrganisationId_QueuedAt",
                table: "ImportJobs",
                newName: "IX_ImportJobs_SchoolId_QueuedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Cases_LeadOrganisationId_Status",
                table: "Cases",
                columns: new[] { "LeadOrganisationId", "Status" });

            migrationBuilder.AddForeignKey(
                name: "FK_ImportJobs_Organisations_SchoolId",
                table: "ImportJobs",
                column: "SchoolId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
