using System.Globalization;
using System.Text;
using System.Xml;
using Bogus;
using Waypoint.Features.People;

namespace Waypoint.Tests.Schools.Imports;

public sealed record GeneratedAttendance(DateOnly PeriodStart, DateOnly PeriodEnd, int Possible, int Present, int Authorised, int Unauthorised, IReadOnlyList<(string Code, int Sessions)> Codes);

public sealed record GeneratedSuspension(string Category, DateOnly StartDate, int? Sessions, IReadOnlyList<string> Reasons, string Outcome, bool AlternativeProvision, bool MissesPublicExam);

public sealed record GeneratedIncident(DateOnly Date, string Category, int Severity, string Description);

/// <summary>A fictional pupil and everything the generated files say about them.</summary>
public sealed record GeneratedPupil(
    string Upn,
    string Surname,
    string Forename,
    string? MiddleNames,
    DateOnly DateOfBirth,
    string Gender,
    string YearGroup,
    DateOnly EnrolledOn,
    string SenProvision,
    string? SenNeed,
    GeneratedAttendance Autumn,
    IReadOnlyList<GeneratedSuspension> Suspensions,
    IReadOnlyList<GeneratedIncident> Incidents);

/// <summary>
/// Writes realistic, entirely fictional test and demo files for one secondary school: a Common
/// Transfer File and the four CSV files, for as many pupils as asked. The same seed gives the same
/// files, byte for byte. Names come from Bogus's British locale; UPNs are valid for the school's
/// LA and establishment numbers; attendance is an autumn term in which a few pupils are
/// persistently absent; some pupils are suspended and have behaviour incidents.
/// </summary>
public sealed class ImportFileGenerator(int seed, int laNumber = 926, int establishment = 4001, string urn = "100040")
{
    private static readonly DateOnly AutumnStart = new(2024, 9, 3);
    private static readonly DateOnly AutumnEnd = new(2024, 12, 20);
    private const int AutumnSessions = 2 * 72;

    private static readonly string[] SuspensionReasons = ["PP", "PA", "VP", "VA", "LD", "CB", "DR", "VR", "MP", "DM", "BU"];
    private static readonly (string Category, string Description)[] Incidents =
    [
        ("DisruptionInLessons", "Talked over the teacher repeatedly and would not settle."),
        ("DefianceOrRefusal", "Refused to go to the reflection room when asked."),
        ("VerbalAbuseOrThreats", "Swore at a member of staff in the corridor."),
        ("PhysicalAggression", "Pushed another pupil into a wall at break; no injury."),
        ("OnlineOrMobilePhone", "Used a phone in class, \"just checking a message\", and would not hand it over."),
        ("TruancyOrLeavingWithoutPermission", "Left the site at lunchtime without permission,\nreturned at 2pm."),
    ];

    public string Urn => urn;

    public IReadOnlyList<GeneratedPupil> Pupils(int count)
    {
        // A UPN's serial has three digits; more pupils would repeat UPNs.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 999);
        var faker = new Faker("en_GB") { Random = new Randomizer(seed) };
        var pupils = new List<GeneratedPupil>(count);
        for (var i = 0; i < count; i++)
        {
            var female = faker.Random.Bool();
            var gender = female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male;
            var year = faker.Random.Int(7, 11);
            var born = new DateOnly(2024 - year - 5, 9, 1).AddDays(faker.Random.Int(0, 364));
            var upn = Upn.Create(laNumber, establishment, born.Year + 5, i + 1);
            var middle = faker.Random.Bool(0.4f) ? faker.Name.FirstName(gender) : null;
            var sen = faker.Random.WeightedRandom(["N", "K", "E"], [0.82f, 0.14f, 0.04f]);
            pupils.Add(new GeneratedPupil(
                upn, faker.Name.LastName(), faker.Name.FirstName(gender), middle, born, female ? "F" : "M", year.ToString(CultureInfo.InvariantCulture),
                new DateOnly(2024 - year + 7, 9, 4), sen, sen == "N" ? null : faker.PickRandom("SEMH", "SPLD", "ASD", "SLCN", "MLD"),
                Attendance(faker), Suspensions(faker), IncidentsFor(faker)));
        }
        return pupils;
    }

    private static GeneratedAttendance Attendance(Faker faker)
    {
        // Most pupils miss a few sessions; about one in six is persistently absent (10% or more).
        var rate = faker.Random.Bool(0.16f) ? faker.Random.Double(0.10, 0.6) : faker.Random.Double(0, 0.09);
        var absent = (int)Math.Round(AutumnSessions * rate);
        var unauthorised = (int)Math.Round(absent * faker.Random.Double(0, 0.5));
        var authorised = absent - unauthorised;
        var medical = Math.Min(authorised, faker.Random.Int(0, 2));
        var codes = new List<(string, int)>();
        if (authorised - medical > 0)
            codes.Add(("I", authorised - medical));
        if (medical > 0)
            codes.Add(("M", medical));
        if (unauthorised > 0)
            codes.Add(("O", unauthorised));
        return new GeneratedAttendance(AutumnStart, AutumnEnd, AutumnSessions, AutumnSessions - absent, authorised, unauthorised, codes);
    }

    private static List<GeneratedSuspension> Suspensions(Faker faker)
    {
        var suspensions = new List<GeneratedSuspension>();
        var count = faker.Random.WeightedRandom([0, 1, 2, 3], [0.85f, 0.09f, 0.04f, 0.02f]);
        var day = AutumnStart.AddDays(faker.Random.Int(5, 20));
        for (var i = 0; i < count; i++)
        {
            var lunchtime = faker.Random.Bool(0.15f);
            var reasons = faker.PickRandom(SuspensionReasons, faker.Random.Int(1, 2)).ToList();
            suspensions.Add(new GeneratedSuspension(lunchtime ? "LNCH" : "FIXD", WeekdayFrom(day), lunchtime ? 1 : faker.Random.Int(1, 5) * 2, reasons,
                faker.Random.WeightedRandom(["NotReviewed", "Upheld", "Reinstated"], [0.8f, 0.15f, 0.05f]), faker.Random.Bool(0.3f), false));
            day = day.AddDays(faker.Random.Int(14, 30));
        }
        if (count == 3 && faker.Random.Bool(0.5f))
            suspensions.Add(new GeneratedSuspension("PERM", WeekdayFrom(day), null, ["PA", "VA"], "Pending", true, faker.Random.Bool(0.2f)));
        return suspensions;
    }

    private static List<GeneratedIncident> IncidentsFor(Faker faker)
    {
        var incidents = new List<GeneratedIncident>();
        var day = AutumnStart.AddDays(faker.Random.Int(0, 10));
        for (var i = faker.Random.WeightedRandom([0, 1, 3], [0.7f, 0.2f, 0.1f]); i > 0; i--)
        {
            var (category, description) = faker.PickRandom(Incidents);
            incidents.Add(new GeneratedIncident(WeekdayFrom(day), category, faker.Random.Int(1, 4), description));
            day = day.AddDays(faker.Random.Int(3, 21));
        }
        return incidents;
    }

    private static DateOnly WeekdayFrom(DateOnly day) => day.DayOfWeek switch
    {
        DayOfWeek.Saturday => day.AddDays(2),
        DayOfWeek.Sunday => day.AddDays(1),
        _ => day,
    };

    public string EnrolmentsCsv(IReadOnlyList<GeneratedPupil> pupils) => Csv(
        "UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus",
        pupils.Select(p => Row(p.Upn, p.Surname, p.Forename, Iso(p.DateOfBirth), p.Gender, urn, Iso(p.EnrolledOn), "", p.YearGroup, "C")));

    public string AttendanceCsv(IReadOnlyList<GeneratedPupil> pupils) => Csv(
        "UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes",
        pupils.Select(p => Row(p.Upn, p.Surname, p.Forename, Iso(p.DateOfBirth), urn, Iso(p.Autumn.PeriodStart), Iso(p.Autumn.PeriodEnd),
            Num(p.Autumn.Possible), Num(p.Autumn.Present), Num(p.Autumn.Authorised), Num(p.Autumn.Unauthorised),
            string.Join(";", p.Autumn.Codes.Select(c => $"{c.Code}={c.Sessions}")))));

    public string SuspensionsCsv(IReadOnlyList<GeneratedPupil> pupils) => Csv(
        "UPN,Surname,Forename,DateOfBirth,SchoolURN,Category,StartDate,Sessions,Reason1,Reason2,Reason3,Outcome,AlternativeProvision,MissesPublicExam",
        pupils.SelectMany(p => p.Suspensions.Select(s => Row(p.Upn, p.Surname, p.Forename, Iso(p.DateOfBirth), urn, s.Category, Iso(s.StartDate),
            s.Sessions is { } n ? Num(n) : "", s.Reasons.ElementAtOrDefault(0) ?? "", s.Reasons.ElementAtOrDefault(1) ?? "", s.Reasons.ElementAtOrDefault(2) ?? "",
            s.Outcome, s.AlternativeProvision ? "Y" : "N", s.MissesPublicExam ? "Y" : "N"))));

    public string BehaviourCsv(IReadOnlyList<GeneratedPupil> pupils) => Csv(
        "UPN,Surname,Forename,DateOfBirth,SchoolURN,Date,Category,Severity,Description",
        pupils.SelectMany(p => p.Incidents.Select(i => Row(p.Upn, p.Surname, p.Forename, Iso(p.DateOfBirth), urn, Iso(i.Date), i.Category, Num(i.Severity), i.Description))));

    /// <summary>A CTF sent by the school to another at the end of the autumn term (CTF 25 layout).</summary>
    public string Ctf(IReadOnlyList<GeneratedPupil> pupils)
    {
        var text = new StringBuilder();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("CTfile");
            xml.WriteStartElement("Header");
            xml.WriteElementString("DocumentName", "Common Transfer File");
            xml.WriteElementString("CTFversion", "25.0");
            xml.WriteElementString("DateTime", "2024-12-20T16:00:00");
            xml.WriteElementString("DocumentQualifier", "partial");
            xml.WriteStartElement("SourceSchool");
            xml.WriteElementString("LEA", laNumber.ToString("000", CultureInfo.InvariantCulture));
            xml.WriteElementString("Estab", establishment.ToString("0000", CultureInfo.InvariantCulture));
            xml.WriteElementString("URN", urn);
            xml.WriteElementString("SchoolName", "Nenbury Academy");
            xml.WriteElementString("AcademicYear", "2024");
            xml.WriteEndElement();
            xml.WriteStartElement("DestSchool");
            xml.WriteElementString("LEA", "XXX");
            xml.WriteElementString("Estab", "XXXX");
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("CTFpupilData");
            foreach (var p in pupils)
            {
                xml.WriteStartElement("Pupil");
                xml.WriteElementString("UPN", p.Upn);
                xml.WriteElementString("Surname", p.Surname);
                xml.WriteElementString("Forename", p.Forename);
                xml.WriteElementString("DOB", Iso(p.DateOfBirth));
                xml.WriteElementString("Gender", p.Gender);
                xml.WriteStartElement("BasicDetails");
                if (p.MiddleNames is not null)
                    xml.WriteElementString("MiddleNames", p.MiddleNames);
                xml.WriteElementString("NCyearActual", p.YearGroup);
                xml.WriteEndElement();
                xml.WriteStartElement("SENhistory");
                xml.WriteStartElement("SEN");
                xml.WriteElementString("StartDate", Iso(p.EnrolledOn));
                xml.WriteElementString("SENprovision", p.SenProvision);
                xml.WriteEndElement();
                if (p.SenNeed is not null)
                {
                    xml.WriteStartElement("SENneeds");
                    xml.WriteStartElement("SENneed");
                    xml.WriteElementString("SENtypeRank", "1");
                    xml.WriteElementString("SENtype", p.SenNeed);
                    xml.WriteEndElement();
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
                xml.WriteStartElement("Attendance");
                xml.WriteStartElement("YearData");
                xml.WriteElementString("Year", "2024");
                xml.WriteElementString("LEA", laNumber.ToString("000", CultureInfo.InvariantCulture));
                xml.WriteElementString("Estab", establishment.ToString("0000", CultureInfo.InvariantCulture));
                xml.WriteElementString("SessionsPossible", Num(p.Autumn.Possible));
                xml.WriteElementString("SessionsAttended", Num(p.Autumn.Present));
                xml.WriteElementString("SessionsAuthorised", Num(p.Autumn.Authorised));
                xml.WriteElementString("SessionsUnauthorised", Num(p.Autumn.Unauthorised));
                xml.WriteEndElement();
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        // StringBuilder output declares UTF-16; the file is written as UTF-8, so it says so.
        return text.ToString().Replace("encoding=\"utf-16\"", "encoding=\"UTF-8\"", StringComparison.Ordinal);
    }

    /// <summary>Writes the five files for <paramref name="pupils"/> into a folder, as a school would send them.</summary>
    public void WriteAll(string directory, IReadOnlyList<GeneratedPupil> pupils)
    {
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        File.WriteAllText(Path.Combine(directory, "ctf.xml"), Ctf(pupils), utf8);
        File.WriteAllText(Path.Combine(directory, "enrolments.csv"), EnrolmentsCsv(pupils), utf8);
        File.WriteAllText(Path.Combine(directory, "attendance.csv"), AttendanceCsv(pupils), utf8);
        File.WriteAllText(Path.Combine(directory, "suspensions.csv"), SuspensionsCsv(pupils), utf8);
        File.WriteAllText(Path.Combine(directory, "behaviour.csv"), BehaviourCsv(pupils), utf8);
    }

    private static string Csv(string header, IEnumerable<string> rows) => string.Join("\r\n", rows.Prepend(header)) + "\r\n";

    private static string Row(params string[] values) => string.Join(",", values.Select(Quote));

    /// <summary>RFC 4180: a value with a comma, quote or line break goes in quotes, with its quotes doubled.</summary>
    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
