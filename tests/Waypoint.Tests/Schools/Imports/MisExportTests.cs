using Shouldly;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>
/// CSV files as MIS reports write them (headings and values of SIMS, Arbor and Bromcom reports:
/// inferred from their import specifications and screens, no vendor's sample file being public),
/// read field by field.
/// </summary>
public sealed class MisExportTests
{
    [Fact]
    public void Parse_SimsStyleRollInferred_HeadingsValuesAndMidnightDatesRead()
    {
        using var file = ImportTestFiles.Open("Good/enrolments-sims-report.csv");

        var result = EnrolmentCsv.Parse(file, "roll.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.Count.ShouldBe(2);
        var jakub = result.Records[0];
        (jakub.Pupil.Upn, jakub.Pupil.Surname, jakub.Pupil.Forename, jakub.Pupil.DateOfBirth).ShouldBe(("U926200119001", "Łukasiewicz", "Jakub", new DateOnly(2015, 2, 11)));
        (jakub.Gender, jakub.YearGroup, jakub.EnrolStatus, jakub.StartDate, jakub.EndDate, jakub.SchoolUrn).ShouldBe(("M", "7", "C", new DateOnly(2026, 9, 3), (DateOnly?)null, ""));
        var lena = result.Records[1];
        (lena.Gender, lena.YearGroup, lena.EnrolStatus, lena.IsDualRegistration, lena.EndDate).ShouldBe(("F", "9", "M", true, (DateOnly?)new DateOnly(2024, 11, 22)));
        (jakub.Details!.PreferredForename, jakub.Details.MiddleNames, lena.Details!.PreferredForename, lena.Details.MiddleNames).ShouldBe(("Kuba", "Tomasz Jan", null, "Marie"));
        // Columns not read are named, once each, and do not reject the file.
        result.Warnings.Select(w => w.ToString()).ShouldBe(
        [
            "roll.csv, line 1, header: The column \"Reg Group\" is not one Waypoint reads, and was passed over.",
        ]);
    }

    [Fact]
    public void Parse_ArborStyleRollInferred_ReceptionGuestAndCurrentStatusRead()
    {
        using var file = ImportTestFiles.Open("Good/enrolments-arbor-report.csv");

        var result = EnrolmentCsv.Parse(file, "arbor.csv");

        result.Problems.ShouldBeEmpty();
        (result.Records[0].Pupil.Surname, result.Records[0].YearGroup, result.Records[0].EnrolStatus, result.Records[0].Gender).ShouldBe(("Ødegård", "R", "C", "F"));
        (result.Records[1].Pupil.Upn, result.Records[1].YearGroup, result.Records[1].EnrolStatus, result.Records[1].Gender).ShouldBe(((string?)null, "3", "G", "M"));
    }

    [Fact]
    public void Parse_BromcomStyleRollInferred_YrAndDayFirstDatesRead()
    {
        using var file = ImportTestFiles.Open("Good/enrolments-bromcom-report.csv");

        var result = EnrolmentCsv.Parse(file, "bromcom.csv");

        result.Problems.ShouldBeEmpty();
        var zoe = result.Records.ShouldHaveSingleItem();
        (zoe.Pupil.DateOfBirth, zoe.YearGroup, zoe.StartDate, zoe.Gender).ShouldBe((new DateOnly(2013, 1, 5), "8", new DateOnly(2024, 9, 2), "F"));
    }

    [Fact]
    public void Parse_SimsStyleAttendanceInferred_PercentColumnAndTotalsRowPassedOverWithWarnings()
    {
        using var file = ImportTestFiles.Open("Good/attendance-sims-report.csv");

        var result = AttendanceCsv.Parse(file, "attendance.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.Count.ShouldBe(2);
        var jakub = result.Records[0];
        (jakub.PeriodStart, jakub.PeriodEnd, jakub.SessionsPossible, jakub.SessionsPresent, jakub.AuthorisedAbsence, jakub.UnauthorisedAbsence, jakub.SchoolUrn)
            .ShouldBe((new DateOnly(2026, 9, 3), new DateOnly(2026, 12, 18), 142, 128, 10, 4, ""));
        result.Warnings.Select(w => w.ToString()).ShouldBe(
        [
            "attendance.csv, line 1, header: The column \"% Attendance\" is not one Waypoint reads, and was passed over.",
            "attendance.csv, line 4: This row is a totals row (\"Total\"), not a pupil, and was passed over.",
        ]);
    }

    [Fact]
    public void Parse_SuspensionsWithCategoriesAndReasonsInWords_ReadAsCodes()
    {
        using var file = ImportTestFiles.Open("Good/suspensions-mis-words.csv");

        var result = SuspensionCsv.Parse(file, "suspensions.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.Select(r => (r.Category, r.StartDate, r.Sessions, string.Join(",", r.ReasonCodes))).ShouldBe(
        [
            (ParsedExclusionCategory.Suspension, new DateOnly(2024, 3, 12), (int?)4, "PP,DB"),
            (ParsedExclusionCategory.PermanentExclusion, new DateOnly(2024, 10, 7), null, "PA,VA"),
            (ParsedExclusionCategory.LunchtimeSuspension, new DateOnly(2024, 9, 16), 1, "BU"),
        ]);
    }

    [Fact]
    public void Parse_OtherReasonBefore2020_AcceptedForItsYear()
    {
        using var file = ImportTestFiles.Open("Good/suspensions-2019-other.csv");

        var result = SuspensionCsv.Parse(file, "suspensions.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.ShouldHaveSingleItem().ReasonCodes.ShouldBe(["OT"]);
    }

    [Theory]
    [InlineData("Legal Surname", "Surname")]
    [InlineData("date_of_birth", "DateOfBirth")]
    [InlineData("DOB", "DateOfBirth")]
    [InlineData("Exclusion Reason 1", "Reason1")]
    [InlineData("Length (sessions)", "Sessions")]
    [InlineData("% Attendance", null)]
    [InlineData("Attendance", "SessionsPresent")]
    public void CsvColumnAliases_Headings_ReadAsTheirColumn(string heading, string? column)
    {
        string[] every = [.. EnrolmentCsv.Columns, .. AttendanceCsv.Columns, .. SuspensionCsv.Columns];
        CsvColumnAliases.Canonical(heading, every.Distinct().ToList()).ShouldBe(column);
    }

    [Fact]
    public void AttendanceCodes_OldCodesInAPeriodBefore2024_AcceptedAndCountedAsThen()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes\n"
            + ",Hart,Amelia,2012-03-14,2024-04-15,2024-07-19,100,90,8,2,J=2;H=8;O=2\n";

        var result = AttendanceCsv.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), "summer.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.ShouldHaveSingleItem().CodeCounts.Select(c => c.Code).ShouldBe(["J", "H", "O"]);
    }
}
