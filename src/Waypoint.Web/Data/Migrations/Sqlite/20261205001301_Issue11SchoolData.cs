using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Waypoint.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Issue11SchoolData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "MiddleNames",
                table: "People",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PreferredFamilyName",
                table: "People",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "AcademicYear",
                table: "AttendanceRecords",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Marks",
                table: "AttendanceRecords",
                type: "TEXT",
                maxLength: 1464,
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "MarksStartDate",
                table: "AttendanceRecords",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MiddleNames",
                table: "People");

            migrationBuilder.DropColumn(
                name: "PreferredFamilyName",
                table: "People");

            migrationBuilder.DropColumn(
                name: "AcademicYear",
                table: "AttendanceRecords");

            migrationBuilder.DropColumn(
                name: "Marks",
                table: "AttendanceRecords");

            migrationBuilder.DropColumn(
                name: "MarksStartDate",
                table: "AttendanceRecords");
        }
    }
}
