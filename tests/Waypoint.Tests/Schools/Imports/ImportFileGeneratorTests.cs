using System.Text;
using Shouldly;
using Waypoint.Features.People;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>The generated demo files are valid, and the parsers read back exactly what was generated.</summary>
public sealed class ImportFileGeneratorTests
{
    private readonly ImportFileGenerator generator = new(seed: 2024);

    [Fact]
    public void Generate_SameSeed_SameFiles()
    {
        var again = new ImportFileGenerator(seed: 2024);

        again.Ctf(again.Pupils(20)).ShouldBe(generator.Ctf(generator.Pupils(20)));
        again.SuspensionsCsv(again.Pupils(20)).ShouldBe(generator.SuspensionsCsv(generator.Pupils(20)));
    }

    [Fact]
    public void Ctf_GeneratedPupils_ReadBackExactly()
    {
        var pupils = generator.Pupils(60);

        var result = CommonTransferFile.Parse(Utf8(generator.Ctf(pupils)), "ctf.xml");

        result.Problems.ShouldBeEmpty();
        result.Header!.SourceSchool.Urn.ShouldBe(generator.Urn);
        result.Pupils.Count.ShouldBe(60);
        foreach (var (parsed, generated) in result.Pupils.Zip(pupils))
        {
            (parsed.Upn, parsed.Surname, parsed.Forename, parsed.MiddleNames, parsed.DateOfBirth, parsed.Sex)
                .ShouldBe((generated.Upn, generated.Surname, generated.Forename, generated.MiddleNames, generated.DateOfBirth, generated.Gender));
            parsed.CurrentSenProvision.ShouldBe(generated.SenProvision);
            parsed.SenNeeds.Select(n => n.Type).ShouldBe(generated.SenNeed is null ? [] : [generated.SenNeed]);
            var year = parsed.Attendance.ShouldHaveSingleItem();
            (year.SessionsPossible, year.SessionsAttended, year.AuthorisedAbsence, year.UnauthorisedAbsence)
                .ShouldBe((generated.Autumn.Possible, generated.Autumn.Present, generated.Autumn.Authorised, generated.Autumn.Unauthorised));
        }
    }

    [Fact]
    public void Csv_GeneratedFiles_ReadBackExactly()
    {
        var pupils = generator.Pupils(120);

        var enrolments = EnrolmentCsv.Parse(Utf8(generator.EnrolmentsCsv(pupils)), "enrolments.csv");
        var attendance = AttendanceCsv.Parse(Utf8(generator.AttendanceCsv(pupils)), "attendance.csv");
        var suspensions = SuspensionCsv.Parse(Utf8(generator.SuspensionsCsv(pupils)), "suspensions.csv");
        var behaviour = BehaviourCsv.Parse(Utf8(generator.BehaviourCsv(pupils)), "behaviour.csv");

        new IImportParseResult[] { enrolments, attendance, suspensions, behaviour }.SelectMany(r => r.Problems).ShouldBeEmpty();
        enrolments.Records.Select(e => (e.Pupil.Upn, e.StartDate, e.YearGroup)).ShouldBe(pupils.Select(p => ((string?)p.Upn, p.EnrolledOn, (string?)p.YearGroup)));
        attendance.Records.Select(a => (a.SessionsPresent, a.AuthorisedAbsence, a.UnauthorisedAbsence, a.CodeCounts.Sum(c => c.Sessions)))
            .ShouldBe(pupils.Select(p => (p.Autumn.Present, p.Autumn.Authorised, p.Autumn.Unauthorised, p.Autumn.Authorised + p.Autumn.Unauthorised)));
        suspensions.Records.Select(s => (s.Pupil.Upn, s.StartDate, s.Sessions, string.Join(" ", s.ReasonCodes), s.Outcome.ToString()))
            .ShouldBe(pupils.SelectMany(p => p.Suspensions.Select(s => ((string?)p.Upn, s.StartDate, s.Sessions, string.Join(" ", s.Reasons), s.Outcome))));
        behaviour.Records.Select(b => (b.Pupil.Upn, b.OccurredOn, b.Category, b.Description))
            .ShouldBe(pupils.SelectMany(p => p.Incidents.Select(i => ((string?)p.Upn, i.Date, i.Category, i.Description))));

        // The demo set is only useful if it has what the early-warning rules look for.
        suspensions.Records.ShouldContain(s => s.Category == ParsedExclusionCategory.LunchtimeSuspension);
        attendance.Records.ShouldContain(a => a.AuthorisedAbsence + a.UnauthorisedAbsence >= a.SessionsPossible / 10);
        behaviour.Records.ShouldContain(b => b.Description.Contains('\n'));
        behaviour.Records.ShouldContain(b => b.Description.Contains('"'));
    }

    [Fact]
    public void WriteAll_Folder_HoldsFiveFilesThatParse()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"waypoint-demo-imports-{Guid.NewGuid():N}");
        try
        {
            generator.WriteAll(folder, generator.Pupils(10));

            Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order().ShouldBe(["attendance.csv", "behaviour.csv", "ctf.xml", "enrolments.csv", "suspensions.csv"]);
            using var ctf = File.OpenRead(Path.Combine(folder, "ctf.xml"));
            CommonTransferFile.Parse(ctf, "ctf.xml").Pupils.Count.ShouldBe(10);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// Property: for any LA, establishment, year and serial, a created UPN is valid, and every
    /// other check letter, and every single-digit change in its body, makes it invalid: the
    /// check letter catches each single-character mistake.
    /// </summary>
    [Fact]
    public void Upn_CreatedForAnyNumbers_ValidAndEverySingleCharacterMistakeCaught()
    {
        var random = new Random(1729);
        for (var i = 0; i < 2000; i++)
        {
            var upn = Upn.Create(random.Next(201, 999), random.Next(0, 10000), random.Next(2000, 2030), random.Next(0, 1000));

            Upn.Validate(upn).ShouldBeNull(upn);
            foreach (var letter in "ABCDEFGHJKLMNPQRTUVWXYZ".Where(l => l != upn[0]))
                Upn.IsValid(letter + upn[1..]).ShouldBeFalse();
            var position = random.Next(1, 13);
            var digit = (char)('0' + (upn[position] - '0' + random.Next(1, 10)) % 10);
            Upn.IsValid(upn[..position] + digit + upn[(position + 1)..]).ShouldBeFalse();
        }
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
