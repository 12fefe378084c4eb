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
        thisYear.Marks.ShouldBe(["/", "\\", "/", "\\", "I", "I", "M", "\\", "/", "\\", "/", "\\", "C2", "C2", "/", "\\", "/", "\\", "O", "\\"]);

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

    [Theory]
    [InlineData("/\\LL", new[] { "/", "\\", "L", "L" })]
    [InlineData("C1C2J1Y7C", new[] { "C1", "C2", "J1", "Y7", "C" })]
    [InlineData("Y", new[] { "Y" })]
    [InlineData("#-/", new[] { "#", "-", "/" })]
    public void SplitMarks_TwoCharacterCodes_AreOneSession(string marks, string[] sessions)
    {
        CommonTransferFile.SplitMarks(marks).ShouldBe(sessions);
    }
}
