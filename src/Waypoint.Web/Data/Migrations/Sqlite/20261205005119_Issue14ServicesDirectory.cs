using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue14ServicesDirectory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Services",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    MinimumAge = table.Column<int>(type: "INTEGER", nullable: true),
                    MaximumAge = table.Column<int>(type: "INTEGER", nullable: true),
                    Threshold = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    HowToRefer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Places = table.Column<int>(type: "INTEGER", nullable: false),
                    Occupied = table.Column<int>(type: "INTEGER", nullable: false),
                    WaitingList = table.Column<int>(type: "INTEGER", nullable: false),
                    Cost = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ContactName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Email = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Website = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    OpeningTimes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    QaStatus = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LastReviewedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    NextReviewOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ApRegistration = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    OfstedUrn = table.Column<string>(type: "TEXT", maxLength: 7, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByUserId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Services", x => x.Id);
                    table.CheckConstraint("CK_Services_Ages", "\"MinimumAge\" IS NULL OR \"MaximumAge\" IS NULL OR \"MinimumAge\" <= \"MaximumAge\"");
                    table.CheckConstraint("CK_Services_Places", "\"Places\" >= 0 AND \"Occupied\" >= 0 AND \"WaitingList\" >= 0");
                    table.ForeignKey(
                        name: "FK_Services_Organisations_ProviderOrganisationId",
                        column: x => x.ProviderOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Taxonomies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    Uri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Version = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Taxonomies", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ServiceAreas",
                columns: table => new
                {
                    ServiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceAreas", x => new { x.ServiceId, x.AreaId });
                    table.ForeignKey(
                        name: "FK_ServiceAreas_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceAreas_Services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "Services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ServiceReferrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ServiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferrerUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReferrerOrganisationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Urgency = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    LawfulBasis = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ConsentRecordId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EligibilityOverrideReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    StartedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    InvolvementId = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceReferrals", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ServiceReferrals_Involvements_InvolvementId",
                        column: x => x.InvolvementId,
                        principalTable: "Involvements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_ServiceReferrals_Organisations_ProviderOrganisationId",
                        column: x => x.ProviderOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceReferrals_Organisations_ReferrerOrganisationId",
                        column: x => x.ReferrerOrganisationId,
                        principalTable: "Organisations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceReferrals_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ServiceReferrals_Services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "Services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TaxonomyTerms",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TaxonomyId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ParentId = table.Column<Guid>(type: "TEXT", nullable: true),
                    TermUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TaxonomyTerms", x => x.Id);
                    table.ForeignKey(
                        name: "FK_TaxonomyTerms_Taxonomies_TaxonomyId",
                        column: x => x.TaxonomyId,
                        principalTable: "Taxonomies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ServiceNeeds",
                columns: table => new
                {
                    ServiceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TaxonomyTermId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ServiceNeeds", x => new { x.ServiceId, x.TaxonomyTermId });
                    table.ForeignKey(
                        name: "FK_ServiceNeeds_Services_ServiceId",
                        column: x => x.ServiceId,
                        principalTable: "Services",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ServiceNeeds_TaxonomyTerms_TaxonomyTermId",
                        column: x => x.TaxonomyTermId,
                        principalTable: "TaxonomyTerms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "Taxonomies",
                columns: new[] { "Id", "Description", "Name", "Uri", "Version" },
                values: new object[] { new Guid("0193a3c0-0000-7000-8000-000000000001"), "The needs of children, young people and families that services in the directory meet.", "Waypoint needs", "https://waypoint.example/taxonomies/needs", "1" });

            migrationBuilder.InsertData(
                table: "TaxonomyTerms",
                columns: new[] { "Id", "Code", "Description", "Name", "ParentId", "TaxonomyId", "TermUri" },
                values: new object[,]
                {
                    { new Guid("0193a3c0-0000-7000-8000-000000000101"), "risk-of-exclusion", "Pupils at risk of suspension or permanent exclusion from school", "Risk of exclusion", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000102"), "persistent-absence", "Children missing a tenth or more of their schooling", "Persistent absence", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000103"), "semh", "Social, emotional and mental health needs", "Social, emotional and mental health", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000104"), "criminal-exploitation", "Children at risk of criminal exploitation, including county lines", "Criminal exploitation", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000105"), "youth-violence", "Children involved in or at risk of serious youth violence", "Serious youth violence", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000106"), "substance-misuse", "Children or parents misusing drugs or alcohol", "Substance misuse", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000107"), "domestic-abuse", "Children living with domestic abuse at home", "Domestic abuse", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000108"), "young-carers", "Children who care for a family member", "Young carers", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000109"), "parenting", "Parents who need help with their children's behaviour or routines", "Parenting support", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000110"), "send", "Children with special educational needs or disabilities", "Special educational needs", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000111"), "neet-risk", "Young people at risk of leaving education without a next step", "Risk of not being in education, employment or training", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null },
                    { new Guid("0193a3c0-0000-7000-8000-000000000112"), "out-of-education", "Children without a school place or suitable full-time education", "Out of education", null, new Guid("0193a3c0-0000-7000-8000-000000000001"), null }
                });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceAreas_AreaId",
                table: "ServiceAreas",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceNeeds_TaxonomyTermId",
                table: "ServiceNeeds",
                column: "TaxonomyTermId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_InvolvementId",
                table: "ServiceReferrals",
                column: "InvolvementId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_PersonId",
                table: "ServiceReferrals",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_ProviderOrganisationId_Status",
                table: "ServiceReferrals",
                columns: new[] { "ProviderOrganisationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_ReferrerOrganisationId",
                table: "ServiceReferrals",
                column: "ReferrerOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_ServiceReferrals_ServiceId_Status",
                table: "ServiceReferrals",
                columns: new[] { "ServiceId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Services_ProviderOrganisationId",
                table: "Services",
                column: "ProviderOrganisationId");

            migrationBuilder.CreateIndex(
                name: "IX_Services_QaStatus_Name",
                table: "Services",
                columns: new[] { "QaStatus", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_TaxonomyTerms_TaxonomyId_Code",
                table: "TaxonomyTerms",
                columns: new[] { "TaxonomyId", "Code" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ServiceAreas");

            migrationBuilder.DropTable(
                name: "ServiceNeeds");

            migrationBuilder.DropTable(
                name: "ServiceReferrals");

            migrationBuilder.DropTable(
                name: "TaxonomyTerms");

            migrationBuilder.DropTable(
                name: "Services");

            migrationBuilder.DropTable(
                name: "Taxonomies");
        }
    }
}
