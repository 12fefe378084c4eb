using System.Text;
using Shouldly;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>The Common Transfer File reader: the header and every pupil value it uses, in each encoding a CTF may come in.</summary>
public sealed class CommonTransferFileTests
{
    [Fact]
    public void Parse_GoodFileWithByteOrderMark_ReadsHeader()
    {
        using var file = ImportTestFiles.Open("Good/ctf.xml");

        var result = CommonTransferFile.Parse(file, "ctf.xml");

        result.Problems.ShouldBeEmpty();
        result.IsAcceptable.ShouldBeTrue();
        var header = result.Header.ShouldNotBeNull();
        header.DocumentName.ShouldBe("Common Transfer File");
        header.CtfVersion.ShouldBe("25.0");
        header.CreatedAt.ShouldBe(new DateTime(2025, 7, 18, 14, 5, 0));
        header.DocumentQualifier.ShouldBe("full");
        header.SourceSchool.ShouldBe(new ParsedCtfSchool("926", "2001", "100001", "Nenbury Primary School"));
        header.SourceSchool.DfeNumber.ShouldBe("9262001");
        header.AcademicYear.ShouldBe(2024);
        header.DestinationSchool.ShouldBe(new ParsedCtfSchool("926", "4001", null, null));
    }

    [Fact]
    public void Parse_GoodFile_ReadsEveryPupilValue()
    {
        using var file = ImportTestFiles.Open("Good/ctf.xml");

        var result = CommonTransferFile.Parse(file, "ctf.xml");

        result.Pupils.Count.ShouldBe(2);
        var amelia = result.Pupils[0];
        (amelia.Position, amelia.Line).ShouldBe((1, 22));
        amelia.Upn.ShouldBe("L926200116001");
        amelia.FormerUpn.ShouldBe("D926200116004");
        (amelia.Surname, amelia.Forename, amelia.MiddleNames).ShouldBe(("Hart", "Amelia", "Rose Jane"));
        amelia.PreferredForename.ShouldBe("Millie");
        amelia.PreferredSurname.ShouldBeNull();
        amelia.DateOfBirth.ShouldBe(new DateOnly(2012, 3, 14));
        amelia.Sex.ShouldBe("F");
        amelia.SenHistory.ShouldBe([new(new DateOnly(2019, 9, 4), "N"), new(new DateOnly(2022, 1, 10), "K")]);
        amelia.CurrentSenProvision.ShouldBe("K");
        amelia.SenNeeds.ShouldBe([new(1, "SEMH"), new(2, "SPLD")]);

        amelia.Attendance.Count.ShouldBe(2);
        amelia.Attendance[0].ShouldBe(new ParsedCtfAttendance(2023, "926", "2001", "Nenbury Primary School", 380, 342, 26, 12, MarksStartDate: null, Marks: null));
        var thisYear = amelia.Attendance[1];
        (thisYear.AcademicYear, thisYear.SessionsPossible, thisYear.SessionsAttended, thisYear.AuthorisedAbsence, thisYear.UnauthorisedAbsence).ShouldBe((2024, 20, 14, 5, 1));
        thisYear.SchoolName.ShouldBeNull();
        thisYear.MarksStartDate.ShouldBe(new DateOnly(2024, 9, 2));
        thisYear.Marks.ShouldBe(["/", "\\", "/", "\\", "I", "I", "M", "\\", "/", "\\", "-", "-", "-", "-", "/", "\\", "C2", "C2", "/", "\\", "/", "\\", "O", "\\"]);
        result.Warnings.ShouldBeEmpty();

        var zoe = result.Pupils[1];
        (zoe.Position, zoe.Line, zoe.Upn, zoe.Surname, zoe.Forename).ShouldBe((2, 78, "P926200115002", "Ellison-Price", "Zoë"));
        zoe.FormerUpn.ShouldBeNull();
        zoe.SenHistory.ShouldBeEmpty();
        zoe.CurrentSenProvision.ShouldBeNull();
        zoe.Attendance.ShouldHaveSingleItem().Estab.ShouldBe("2002");
    }

    [Theory]
    [InlineData("Good/ctf-windows-1252.xml")]
    [InlineData("Good/ctf-no-declaration.xml")]
    public void Parse_OtherDeclaredOrAssumedEncodings_ReadsAccentedNames(string path)
    {
        using var file = ImportTestFiles.Open(path);

        var result = CommonTransferFile.Parse(file, Path.GetFileName(path));

        result.Problems.ShouldBeEmpty();
        result.Pupils.Select(p => p.Forename).ShouldBe(["Amelia", "Zoë"]);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEachWithItsPupilAndElement()
    {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <CTfile>
              <Header>
                <DocumentName>Common Transfer File</DocumentName>
                <CTFversion>twenty</CTFversion>
                <SourceSchool><LEA>92</LEA><Estab>2001</Estab></SourceSchool>
              </Header>
              <CTFpupilData>
                <Pupil>
                  <UPN>L926200116001</UPN><Surname>Hart</Surname><Forename>Amelia</Forename><DOB>2012-03-14</DOB><Gender>Q</Gender>
                </Pupil>
                <Pupil>
                  <UPN>P926200115002</UPN><Surname>Ellison-Price</Surname><Forename>Zoë</Forename><DOB>2011-11-02</DOB><Gender>F</Gender>
                  <SENhistory><SEN><StartDate>2010-09-01</StartDate><SENprovision>S</SENprovision></SEN>
                    <SENneeds><SENneed><SENtypeRank>1</SENtypeRank><SENtype>ADHD</SENtype></SENneed></SENneeds></SENhistory>
                </Pupil>
              </CTFpupilData>
            </CTfile>
            """;

        var result = CommonTransferFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "transfer.xml");

        result.Header.ShouldBeNull();
        result.Pupils.ShouldBeEmpty();
        result.Problems.Select(p => p.ToString()).ShouldBe(
        [
            "transfer.xml, line 5, <CTFversion>: \"twenty\" is not a CTF version number such as 25.0",
            "transfer.xml, line 6, <SourceSchool><LEA>: \"92\" is not a local authority number: it has three digits",
            "transfer.xml, line 3, <DestSchool>: The header has no <DestSchool> element",
            "transfer.xml, line 10, pupil 1 (Amelia Hart, UPN L926200116001), <Gender>: \"Q\" is not one of M, F, U",
            "transfer.xml, line 14, pupil 2 (Zoë Ellison-Price, UPN P926200115002), <SEN><SENprovision>: \"S\" is not one of N, K, E",
            "transfer.xml, line 15, pupil 2 (Zoë Ellison-Price, UPN P926200115002), <SENneed><SENtype>: \"ADHD\" is not one of SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, OTH, NSA",
        ]);
    }

    [Fact]
    public void Parse_NamespacedElementsAndUnusedContainers_AreReadByLocalName()
    {
        var xml = """
            <CTfile xmlns="urn:example:ctf">
              <Header><DocumentName>Common Transfer File</DocumentName><CTFversion>26.0</CTFversion>
                <SourceSchool><LEA>926</LEA><Estab>2001</Estab></SourceSchool><DestSchool><LEA>XXX</LEA><Estab>XXXX</Estab></DestSchool></Header>
              <CTFpupilData>
                <Pupil><UPN>L926200116001</UPN><Surname>Hart</Surname><Forename>Amelia</Forename><DOB>2012-03-14</DOB><Gender>F</Gender>
                  <Address><BS7666Address><PAON>12</PAON></BS7666Address></Address><StageAssessments/></Pupil>
              </CTFpupilData>
            </CTfile>
            """;

        var result = CommonTransferFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "transfer.xml");

        result.Problems.ShouldBeEmpty();
        result.Header!.DestinationSchool.ShouldBe(new ParsedCtfSchool("XXX", "XXXX", null, null));
        result.Pupils.ShouldHaveSingleItem().Upn.ShouldBe("L926200116001");
    }

    [Fact]
    public void Parse_EmptyFile_IsRejected()
    {
        var result = CommonTransferFile.Parse(new MemoryStream(), "empty.xml");

        result.Problems.ShouldHaveSingleItem().ToString().ShouldBe("empty.xml: The file is empty");
    }

    [Fact]
    public void Parse_Ctf25WithSex_ReadsSexNamesHistoryAndMarksAtTheirNesting()
    {
        using var file = ImportTestFiles.Open("Good/ctf25-sex.xml");

        var result = CommonTransferFile.Parse(file, "ctf25-sex.xml");

        result.Problems.ShouldBeEmpty();
        result.Header!.CtfVersion.ShouldBe("25.0");
        result.Header.SupplierId.ShouldBe("SIMS");
        result.Header.IsFromGiap.ShouldBeFalse();
        var jakub = result.Pupils[0];
        (jakub.Surname, jakub.Forename, jakub.MiddleNames, jakub.PreferredForename, jakub.PreferredSurname, jakub.Sex)
            .ShouldBe(("Łukasiewicz", "Jakub", "Tomasz Jan", "Kuba", "Lukas", "M"));
        jakub.Schools.ShouldHaveSingleItem().ShouldBe(new ParsedSchoolHistory("926", "2001", null, "Nenbury Primary School", new DateOnly(2019, 9, 4), new DateOnly(2026, 7, 22), "Transferred"));
        // The year before the 2024 regulations holds H, J and Y; the year after holds the new codes.
        var before = jakub.Attendance[0];
        (before.AcademicYear, before.MarksStartDate).ShouldBe((2023, new DateOnly(2024, 7, 8)));
        before.Marks.ShouldBe(["/", "\\", "H", "H", "J", "\\", "Y", "Y", "/", "\\", "-", "-", "-", "-", "/", "\\", "/", "\\"]);
        before.MarkedDays.ShouldBe((new DateOnly(2024, 7, 8), new DateOnly(2024, 7, 16)));
        var after = jakub.Attendance[1];
        (after.AcademicYear, after.SessionsPossible, after.SessionsAttended, after.AuthorisedAbsence, after.UnauthorisedAbsence).ShouldBe((2024, 14, 8, 6, 0));
        after.Marks.ShouldBe(["/", "\\", "C1", "C1", "J1", "\\", "K", "K", "Q", "Y1", "-", "-", "-", "-", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "C2", "C2", "/", "\\"]);
        result.Pupils[1].Sex.ShouldBe("F");
        var lena = result.Pupils[2];
        lena.Schools.ShouldHaveSingleItem().LeavingDate.ShouldBe(new DateOnly(2024, 11, 22));
        lena.Attendance.ShouldHaveSingleItem().MarkedDays.ShouldBe((new DateOnly(2024, 9, 4), new DateOnly(2024, 11, 22)));
    }

    [Fact]
    public void Parse_Ctf23WithGenderAndMarksOfTheOldCodeSet_Read()
    {
        using var file = ImportTestFiles.Open("Good/ctf23-gender.xml");

        var result = CommonTransferFile.Parse(file, "ctf23-gender.xml");

        result.Problems.ShouldBeEmpty();
        var zoe = result.Pupils.ShouldHaveSingleItem();
        (zoe.Sex, zoe.Forename, zoe.PreferredForename).ShouldBe(("F", "Zoë", "Zoe"));
        zoe.Attendance.ShouldHaveSingleItem().Marks.ShouldBe(["/", "\\", "H", "H", "B", "J", "Y", "Y", "O", "N"]);
    }

    [Theory]
    [InlineData("Good/ctf-giap-establishment.xml", "926", "4001")]
    [InlineData("Good/ctf-giap-la.xml", "XXX", "XXXX")]
    public void Parse_GetInformationAboutPupilsDownload_ReadAsGiap(string path, string lea, string estab)
    {
        using var file = ImportTestFiles.Open(path);

        var result = CommonTransferFile.Parse(file, Path.GetFileName(path));

        result.Problems.ShouldBeEmpty();
        var header = result.Header.ShouldNotBeNull();
        header.SourceSchool.ShouldBe(new ParsedCtfSchool("XXX", "XXXX", null, "Get Information About Pupils"));
        header.SourceSchool.IsPlaceholder.ShouldBeTrue();
        header.IsFromGiap.ShouldBeTrue();
        header.DocumentQualifier.ShouldBe("partial");
        (header.DestinationSchool.Lea, header.DestinationSchool.Estab).ShouldBe((lea, estab));
        var jane = result.Pupils.ShouldHaveSingleItem();
        (jane.Surname, jane.Forename, jane.Sex, jane.DateOfBirth).ShouldBe(("Doe", "Jane", "F", new DateOnly(2011, 5, 10)));
        jane.Attendance.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_MultiplicationTablesCheckFile_UpperCaseNamesAndUrnsRead()
    {
        using var file = ImportTestFiles.Open("Good/ctf-mtc.xml");

        var result = CommonTransferFile.Parse(file, "ctf-mtc.xml");

        result.Problems.ShouldBeEmpty();
        result.Header!.DestinationSchool.Urn.ShouldBe("100040");
        (result.Pupils[0].Surname, result.Pupils[0].Forename, result.Pupils[0].Sex).ShouldBe(("O'NEILL-BROWN", "SAMUEL", "M"));
    }

    [Fact]
    public void Parse_SourceSchoolHalfPlaceholder_Rejected()
    {
        var xml = """
            <CTfile><Header><DocumentName>Common Transfer File</DocumentName><CTFversion>25.0</CTFversion>
              <SourceSchool><LEA>XXX</LEA><Estab>2001</Estab></SourceSchool><DestSchool><LEA>926</LEA><Estab>4001</Estab></DestSchool></Header>
              <CTFpupilData/></CTfile>
            """;

        var result = CommonTransferFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "half.xml");

        result.Problems.ShouldHaveSingleItem().Message.ShouldBe("The source school is given as XXX/2001: either both numbers are real, or both are XXX/XXXX (a download from Get Information about Pupils)");
    }

    [Theory]
    [InlineData("H", "2024-08-16", true)]
    [InlineData("H", "2024-08-19", false)]
    [InlineData("J", "2024-07-01", true)]
    [InlineData("J1", "2024-07-01", false)]
    [InlineData("J1", "2024-09-02", true)]
    [InlineData("Y", "2023-11-01", true)]
    [InlineData("Y7", "2024-08-19", true)]
    [InlineData("Y7", "2024-08-18", false)]
    [InlineData("K", "2024-09-02", true)]
    [InlineData("Q", "2023-09-02", false)]
    [InlineData("C2", "2024-09-02", true)]
    [InlineData("F", "2013-07-01", true)]
    [InlineData("F", "2013-09-02", false)]
    public void AttendanceCodeSets_CodeValidOnlyOnTheDaysItWasInUse(string code, string day, bool valid)
    {
        (AttendanceCodeSets.Find(code, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)) is not null).ShouldBe(valid);
    }

    [Fact]
    public void AttendanceCodeSets_JCountedAsPresentBefore2024_J1AsAuthorisedAbsenceAfter()
    {
        AttendanceCodeSets.Find("J", new DateOnly(2024, 7, 1)).ShouldBe(AttendanceMarkCount.Present);
        AttendanceCodeSets.Find("J1", new DateOnly(2024, 9, 2)).ShouldBe(AttendanceMarkCount.AuthorisedAbsence);
        AttendanceCodeSets.Find("Y", new DateOnly(2024, 7, 1)).ShouldBe(AttendanceMarkCount.NotPossible);
        AttendanceCodeSets.Find("H", new DateOnly(2024, 7, 1)).ShouldBe(AttendanceMarkCount.AuthorisedAbsence);
    }

    [Theory]
    [InlineData("/\\LL", new[] { "/", "\\", "L", "L" })]
    [InlineData("C1C2J1Y7C", new[] { "C1", "C2", "J1", "Y7", "C" })]
    [InlineData("Y", new[] { "Y" })]
    [InlineData("#-/", new[] { "#", "-", "/" })]
    public void SplitMarks_TwoCharacterCodes_AreOneSession(string marks, string[] sessions)
    {
        CommonTransferFile.SplitMarks(marks).ShouldBe(sessions);
    }

    [Fact]
    public void Parse_MarksOnSaturdayAndSunday_AcceptedWithOneWarningNamingTheFirstDay()
    {
        // As a system that wrote school days only would: the sixth day's marks land on Saturday 7 September.
        using var original = ImportTestFiles.Open("Good/ctf.xml");
        var text = new StreamReader(original).ReadToEnd().Replace(@"/\/\IIM\/\----/\C2C2/\/\O\", @"/\/\IIM\/\/\C2C2/\/\O\", StringComparison.Ordinal);
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(text));

        var result = CommonTransferFile.Parse(file, "ctf.xml");

        result.Problems.ShouldBeEmpty();
        var warning = result.Warnings.ShouldHaveSingleItem();
        warning.Field.ShouldBe("<AttendanceMarks>");
        warning.Message.ShouldStartWith("One year of marks puts registered sessions on a Saturday or Sunday (first: pupil 1, Saturday 7 September 2024)");
        warning.Message.ShouldContain("school days only");
        warning.Message.ShouldNotContain("Amelia");
    }
}
