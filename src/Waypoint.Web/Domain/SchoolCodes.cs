namespace Waypoint.Domain;

/// <summary>How a session recorded with an attendance code counts in the statistics.</summary>
public enum AttendanceCodeEffect
{
    /// <summary>A possible session, attended (present, late before registers closed, or approved educational activity).</summary>
    Present,

    /// <summary>A possible session, absent with the school's authority.</summary>
    AuthorisedAbsence,

    /// <summary>A possible session, absent without authority.</summary>
    UnauthorisedAbsence,

    /// <summary>Not counted as a possible session at all (unavoidable causes, dual registration elsewhere, administrative codes).</summary>
    NotPossible,
}

/// <summary>The groups the DfE guidance sorts the codes into.</summary>
public enum AttendanceCodeGroup
{
    Present,
    AttendingElsewhere,
    LeaveOfAbsence,
    OtherAuthorisedAbsence,
    UnableToAttend,
    UnauthorisedAbsence,
    Administrative,
}

public sealed record AttendanceCode(string Code, string Meaning, AttendanceCodeGroup Group, AttendanceCodeEffect Effect);

/// <summary>
/// The national attendance and absence codes in use since 19 August 2024 (School Attendance
/// (Pupil Registration) (England) Regulations 2024 and "Working together to improve school
/// attendance"). H, J and Y were withdrawn then and are not accepted.
/// </summary>
public static class AttendanceCodes
{
    public static IReadOnlyList<AttendanceCode> All { get; } =
    [
        new("/", "Present (morning registration)", AttendanceCodeGroup.Present, AttendanceCodeEffect.Present),
        new("\\", "Present (afternoon registration)", AttendanceCodeGroup.Present, AttendanceCodeEffect.Present),
        new("L", "Late arrival before the register closed", AttendanceCodeGroup.Present, AttendanceCodeEffect.Present),

        new("K", "Attending education provision arranged by the local authority", AttendanceCodeGroup.AttendingElsewhere, AttendanceCodeEffect.Present),
        new("V", "Attending an educational visit or trip", AttendanceCodeGroup.AttendingElsewhere, AttendanceCodeEffect.Present),
        new("P", "Participating in a sporting activity", AttendanceCodeGroup.AttendingElsewhere, AttendanceCodeEffect.Present),
        new("W", "Attending work experience", AttendanceCodeGroup.AttendingElsewhere, AttendanceCodeEffect.Present),
        new("B", "Attending any other approved educational activity", AttendanceCodeGroup.AttendingElsewhere, AttendanceCodeEffect.Present),
        new("D", "Dual registered: attending the other school", AttendanceCodeGroup.AttendingElsewhere, AttendanceCodeEffect.NotPossible),

        new("C1", "Leave of absence: regulated performance or regulated employment abroad", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("M", "Leave of absence: medical or dental appointment", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("J1", "Leave of absence: interview for employment or admission to another educational institution", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("S", "Leave of absence: study leave", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("X", "Not required to be in school: non-compulsory school age", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.NotPossible),
        new("C2", "Leave of absence: part-time timetable (compulsory school age)", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("C", "Leave of absence: exceptional circumstances", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("T", "Leave of absence: parent travelling for occupational purposes", AttendanceCodeGroup.LeaveOfAbsence, AttendanceCodeEffect.AuthorisedAbsence),

        new("R", "Religious observance", AttendanceCodeGroup.OtherAuthorisedAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("I", "Illness (not medical or dental appointment)", AttendanceCodeGroup.OtherAuthorisedAbsence, AttendanceCodeEffect.AuthorisedAbsence),
        new("E", "Suspended or permanently excluded, no alternative provision made", AttendanceCodeGroup.OtherAuthorisedAbsence, AttendanceCodeEffect.AuthorisedAbsence),

        new("Q", "Unable to attend: lack of access arrangements", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y1", "Unable to attend: transport normally provided not available", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y2", "Unable to attend: widespread disruption to travel", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y3", "Unable to attend: part of the school premises closed", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y4", "Unable to attend: whole school site unexpectedly closed", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y5", "Unable to attend: criminal justice detention", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y6", "Unable to attend: public health guidance or law", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),
        new("Y7", "Unable to attend: any other unavoidable cause", AttendanceCodeGroup.UnableToAttend, AttendanceCodeEffect.NotPossible),

        new("G", "Holiday not granted by the school", AttendanceCodeGroup.UnauthorisedAbsence, AttendanceCodeEffect.UnauthorisedAbsence),
        new("N", "Reason for absence not yet established", AttendanceCodeGroup.UnauthorisedAbsence, AttendanceCodeEffect.UnauthorisedAbsence),
        new("O", "Absent in other or unknown circumstances", AttendanceCodeGroup.UnauthorisedAbsence, AttendanceCodeEffect.UnauthorisedAbsence),
        new("U", "Arrived after the register closed", AttendanceCodeGroup.UnauthorisedAbsence, AttendanceCodeEffect.UnauthorisedAbsence),

        new("Z", "Prospective pupil not on the admission register", AttendanceCodeGroup.Administrative, AttendanceCodeEffect.NotPossible),
        new("#", "Planned whole or partial school closure", AttendanceCodeGroup.Administrative, AttendanceCodeEffect.NotPossible),
    ];

    private static readonly Dictionary<string, AttendanceCode> ByCode = All.ToDictionary(c => c.Code, StringComparer.Ordinal);

    /// <summary>The code, matched exactly (codes are upper case; "/" and "\" differ).</summary>
    public static AttendanceCode? Find(string? code) => code is not null && ByCode.TryGetValue(code.Trim(), out var found) ? found : null;

    /// <summary>The session totals that a set of per-code counts adds up to; unknown codes are the caller's to reject first.</summary>
    public static AttendanceTotals Totals(IEnumerable<AttendanceCodeCount> counts)
    {
        int present = 0, authorised = 0, unauthorised = 0;
        foreach (var count in counts)
        {
            switch (Find(count.Code)?.Effect)
            {
                case AttendanceCodeEffect.Present: present += count.Sessions; break;
                case AttendanceCodeEffect.AuthorisedAbsence: authorised += count.Sessions; break;
                case AttendanceCodeEffect.UnauthorisedAbsence: unauthorised += count.Sessions; break;
            }
        }
        return new AttendanceTotals(present + authorised + unauthorised, present, authorised, unauthorised);
    }
}

public sealed record AttendanceTotals(int Possible, int Present, int AuthorisedAbsence, int UnauthorisedAbsence);

public sealed record ExclusionReason(string Code, string Description, bool IsCurrent);

/// <summary>
/// The DfE reasons for a suspension or permanent exclusion (school census, Common Basic Data
/// Set). The list was widened for 2024/25: "drug and alcohol related" became separate drug,
/// alcohol, smoking and vaping reasons, and "persistent or general disruptive behaviour" became
/// low-level disruption and challenging behaviour. The retired codes are kept, not current, so
/// records of earlier years still read; new records take current codes only.
/// </summary>
public static class ExclusionReasons
{
    public const int MaxPerRecord = 3;

    public static IReadOnlyList<ExclusionReason> All { get; } =
    [
        new("PP", "Physical assault against a pupil", true),
        new("PA", "Physical assault against an adult", true),
        new("VP", "Verbal abuse or threatening behaviour against a pupil", true),
        new("VA", "Verbal abuse or threatening behaviour against an adult", true),
        new("OW", "Use or threat of use of an offensive weapon or prohibited item", true),
        new("BW", "Found to have brought a weapon or prohibited item into school", true),
        new("BU", "Bullying", true),
        new("TB", "Cyber-bullying or threatening behaviour online", true),
        new("RA", "Racist abuse, including bullying", true),
        new("LG", "Abuse against sexual orientation and gender identity, including bullying", true),
        new("DS", "Abuse relating to disability, including bullying", true),
        new("SM", "Sexual misconduct", true),
        new("SB", "Harmful sexual behaviour", true),
        new("MB", "Misogynistic behaviour", true),
        new("AB", "Misandrist behaviour", true),
        new("DR", "Drug related", true),
        new("AR", "Alcohol related", true),
        new("SR", "Smoking related", true),
        new("VR", "Vaping related", true),
        new("DM", "Damage to property", true),
        new("TH", "Theft", true),
        new("LD", "Persistent disruptive behaviour: low-level disruption", true),
        new("CB", "Persistent disruptive behaviour: challenging behaviour", true),
        new("MT", "Inappropriate use of social media or online technology", true),
        new("MP", "Use of a mobile phone", true),
        new("OS", "Misbehaviour outside school", true),
        new("DA", "Drug and alcohol related (before 2024/25)", false),
        new("DB", "Persistent or general disruptive behaviour (before 2024/25)", false),
        new("PH", "Wilful and repeated transgression of public health protective measures (2020 to 2022)", false),
    ];

    public static IEnumerable<ExclusionReason> Current => All.Where(r => r.IsCurrent);

    private static readonly Dictionary<string, ExclusionReason> ByCode = All.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);

    public static ExclusionReason? Find(string? code) => code is not null && ByCode.TryGetValue(code.Trim(), out var found) ? found : null;

    public static string Describe(string code) => Find(code)?.Description ?? code;
}
