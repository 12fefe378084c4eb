using System.Text.Json;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Provision;

/// <summary>One term (or half-term) of a local authority's school year: its first and last school day.</summary>
public readonly record struct TermSpan(string Name, DateOnly Start, DateOnly End);

/// <summary>
/// School days for the sixth-day duty: Monday to Friday, less the bank holidays in England
/// (bank-holidays.json, in gov.uk's bank-holidays format, england-and-wales division, 2018–2028,
/// generated from the rules and the announced extra days), and, in an academic year for which the
/// local authority's term dates are held (<see cref="TermCalendar"/>), less every day outside its
/// terms (half-terms and holidays). In a year with no term dates held, holidays count as school
/// days: the watch errs towards an early alert rather than a missed one. Past 2028 there are no
/// bank holidays in the file: only weekends are skipped, and <see cref="Covers"/> says so.
/// </summary>
public sealed class SchoolDays
{
    public const int FirstYear = 2018;
    public const int LastYear = 2028;

    private readonly HashSet<DateOnly> holidays;
    private readonly TermSpan[] terms;
    private readonly HashSet<int> termYears;

    public SchoolDays(IEnumerable<DateOnly> bankHolidays, IEnumerable<TermSpan>? terms = null)
    {
        holidays = [.. bankHolidays];
        this.terms = [.. (terms ?? []).OrderBy(t => t.Start)];
        termYears = [.. this.terms.Select(t => AcademicYear.Of(t.Start).StartYear)];
    }

    /// <summary>These bank holidays with a local authority's term dates.</summary>
    public SchoolDays WithTerms(IEnumerable<TermSpan> authorityTerms) => new(holidays, authorityTerms);

    public IReadOnlyList<TermSpan> Terms => terms;

    /// <summary>Whether the term dates of the day's academic year are held (so its holidays are not school days).</summary>
    public bool HasTermDates(DateOnly day) => termYears.Contains(AcademicYear.Of(day).StartYear);

    /// <summary>A weekday outside every term of a year whose term dates are held: half-term or a school holiday.</summary>
    public bool IsSchoolHoliday(DateOnly day) => HasTermDates(day) && !terms.Any(t => t.Start <= day && day <= t.End);

    /// <summary>England's bank holidays from the data file (read once).</summary>
    public static SchoolDays England { get; } = new(LoadEngland());

    public IReadOnlyCollection<DateOnly> BankHolidays => holidays;

    public static bool Covers(DateOnly day) => day.Year is >= FirstYear and <= LastYear;

    public bool IsBankHoliday(DateOnly day) => holidays.Contains(day);

    public bool IsSchoolDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !holidays.Contains(day) && !IsSchoolHoliday(day);

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
