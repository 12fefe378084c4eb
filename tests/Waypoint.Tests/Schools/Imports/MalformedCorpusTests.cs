using Shouldly;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>
/// Every file in Files/Malformed is a real-format file with one thing wrong. Each is rejected
/// whole, with one problem that names the file, the line, the column or element (and for a CTF
/// the pupil), and says what is wrong.
/// </summary>
public sealed class MalformedCorpusTests
{
    public static TheoryData<string, int?, string?, string?, string> Corpus => new()
    {
        // CSV: header
        { "attendance-empty.csv", 1, "header", null, "The file is empty. It should start with a header line naming the columns: UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes" },
        { "attendance-missing-column.csv", 1, "header", null, "The column \"DateOfBirth\" is missing: an attendance file must have it, even where it is left blank." },
        { "attendance-extra-column.csv", 1, "header", null, "The column \"Notes\" is not one of the columns of an attendance file: remove it, correct its name, or tell Waypoint what it is under Imports, your MIS's headings." },

        // CSV: encoding
        { "attendance-windows-1252.csv", 3, null, null, "Line 3 has bytes (EB) that are not UTF-8. The file was probably saved as \"CSV\" (Windows-1252) rather than \"CSV UTF-8\": save it again as CSV UTF-8." },
        { "attendance-utf16.csv", 1, null, null, "The file is UTF-16 (\"Unicode text\"), not UTF-8. Save it as CSV UTF-8." },

        // CSV: rows
        { "attendance-present-and-absent-exceed-possible.csv", 3, "column SessionsPossible", null, "Sessions present (142), authorised absence (3) and unauthorised absence (0) add up to 145, more than the 142 sessions possible" },
        { "attendance-withdrawn-code.csv", 2, "column AttendanceCodes", null, "\"H\" stopped being an attendance code on 19 August 2024 (the 2024 regulations), so it cannot be a mark for a session after that date (this row is for 3 September 2024 to 20 December 2024)" },
        { "enrolments-date-with-time.csv", 2, "column StartDate", null, "\"04/09/2024 14:30\" has a time of day as well as a date: give the date alone, such as 04/09/2024" },
        { "enrolments-year-15.csv", 2, "column YearGroup", null, "\"Year 15\" is not one of N1, N2, R, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, X" },
        { "enrolments-alias-collision.csv", 1, "header", null, "The columns \"Surname\" and \"Legal Surname\" are both read as Surname: remove one of them." },
        { "suspensions-other-after-2020.csv", 2, "column Reason1", null, "\"OT\" (Other) was withdrawn from 1 September 2020 and cannot be given to a suspension or exclusion that started on 12 January 2021" },
        { "suspensions-ambiguous-reason-words.csv", 2, "column Reason1", null, "\"Abuse\" is not exactly one DfE reason. The codes that would fit: VP (Verbal abuse or threatening behaviour against a pupil); VA (Verbal abuse or threatening behaviour against an adult); RA (Racist abuse, including bullying); LG (Abuse against sexual orientation and gender identity, including bullying); DS (Abuse relating to disability, including bullying)" },
        { "enrolments-impossible-date.csv", 2, "column StartDate", null, "\"2023-02-30\" is not a real date: February 2023 has 28 days" },
        { "enrolments-wrong-check-letter.csv", 3, "column UPN", null, "The check letter of this UPN should be P, not Q: check it was copied correctly" },
        { "enrolments-duplicate-rows.csv", 5, null, null, "This row has the same pupil, school and start date as line 2: remove one of them, or correct it." },
        { "suspensions-unknown-reason.csv", 3, "column Reason1", null, "\"PX\" is not a DfE suspension and exclusion reason code" },
        { "suspensions-withdrawn-reason.csv", 2, "column Reason2", null, "\"DB\" (Persistent or general disruptive behaviour) was withdrawn from 1 September 2024 and cannot be given to a suspension or exclusion that started on 7 October 2024" },
        { "behaviour-unclosed-quote.csv", 4, null, null, "A quote mark opens a value but nothing closes it, so the rest of the file would be read as one value." },
        { "behaviour-short-row.csv", 3, null, null, "This row has 8 values but the header has 9 columns. Check for a missing or extra comma, or a value with a comma in it that is not in quotes." },

        // Common Transfer File
        { "ctf-not-well-formed.xml", 25, null, null, "The file is not well-formed XML: The 'Forename' start tag on line 25 position 8 does not match the end tag of 'Forname'." },
        { "ctf-latin1-declared-utf8.xml", 81, null, null, "The file declares that it is UTF-8, but line 81 has a byte (EB) that is not UTF-8. The file was probably saved as Windows-1252 or ISO-8859-1 (Latin-1): save it again as UTF-8, or declare the encoding it really uses." },
        { "ctf-ascii-declared-with-accent.xml", 81, null, null, "The file declares that it is US-ASCII, but line 81 has bytes (EB) that are not valid in that encoding. Save the file again in the encoding it declares, or as UTF-8." },
        { "ctf-unknown-encoding.xml", 1, null, null, "The file declares the encoding \"EBCDIC-Klingon\", which is not one Waypoint can read. Save it as UTF-8." },
        { "ctf-doctype.xml", 2, null, null, "The file has a document type declaration (<!DOCTYPE ...>), which is not accepted: a Common Transfer File has none" },
        { "ctf-wrong-root.xml", 2, "<SchoolCensus>", null, "This is not a Common Transfer File: its outer element should be <CTfile>" },
        { "ctf-wrong-check-letter.xml", 23, "<UPN>", "pupil 1 (Amelia Hart)", "The check letter of this UPN should be L, not A: check it was copied correctly" },
        { "ctf-impossible-date-of-birth.xml", 26, "<DOB>", "pupil 1", "\"2012-02-30\" is not a real date: February 2012 has 29 days" },
        { "ctf-missing-surname.xml", 22, "<Surname>", "pupil 1", "<Pupil> has no <Surname>, which it must have" },
        { "ctf-attendance-exceeds-possible.xml", 69, "<YearData><SessionsPossible>", "pupil 1 (Amelia Hart, UPN L926200116001)", "Sessions attended (14), authorised (5) and unauthorised (1) add up to 20, more than the 18 sessions possible in 2024" },
        { "ctf-unknown-attendance-mark.xml", 74, "<YearData><AttendanceMarks>", "pupil 1 (Amelia Hart, UPN L926200116001)", "The mark for Sunday 8 September 2024 (morning): \"H\" stopped being an attendance code on 19 August 2024 (the 2024 regulations), so it cannot be a mark for a session after that date" },
        { "ctf-sex-and-gender-differ.xml", 28, "<Gender>", "pupil 1 (Amelia Hart, UPN U926200119001)", "<Sex> says F and <Gender> says M: a pupil can have only one" },
        { "ctf-no-sex.xml", 22, "<Sex>", "pupil 1 (Amelia Hart, UPN U926200119001)", "<Pupil> has no <Sex> (or <Gender>, as files before CTF 25 call it), which it must have" },
        { "ctf-mark-invalid-for-date.xml", 37, "<YearData><AttendSessions><AttendanceMarks>", "pupil 1 (Amelia Hart, UPN U926200119001)", "The mark for Tuesday 10 September 2024 (afternoon): \"H\" stopped being an attendance code on 19 August 2024 (the 2024 regulations), so it cannot be a mark for a session after that date" },
        { "ctf-new-code-before-2024.xml", 37, "<YearData><AttendSessions><AttendanceMarks>", "pupil 1 (Amelia Hart, UPN U926200119001)", "The mark for Tuesday 5 March 2024 (morning): \"C1\" became an attendance code on 19 August 2024 (the 2024 regulations), so it cannot be a mark for a session before that date" },
        { "ctf-giap-empty-upn.xml", 23, "<UPN>", "pupil 1 (Jane Doe)", "Jane Doe (born 10 May 2011) has no UPN in the file. Pupils in a Common Transfer File are matched to the register by UPN, so this file cannot be applied as it is" },
        { "ctf-unknown-ethnicity.xml", 42, "<Ethnicity>", "pupil 2 (Astrid Ødegård, UPN H926200119002)", "\"WBRT\" is not a DfE ethnicity code: give one of the main codes (WBRI, WIRI, WIRT, WROM, WOTH, MWBC, MWBA, MWAS, MOTH, AIND, APKN, ABAN, AOTH, BCRB, BAFR, BOTH, CHNE, OOTH, REFU, NOBT) or one of the DfE's extended codes (such as WENG or BSOM)" },
        { "ctf-duplicate-pupil.xml", 79, "<UPN>", "pupil 2 (Zoë Ellison-Price, UPN L926200116001)", "This UPN is also pupil 1's (line 22): a pupil can appear only once" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Parse_MalformedFile_RejectedWholeWithOnePreciseProblem(string file, int? line, string? field, string? record, string message)
    {
        var result = Parse(file);

        result.IsAcceptable.ShouldBeFalse();
        var problem = result.Problems.ShouldHaveSingleItem();
        problem.FileName.ShouldBe(file);
        problem.Line.ShouldBe(line);
        problem.Field.ShouldBe(field);
        problem.Record.ShouldBe(record);
        problem.Message.ShouldBe(message);
        ImportVerdict.Summarise(result).ShouldBe($"{file} was not imported because of 1 problem. Nothing was changed: correct the file and send all of it again.");
    }

    [Fact]
    public void Corpus_EveryMalformedFile_HasItsExpectedProblem()
    {
        var expected = Corpus.Select(row => row.Data.Item1).Order(StringComparer.Ordinal);

        ImportTestFiles.In("Malformed").ShouldBe(expected);
    }

    [Fact]
    public void Problem_ToString_NamesFileLinePupilAndElement()
    {
        var result = Parse("ctf-wrong-check-letter.xml");

        result.Problems.ShouldHaveSingleItem().ToString()
            .ShouldBe("ctf-wrong-check-letter.xml, line 23, pupil 1 (Amelia Hart), <UPN>: The check letter of this UPN should be L, not A: check it was copied correctly");
    }

    private static IImportParseResult Parse(string file)
    {
        using var stream = ImportTestFiles.Open(Path.Combine("Malformed", file));
        return file.Split('-')[0] switch
        {
            "attendance" => AttendanceCsv.Parse(stream, file),
            "enrolments" => EnrolmentCsv.Parse(stream, file),
            "suspensions" => SuspensionCsv.Parse(stream, file),
            "behaviour" => BehaviourCsv.Parse(stream, file),
            "ctf" => CommonTransferFile.Parse(stream, file),
            _ => throw new InvalidOperationException($"No parser for {file}: name it after its format."),
        };
    }
}
