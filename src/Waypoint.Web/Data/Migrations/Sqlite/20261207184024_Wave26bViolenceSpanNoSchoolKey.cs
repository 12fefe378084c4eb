using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Wave26bViolenceSpanNoSchoolKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_ViolencePupilSpan_Organisations_SchoolId",
                table: "ViolencePupilSpan");

            migrationBuilder.DropIndex(
                name: "IX_ViolencePupilSpan_SchoolId",
                table: "ViolencePupilSpan");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ViolencePupilSpan_SchoolId",
                table: "ViolencePupilSpan",
                column: "SchoolId");

            migrationBuilder.AddForeignKey(
                name: "FK_ViolencePupilSpan_Organisations_SchoolId",
                table: "ViolencePupilSpan",
                column: "SchoolId",
                principalTable: "Organisations",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
