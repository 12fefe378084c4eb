using Waypoint.Domain;

namespace Waypoint.Features.Retention;

/// <summary>How the retention pages name the record types, triggers and units.</summary>
public static class RetentionLabels
{
    public static string Of(RetentionRecordType type) => type switch
    {
        RetentionRecordType.ConcernNotTakenFurther => "Concern report not taken further",
        RetentionRecordType.EarlyHelpCase => "Early-help case",
        RetentionRecordType.MeetingItem => "Meeting item",
        RetentionRecordType.SchoolRecord => "School record",
        RetentionRecordType.PoliceOccurrence => "Police occurrence",
        RetentionRecordType.PoliceFlag => "Police flag",
        RetentionRecordType.Consent => "Consent",
        RetentionRecordType.Audit => "Audit",
        RetentionRecordType.SubjectAccessCopy => "Subject-access copy",
        _ => type.ToString(),
    };

    public static string Of(RetentionTrigger trigger) => trigger switch
    {
        RetentionTrigger.Closure => "closure",
        RetentionTrigger.TwentyFifthBirthday => "the 25th birthday",
        RetentionTrigger.LastActivity => "last activity",
        _ => trigger.ToString(),
    };

    public static string Period(int period, RetentionUnit unit) =>
        unit == RetentionUnit.Years ? $"{period} year{(period == 1 ? "" : "s")}" : $"{period} month{(period == 1 ? "" : "s")}";

    public static string Of(RetentionSchedule s) => $"{Period(s.Period, s.Unit)} from {Of(s.Trigger)}";

    public static string Of(RetentionReviewStatus status) => status switch
    {
        RetentionReviewStatus.Due => "Due",
        RetentionReviewStatus.Extended => "Extended",
        RetentionReviewStatus.Disposed => "Disposed of",
        _ => status.ToString(),
    };
}
