namespace Waypoint.Shell;

/// <summary>The three boxes of a GOV.UK date input, read into a date with a message naming what is wrong.</summary>
public sealed class DateInput
{
    public string? Day { get; set; }
    public string? Month { get; set; }
    public string? Year { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(Day) && string.IsNullOrWhiteSpace(Month) && string.IsNullOrWhiteSpace(Year);

    /// <summary>
    /// Null when empty; otherwise the date or an error such as "Date of birth must include a month".
    /// The date must fall in <paramref name="range"/>: by default 1900 to 2099, so that a slip such
    /// as 31/12/9999 is refused rather than stored.
    /// </summary>
    public (DateOnly? Date, string? Error) Read(string label, DateRange? range = null)
    {
        if (IsEmpty)
            return (null, null);
        var missing = new[] { ("day", Day), ("month", Month), ("year", Year) }.Where(p => string.IsNullOrWhiteSpace(p.Item2)).Select(p => p.Item1).ToList();
        if (missing.Count > 0)
            return (null, $"{label} must include a {string.Join(" and a ", missing)}");
        if (!int.TryParse(Day, out var d) || !int.TryParse(Month, out var m) || !int.TryParse(Year, out var y))
            return (null, $"{label} must be a real date, in numbers");
        if (Year!.Trim().Length != 4)
            return (null, $"Year must include 4 numbers");
        if (m is < 1 or > 12 || d < 1 || y < 1 || d > DateTime.DaysInMonth(y, m))
            return (null, $"{label} must be a real date");
        var date = new DateOnly(y, m, d);
        range ??= DateRange.Any;
        if (!range.Contains(date))
            return (null, $"{label} must be {range.Describe()}");
        return (date, null);
    }

    /// <summary>
    /// An optional period from two date inputs: each one's problem under "From" and "To", and
    /// <paramref name="outOfOrder"/> under "To" when the period ends before it starts.
    /// </summary>
    public static (DateOnly? From, DateOnly? To, Dictionary<string, string> Errors) ReadRange(DateInput from, DateInput to, string fromLabel, string toLabel, string outOfOrder)
    {
        var errors = new Dictionary<string, string>();
        var (fromDate, fromError) = from.Read(fromLabel);
        var (toDate, toError) = to.Read(toLabel);
        if (fromError is not null)
            errors["From"] = fromError;
        if (toError is not null)
            errors["To"] = toError;
        else if (fromDate is { } f && toDate is { } t && t < f)
            errors["To"] = outOfOrder;
        return (fromDate, toDate, errors);
    }

    /// <summary>Adds the three boxes to a list's query string as typed (so a filter link keeps them), nothing when empty.</summary>
    public void AddToQuery(List<string> parts, string name)
    {
        if (IsEmpty)
            return;
        parts.Add($"{name}.Day={Uri.EscapeDataString(Day ?? "")}");
        parts.Add($"{name}.Month={Uri.EscapeDataString(Month ?? "")}");
        parts.Add($"{name}.Year={Uri.EscapeDataString(Year ?? "")}");
    }

    public static DateInput From(DateOnly? date) =>
        date is { } d ? new DateInput { Day = d.Day.ToString(), Month = d.Month.ToString(), Year = d.Year.ToString() } : new DateInput();
}

/// <summary>The dates a field accepts, said in its message ("must be between 1 January 1900 and today").</summary>
public sealed record DateRange(DateOnly Earliest, DateOnly Latest, DateOnly? Today = null)
{
    /// <summary>The widest range: any field, unless it says otherwise.</summary>
    public static DateRange Any { get; } = new(SaneDates.Earliest, SaneDates.Latest);

    /// <summary>A date of birth: not in the future, not before 1900.</summary>
    public static DateRange Birth(DateOnly today) => new(SaneDates.Earliest, today, today);

    /// <summary>Something that happens or is planned: from 1900 to no more than <paramref name="ahead"/> after today.</summary>
    public static DateRange UpTo(DateOnly today, TimeSpan ahead) => new(SaneDates.Earliest, today.AddDays((int)ahead.TotalDays), today);

    /// <summary>
    /// A field's own bound on one side, the sane calendar on the other: the side a service already
    /// checks against other facts (after the case opened, not in the future) is left to its message.
    /// </summary>
    public static DateRange NoEarlierThan(DateOnly earliest, DateOnly today) => new(earliest, SaneDates.Latest, today);

    /// <inheritdoc cref="NoEarlierThan"/>
    public static DateRange NoLaterThan(DateOnly latest, DateOnly today) => new(SaneDates.Earliest, latest, today);

    public bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    public string Describe() => $"between {Say(Earliest)} and {Say(Latest)}";

    private string Say(DateOnly date) => date == Today ? "today" : date.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("en-GB"));
}

/// <summary>What the _DateInput partial needs: the field's id, the bound name prefix, its legend, value and error.</summary>
public sealed record DateInputField(string Id, DateInputNames Name, string Legend, DateInput Value, string? Error);

public sealed record DateInputNames(string Prefix)
{
    public string Day => $"{Prefix}.Day";
    public string Month => $"{Prefix}.Month";
    public string Year => $"{Prefix}.Year";
}
