using System.Text.Json;

namespace Waypoint.Features.Provision;

/// <summary>
/// School days for the sixth-day duty: Monday to Friday, less the bank holidays in England
/// (bank-holidays.json, in gov.uk's bank-holidays format, england-and-wales division, 2018–2028,
/// generated from the rules and the announced extra days). Schools set their own term dates and
/// Waypoint holds none (<see cref="Schools.Rules.SchoolCalendar"/> knows terms, not holidays), so
/// half-term and the school holidays count as school days here: the watch errs towards an early
/// alert and a count of days missed that may include holiday days. Past 2028 there are no bank
/// holidays in the file: only weekends are skipped, and <see cref="Covers"/> says so.
/// </summary>
public sealed class SchoolDays
{
    public const int FirstYear = 2018;
    public const int LastYear = 2028;

    private readonly HashSet<DateOnly> holidays;

    public SchoolDays(IEnumerable<DateOnly> bankHolidays) => holidays = [.. bankHolidays];

    /// <summary>England's bank holidays from the data file (read once).</summary>
    public static SchoolDays England { get; } = new(LoadEngland());

    public IReadOnlyCollection<DateOnly> BankHolidays => holidays;

    public static bool Covers(DateOnly day) => day.Year is >= FirstYear and <= LastYear;

    public bool IsBankHoliday(DateOnly day) => holidays.Contains(day);

    public bool IsSchoolDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day);

    /// <summary>The day itself when it is a school day, else the next one.</summary>
    public DateOnly OnOrAfter(DateOnly day)
    {
        while (!IsSchoolDay(day))
            day = day.AddDays(1);
        return day;
    }

    /// <summary>The school day <paramref name="count"/> school days after <paramref name="day"/> (which need not be one); backwards when negative.</summary>
    public DateOnly Add(DateOnly day, int count)
    {
        var step = count < 0 ? -1 : 1;
        for (var left = Math.Abs(count); left > 0;)
        {
            day = day.AddDays(step);
            if (IsSchoolDay(day))
                left--;
        }
        return day;
    }

    /// <summary>
    /// The sixth school day of an exclusion that starts on <paramref name="firstDay"/>: its first
    /// school day counts as day one (an exclusion given on a weekend starts on the Monday).
    /// </summary>
    public DateOnly SixthDay(DateOnly firstDay) => Add(OnOrAfter(firstDay), 5);

    /// <summary>School days from <paramref name="from"/> up to but not including <paramref name="until"/>; 0 when until is not after from.</summary>
    public int CountBetween(DateOnly from, DateOnly until)
    {
        var n = 0;
        for (var d = from; d < until; d = d.AddDays(1))
        {
            if (IsSchoolDay(d))
                n++;
        }
        return n;
    }

    private static List<DateOnly> LoadEngland()
    {
        using var stream = typeof(SchoolDays).Assembly.GetManifestResourceStream("Waypoint.Features.Provision.bank-holidays.json")
            ?? throw new InvalidOperationException("The bank holidays data file is not embedded.");
        using var json = JsonDocument.Parse(stream);
        return json.RootElement.GetProperty("england-and-wales").GetProperty("events").EnumerateArray()
            .Select(e => DateOnly.ParseExact(e.GetProperty("date").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
    }
}
