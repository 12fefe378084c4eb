using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Waypoint.Domain;
using IcalCalendar = Ical.Net.Calendar;

namespace Waypoint.Features.Meetings;

/// <summary>
/// A meeting as an iCalendar invitation. Times are written in UTC (no VTIMEZONE to get wrong) from
/// the partnership's local time; the summary names the series and nothing about any child, since
/// invitations travel by e-mail. The UID is the meeting's, so a calendar updates the same entry.
/// </summary>
public static class MeetingCalendar
{
    private static readonly TimeZoneInfo London = FindLondon();

    public static string Write(Meeting meeting, string seriesName, Uri? pageUrl, DateTimeOffset now)
    {
        var start = TimeZoneInfo.ConvertTimeToUtc(meeting.Date.ToDateTime(meeting.StartTime, DateTimeKind.Unspecified), London);
        var calendar = new IcalCalendar { Method = "PUBLISH" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{meeting.Id}@waypoint",
            Summary = $"{seriesName}: early-intervention meeting",
            Description = "Agenda and papers are in Waypoint, behind sign-in." + (pageUrl is null ? "" : $" {pageUrl}"),
            Location = meeting.OnlineLink is null ? meeting.Place : $"{meeting.Place} {meeting.OnlineLink}".Trim(),
            DtStart = new CalDateTime(DateTime.SpecifyKind(start, DateTimeKind.Utc)),
            DtEnd = new CalDateTime(DateTime.SpecifyKind(start.AddMinutes(meeting.DurationMinutes), DateTimeKind.Utc)),
            DtStamp = new CalDateTime(now.UtcDateTime),
            Url = pageUrl,
        });
        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static TimeZoneInfo FindLondon()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        }
        catch (TimeZoneNotFoundException)
        {
            // A machine with no time-zone data: UTC is at most an hour out, in summer.
            return TimeZoneInfo.Utc;
        }
    }
}
