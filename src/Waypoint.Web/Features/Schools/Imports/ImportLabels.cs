using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

public static class ImportLabels
{
    /// <summary>The kinds of file a school sends (a police force's occurrences file is the police pages' own).</summary>
    public static IReadOnlyList<ImportKind> Kinds { get; } = Enum.GetValues<ImportKind>().Where(k => k != ImportKind.PoliceOccurrences).ToArray();

    public static bool IsSchoolKind(ImportKind kind) => Enum.IsDefined(kind) && kind != ImportKind.PoliceOccurrences;

    public static string Describe(ImportKind kind) => kind switch
    {
        ImportKind.CommonTransferFile => "Common Transfer File (CTF XML)",
        ImportKind.Enrolments => "Enrolments (CSV)",
        ImportKind.Attendance => "Attendance (CSV)",
        ImportKind.Suspensions => "Suspensions and exclusions (CSV)",
        ImportKind.Behaviour => "Behaviour incidents (CSV)",
        ImportKind.PoliceOccurrences => "Police occurrences (CSV)",
        _ => kind.ToString(),
    };

    /// <summary>"attendance files", for sentences about every file of a kind.</summary>
    public static string Files(ImportKind kind) => kind switch
    {
        ImportKind.CommonTransferFile => "Common Transfer Files",
        ImportKind.Enrolments => "enrolments files",
        ImportKind.Attendance => "attendance files",
        ImportKind.Suspensions => "suspensions and exclusions files",
        ImportKind.Behaviour => "behaviour files",
        ImportKind.PoliceOccurrences => "occurrences files",
        _ => kind.ToString(),
    };

    public static string Status(ImportStatus status) => status switch
    {
        ImportStatus.Queued => "Waiting",
        ImportStatus.Running => "Importing",
        ImportStatus.Succeeded => "Imported",
        ImportStatus.Rejected => "Not imported",
        _ => "Failed",
    };

    /// <summary>GOV.UK tag colour for a status (the words carry the meaning; the colour only repeats it).</summary>
    public static string StatusTag(ImportStatus status) => status switch
    {
        ImportStatus.Succeeded => "govuk-tag--green",
        ImportStatus.Rejected or ImportStatus.Failed => "govuk-tag--red",
        _ => "govuk-tag--blue",
    };
}
