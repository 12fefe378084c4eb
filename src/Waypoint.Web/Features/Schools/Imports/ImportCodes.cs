namespace Waypoint.Features.Schools.Imports;

/// <summary>How a session with an attendance code counts: the DfE's statistical treatment.</summary>
public enum AttendanceMarkCount
{
    Present,
    AuthorisedAbsence,
    UnauthorisedAbsence,

    /// <summary>Not a possible session (unable to attend, dual registration elsewhere, not of compulsory age, administrative).</summary>
    NotPossible,
}

/// <summary>
/// The national attendance codes in force since 19 August 2024 (School Attendance (Pupil
/// Registration) (England) Regulations 2024). The codes withdrawn then are known too, so a file
/// that still uses one is told which code replaced it.
/// </summary>
public static class AttendanceCodeSet2024
{
    private static readonly Dictionary<string, AttendanceMarkCount> Codes = new(StringComparer.Ordinal)
    {
        ["/"] = AttendanceMarkCount.Present,
        ["\\"] = AttendanceMarkCount.Present,
        ["L"] = AttendanceMarkCount.Present,
        ["K"] = AttendanceMarkCount.Present,
        ["V"] = AttendanceMarkCount.Present,
        ["P"] = AttendanceMarkCount.Present,
        ["W"] = AttendanceMarkCount.Present,
        ["B"] = AttendanceMarkCount.Present,
        ["D"] = AttendanceMarkCount.NotPossible,
        ["C1"] = AttendanceMarkCount.AuthorisedAbsence,
        ["M"] = AttendanceMarkCount.AuthorisedAbsence,
        ["J1"] = AttendanceMarkCount.AuthorisedAbsence,
        ["S"] = AttendanceMarkCount.AuthorisedAbsence,
        ["X"] = AttendanceMarkCount.NotPossible,
        ["C2"] = AttendanceMarkCount.AuthorisedAbsence,
        ["C"] = AttendanceMarkCount.AuthorisedAbsence,
        ["T"] = AttendanceMarkCount.AuthorisedAbsence,
        ["R"] = AttendanceMarkCount.AuthorisedAbsence,
        ["I"] = AttendanceMarkCount.AuthorisedAbsence,
        ["E"] = AttendanceMarkCount.AuthorisedAbsence,
        ["Q"] = AttendanceMarkCount.NotPossible,
        ["Y1"] = AttendanceMarkCount.NotPossible,
        ["Y2"] = AttendanceMarkCount.NotPossible,
        ["Y3"] = AttendanceMarkCount.NotPossible,
        ["Y4"] = AttendanceMarkCount.NotPossible,
        ["Y5"] = AttendanceMarkCount.NotPossible,
        ["Y6"] = AttendanceMarkCount.NotPossible,
        ["Y7"] = AttendanceMarkCount.NotPossible,
        ["G"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["N"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["O"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["U"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["Z"] = AttendanceMarkCount.NotPossible,
        ["#"] = AttendanceMarkCount.NotPossible,
    };

    private static readonly Dictionary<string, string> Withdrawn = new(StringComparer.Ordinal)
    {
        ["H"] = "H (holiday authorised) was withdrawn in August 2024: use C for leave in exceptional circumstances",
        ["F"] = "F (extended family holiday) is no longer a code: use G, or C for leave in exceptional circumstances",
        ["J"] = "J was replaced by J1 (interview) in August 2024",
        ["Y"] = "Y was replaced by Y1 to Y7 (unable to attend because of an unavoidable cause) in August 2024",
    };

    public static IEnumerable<string> All => Codes.Keys;

    /// <summary>How the code counts, or null when it is not a 2024 code.</summary>
    public static AttendanceMarkCount? Find(string code) => Codes.TryGetValue(code, out var count) ? count : null;

    /// <summary>Why the code is not accepted, naming its replacement when it is one of the withdrawn codes.</summary>
    public static string Explain(string code) => Withdrawn.TryGetValue(code, out var why)
        ? why
        : $"\"{code}\" is not an attendance code in the 2024 code set";
}

/// <summary>
/// The attendance codes valid on a given day. The 2024 regulations (in force 19 August 2024)
/// withdrew H, J and Y and brought in C1, C2, J1, K, Q and Y1 to Y7; F went in September 2013. A
/// mark is judged by the code set of its own session's date, so a file holding last year's marks
/// is read as the register was kept then. J counted as approved educational activity (present)
/// before 2024; its successor J1 is authorised absence.
/// </summary>
public static class AttendanceCodeSets
{
    /// <summary>The first day of the 2024 code set.</summary>
    public static readonly DateOnly From2024 = new(2024, 8, 19);

    /// <summary>The first day without F (extended family holiday agreed).</summary>
    public static readonly DateOnly WithoutF = new(2013, 9, 1);

    private static readonly Dictionary<string, AttendanceMarkCount> Before2024 = new(StringComparer.Ordinal)
    {
        ["/"] = AttendanceMarkCount.Present,
        ["\\"] = AttendanceMarkCount.Present,
        ["L"] = AttendanceMarkCount.Present,
        ["B"] = AttendanceMarkCount.Present,
        ["J"] = AttendanceMarkCount.Present,
        ["P"] = AttendanceMarkCount.Present,
        ["V"] = AttendanceMarkCount.Present,
        ["W"] = AttendanceMarkCount.Present,
        ["D"] = AttendanceMarkCount.NotPossible,
        ["C"] = AttendanceMarkCount.AuthorisedAbsence,
        ["E"] = AttendanceMarkCount.AuthorisedAbsence,
        ["H"] = AttendanceMarkCount.AuthorisedAbsence,
        ["I"] = AttendanceMarkCount.AuthorisedAbsence,
        ["M"] = AttendanceMarkCount.AuthorisedAbsence,
        ["R"] = AttendanceMarkCount.AuthorisedAbsence,
        ["S"] = AttendanceMarkCount.AuthorisedAbsence,
        ["T"] = AttendanceMarkCount.AuthorisedAbsence,
        ["G"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["N"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["O"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["U"] = AttendanceMarkCount.UnauthorisedAbsence,
        ["X"] = AttendanceMarkCount.NotPossible,
        ["Y"] = AttendanceMarkCount.NotPossible,
        ["Z"] = AttendanceMarkCount.NotPossible,
        ["#"] = AttendanceMarkCount.NotPossible,
    };

    /// <summary>How the code counts on that day, or null when it was not a code then.</summary>
    public static AttendanceMarkCount? Find(string code, DateOnly on)
    {
        if (on >= From2024)
            return AttendanceCodeSet2024.Find(code);
        if (code == "F")
            return on < WithoutF ? AttendanceMarkCount.AuthorisedAbsence : null;
        return Before2024.TryGetValue(code, out var count) ? count : null;
    }

    /// <summary>Whether the code was valid on some day from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static bool ValidBetween(string code, DateOnly from, DateOnly to) =>
        (from < From2024 && Find(code, from) is not null) || (to >= From2024 && AttendanceCodeSet2024.Find(code) is not null);

    /// <summary>Why the code is not read on that day, in terms of the register as it was kept then; never advice to change a past mark.</summary>
    public static string Explain(string code, DateOnly on)
    {
        if (on >= From2024)
            return code switch
            {
                "H" or "J" or "Y" => $"\"{code}\" stopped being an attendance code on 19 August 2024 (the 2024 regulations), so it cannot be a mark for a session after that date",
                "F" => "\"F\" stopped being an attendance code in September 2013",
                _ => $"\"{code}\" is not an attendance code",
            };
        if (code == "F")
            return "\"F\" stopped being an attendance code in September 2013";
        return AttendanceCodeSet2024.Find(code) is not null
            ? $"\"{code}\" became an attendance code on 19 August 2024 (the 2024 regulations), so it cannot be a mark for a session before that date"
            : $"\"{code}\" is not an attendance code";
    }
}

/// <summary>
/// The DfE reasons for a suspension or permanent exclusion (school census). The list was widened
/// for 2024/25; the codes it replaced are accepted only for suspensions that started before then,
/// so last year's records can still be imported for comparison.
/// </summary>
public static class SuspensionReasonCodes
{
    public const int MaxPerRecord = 3;

    private static readonly DateOnly From2024To25 = new(2024, 9, 1);

    private static readonly Dictionary<string, (string Description, DateOnly? RetiredFrom)> Codes = new(StringComparer.Ordinal)
    {
        ["PP"] = ("Physical assault against a pupil", null),
        ["PA"] = ("Physical assault against an adult", null),
        ["VP"] = ("Verbal abuse or threatening behaviour against a pupil", null),
        ["VA"] = ("Verbal abuse or threatening behaviour against an adult", null),
        ["OW"] = ("Use or threat of use of an offensive weapon or prohibited item", null),
        ["BW"] = ("Found to have brought a weapon or prohibited item into school", null),
        ["BU"] = ("Bullying", null),
        ["TB"] = ("Cyber-bullying or threatening behaviour online", null),
        ["RA"] = ("Racist abuse, including bullying", null),
        ["LG"] = ("Abuse against sexual orientation and gender identity, including bullying", null),
        ["DS"] = ("Abuse relating to disability, including bullying", null),
        ["SM"] = ("Sexual misconduct", null),
        ["SB"] = ("Harmful sexual behaviour", null),
        ["MB"] = ("Misogynistic behaviour", null),
        ["AB"] = ("Misandrist behaviour", null),
        ["DR"] = ("Drug related", null),
        ["AR"] = ("Alcohol related", null),
        ["SR"] = ("Smoking related", null),
        ["VR"] = ("Vaping related", null),
        ["DM"] = ("Damage to property", null),
        ["TH"] = ("Theft", null),
        ["LD"] = ("Persistent disruptive behaviour: low-level disruption", null),
        ["CB"] = ("Persistent disruptive behaviour: challenging behaviour", null),
        ["MT"] = ("Inappropriate use of social media or online technology", null),
        ["MP"] = ("Use of a mobile phone", null),
        ["OS"] = ("Misbehaviour outside school", null),
        ["DA"] = ("Drug and alcohol related", From2024To25),
        ["DB"] = ("Persistent or general disruptive behaviour", From2024To25),
        ["PH"] = ("Wilful and repeated transgression of public health protective measures", new DateOnly(2022, 9, 1)),
        // "Other" was removed from the census list for 2020/21, when up to three reasons came in; earlier suspensions keep it.
        ["OT"] = ("Other", new DateOnly(2020, 9, 1)),
    };

    /// <summary>The words MIS reports write beside the census descriptions, normalised (see <see cref="Words"/>), to the code.</summary>
    private static readonly Dictionary<string, string> ShortForms = new(StringComparer.Ordinal)
    {
        [Words("Verbal abuse/threatening behaviour against a pupil")] = "VP",
        [Words("Verbal abuse/threatening behaviour against an adult")] = "VA",
        [Words("Drug and alcohol related")] = "DA",
        [Words("Persistent disruptive behaviour")] = "DB",
        [Words("Damage")] = "DM",
        [Words("Racist abuse")] = "RA",
        [Words("Abuse against sexual orientation and gender identity")] = "LG",
        [Words("Abuse relating to disability")] = "DS",
        [Words("Other")] = "OT",
    };

    /// <summary>Words reduced for comparison: lower case, letters and digits only, "/" read as "or" and "&amp;" as "and".</summary>
    private static string Words(string text) =>
        string.Concat(text.Replace("/", " or ", StringComparison.Ordinal).Replace("&", " and ", StringComparison.Ordinal)
            .Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant));

    /// <summary>The code whose description (or common short form) the words are exactly, or null.</summary>
    public static string? FromWords(string words)
    {
        var key = Words(words);
        foreach (var (code, found) in Codes)
            if (Words(found.Description) == key)
                return code;
        return ShortForms.GetValueOrDefault(key);
    }

    /// <summary>Why words are not read as a reason, naming the codes whose descriptions share a word with them.</summary>
    public static string ExplainWords(string words)
    {
        var given = Tokens(words);
        var fit = Codes.Where(c => Tokens(c.Value.Description).Overlaps(given)).Select(c => $"{c.Key} ({c.Value.Description})").ToList();
        return fit.Count == 0
            ? $"\"{words}\" is not a DfE suspension and exclusion reason: give the reason's code or its description"
            : $"\"{words}\" is not exactly one DfE reason. The codes that would fit: {string.Join("; ", fit)}";

        static HashSet<string> Tokens(string text) => text.ToLowerInvariant()
            .Split([' ', '/', ',', ':', '-', '(', ')', '&'], StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.Length > 3 && w is not "against" and not "with" and not "including" and not "related" and not "behaviour")
            .ToHashSet(StringComparer.Ordinal);
    }

    private static readonly DateOnly From2020To21 = new(2020, 9, 1);

    /// <summary>
    /// When codes joined the census list: the 2020/21 revision (up to three reasons, abuse and
    /// online categories) and the 2024/25 widening. DfE's guidance gives the years; the exact days
    /// are taken as the start of those academic years.
    /// </summary>
    private static readonly Dictionary<string, DateOnly> IntroducedFrom = new(StringComparer.Ordinal)
    {
        ["OW"] = From2020To21,
        ["LG"] = From2020To21,
        ["DS"] = From2020To21,
        ["MT"] = From2020To21,
        ["PH"] = From2020To21,
        ["BW"] = From2024To25,
        ["TB"] = From2024To25,
        ["SB"] = From2024To25,
        ["MB"] = From2024To25,
        ["AB"] = From2024To25,
        ["DR"] = From2024To25,
        ["AR"] = From2024To25,
        ["SR"] = From2024To25,
        ["VR"] = From2024To25,
        ["LD"] = From2024To25,
        ["CB"] = From2024To25,
        ["MP"] = From2024To25,
        ["OS"] = From2024To25,
    };

    /// <summary>
    /// A warning, not a refusal, when a code is given to a suspension that started before the code
    /// joined the census list: a MIS that recoded its history sends such rows, and the school is
    /// the one to say whether the code is right; null when the code was in use then.
    /// </summary>
    public static string? BeforeIntroduced(string code, DateOnly? startDate) =>
        IntroducedFrom.TryGetValue(code, out var from) && startDate is { } start && start < from
            ? $"The reason {code} ({Describe(code)}) joined the DfE list on {ImportDates.Describe(from)}, but is given to a suspension that started on {ImportDates.Describe(start)} " +
              "(this line is the first). Those rows were read as given: check the codes your MIS sent for suspensions before that date"
            : null;

    public static IEnumerable<string> Current => Codes.Where(c => c.Value.RetiredFrom is null).Select(c => c.Key);

    public static string? Describe(string code) => Codes.TryGetValue(code, out var found) ? found.Description : null;

    /// <summary>Null when the code can be given to a suspension that started on that date, else why not.</summary>
    public static string? Check(string code, DateOnly? startDate)
    {
        if (!Codes.TryGetValue(code, out var found))
            return $"\"{code}\" is not a DfE suspension and exclusion reason code";
        if (found.RetiredFrom is { } retired && startDate is { } start && start >= retired)
            return $"\"{code}\" ({found.Description}) was withdrawn from {ImportDates.Describe(retired)} and cannot be given to a suspension or exclusion that started on {ImportDates.Describe(start)}";
        return null;
    }
}

/// <summary>Codes the Common Transfer File and the CSV formats share with the school census.</summary>
public static class SchoolCensusCodes
{
    /// <summary>SEN provision: no special educational need, SEN support, an education, health and care plan.</summary>
    public static IReadOnlyDictionary<string, string> SenProvision { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["N"] = "No special educational need",
        ["K"] = "SEN support",
        ["E"] = "Education, health and care plan",
    };

    public static IReadOnlyDictionary<string, string> SenNeedTypes { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["SPLD"] = "Specific learning difficulty",
        ["MLD"] = "Moderate learning difficulty",
        ["SLD"] = "Severe learning difficulty",
        ["PMLD"] = "Profound and multiple learning difficulty",
        ["SEMH"] = "Social, emotional and mental health",
        ["SLCN"] = "Speech, language and communication needs",
        ["HI"] = "Hearing impairment",
        ["VI"] = "Vision impairment",
        ["MSI"] = "Multi-sensory impairment",
        ["PD"] = "Physical disability",
        ["ASD"] = "Autistic spectrum disorder",
        ["OTH"] = "Other difficulty or disability",
        ["NSA"] = "SEN support but no specialist assessment of type of need",
    };

    /// <summary>M and F as the census records them; U where the school does not know.</summary>
    public static IReadOnlyList<string> Genders { get; } = ["M", "F", "U"];

    /// <summary>National curriculum year groups: nursery (N1, N2), reception (R), 1 to 14, and X for outside the national curriculum.</summary>
    public static IReadOnlyList<string> YearGroups { get; } = ["N1", "N2", "R", .. Enumerable.Range(1, 14).Select(y => y.ToString(System.Globalization.CultureInfo.InvariantCulture)), "X"];

    /// <summary>Enrolment status: C single registration, M main dual registration, S subsidiary dual registration, G guest.</summary>
    public static IReadOnlyList<string> EnrolStatuses { get; } = ["C", "M", "S", "G"];

    /// <summary>Sex as MIS reports write it (normalised as <see cref="CsvColumnAliases.Normalise"/>), to the census code.</summary>
    public static IReadOnlyDictionary<string, string> GenderWords { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["male"] = "M",
        ["female"] = "F",
        ["unknown"] = "U",
        ["notknown"] = "U",
        ["notspecified"] = "U",
    };

    /// <summary>Year groups as MIS reports write them: "Year 8", "Y8", "Yr 8", "Reception", "Nursery 1".</summary>
    public static IReadOnlyDictionary<string, string> YearGroupWords { get; } = BuildYearGroupWords();

    private static Dictionary<string, string> BuildYearGroupWords()
    {
        var words = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["reception"] = "R",
            ["rec"] = "R",
            ["yr"] = "R",
            ["nursery1"] = "N1",
            ["nursery2"] = "N2",
        };
        for (var year = 1; year <= 14; year++)
        {
            var n = year.ToString(System.Globalization.CultureInfo.InvariantCulture);
            words["year" + n] = n;
            words["yr" + n] = n;
            words["y" + n] = n;
        }
        return words;
    }

    /// <summary>Enrolment statuses as MIS reports and local authority systems write them.</summary>
    public static IReadOnlyDictionary<string, string> EnrolStatusWords { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["singleregistration"] = "C",
        ["currentsingleregistration"] = "C",
        ["current"] = "C",
        ["single"] = "C",
        ["maindualregistration"] = "M",
        ["dualregisteredmain"] = "M",
        ["currentmaindualregistration"] = "M",
        ["mnd"] = "M",
        ["subsidiarydualregistration"] = "S",
        ["dualregisteredsubsidiary"] = "S",
        ["currentsubsidiarydualregistration"] = "S",
        ["dual"] = "S",
        ["guest"] = "G",
        ["guestpupil"] = "G",
    };
}

/// <summary>
/// The behaviour categories Waypoint records, by name. Schools' own behaviour systems use many
/// more; the file's sender maps theirs onto these.
/// </summary>
public static class BehaviourCategoryNames
{
    public static IReadOnlyList<string> All { get; } =
    [
        "DisruptionInLessons",
        "DefianceOrRefusal",
        "VerbalAbuseOrThreats",
        "PhysicalAggression",
        "Bullying",
        "PrejudiceRelated",
        "SexualHarassmentOrHarmfulSexualBehaviour",
        "DamageToProperty",
        "Theft",
        "DrugsAlcoholOrSmoking",
        "WeaponOrProhibitedItem",
        "OnlineOrMobilePhone",
        "TruancyOrLeavingWithoutPermission",
        "Other",
    ];

    /// <summary>The category as written here, matched without regard to case; null when it is not one.</summary>
    public static string? Find(string name) => All.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
}
