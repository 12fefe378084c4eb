using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Waypoint.Features.People;

namespace Waypoint.Features.Schools.Imports;

/// <summary>A school named in a CTF header: local authority number, establishment number and, where given, URN and name.</summary>
public sealed record ParsedCtfSchool(string Lea, string Estab, string? Urn, string? Name)
{
    /// <summary>The seven-digit DfE number, as organisations store it.</summary>
    public string DfeNumber => Lea + Estab;

    /// <summary>
    /// XXX/XXXX: no school. Get Information about Pupils writes it as its own source, and as the
    /// destination when the person who downloaded the file is not at a school.
    /// </summary>
    public bool IsPlaceholder => Lea == "XXX" && Estab == "XXXX";
}

public sealed record ParsedCtfHeader(
    string DocumentName,
    string CtfVersion,
    DateTime? CreatedAt,
    string? DocumentQualifier,
    ParsedCtfSchool SourceSchool,
    int? AcademicYear,
    ParsedCtfSchool DestinationSchool,
    string? SupplierId = null)
{
    /// <summary>A download from the DfE's Get Information about Pupils rather than a school's MIS.</summary>
    public bool IsFromGiap => SupplierId == "GIAP" || SourceSchool.IsPlaceholder;
}

/// <summary>A period of SEN provision: N (none), K (SEN support) or E (education, health and care plan), from its start date.</summary>
public sealed record ParsedSenProvision(DateOnly StartDate, string Provision);

/// <summary>A type of special educational need, ranked 1 for the primary need.</summary>
public sealed record ParsedSenNeed(int Rank, string Type);

/// <summary>
/// A year of attendance at one school: sessions possible, attended, and absent with and
/// without authority; optionally the marks themselves, one per session from the marks start date.
/// </summary>
public sealed record ParsedCtfAttendance(
    int AcademicYear,
    string? Lea,
    string? Estab,
    string? SchoolName,
    int SessionsPossible,
    int SessionsAttended,
    int AuthorisedAbsence,
    int UnauthorisedAbsence,
    DateOnly? MarksStartDate,
    IReadOnlyList<string>? Marks)
{
    /// <summary>The day and session (morning first) of the mark at <paramref name="index"/>: two a day, every day from the start date, "-" where there was no session.</summary>
    public static (DateOnly Date, bool Morning) SessionOf(DateOnly start, int index) => (start.AddDays(index / 2), index % 2 == 0);

    /// <summary>The first and last days with a mark other than "-" (no session), or null without marks.</summary>
    public (DateOnly First, DateOnly Last)? MarkedDays
    {
        get
        {
            if (MarksStartDate is not { } start || Marks is null)
                return null;
            var first = -1;
            var last = -1;
            for (var i = 0; i < Marks.Count; i++)
            {
                if (Marks[i] == "-")
                    continue;
                if (first < 0)
                    first = i;
                last = i;
            }
            return first < 0 ? null : (SessionOf(start, first).Date, SessionOf(start, last).Date);
        }
    }
}

/// <summary>One school of a pupil's school history, with the dates the pupil joined and left it, as the file states them.</summary>
public sealed record ParsedSchoolHistory(string? Lea, string? Estab, string? Urn, string? SchoolName, DateOnly? EntryDate, DateOnly? LeavingDate, string? LeavingReason)
{
    public string? DfeNumber => Lea is null || Estab is null ? null : Lea + Estab;
}

/// <summary>One pupil of a Common Transfer File. Position is the pupil's place in the file (1 for the first); Line is where its element starts.</summary>
public sealed record ParsedPupil(
    int Position,
    int Line,
    string Upn,
    string? FormerUpn,
    string Surname,
    string Forename,
    string? MiddleNames,
    string? PreferredSurname,
    string? PreferredForename,
    DateOnly DateOfBirth,
    string Sex,
    IReadOnlyList<ParsedSenProvision> SenHistory,
    IReadOnlyList<ParsedSenNeed> SenNeeds,
    IReadOnlyList<ParsedCtfAttendance> Attendance,
    IReadOnlyList<ParsedSchoolHistory>? SchoolHistory = null,
    string? Ethnicity = null,
    bool? FsmEligible = null)
{
    /// <summary>The pupil's schools, oldest first, as the file lists them; empty when it has no school history.</summary>
    public IReadOnlyList<ParsedSchoolHistory> Schools => SchoolHistory ?? [];

    /// <summary>The provision of the latest period of the SEN history, or null when there is none.</summary>
    public string? CurrentSenProvision => SenHistory.MaxBy(s => s.StartDate)?.Provision;
}

/// <summary>A Common Transfer File read, with every problem found in it.</summary>
public sealed record CtfParseResult(string FileName, ParsedCtfHeader? Header, IReadOnlyList<ParsedPupil> Pupils, IReadOnlyList<ImportProblem> Problems) : IImportParseResult
{
    public IReadOnlyList<ImportProblem> Warnings { get; init; } = [];

    public int RecordCount => Pupils.Count;
    public bool IsAcceptable => Problems.Count == 0;
}

/// <summary>
/// Reads the DfE Common Transfer File (CTF XML): the header and, for each pupil, identifiers,
/// basic details, SEN and attendance. Containers it does not use (addresses, contacts,
/// assessments and so on) are passed over; a file is rejected for what is wrong in what it does use.
/// </summary>
/// <summary>
/// How much of a machine one CTF may take: elements nested at most this deep (a real CTF nests
/// fewer than ten), at most this many characters (the upload limit), and at most this long to
/// read (<c>Imports:CtfMaxDepth</c>, <c>Imports:CtfTimeLimitSeconds</c>). Past any of them the
/// file is rejected at once, naming the line it had reached.
/// </summary>
public sealed record CtfLimits(int MaxDepth, long MaxCharacters, TimeSpan TimeLimit)
{
    public static CtfLimits Default { get; } = new(64, Domain.ImportJob.MaxFileBytes, TimeSpan.FromSeconds(30));
}

public static partial class CommonTransferFile
{
    public const int MaxNameLength = 100;

    /// <summary>Two sessions a day for every day of a year: no year of attendance can hold more.</summary>
    public const int MaxSessionsInYear = 2 * 366;

    public static CtfParseResult Parse(Stream stream, string fileName, CtfLimits? limits = null, CancellationToken ct = default)
    {
        limits ??= CtfLimits.Default;
        var reader = new Reader(fileName, limits, System.Diagnostics.Stopwatch.StartNew(), ct);
        var header = reader.Read(stream, out var pupils);
        ct.ThrowIfCancellationRequested(); // stopping, not the file's fault
        return new CtfParseResult(fileName, header, pupils, reader.Problems) { Warnings = reader.Warnings };
    }

    /// <summary>A session's marks from an AttendanceMarks string: one character each, except the two-character codes (C1, C2, J1, Y1 to Y7).</summary>
    public static IReadOnlyList<string> SplitMarks(string marks)
    {
        var result = new List<string>(marks.Length);
        for (var i = 0; i < marks.Length; i++)
        {
            if (marks[i] is 'C' or 'J' or 'Y' && i + 1 < marks.Length && char.IsAsciiDigit(marks[i + 1]))
            {
                result.Add(marks.Substring(i, 2));
                i++;
            }
            else
            {
                result.Add(marks[i].ToString());
            }
        }
        return result;
    }

    private sealed partial class Reader(string fileName, CtfLimits limits, System.Diagnostics.Stopwatch clock, CancellationToken ct)
    {
        private bool OutOfTime => ct.IsCancellationRequested || clock.Elapsed >= limits.TimeLimit;

        private readonly List<ImportProblem> problems = [];

        public IReadOnlyList<ImportProblem> Problems => problems;

        // Marks are read as two per calendar day from AttendanceStartDate, "-" where no session is
        // held. A file that lists school days only would put registered sessions on Saturdays and
        // Sundays under that reading: said once per file, so the data manager can check, rather than
        // refusing a file a boarding school with Saturday school may rightly send.
        private int weekendMarkYears;
        private (string Record, DateOnly Day)? firstWeekendMark;

        public IReadOnlyList<ImportProblem> Warnings => firstWeekendMark is not { } first
            ? []
            : [new ImportProblem(fileName, null, "<AttendanceMarks>",
                $"{(weekendMarkYears == 1 ? "One year of marks puts" : $"{weekendMarkYears} years of marks put")} registered sessions on a Saturday or Sunday (first: {first.Record}, {first.Day.ToString("dddd", CultureInfo.InvariantCulture)} {ImportDates.Describe(first.Day)}). "
                + "Waypoint reads two marks for every calendar day from <AttendanceStartDate>, with \"-\" where no session is held; if your system wrote school days only, the days of those marks are wrong")];

        public ParsedCtfHeader? Read(Stream stream, out List<ParsedPupil> pupils)
        {
            pupils = [];
            var document = Load(stream);
            if (document?.Root is not { } root)
                return null;
            if (root.Name.LocalName != "CTfile")
            {
                Problem(root, null, $"<{root.Name.LocalName}>", "This is not a Common Transfer File: its outer element should be <CTfile>");
                return null;
            }

            var header = ReadHeader(root);
            if (Child(root, "CTFpupilData") is not { } data)
            {
                Problem(root, null, "<CTFpupilData>", "The file has no <CTFpupilData> element, which holds the pupils");
                return header;
            }

            var position = 0;
            var byUpn = new Dictionary<string, ParsedPupil>(StringComparer.Ordinal);
            foreach (var element in data.Elements().Where(e => e.Name.LocalName == "Pupil"))
            {
                position++;
                if (OutOfTime)
                {
                    TooSlow(LineOf(element));
                    pupils.Clear();
                    return header;
                }
                if (ReadPupil(element, position) is not { } pupil)
                    continue;
                if (byUpn.TryGetValue(pupil.Upn, out var first))
                {
                    Problem(Child(element, "UPN")!, $"pupil {position} ({pupil.Forename} {pupil.Surname}, UPN {pupil.Upn})", "<UPN>", $"This UPN is also pupil {first.Position}'s (line {first.Line}): a pupil can appear only once");
                    continue;
                }
                byUpn.Add(pupil.Upn, pupil);
                pupils.Add(pupil);
            }
            return header;
        }

        private XDocument? Load(Stream stream)
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            if (bytes.Trim(" \t\r\n"u8).IsEmpty)
            {
                problems.Add(new ImportProblem(fileName, null, null, "The file is empty"));
                return null;
            }
            if (ImportEncoding.CheckXml(bytes) is { } encoding)
            {
                problems.Add(new ImportProblem(fileName, encoding.Line, null, encoding.Message));
                return null;
            }
            // Refused before parsing, to say why in words rather than XmlReader's advice to its programmer.
            var doctype = bytes.IndexOf("<!DOCTYPE"u8);
            if (doctype >= 0)
            {
                problems.Add(new ImportProblem(fileName, bytes[..doctype].Count((byte)'\n') + 1, null,
                    "The file has a document type declaration (<!DOCTYPE ...>), which is not accepted: a Common Transfer File has none"));
                return null;
            }

            var settings = new XmlReaderSettings
            {
                DtdProcessing = DtdProcessing.Prohibit,
                XmlResolver = null,
                IgnoreComments = true,
                IgnoreProcessingInstructions = true,
                MaxCharactersInDocument = limits.MaxCharacters,
                MaxCharactersFromEntities = 1024,
            };
            try
            {
                // A first pass that builds nothing, so that a file nested absurdly deep (or taking too long) is
                // stopped at the line where it went wrong, before any tree is built from it.
                using (var scan = XmlReader.Create(new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, writable: false), settings))
                {
                    var at = (IXmlLineInfo)scan;
                    for (var nodes = 0; scan.Read(); nodes++)
                    {
                        if (scan.Depth >= limits.MaxDepth)
                        {
                            problems.Add(new ImportProblem(fileName, at.LineNumber, null,
                                $"The file's elements are nested more than {limits.MaxDepth} deep here, and it was not read further. A Common Transfer File nests them fewer than ten deep: check that this is one"));
                            return null;
                        }
                        if ((nodes & 1023) == 0 && OutOfTime)
                        {
                            TooSlow(at.LineNumber);
                            return null;
                        }
                    }
                }
                using var xml = XmlReader.Create(new MemoryStream(buffer.GetBuffer(), 0, (int)buffer.Length, writable: false), settings);
                return XDocument.Load(xml, LoadOptions.SetLineInfo);
            }
            catch (XmlException e) when (e.Message.Contains(nameof(XmlReaderSettings.MaxCharactersInDocument), StringComparison.Ordinal))
            {
                problems.Add(new ImportProblem(fileName, e.LineNumber > 0 ? e.LineNumber : null, null,
                    $"The file has more than {limits.MaxCharacters:N0} characters, and it was not read further. Split it into smaller files"));
                return null;
            }
            catch (XmlException e)
            {
                problems.Add(new ImportProblem(fileName, e.LineNumber > 0 ? e.LineNumber : null, null,
                    $"The file is not well-formed XML: {TrailingPosition().Replace(e.Message, "")}"));
                return null;
            }
        }

        private void TooSlow(int line) =>
            problems.Add(new ImportProblem(fileName, line > 0 ? line : null, null,
                $"The file took longer than {limits.TimeLimit.TotalSeconds:N0} seconds to read, and was stopped here. Split it into smaller files, or check that it is a Common Transfer File"));

        private ParsedCtfHeader? ReadHeader(XElement root)
        {
            if (Child(root, "Header") is not { } header)
            {
                Problem(root, null, "<Header>", "The file has no <Header> element");
                return null;
            }

            var documentName = Text(header, "DocumentName", null, required: true);
            var version = Text(header, "CTFversion", null, required: true);
            if (version is not null && !CtfVersion().IsMatch(version))
            {
                Problem(Child(header, "CTFversion")!, null, "<CTFversion>", $"\"{version}\" is not a CTF version number such as 25.0");
                version = null;
            }

            DateTime? createdAt = null;
            if (Text(header, "DateTime", null, required: false) is { } stamp)
            {
                if (DateTime.TryParseExact(stamp, ["yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                    createdAt = parsed;
                else
                    Problem(Child(header, "DateTime")!, null, "<DateTime>", $"\"{stamp}\" is not a date and time such as 2024-07-19T15:30:00");
            }
            var qualifier = Text(header, "DocumentQualifier", null, required: false);
            var supplier = Text(header, "SupplierID", null, required: false);

            var source = School(header, "SourceSchool", strict: true);
            int? academicYear = null;
            if (Child(header, "SourceSchool") is { } sourceElement)
                academicYear = Whole(sourceElement, "AcademicYear", null, 1990, 2099, required: false);
            var destination = School(header, "DestSchool", strict: false);

            if (documentName is null || version is null || source is null || destination is null)
                return null;
            return new ParsedCtfHeader(documentName, version, createdAt, qualifier, source, academicYear, destination, supplier);
        }

        /// <summary>
        /// A source school has real numbers, or XXX/XXXX for a download from Get Information about
        /// Pupils. A destination may be a placeholder: XXX/XXXX when it is not known, MAT or another
        /// three-character code that the DfE's transfer service uses.
        /// </summary>
        private ParsedCtfSchool? School(XElement header, string name, bool strict)
        {
            if (Child(header, name) is not { } school)
            {
                Problem(header, null, $"<{name}>", $"The header has no <{name}> element");
                return null;
            }
            var lea = Text(school, "LEA", null, required: true);
            if (lea is not null && !(strict ? ThreeDigits() : ThreeCharacters()).IsMatch(lea) && lea != "XXX")
            {
                Problem(Child(school, "LEA")!, null, $"<{name}><LEA>", $"\"{lea}\" is not a local authority number: it has three digits");
                lea = null;
            }
            var estab = Text(school, "Estab", null, required: true);
            if (estab is not null && !(strict ? FourDigits() : FourCharacters()).IsMatch(estab) && estab != "XXXX")
            {
                Problem(Child(school, "Estab")!, null, $"<{name}><Estab>", $"\"{estab}\" is not an establishment number: it has four digits");
                estab = null;
            }
            var urn = Text(school, "URN", null, required: false);
            if (urn is not null && !SixDigits().IsMatch(urn))
            {
                Problem(Child(school, "URN")!, null, $"<{name}><URN>", $"\"{urn}\" is not a URN: a URN has six digits");
                urn = null;
            }
            var schoolName = Text(school, "SchoolName", null, required: false);
            if (strict && lea is not null && estab is not null && (lea == "XXX") != (estab == "XXXX"))
            {
                Problem(school, null, $"<{name}>", $"The source school is given as {lea}/{estab}: either both numbers are real, or both are XXX/XXXX (a download from Get Information about Pupils)");
                return null;
            }
            return lea is null || estab is null ? null : new ParsedCtfSchool(lea, estab, urn, schoolName);
        }

        private ParsedPupil? ReadPupil(XElement pupil, int position)
        {
            var record = $"pupil {position}";
            var before = problems.Count;
            // Some systems put the former UPN and the other names in <BasicDetails>, as the specification has it; some beside the UPN.
            var details = Child(pupil, "BasicDetails");
            XElement Holder(string name) => Child(pupil, name) is not null || details is null ? pupil : details;

            var surname = Text(pupil, "Surname", record, required: true);
            var forename = Text(pupil, "Forename", record, required: true);
            var dateOfBirth = Date(pupil, "DOB", record, required: true);
            var upn = Text(pupil, "UPN", record, required: false);
            // From here on, problems name the pupil as the data manager knows them, not only by place in the file.
            var named = surname is not null && forename is not null;
            if (named)
                record = $"pupil {position} ({forename} {surname})";
            if (upn is null)
            {
                // Get Information about Pupils writes <UPN></UPN> for a pupil it holds no UPN for.
                var who = surname is null || forename is null ? "This pupil" : $"{forename} {surname}";
                var bornOn = dateOfBirth is { } d ? $" (born {ImportDates.Describe(d)})" : "";
                Problem(Child(pupil, "UPN") ?? pupil, record, "<UPN>",
                    $"{who}{bornOn} has no UPN in the file. Pupils in a Common Transfer File are matched to the register by UPN, so this file cannot be applied as it is");
            }
            else if (Upn.Validate(upn) is { } wrongUpn)
            {
                Problem(Child(pupil, "UPN")!, record, "<UPN>", wrongUpn);
                upn = null;
            }
            if (named && upn is not null)
                record = $"pupil {position} ({forename} {surname}, UPN {upn})";
            var formerUpn = Text(Holder("FormerUPN"), "FormerUPN", record, required: false);
            if (formerUpn is not null && Upn.Validate(formerUpn) is { } wrongFormer)
            {
                Problem(Child(Holder("FormerUPN"), "FormerUPN")!, record, "<FormerUPN>", wrongFormer);
                formerUpn = null;
            }
            var middleNames = Text(Holder("MiddleNames"), "MiddleNames", record, required: false, maxLength: 2 * MaxNameLength);
            var preferredSurname = Text(Holder("PreferredSurname"), "PreferredSurname", record, required: false);
            var preferredForename = Text(Holder("PreferredForename"), "PreferredForename", record, required: false);
            var sex = ReadSex(pupil, record);

            var senHistory = new List<ParsedSenProvision>();
            foreach (var sen in Child(pupil, "SENhistory")?.Elements().Where(e => e.Name.LocalName == "SEN") ?? [])
            {
                var start = Date(sen, "StartDate", record, required: true, path: "<SEN><StartDate>");
                var provision = Code(sen, "SENprovision", record, SchoolCensusCodes.SenProvision.Keys, required: true, path: "<SEN><SENprovision>");
                if (start is not null && provision is not null)
                    senHistory.Add(new ParsedSenProvision(start.Value, provision));
            }

            var senNeeds = new List<ParsedSenNeed>();
            foreach (var need in pupil.Descendants().Where(e => e.Name.LocalName == "SENneed"))
            {
                var rank = Whole(need, "SENtypeRank", record, 1, 99, required: true, path: "<SENneed><SENtypeRank>");
                var type = Code(need, "SENtype", record, SchoolCensusCodes.SenNeedTypes.Keys, required: true, path: "<SENneed><SENtype>");
                if (rank is not null && type is not null)
                    senNeeds.Add(new ParsedSenNeed(rank.Value, type));
            }

            var attendance = new List<ParsedCtfAttendance>();
            foreach (var year in Child(pupil, "Attendance")?.Elements().Where(e => e.Name.LocalName == "YearData") ?? [])
            {
                if (ReadYear(year, record) is not { } parsed)
                    continue;
                if (attendance.Any(a => a.AcademicYear == parsed.AcademicYear && a.Lea == parsed.Lea && a.Estab == parsed.Estab))
                    Problem(year, record, "<YearData>", $"The attendance for {parsed.AcademicYear} at this school is given twice");
                else
                    attendance.Add(parsed);
            }

            var history = new List<ParsedSchoolHistory>();
            foreach (var school in Child(pupil, "SchoolHistory")?.Elements().Where(e => e.Name.LocalName == "School") ?? [])
            {
                var entry = Date(school, "EntryDate", record, required: false, path: "<SchoolHistory><School><EntryDate>");
                var leaving = Date(school, "LeavingDate", record, required: false, path: "<SchoolHistory><School><LeavingDate>");
                if (entry is { } e && leaving is { } l && l < e)
                    Problem(Child(school, "LeavingDate")!, record, "<SchoolHistory><School><LeavingDate>",
                        $"The pupil is given as leaving {Text(school, "SchoolName", record, required: false) ?? "a school"} on {ImportDates.Describe(l)}, before joining it on {ImportDates.Describe(e)}");
                history.Add(new ParsedSchoolHistory(Text(school, "LEA", record, required: false), Text(school, "Estab", record, required: false),
                    Text(school, "URN", record, required: false), Text(school, "SchoolName", record, required: false), entry, leaving,
                    Text(school, "LeavingReason", record, required: false)));
            }

            if (dateOfBirth is { } born)
                foreach (var sen in senHistory.Where(s => s.StartDate < born))
                    Problem(pupil, record, "<SEN><StartDate>", $"The SEN provision starting {ImportDates.Describe(sen.StartDate)} starts before the pupil's date of birth ({ImportDates.Describe(born)})");

            // Equality monitoring (issue 13): the ethnicity code and whether an FSM period covers today; never a risk factor.
            var ethnicity = Text(Holder("Ethnicity"), "Ethnicity", record, required: false)?.ToUpperInvariant();
            if (ethnicity is not null && !EthnicityCodes.IsKnown(ethnicity))
            {
                Problem(Child(Holder("Ethnicity"), "Ethnicity")!, record, "<Ethnicity>",
                    $"\"{ethnicity}\" is not a DfE ethnicity code: give one of the main codes ({string.Join(", ", EthnicityCodes.Main.Select(m => m.Code))}) or one of the DfE's extended codes (such as WENG or BSOM)");
                ethnicity = null;
            }
            bool? fsm = null;
            if (Child(Holder("FSMhistory"), "FSMhistory") is { } fsmHistory)
            {
                var today = DateOnly.FromDateTime(DateTime.UtcNow);
                fsm = false;
                foreach (var instance in fsmHistory.Elements().Where(e => e.Name.LocalName == "FSMinstance"))
                {
                    var from = Date(instance, "FSMstartDate", record, required: false, path: "<FSMhistory><FSMinstance><FSMstartDate>");
                    var to = Date(instance, "FSMendDate", record, required: false, path: "<FSMhistory><FSMinstance><FSMendDate>");
                    if (from is { } f && f <= today && (to is null || to >= today))
                        fsm = true;
                }
            }

            if (problems.Count > before || upn is null || surname is null || forename is null || dateOfBirth is null || sex is null)
                return null;
            return new ParsedPupil(position, LineOf(pupil), upn, formerUpn, surname, forename, middleNames, preferredSurname, preferredForename,
                dateOfBirth.Value, sex, senHistory, senNeeds, attendance, history, ethnicity, fsm);
        }

        /// <summary>
        /// Sex as CTF 25 writes it (&lt;Sex&gt;), or as earlier versions did (&lt;Gender&gt;): either is
        /// read in any version; both, saying different things, is a problem.
        /// </summary>
        private string? ReadSex(XElement pupil, string record)
        {
            var hasSex = Child(pupil, "Sex") is not null;
            var hasGender = Child(pupil, "Gender") is not null;
            if (!hasSex && !hasGender)
            {
                Problem(pupil, record, "<Sex>", "<Pupil> has no <Sex> (or <Gender>, as files before CTF 25 call it), which it must have");
                return null;
            }
            var sex = hasSex ? Code(pupil, "Sex", record, SchoolCensusCodes.Genders, required: true) : null;
            var gender = hasGender ? Code(pupil, "Gender", record, SchoolCensusCodes.Genders, required: true) : null;
            if (sex is not null && gender is not null && sex != gender)
            {
                Problem(Child(pupil, "Gender")!, record, "<Gender>", $"<Sex> says {sex} and <Gender> says {gender}: a pupil can have only one");
                return null;
            }
            return sex ?? gender;
        }

        private ParsedCtfAttendance? ReadYear(XElement year, string record)
        {
            var before = problems.Count;
            var academicYear = Whole(year, "Year", record, 1990, 2099, required: true, path: "<YearData><Year>");
            var lea = Text(year, "LEA", record, required: false);
            var estab = Text(year, "Estab", record, required: false);
            var schoolName = Text(year, "SchoolName", record, required: false);
            var possible = Whole(year, "SessionsPossible", record, 0, MaxSessionsInYear, required: true, path: "<YearData><SessionsPossible>");
            var attended = Whole(year, "SessionsAttended", record, 0, MaxSessionsInYear, required: true, path: "<YearData><SessionsAttended>");
            var authorised = Whole(year, "SessionsAuthorised", record, 0, MaxSessionsInYear, required: true, path: "<YearData><SessionsAuthorised>");
            var unauthorised = Whole(year, "SessionsUnauthorised", record, 0, MaxSessionsInYear, required: true, path: "<YearData><SessionsUnauthorised>");
            if (possible is { } p && attended is { } a && authorised is { } au && unauthorised is { } un && a + au + un > p)
                Problem(Child(year, "SessionsPossible")!, record, "<YearData><SessionsPossible>",
                    $"Sessions attended ({a}), authorised ({au}) and unauthorised ({un}) add up to {a + au + un}, more than the {p} sessions possible in {academicYear}");

            // The specification puts the marks in <AttendSessions>; Waypoint's earlier documentation had them directly in <YearData>, which is still read.
            var sessions = Child(year, "AttendSessions") ?? year;
            var prefix = sessions == year ? "<YearData>" : "<YearData><AttendSessions>";
            var marksStart = Date(sessions, "AttendanceStartDate", record, required: false, path: $"{prefix}<AttendanceStartDate>");
            IReadOnlyList<string>? marks = null;
            if (Text(sessions, "AttendanceMarks", record, required: false, maxLength: 2 * MaxSessionsInYear) is { } text)
            {
                marks = SplitMarks(text);
                var element = Child(sessions, "AttendanceMarks")!;
                if (marksStart is null && problems.Count == before)
                {
                    Problem(element, record, $"{prefix}<AttendanceMarks>", $"The attendance marks for {academicYear} have no <AttendanceStartDate>, so the day of each mark is not known");
                }
                else if (marksStart is { } start)
                {
                    DateOnly? weekendMark = null;
                    for (var i = 0; i < marks.Count; i++)
                    {
                        var (day, morning) = ParsedCtfAttendance.SessionOf(start, i);
                        if (weekendMark is null && day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday
                            && AttendanceCodeSets.Find(marks[i], day) is { } counted && counted != AttendanceMarkCount.NotPossible)
                            weekendMark = day;
                        if (marks[i] != "-" && AttendanceCodeSets.Find(marks[i], day) is null)
                        {
                            Problem(element, record, $"{prefix}<AttendanceMarks>",
                                $"The mark for {day.ToString("dddd", CultureInfo.InvariantCulture)} {ImportDates.Describe(day)} ({(morning ? "morning" : "afternoon")}): {AttendanceCodeSets.Explain(marks[i], day)}");
                            break;
                        }
                    }
                    if (weekendMark is { } weekend)
                    {
                        weekendMarkYears++;
                        firstWeekendMark ??= (record.Split(" (")[0], weekend); // the position alone: the summary is kept with the import
                    }
                }
            }

            if (problems.Count > before || academicYear is null || possible is null || attended is null || authorised is null || unauthorised is null)
                return null;
            return new ParsedCtfAttendance(academicYear.Value, lea, estab, schoolName, possible.Value, attended.Value, authorised.Value, unauthorised.Value, marksStart, marks);
        }

        private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

        private static int LineOf(XObject node) => ((IXmlLineInfo)node).HasLineInfo() ? ((IXmlLineInfo)node).LineNumber : 0;

        private void Problem(XObject at, string? record, string element, string message) =>
            problems.Add(new ImportProblem(fileName, LineOf(at) is > 0 and var line ? line : null, element, message) { Record = record });

        private string? Text(XElement parent, string name, string? record, bool required, int maxLength = MaxNameLength, string? path = null)
        {
            path ??= $"<{name}>";
            var element = Child(parent, name);
            if (element is null)
            {
                if (required)
                    Problem(parent, record, path, $"<{parent.Name.LocalName}> has no <{name}>, which it must have");
                return null;
            }
            if (element.HasElements)
            {
                Problem(element, record, path, $"<{name}> should hold text, not other elements");
                return null;
            }
            var value = element.Value.Trim();
            if (value.Length == 0)
            {
                if (required)
                    Problem(element, record, path, $"<{name}> is empty");
                return null;
            }
            if (value.Length > maxLength)
            {
                Problem(element, record, path, $"<{name}> is {value.Length} characters long; the most allowed is {maxLength}");
                return null;
            }
            return value;
        }

        private DateOnly? Date(XElement parent, string name, string? record, bool required, string? path = null)
        {
            path ??= $"<{name}>";
            if (Text(parent, name, record, required, path: path) is not { } text)
                return null;
            var date = ImportDates.Parse(text, isoOnly: true, out var problem);
            if (problem is not null)
                Problem(Child(parent, name)!, record, path, problem);
            return date;
        }

        private int? Whole(XElement parent, string name, string? record, int min, int max, bool required, string? path = null)
        {
            path ??= $"<{name}>";
            if (Text(parent, name, record, required, path: path) is not { } text)
                return null;
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                Problem(Child(parent, name)!, record, path, $"\"{text}\" is not a whole number");
                return null;
            }
            if (number < min || number > max)
            {
                Problem(Child(parent, name)!, record, path, number < min ? $"{number} is less than {min}, the least allowed" : $"{number} is more than {max}, the most allowed");
                return null;
            }
            return number;
        }

        private string? Code(XElement parent, string name, string? record, IEnumerable<string> allowed, bool required, string? path = null)
        {
            path ??= $"<{name}>";
            if (Text(parent, name, record, required, path: path) is not { } text)
                return null;
            if (allowed.Contains(text, StringComparer.Ordinal))
                return text;
            Problem(Child(parent, name)!, record, path, $"\"{text}\" is not one of {string.Join(", ", allowed)}");
            return null;
        }

        [GeneratedRegex(@" Line [0-9]+, position [0-9]+\.$")]
        private static partial Regex TrailingPosition();

        [GeneratedRegex("^[0-9]{1,3}(\\.[0-9]{1,3})?$")]
        private static partial Regex CtfVersion();

        [GeneratedRegex("^[0-9]{3}$")]
        private static partial Regex ThreeDigits();

        [GeneratedRegex("^[0-9]{4}$")]
        private static partial Regex FourDigits();

        [GeneratedRegex("^[0-9]{6}$")]
        private static partial Regex SixDigits();

        [GeneratedRegex("^[0-9A-Z]{3}$")]
        private static partial Regex ThreeCharacters();

        [GeneratedRegex("^[0-9A-Z]{4}$")]
        private static partial Regex FourCharacters();
    }
}
