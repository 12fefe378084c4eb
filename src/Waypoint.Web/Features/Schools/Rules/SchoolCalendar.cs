namespace Waypoint.Features.Schools.Rules;

public enum SchoolTerm
{
    Autumn,
    Spring,
    Summer,
}

/// <summary>An academic year, 1 September to 31 August, named by the calendar year it starts in ("2025/26" starts 2025).</summary>
public readonly record struct AcademicYear(int StartYear) : IComparable<AcademicYear>
{
    public DateOnly Start => new(StartYear, 9, 1);
    public DateOnly End => new(StartYear + 1, 8, 31);

    public static AcademicYear Of(DateOnly date) => new(date.Month >= 9 ? date.Year : date.Year - 1);

    public bool Contains(DateOnly date) => date >= Start && date <= End;

    public AcademicYear Previous => new(StartYear - 1);

    public int CompareTo(AcademicYear other) => StartYear.CompareTo(other.StartYear);

    public override string ToString() => $"{StartYear}/{(StartYear + 1) % 100:00}";
}

/// <summary>
/// Term boundaries. Schools set their own term dates, which Waypoint does not hold, so the
/// terms follow the school census's fixed definition, moved to our September start:
/// autumn 1 September to 31 December; spring 1 January to Easter Sunday; summer Easter Monday
/// to 31 August. Half-term and Easter holidays fall inside these spans and hold no school days,
/// so counting by start date puts every suspension in the term the school would.
/// </summary>
public static class SchoolCalendar
{
    public static SchoolTerm TermOf(DateOnly date)
    {
        if (date.Month >= 9)
            return SchoolTerm.Autumn;
        return date <= EasterSunday(date.Year) ? SchoolTerm.Spring : SchoolTerm.Summer;
    }

    /// <summary>The first and last day of a term of an academic year.</summary>
    public static (DateOnly Start, DateOnly End) Bounds(AcademicYear year, SchoolTerm term)
    {
        var easter = EasterSunday(year.StartYear + 1);
        return term switch
        {
            SchoolTerm.Autumn => (year.Start, new DateOnly(year.StartYear, 12, 31)),
            SchoolTerm.Spring => (new DateOnly(year.StartYear + 1, 1, 1), easter),
            _ => (easter.AddDays(1), year.End),
        };
    }

    /// <summary>Whether two dates fall in the same term of the same academic year.</summary>
    public static bool SameTerm(DateOnly a, DateOnly b) => AcademicYear.Of(a) == AcademicYear.Of(b) && TermOf(a) == TermOf(b);

    /// <summary>Western (Gregorian) Easter Sunday, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }
}
