using System.Globalization;
using System.Text.RegularExpressions;

namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// Dates in import files: ISO 8601 (2024-09-04), which the Common Transfer File and most systems
/// write, and the UK day/month/year (04/09/2024), which a spreadsheet saved in the UK writes.
/// Never month/day/year: 04/09/2024 is the 4th of September. A date that fits the pattern but does
/// not exist (2011-02-30) is named as such, so the sender looks for the typing mistake.
/// </summary>
internal static partial class ImportDates
{
    public const string Formats = "yyyy-mm-dd, such as 2024-09-04, or dd/mm/yyyy, such as 04/09/2024";

    /// <summary>The date, or null and what is wrong with the text.</summary>
    public static DateOnly? Parse(string text, bool isoOnly, out string? problem)
    {
        problem = null;
        // A spreadsheet re-saving a date column as date and time writes "04/09/2024 00:00": midnight is the date; any other time is not a date.
        if (!isoOnly && WithTime().Match(text) is { Success: true } timed)
        {
            if (timed.Groups[2].ValueSpan.TrimStart('0').Length > 0 || timed.Groups[3].ValueSpan.TrimStart('0').Length > 0 || timed.Groups[5].ValueSpan.TrimStart('0').Length > 0)
            {
                problem = $"\"{text}\" has a time of day as well as a date: give the date alone, such as {timed.Groups[1].Value}";
                return null;
            }
            text = timed.Groups[1].Value;
        }
        int year, month, day;
        var dayFirst = false;
        if (IsoDate().Match(text) is { Success: true } iso)
        {
            (year, month, day) = (Number(iso.Groups[1]), Number(iso.Groups[2]), Number(iso.Groups[3]));
        }
        else if (!isoOnly && UkDate().Match(text) is { Success: true } uk)
        {
            (day, month, year) = (Number(uk.Groups[1]), Number(uk.Groups[2]), Number(uk.Groups[3]));
            dayFirst = true;
        }
        else
        {
            problem = isoOnly
                ? $"\"{text}\" is not a date: write it as yyyy-mm-dd, such as 2024-09-04"
                : $"\"{text}\" is not a date: write it as {Formats}";
            if (!isoOnly && TwoDigitYear().IsMatch(text))
                problem += " (with the year in full)";
            return null;
        }

        if (year is < 1900 or > 2099)
            problem = $"\"{text}\" is not a plausible date: the year {year} is out of range";
        else if (month is < 1 or > 12)
            problem = $"\"{text}\" is not a real date: there is no month {month}" + (dayFirst && day <= 12 ? " (dates are day/month/year)" : "");
        else if (day < 1 || day > DateTime.DaysInMonth(year, month))
            problem = $"\"{text}\" is not a real date: {CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(month)} {year} has {DateTime.DaysInMonth(year, month)} days";
        return problem is null ? new DateOnly(year, month, day) : null;
    }

    /// <summary>A date as the messages write it: 4 September 2024.</summary>
    public static string Describe(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static int Number(Group group) => int.Parse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")]
    private static partial Regex UkDate();

    [GeneratedRegex(@"^([0-9/-]+)[ T]([0-9]{1,2}):([0-9]{2})(:([0-9]{2}))?$")]
    private static partial Regex WithTime();

    [GeneratedRegex(@"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}$")]
    private static partial Regex TwoDigitYear();
}
