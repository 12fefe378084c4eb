using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Schools;
using Waypoint.Features.Schools.Imports;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>
/// The Common Transfer Files of Files/Good, written as MIS and DfE services write them, applied
/// to a school and checked field by field against what is stored; then applied again, changing
/// nothing. Each file is addressed to 926/4001 (the school) from 926/2001 (the partnership's other
/// school); the test gives both schools those numbers and every pupil a UPN of its own.
/// </summary>
public abstract partial class CtfCorpusApplyTests(WaypointApp app)
{
    private static int nextSchool = 6000 + Environment.ProcessId % 500 * 10;

    private sealed record Setting(TestPartnership P, TestUser User, int Estab, int OtherEstab)
    {
        public Dictionary<string, string> Upns { get; } = new(StringComparer.Ordinal);
    }

    private async Task<Setting> SchoolAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var other = n + 3000;
        var urn = (100000 + n * 7 % 899999).ToString(CultureInfo.InvariantCulture);
        var otherUrn = (100000 + other * 7 % 899999).ToString(CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, $"926{n % 10000:0000}")));
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.OtherSchool.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, otherUrn).SetProperty(o => o.DfeNumber, $"926{other % 10000:0000}")));
        (p.School.Urn, p.School.DfeNumber) = (urn, $"926{n % 10000:0000}");
        return new Setting(p, await p.UserAsync(p.School), n % 10000, other % 10000);
    }

    /// <summary>The corpus file addressed to this test's schools, each UPN replaced (consistently) by one no other test uses.</summary>
    private static string Localise(string relativePath, Setting s)
    {
        var xml = File.ReadAllText(Path.Combine(ImportTestFiles.Folder, relativePath));
        xml = Regex.Replace(xml, @"<LEA>926</LEA>(\s*)<Estab>4001</Estab>", m => $"<LEA>926</LEA>{m.Groups[1].Value}<Estab>{s.Estab:0000}</Estab>");
        xml = Regex.Replace(xml, @"<LEA>926</LEA>(\s*)<Estab>2001</Estab>", m => $"<LEA>926</LEA>{m.Groups[1].Value}<Estab>{s.OtherEstab:0000}</Estab>");
        xml = xml.Replace("<URN>100040</URN>", $"<URN>{s.P.School.Urn}</URN>", StringComparison.Ordinal);
        return UpnInFile().Replace(xml, m => $"<{m.Groups[1].Value}>{UpnFor(m.Groups[2].Value, s)}</{m.Groups[1].Value}>");
    }

    /// <summary>A fresh UPN of the same kind (permanent, or temporary with a letter last) for each UPN of the corpus.</summary>
    private static string UpnFor(string original, Setting s)
    {
        if (s.Upns.TryGetValue(original, out var mapped))
            return mapped;
        var serial = s.Upns.Count + 1;
        var body = $"926{s.Estab:0000}99{serial:000}";
        if (!char.IsAsciiDigit(original[^1]))
            body = body[..^1] + original[^1];
        return s.Upns[original] = Upn.CheckLetter(body) + body;
    }

    [GeneratedRegex(@"<(UPN|FormerUPN)>([A-Z0-9]{13})</(?:UPN|FormerUPN)>")]
    private static partial Regex UpnInFile();

    private Task<ImportOutcome> ApplyAsync(Setting s, ImportKind kind, string content, string fileName) =>
        app.AsUserAsync(s.User, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName, s.User.OrganisationId, null, CancellationToken.None));

    private static ImportSummary Applied(ImportOutcome outcome)
    {
        outcome.Problems.ShouldBeEmpty();
        return outcome.Summary.ShouldNotBeNull();
    }

    private static void NothingChanged(ImportSummary again)
    {
        again.PupilsAdded.ShouldBe(0);
        again.Added.ShouldBe(0);
        again.Changed.ShouldBe(0);
    }

    private Task<Person> PersonAsync(Setting s, string corpusUpn) =>
        app.AsSystemAsync((db, _) => db.People.Include(p => p.Identifiers).SingleAsync(p => p.Identifiers.Any(i => i.Scheme == IdentifierScheme.Upn && i.Value == s.Upns[corpusUpn])));

    private Task<List<Enrolment>> EnrolmentsAsync(Guid personId) =>
        app.AsSystemAsync((db, _) => db.Enrolments.Where(e => e.PersonId == personId).ToListAsync());

    private Task<List<AttendanceRecord>> AttendanceAsync(Guid personId) =>
        app.AsSystemAsync((db, _) => db.AttendanceRecords.Where(a => a.PersonId == personId).OrderBy(a => a.PeriodStart).ToListAsync());

    /// <summary>A file's enrolment ends with the academic year after the file's once that is over: these files' dates are fixed, the day the tests run is not.</summary>
    private static DateOnly? EndOfStaleFile(int fileAcademicYear)
    {
        var last = new DateOnly(fileAcademicYear + 2, 8, 31);
        return last < DateOnly.FromDateTime(DateTime.UtcNow) ? last : null;
    }

    [Fact]
    public async Task UnknownEthnicityCode_RejectsTheWholeFile_ThenTheCorrectedFileKeepsMainAndExtendedCodes()
    {
        var s = await SchoolAsync();
        var xml = Localise("Malformed/ctf-unknown-ethnicity.xml", s);

        var rejected = await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf-unknown-ethnicity.xml");

        rejected.Summary.ShouldBeNull();
        var problem = rejected.Problems.ShouldHaveSingleItem();
        problem.ToString().ShouldStartWith($"ctf-unknown-ethnicity.xml, line 42, pupil 2 (Astrid Ødegård, UPN {s.Upns["H926200119002"]}), <Ethnicity>: \"WBRT\" is not a DfE ethnicity code");
        // Nothing applied: not even the first pupil, whose code (WENG, an extended one) is right.
        (await app.AsSystemAsync((db, _) => db.People.CountAsync(p => p.Identifiers.Any(i => i.Scheme == IdentifierScheme.Upn && s.Upns.Values.Contains(i.Value))))).ShouldBe(0);
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristics.CountAsync(c => c.SchoolId == s.P.School.Id))).ShouldBe(0);

        Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml.Replace("<Ethnicity>WBRT</Ethnicity>", "<Ethnicity>wbri</Ethnicity>", StringComparison.Ordinal), "ctf-corrected.xml"));

        var amelia = await PersonAsync(s, "U926200119001");
        var astrid = await PersonAsync(s, "H926200119002");
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristics.SingleAsync(c => c.PersonId == amelia.Id))).Ethnicity.ShouldBe("WENG");
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristics.SingleAsync(c => c.PersonId == astrid.Id))).Ethnicity.ShouldBe("WBRI");
    }

    /// <summary>
    /// A CTF 25 as an MIS writes one for a school that records the DfE's extended categories
    /// (Ethnicity with its EthnicitySource in BasicDetails): each extended code is stored as given,
    /// its history names the file, and the equality report counts it under its main code's group.
    /// </summary>
    [Fact]
    public async Task Ctf25WithExtendedEthnicityCodes_EachStoredAsGiven_AndCountedUnderItsMainGroup()
    {
        var s = await SchoolAsync();
        var xml = Localise("Good/ctf25-extended-ethnicity.xml", s);

        var summary = Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf25-extended-ethnicity.xml"));

        summary.PupilsAdded.ShouldBe(7);
        var expected = new Dictionary<string, (string Code, string Group)>
        {
            ["J926400125011"] = ("WNIR", "White"),
            ["Y926400125012"] = ("MWAP", "Mixed"),
            ["M926400125013"] = ("WROG", "White"),
            ["B926400125014"] = ("AKPA", "Asian or Asian British"),
            ["Q926400125015"] = ("BSOM", "Black or Black British"),
            ["E926400125016"] = ("CHKC", "Chinese"),
            ["U926400125017"] = ("OKRD", "Any other ethnic group"),
        };
        foreach (var (upn, (code, group)) in expected)
        {
            var pupil = await PersonAsync(s, upn);
            var held = await app.AsSystemAsync((db, _) => db.PupilCharacteristics.SingleAsync(c => c.PersonId == pupil.Id));
            (held.SchoolId, held.Ethnicity).ShouldBe((s.P.School.Id, code), upn);
            EthnicityCodes.IsMain(code).ShouldBeFalse(code);
            Waypoint.Features.Risk.Representation.EthnicGroup(held.Ethnicity).ShouldBe(group, code);
            (await app.AsSystemAsync((db, _) => db.PupilCharacteristicsChanges
                    .SingleAsync(c => c.PersonId == pupil.Id && c.Field == PupilCharacteristicFields.Ethnicity)))
                .ShouldSatisfyAllConditions(c => c.To.ShouldBe(code), c => c.Source.ShouldBe("ctf25-extended-ethnicity.xml"));
        }

        NothingChanged(Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf25-extended-ethnicity.xml")));
    }

    [Fact]
    public async Task Ctf25WithSex_EveryValueStoredAsTheFileStatesIt_AndAgainChangesNothing()
    {
        var s = await SchoolAsync();
        var xml = Localise("Good/ctf25-sex.xml", s);

        var summary = Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf25-sex.xml"));

        summary.PupilsAdded.ShouldBe(3);
        var jakub = await PersonAsync(s, "U926200119001");
        (jakub.GivenName, jakub.FamilyName, jakub.MiddleNames, jakub.PreferredName, jakub.PreferredFamilyName, jakub.Sex, jakub.DateOfBirth)
            .ShouldBe(("Jakub", "Łukasiewicz", "Tomasz Jan", "Kuba", "Lukas", Sex.Male, new DateOnly(2015, 2, 11)));
        var enrolment = (await EnrolmentsAsync(jakub.Id)).ShouldHaveSingleItem();
        (enrolment.SchoolId, enrolment.StartDate, enrolment.EndDate, enrolment.SenPrimaryNeed)
            .ShouldBe((s.P.School.Id, new DateOnly(2026, 7, 17), EndOfStaleFile(2025), "SLCN"));
        // Sex, ethnicity and SEN provision are the school's pupil characteristics, each change in their history under the file's name.
        var characteristics = await app.AsSystemAsync((db, _) => db.PupilCharacteristics.SingleAsync(c => c.PersonId == jakub.Id));
        (characteristics.SchoolId, characteristics.Sex, characteristics.Ethnicity, characteristics.SenProvision).ShouldBe((s.P.School.Id, Sex.Male, "WOTH", "K"));
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristicsChanges.Where(c => c.PersonId == jakub.Id).Select(c => c.Source).Distinct().ToListAsync()))
            .ShouldBe(["ctf25-sex.xml"]);
        // Both years at the sending school (the partnership's other school), each over the days its marks cover.
        var years = await AttendanceAsync(jakub.Id);
        years.Count.ShouldBe(2);
        years.ShouldAllBe(y => y.SchoolId == s.P.OtherSchool.Id);
        (years[0].AcademicYear, years[0].PeriodStart, years[0].PeriodEnd, years[0].MarksStartDate, years[0].Marks)
            .ShouldBe((2023, new DateOnly(2024, 7, 8), new DateOnly(2024, 7, 16), new DateOnly(2024, 7, 8), "/\\HHJ\\YY/\\----/\\/\\"));
        (years[1].AcademicYear, years[1].PeriodStart, years[1].PeriodEnd, years[1].SessionsPossible, years[1].SessionsPresent, years[1].AuthorisedAbsence, years[1].UnauthorisedAbsence)
            .ShouldBe((2024, new DateOnly(2024, 9, 2), new DateOnly(2024, 9, 13), 14, 8, 6, 0));
        years[1].Marks.ShouldBe("/\\C1C1J1\\KKQY1----Y2Y3Y4Y5Y6Y7C2C2/\\");
        years[1].Sessions().Where(x => x.Code == "Y7").ShouldHaveSingleItem().ShouldBe((new DateOnly(2024, 9, 11), false, "Y7"));

        var astrid = await PersonAsync(s, "H926200119002");
        (astrid.FamilyName, astrid.Sex, astrid.MiddleNames, astrid.PreferredName).ShouldBe(("Ødegård", Sex.Female, null, null));

        // A leaver: the dates the file states for this school, so she is not on the roll now; her year runs to the day she left.
        var lena = await PersonAsync(s, "N926400124003");
        (lena.Sex, lena.MiddleNames).ShouldBe((Sex.Female, "Marie"));
        var left = (await EnrolmentsAsync(lena.Id)).ShouldHaveSingleItem();
        (left.StartDate, left.EndDate, left.LeavingReason).ShouldBe((new DateOnly(2024, 9, 4), new DateOnly(2024, 11, 22), "Moved away"));
        var autumn = (await AttendanceAsync(lena.Id)).ShouldHaveSingleItem();
        (autumn.SchoolId, autumn.AcademicYear, autumn.PeriodStart, autumn.PeriodEnd, autumn.SessionsPossible, autumn.MarksStartDate)
            .ShouldBe((s.P.School.Id, 2024, new DateOnly(2024, 9, 4), new DateOnly(2024, 11, 22), 116, new DateOnly(2024, 9, 4)));
        autumn.Sessions().Count(x => x.Code == "I").ShouldBe(8);

        NothingChanged(Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf25-sex.xml")));
        (await AttendanceAsync(jakub.Id)).Count.ShouldBe(2);
        (await EnrolmentsAsync(lena.Id)).ShouldHaveSingleItem().EndDate.ShouldBe(new DateOnly(2024, 11, 22));
    }

    [Fact]
    public async Task Ctf23WithGenderAndOldMarks_AppliedWithoutACurrentEnrolment_AndAgainChangesNothing()
    {
        var s = await SchoolAsync();
        var xml = Localise("Good/ctf23-gender.xml", s);

        var summary = Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf23-gender.xml"));

        var zoe = await PersonAsync(s, "C926400124004");
        (zoe.GivenName, zoe.FamilyName, zoe.PreferredName, zoe.Sex).ShouldBe(("Zoë", "Kowalczyk", "Zoe", Sex.Female));
        var enrolment = (await EnrolmentsAsync(zoe.Id)).ShouldHaveSingleItem();
        (enrolment.StartDate, enrolment.EndDate).ShouldBe((new DateOnly(2024, 7, 12), EndOfStaleFile(2023)));
        if (EndOfStaleFile(2023) is not null)
            (summary.Notes ?? []).ShouldContain(n => n.Contains("is from 2023/24 and cannot say that its pupils are still at", StringComparison.Ordinal));
        var year = (await AttendanceAsync(zoe.Id)).ShouldHaveSingleItem();
        (year.SchoolId, year.AcademicYear, year.PeriodStart, year.PeriodEnd, year.Marks).ShouldBe((s.P.OtherSchool.Id, 2023, new DateOnly(2024, 6, 3), new DateOnly(2024, 6, 7), "/\\HHBJYYON"));

        NothingChanged(Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf23-gender.xml")));
        (await EnrolmentsAsync(zoe.Id)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task GiapDownloadForTheSchool_AppliedWithSexAndNoAttendance()
    {
        var s = await SchoolAsync();

        var summary = Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, Localise("Good/ctf-giap-establishment.xml", s), "giap.xml"));

        summary.PupilsAdded.ShouldBe(1);
        var jane = await PersonAsync(s, s.Upns.Keys.Single());
        (jane.GivenName, jane.FamilyName, jane.Sex).ShouldBe(("Jane", "Doe", Sex.Female));
        (await EnrolmentsAsync(jane.Id)).ShouldHaveSingleItem().StartDate.ShouldBe(new DateOnly(2026, 10, 2));
        (await AttendanceAsync(jane.Id)).ShouldBeEmpty();
        (summary.Notes ?? []).ShouldBeEmpty();
    }

    [Fact]
    public async Task GiapDownloadForNoSchool_AppliedToTheImportingSchoolWithANote()
    {
        var s = await SchoolAsync();

        var summary = Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, Localise("Good/ctf-giap-la.xml", s), "giap-la.xml"));

        summary.PupilsAdded.ShouldBe(1);
        (summary.Notes ?? []).ShouldHaveSingleItem().ShouldBe(
            $"giap-la.xml: the file is addressed to no school (XXX/XXXX, as Get Information about Pupils writes it for someone not at a school). It was applied to {s.P.School.Name}, the school it was imported for.");
        var jane = await PersonAsync(s, s.Upns.Keys.Single());
        (await EnrolmentsAsync(jane.Id)).ShouldHaveSingleItem().SchoolId.ShouldBe(s.P.School.Id);
    }

    [Fact]
    public async Task CtfForAnotherRealSchool_Refused()
    {
        var s = await SchoolAsync();
        var xml = Localise("Good/ctf-giap-establishment.xml", s).Replace($"<Estab>{s.Estab:0000}</Estab>", "<Estab>9998</Estab>", StringComparison.Ordinal);

        var outcome = await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "elsewhere.xml");

        outcome.Applied.ShouldBeFalse();
        outcome.Problems.ShouldHaveSingleItem().Message.ShouldStartWith("The file is addressed to school 9269998, but it was sent for");
    }

    [Fact]
    public async Task FormerUpn_JoinsTheChildRegisteredUnderTheTemporaryUpn_AndAgainChangesNothing()
    {
        var s = await SchoolAsync();
        var xml = Localise("Good/ctf-formerupn.xml", s);
        var temporary = s.Upns["W92640012400A"];
        var roll = $"UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n{temporary},Nowak,Ola,2014-03-03,,{s.P.School.Urn},2026-09-07,,7,C\n";
        Applied(await ApplyAsync(s, ImportKind.Enrolments, roll, "roll.csv")).PupilsAdded.ShouldBe(1);
        (await PersonAsync(s, "W92640012400A")).Sex.ShouldBe(Sex.Unknown);

        var summary = Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf-formerupn.xml"));

        (summary.PupilsAdded, summary.PupilsMatched).ShouldBe((0, 1));
        var ola = await PersonAsync(s, "C926400125005");
        ola.Identifiers.Where(i => i.Scheme == IdentifierScheme.Upn).Select(i => i.Value).Order().ShouldBe(new[] { temporary, s.Upns["C926400125005"] }.Order());
        (ola.Sex, ola.MiddleNames).ShouldBe((Sex.Female, "Maria"));
        (await app.AsSystemAsync((db, _) => db.People.CountAsync(p => p.FamilyName == "Nowak" && p.DateOfBirth == new DateOnly(2014, 3, 3) && p.OwnerOrganisationId == s.P.School.Id))).ShouldBe(1);
        (await EnrolmentsAsync(ola.Id)).ShouldHaveSingleItem().StartDate.ShouldBe(new DateOnly(2026, 9, 7));

        NothingChanged(Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf-formerupn.xml")));
    }

    [Fact]
    public async Task SimsStyleRollInferred_AppliedWithSexYearAndDates_AndAgainChangesNothing()
    {
        var s = await SchoolAsync();
        var csv = File.ReadAllText(Path.Combine(ImportTestFiles.Folder, "Good/enrolments-sims-report.csv"));
        foreach (var upn in new[] { "U926200119001", "N926400124003" })
            csv = csv.Replace(upn, UpnFor(upn, s), StringComparison.Ordinal);

        var summary = Applied(await ApplyAsync(s, ImportKind.Enrolments, csv, "roll.csv"));

        summary.PupilsAdded.ShouldBe(2);
        // Only "Reg Group" is passed over: preferred and middle names are read.
        (summary.Notes ?? []).Count(n => n.Contains("was passed over", StringComparison.Ordinal)).ShouldBe(1);
        var jakub = await PersonAsync(s, "U926200119001");
        (jakub.FamilyName, jakub.Sex, jakub.PreferredName, jakub.MiddleNames).ShouldBe(("Łukasiewicz", Sex.Male, "Kuba", "Tomasz Jan"));
        var enrolment = (await EnrolmentsAsync(jakub.Id)).ShouldHaveSingleItem();
        (enrolment.SchoolId, enrolment.StartDate, enrolment.EndDate, enrolment.YearGroup, enrolment.IsDualRegistration).ShouldBe((s.P.School.Id, new DateOnly(2026, 9, 3), (DateOnly?)null, (int?)7, false));
        var lena = await PersonAsync(s, "N926400124003");
        lena.Sex.ShouldBe(Sex.Female);
        var left = (await EnrolmentsAsync(lena.Id)).ShouldHaveSingleItem();
        (left.StartDate, left.EndDate, left.YearGroup, left.IsDualRegistration, left.EnrolStatus).ShouldBe((new DateOnly(2024, 9, 4), (DateOnly?)new DateOnly(2024, 11, 22), (int?)9, true, "M"));
        (await EnrolmentsAsync(jakub.Id)).ShouldHaveSingleItem().EnrolStatus.ShouldBe("C");

        NothingChanged(Applied(await ApplyAsync(s, ImportKind.Enrolments, csv, "roll.csv")));
    }

    [Fact]
    public async Task EnrolmentsCsvWithFormerUpn_JoinsThePupilOfTheTemporaryUpn()
    {
        var s = await SchoolAsync();
        var temporary = UpnFor("W92640012400A", s);
        var permanent = UpnFor("A926400124005", s);
        Applied(await ApplyAsync(s, ImportKind.Enrolments,
            $"UPN,Surname,Forename,DateOfBirth,SchoolURN,StartDate\n{temporary},Nowak,Ola,2014-03-03,{s.P.School.Urn},2026-09-07\n", "roll.csv"));
        var ola = await PersonAsync(s, "W92640012400A");

        var summary = Applied(await ApplyAsync(s, ImportKind.Enrolments,
            $"UPN,Former UPN,Legal Surname,Legal Forename,Middle Names,Preferred Surname,DOB,Date of Admission,Date of Leaving,Reason for Leaving\n" +
            $"{permanent},{temporary},Nowak,Ola,Maria,Nowak-Smith,03/03/2014,07/09/2026,20/11/2026,Moved out of area\n", "roll.csv"));

        summary.PupilsAdded.ShouldBe(0);
        var joined = await PersonAsync(s, "A926400124005");
        joined.Id.ShouldBe(ola.Id);
        joined.Identifiers.Where(i => i.Scheme == IdentifierScheme.Upn).Select(i => i.Value).Order().ShouldBe(new[] { permanent, temporary }.Order());
        (joined.MiddleNames, joined.PreferredFamilyName).ShouldBe(("Maria", "Nowak-Smith"));
        var enrolment = (await EnrolmentsAsync(ola.Id)).ShouldHaveSingleItem();
        (enrolment.EndDate, enrolment.LeavingReason).ShouldBe(((DateOnly?)new DateOnly(2026, 11, 20), "Moved out of area"));
    }

    [Fact]
    public async Task KnownSex_NotOverwrittenByAFile()
    {
        var s = await SchoolAsync();
        var xml = Localise("Good/ctf-formerupn.xml", s);
        var temporary = s.Upns["W92640012400A"];
        Applied(await ApplyAsync(s, ImportKind.Enrolments,
            $"UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n{temporary},Nowak,Ola,2014-03-03,M,{s.P.School.Urn},2026-09-07,,7,C\n", "roll.csv"));
        (await PersonAsync(s, "W92640012400A")).Sex.ShouldBe(Sex.Male);

        Applied(await ApplyAsync(s, ImportKind.CommonTransferFile, xml, "ctf-formerupn.xml"));

        var ola = await PersonAsync(s, "W92640012400A");
        (ola.Sex, ola.MiddleNames).ShouldBe((Sex.Male, "Maria"));
    }
}

public sealed class CtfCorpusApplyTestsOnSqlite(SqliteApp app) : CtfCorpusApplyTests(app), IClassFixture<SqliteApp>;

public sealed class CtfCorpusApplyTestsOnPostgres(PostgresApp app) : CtfCorpusApplyTests(app), IClassFixture<PostgresApp>;
