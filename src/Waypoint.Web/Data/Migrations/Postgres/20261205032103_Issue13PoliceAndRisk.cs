using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Issue13PoliceAndRisk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LsoaWards",
                columns: table => new
                {
                    LsoaCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LsoaWards", x => x.LsoaCode);
                    table.ForeignKey(
                        name: "FK_LsoaWards_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Occurrences",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PoliceReference = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    OccurredOn = table.Column<DateOnly>(type: "date", nullable: false),
                    OffenceGroup = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    OffenceSubGroup = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    IncidentType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: true),
                    Location = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Latitude = table.Column<double>(type: "double precision", nullable: true),
                    Longitude = table.Column<double>(type: "double precision", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RecordedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Occurrences", x => x.Id);
                    table.CheckConstraint("CK_Occurrences_OffenceOrIncident", "(\"OffenceSubGroup\" IS NULL) <> (\"IncidentType\" IS NULL)");
                    table.ForeignKey(
                        name: "FK_Occurrences_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Occurrences_Organisations_OwnerOrganisationId",
                        column: x => x.OwnerOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PersonFlags",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Evidence = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CategoryCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SetByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    SetAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ReviewOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ReviewOutcome = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    ReviewedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PersonFlags", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PersonFlags_Organisations_OwnerOrganisationId",
                        column: x => x.OwnerOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PersonFlags_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RiskMatrixVersions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    MediumFrom = table.Column<int>(type: "integer", nullable: false),
                    HighFrom = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    PublishedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskMatrixVersions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "StreetCrimeCounts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Force = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    LsoaCode = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: false),
                    LsoaName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    Category = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_StreetCrimeCounts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OccurrenceMatchReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurrenceId = table.Column<Guid>(type: "uuid", nullable: false),
                    OwnerOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    FileName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Line = table.Column<int>(type: "integer", nullable: false),
                    PersonPoliceReference = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    GivenName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    FamilyName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DateOfBirth = table.Column<DateOnly>(type: "date", nullable: true),
                    Role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CandidatePersonId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DecidedByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OccurrenceMatchReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OccurrenceMatchReviews_Occurrences_OccurrenceId",
                        column: x => x.OccurrenceId,
                        principalTable: "Occurrences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OccurrenceMatchReviews_People_CandidatePersonId",
                        column: x => x.CandidatePersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "OccurrencePeople",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OccurrenceId = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    Role = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OccurrencePeople", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OccurrencePeople_Occurrences_OccurrenceId",
                        column: x => x.OccurrenceId,
                        principalTable: "Occurrences",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_OccurrencePeople_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RiskFactors",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    MatrixVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    Source = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Kind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Weight = table.Column<int>(type: "integer", nullable: false),
                    LookBackMonths = table.Column<int>(type: "integer", nullable: false),
                    MinimumCount = table.Column<int>(type: "integer", nullable: false),
                    AttendanceBelowPercent = table.Column<int>(type: "integer", nullable: true),
                    Roles = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: true),
                    OffenceGroup = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: true),
                    IncidentType = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    FlagKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskFactors", x => x.Id);
                    table.CheckConstraint("CK_RiskFactors_Weight", "\"Weight\" BETWEEN 1 AND 10");
                    table.ForeignKey(
                        name: "FK_RiskFactors_RiskMatrixVersions_MatrixVersionId",
                        column: x => x.MatrixVersionId,
                        principalTable: "RiskMatrixVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RiskScores",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    MatrixVersionId = table.Column<Guid>(type: "uuid", nullable: false),
                    ComputedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Offending = table.Column<int>(type: "integer", nullable: false),
                    Vulnerability = table.Column<int>(type: "integer", nullable: false),
                    OffendingBand = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    VulnerabilityBand = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    IsLatest = table.Column<bool>(type: "boolean", nullable: false),
                    ContributionsJson = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RiskScores_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RiskScores_RiskMatrixVersions_MatrixVersionId",
                        column: x => x.MatrixVersionId,
                        principalTable: "RiskMatrixVersions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CohortReviews",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: false),
                    ScoreId = table.Column<Guid>(type: "uuid", nullable: false),
                    Decision = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Rationale = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ReviewedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewedByOrganisationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedByUserId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CohortReviews", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CohortReviews_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CohortReviews_RiskScores_ScoreId",
                        column: x => x.ScoreId,
                        principalTable: "RiskScores",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CohortReviews_PersonId_ReviewedAt",
                table: "CohortReviews",
                columns: new[] { "PersonId", "ReviewedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_CohortReviews_ScoreId",
                table: "CohortReviews",
                column: "ScoreId");

            migrationBuilder.CreateIndex(
                name: "IX_LsoaWards_AreaId",
                table: "LsoaWards",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_OccurrenceMatchReviews_CandidatePersonId",
                table: "OccurrenceMatchReviews",
                column: "CandidatePersonId");

            migrationBuilder.CreateIndex(
                name: "IX_OccurrenceMatchReviews_OccurrenceId",
                table: "OccurrenceMatchReviews",
                column: "OccurrenceId");

            migrationBuilder.CreateIndex(
                name: "IX_OccurrenceMatchReviews_OwnerOrganisationId_Status",
                table: "OccurrenceMatchReviews",
                columns: new[] { "OwnerOrganisationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_OccurrencePeople_OccurrenceId_PersonId_Role",
                table: "OccurrencePeople",
                columns: new[] { "OccurrenceId", "PersonId", "Role" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_OccurrencePeople_PersonId",
                table: "OccurrencePeople",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_AreaId",
                table: "Occurrences",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_OccurredOn",
                table: "Occurrences",
                column: "OccurredOn");

            migrationBuilder.CreateIndex(
                name: "IX_Occurrences_OwnerOrganisationId_PoliceReference",
                table: "Occurrences",
                columns: new[] { "OwnerOrganisationId", "PoliceReference" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PersonFlags_OwnerOrganisationId",
                table: "PersonFlags",
                column: "OwnerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_PersonFlags_PersonId_Status",
                table: "PersonFlags",
                columns: new[] { "PersonId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_PersonFlags_ReviewOn",
                table: "PersonFlags",
                column: "ReviewOn");

            migrationBuilder.CreateIndex(
                name: "IX_RiskFactors_MatrixVersionId",
                table: "RiskFactors",
                column: "MatrixVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_RiskMatrixVersions_Number",
                table: "RiskMatrixVersions",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RiskScores_IsLatest_OffendingBand",
                table: "RiskScores",
                columns: new[] { "IsLatest", "OffendingBand" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskScores_MatrixVersionId",
                table: "RiskScores",
                column: "MatrixVersionId");

            migrationBuilder.CreateIndex(
                name: "IX_RiskScores_PersonId_IsLatest",
                table: "RiskScores",
                columns: new[] { "PersonId", "IsLatest" });

            migrationBuilder.CreateIndex(
                name: "IX_StreetCrimeCounts_Force_Month_LsoaCode_Category",
                table: "StreetCrimeCounts",
                columns: new[] { "Force", "Month", "LsoaCode", "Category" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_StreetCrimeCounts_Month_LsoaCode",
                table: "StreetCrimeCounts",
                columns: new[] { "Month", "LsoaCode" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CohortReviews");

            migrationBuilder.DropTable(
                name: "LsoaWards");

            migrationBuilder.DropTable(
                name: "OccurrenceMatchReviews");

            migrationBuilder.DropTable(
                name: "OccurrencePeople");

            migrationBuilder.DropTable(
                name: "PersonFlags");

            migrationBuilder.DropTable(
                name: "RiskFactors");

            migrationBuilder.DropTable(
                name: "StreetCrimeCounts");

            migrationBuilder.DropTable(
                name: "RiskScores");

            migrationBuilder.DropTable(
                name: "Occurrences");

            migrationBuilder.DropTable(
                name: "RiskMatrixVersions");
        }
    }
}
