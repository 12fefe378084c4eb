using System.Text;
using Shouldly;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>The CSV formats read good files exactly, and check every row.</summary>
public sealed class CsvImportTests
{
    [Fact]
    public void Parse_GoodEnrolmentsWithByteOrderMarkAndCrLf_ReadsEveryValue()
    {
        using var file = ImportTestFiles.Open("Good/enrolments.csv");

        var result = EnrolmentCsv.Parse(file, "enrolments.csv");

        result.Problems.ShouldBeEmpty();
        result.IsAcceptable.ShouldBeTrue();
        result.Records.Count.ShouldBe(3);
        var amelia = result.Records[0];
        amelia.Line.ShouldBe(2);
        amelia.Pupil.ShouldBe(new ParsedPupilIdentity("L926200116001", "Hart", "Amelia", new DateOnly(2012, 3, 14)));
        amelia.Gender.ShouldBe("F");
        amelia.SchoolUrn.ShouldBe("100001");
        amelia.StartDate.ShouldBe(new DateOnly(2023, 9, 4));
        amelia.EndDate.ShouldBeNull();
        amelia.YearGroup.ShouldBe("7");
        amelia.EnrolStatus.ShouldBe("C");
        amelia.IsDualRegistration.ShouldBeFalse();

        var zoe = result.Records[1];
        zoe.Pupil.ShouldBe(new ParsedPupilIdentity("P926200115002", "Ellison-Price", "Zoë", new DateOnly(2011, 11, 2)));
        zoe.StartDate.ShouldBe(new DateOnly(2023, 9, 4));
        zoe.EnrolStatus.ShouldBe("M");
        zoe.IsDualRegistration.ShouldBeTrue();

        var reuben = result.Records[2];
        reuben.Pupil.ShouldBe(new ParsedPupilIdentity(null, "O'Connor", "Reuben", new DateOnly(2013, 7, 21)));
        reuben.SchoolUrn.ShouldBe("100002");
        reuben.EndDate.ShouldBe(new DateOnly(2025, 7, 18));
        reuben.EnrolStatus.ShouldBe("C");
    }

    [Fact]
    public void Parse_GoodAttendance_ReadsTotalsAndCodeCounts()
    {
        using var file = ImportTestFiles.Open("Good/attendance.csv");

        var result = AttendanceCsv.Parse(file, "attendance.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.Count.ShouldBe(3);
        var amelia = result.Records[0];
        (amelia.PeriodStart, amelia.PeriodEnd).ShouldBe((new DateOnly(2024, 9, 3), new DateOnly(2024, 12, 20)));
        (amelia.SessionsPossible, amelia.SessionsPresent, amelia.AuthorisedAbsence, amelia.UnauthorisedAbsence).ShouldBe((142, 128, 10, 4));
        amelia.CodeCounts.ShouldBe([new("I", 8), new("M", 2), new("O", 4)]);
        result.Records[1].CodeCounts.ShouldBeEmpty();
        var reuben = result.Records[2];
        reuben.Pupil.Upn.ShouldBeNull();
        (reuben.SessionsPossible, reuben.SessionsPresent, reuben.AuthorisedAbsence, reuben.UnauthorisedAbsence).ShouldBe((142, 70, 30, 42));
        reuben.CodeCounts.ShouldBe([new("C2", 30), new("N", 12), new("O", 30), new("Y2", 4)]);
    }

    [Fact]
    public void Parse_GoodSuspensions_ReadsCategoriesReasonsAndOutcomes()
    {
        using var file = ImportTestFiles.Open("Good/suspensions.csv");

        var result = SuspensionCsv.Parse(file, "suspensions.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.Count.ShouldBe(4);
        var first = result.Records[0];
        first.Category.ShouldBe(ParsedExclusionCategory.Suspension);
        first.StartDate.ShouldBe(new DateOnly(2024, 10, 7));
        first.Sessions.ShouldBe(4);
        first.ReasonCodes.ShouldBe(["VA", "LD"]);
        first.Outcome.ShouldBe(ParsedExclusionOutcome.NotReviewed);
        (first.AlternativeProvisionArranged, first.MissesPublicExamination).ShouldBe((false, false));

        var lunchtime = result.Records[1];
        lunchtime.Category.ShouldBe(ParsedExclusionCategory.LunchtimeSuspension);
        lunchtime.Sessions.ShouldBe(1);
        lunchtime.ReasonCodes.ShouldBe(["PP"]);
        lunchtime.Outcome.ShouldBe(ParsedExclusionOutcome.NotReviewed);

        var permanent = result.Records[2];
        permanent.Category.ShouldBe(ParsedExclusionCategory.PermanentExclusion);
        permanent.Sessions.ShouldBeNull();
        permanent.ReasonCodes.ShouldBe(["OW", "PA", "VA"]);
        permanent.Outcome.ShouldBe(ParsedExclusionOutcome.Upheld);
        (permanent.AlternativeProvisionArranged, permanent.MissesPublicExamination).ShouldBe((true, true));

        // DA was withdrawn for 2024/25 but is right for a suspension in March 2024.
        var lastYear = result.Records[3];
        lastYear.StartDate.ShouldBe(new DateOnly(2024, 3, 11));
        lastYear.ReasonCodes.ShouldBe(["DA"]);
        lastYear.Outcome.ShouldBe(ParsedExclusionOutcome.Reinstated);
    }

    [Fact]
    public void Parse_GoodBehaviour_ReadsQuotedAndMultiLineDescriptions()
    {
        using var file = ImportTestFiles.Open("Good/behaviour.csv");

        var result = BehaviourCsv.Parse(file, "behaviour.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.Select(r => r.Line).ShouldBe([2, 3, 4]);
        result.Records[0].Description.ShouldBe("Swore at a teacher when asked to move seats, then left the room.");
        result.Records[0].Category.ShouldBe("VerbalAbuseOrThreats");
        result.Records[0].Severity.ShouldBe(3);
        result.Records[0].OccurredOn.ShouldBe(new DateOnly(2024, 10, 3));
        result.Records[1].Category.ShouldBe("DisruptionInLessons");
        result.Records[2].Description.ShouldBe("Phone out in class; said \"it's my mum\" and\nwould not hand it over.");
    }

    [Fact]
    public void Parse_ColumnsInAnotherOrderAndCase_ReadsByName()
    {
        var csv = "surname,forename,upn,dateofbirth,schoolurn,date,category,severity,description\nHart,Amelia,L926200116001,14/03/2012,100001,03/10/2024,theft,4,Took a phone from a bag.\n";

        var result = BehaviourCsv.Parse(Utf8(csv), "behaviour.csv");

        result.Problems.ShouldBeEmpty();
        var record = result.Records.ShouldHaveSingleItem();
        record.Pupil.ShouldBe(new ParsedPupilIdentity("L926200116001", "Hart", "Amelia", new DateOnly(2012, 3, 14)));
        record.Category.ShouldBe("Theft");
        record.OccurredOn.ShouldBe(new DateOnly(2024, 10, 3));
    }

    [Fact]
    public void Parse_BlankLinesAndRowsOfEmptyValues_AreSkipped()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,SchoolURN,Date,Category,Severity,Description\n\n,,,,,,,,\nL926200116001,Hart,Amelia,2012-03-14,100001,2024-10-03,Theft,4,Took a phone.\n\n";

        var result = BehaviourCsv.Parse(Utf8(csv), "behaviour.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.ShouldHaveSingleItem().Line.ShouldBe(4);
    }

    [Fact]
    public void Parse_ManyProblemsInOneFile_ReportsEveryOneInLineOrder()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,SchoolURN,Category,StartDate,Sessions,Reason1,Reason2,Reason3,Outcome,AlternativeProvision,MissesPublicExam\n"
            + "L926200116001,Hart,Amelia,2012-03-14,10001,FIXD,2024-10-07,91,VA,,LD,Quashed,maybe,N\n"
            + "L926200116001,Hart,Amelia,2012-03-14,100001,PERM,2024-13-07,4,,,,,,\n";

        var result = SuspensionCsv.Parse(Utf8(csv), "suspensions.csv");

        result.IsAcceptable.ShouldBeFalse();
        result.Problems.Select(p => (p.Line, p.Field)).ShouldBe(
        [
            (2, "column SchoolURN"),
            (2, "column Sessions"),
            (2, "column Reason3"),
            (2, "column Outcome"),
            (2, "column AlternativeProvision"),
            (3, "column StartDate"),
            (3, "column Sessions"),
            (3, "column Reason1"),
        ]);
        result.Problems[1].Message.ShouldBe("91 is more than 90, the most allowed");
        result.Problems[2].Message.ShouldBe("Reason3 is given but the reason before it is blank: fill the reason columns in order");
        result.Problems[6].Message.ShouldBe("A permanent exclusion has no length: leave Sessions blank");
        result.Problems[3].ToString().ShouldBe("suspensions.csv, line 2, column Outcome: \"Quashed\" is not one of NotReviewed, Pending, Upheld, Reinstated, Withdrawn");
    }

    [Fact]
    public void Parse_DatesBeforeBirthAndEndBeforeStart_AreReported()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n"
            + "L926200116001,Hart,Amelia,2012-03-14,F,100001,2011-09-04,2010-07-20,7,C\n";

        var result = EnrolmentCsv.Parse(Utf8(csv), "enrolments.csv");

        result.Problems.Select(p => p.ToString()).ShouldBe(
        [
            "enrolments.csv, line 2, column StartDate: 4 September 2011 is before the pupil's date of birth (14 March 2012)",
            "enrolments.csv, line 2, column EndDate: The end date (20 July 2010) is before the start date (4 September 2011)",
        ]);
    }

    [Fact]
    public void Parse_AttendanceCodesCountingMoreThanTheirTotal_IsReported()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes\n"
            + "L926200116001,Hart,Amelia,2012-03-14,100001,2024-09-03,2024-09-13,18,14,2,2,I=3;O=2;x=1\n";

        var result = AttendanceCsv.Parse(Utf8(csv), "attendance.csv");

        result.Problems.Select(p => p.Message).ShouldBe(["The codes that count as authorised absence add up to 3 sessions, more than AuthorisedAbsence (2)"]);
    }

    [Fact]
    public void Parse_MoreSessionsThanThePeriodHolds_IsReported()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes\n"
            + "L926200116001,Hart,Amelia,2012-03-14,100001,2024-09-02,2024-09-06,100,10,0,0,\n";

        var result = AttendanceCsv.Parse(Utf8(csv), "attendance.csv");

        var problem = result.Problems.ShouldHaveSingleItem();
        problem.Field.ShouldBe("column SessionsPossible");
        problem.Message.ShouldBe("100 is more than 10, the most allowed");
    }

    [Fact]
    public void Parse_MultiByteCharactersSplitAcrossReads_AreNotMistakenForBadBytes()
    {
        var csv = "UPN,Surname,Forename,DateOfBirth,SchoolURN,Date,Category,Severity,Description\n"
            + "L926200116001,Hart,Zoë,2012-03-14,100001,2024-10-03,Theft,4,Took a phone — and a £5 note.\n";

        var result = BehaviourCsv.Parse(new OneByteAtATimeStream(Encoding.UTF8.GetBytes(csv)), "behaviour.csv");

        result.Problems.ShouldBeEmpty();
        result.Records.ShouldHaveSingleItem().Description.ShouldBe("Took a phone — and a £5 note.");
    }

    [Fact]
    public void Parse_BadByteBeyondTheFirstBuffer_NamesItsLine()
    {
        var generator = new ImportFileGenerator(seed: 7);
        var csv = generator.AttendanceCsv(generator.Pupils(900));
        var bytes = Encoding.UTF8.GetBytes(csv);
        bytes.Length.ShouldBeGreaterThan(64 * 1024);
        var lastLineStart = Array.LastIndexOf(bytes, (byte)'\n', bytes.Length - 2) + 1;
        bytes[lastLineStart + 14] = 0xE9; // inside the surname of the last pupil: "é" in Windows-1252

        var result = AttendanceCsv.Parse(new MemoryStream(bytes), "attendance.csv");

        result.Problems.ShouldHaveSingleItem().Line.ShouldBe(901);
    }

    internal static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    /// <summary>Returns one byte per read, as a slow network stream may, so that every character straddles a read boundary.</summary>
    private sealed class OneByteAtATimeStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(1, buffer.Length)]);
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
    }
}
