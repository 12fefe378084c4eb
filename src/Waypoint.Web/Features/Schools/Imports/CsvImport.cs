using System.Globalization;
using CsvHelper;
using Waypoint.Features.People;

namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// Who a CSV row is about. Rows are matched to pupils by UPN where there is one, otherwise by
/// name and date of birth through the register's duplicate rules; the name and date of birth are
/// always given so that a match by UPN can be confirmed and a new pupil can be registered.
/// </summary>
public sealed record ParsedPupilIdentity(string? Upn, string Surname, string Forename, DateOnly DateOfBirth)
{
    /// <summary>The same pupil within one file: by UPN where given, else by name and date of birth.</summary>
    internal string Key => Upn ?? $"{Surname.ToUpperInvariant()}\u001f{Forename.ToUpperInvariant()}\u001f{DateOfBirth:yyyy-MM-dd}";
}

/// <summary>One kind of CSV import file: its documented columns and how a row becomes a record.</summary>
internal abstract class CsvImportFormat<T>
{
    /// <summary>"an attendance file", for messages.</summary>
    public abstract string Kind { get; }

    /// <summary>The documented columns (docs/imports.md), every one of which the header must have, and no others.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The record, or null when the row has problems (already reported on <paramref name="row"/>).</summary>
    public abstract T? Read(CsvImportRow row);

    /// <summary>What makes two rows the same record, so that a repeated row is reported rather than applied twice.</summary>
    public abstract object DuplicateKey(T record);

    /// <summary>"the same pupil, school and period", completing "This row has ... as line 4".</summary>
    public abstract string DuplicateMeaning { get; }

    /// <summary>
    /// Columns a header may leave out, as MIS reports do: read as blank. SchoolURN left out means
    /// every row is the importing school's.
    /// </summary>
    public virtual IReadOnlyList<string> OptionalColumns => ["SchoolURN"];
}

/// <summary>
/// The headings MIS reports (SIMS, Arbor, Bromcom and others) write for each documented column,
/// matched without regard to case, spaces, underscores, hyphens, dots and brackets; and the
/// headings of columns Waypoint does not read that an export commonly carries, which are passed
/// over with a warning. docs/imports.md lists them and marks which are inferred.
/// </summary>
public static class CsvColumnAliases
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Aliases { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        ["UPN"] = ["Unique Pupil Number"],
        ["Surname"] = ["Legal Surname", "Legal last name", "Last name", "Family name"],
        ["Forename"] = ["Legal Forename", "Legal first name", "First name", "Given name"],
        ["DateOfBirth"] = ["DOB", "Birth date"],
        ["Gender"] = ["Sex"],
        ["SchoolURN"] = ["URN", "School URN"],
        ["StartDate"] = ["Admission Date", "Date of Admission", "Enrolment Date", "Entry Date", "Exclusion Start Date"],
        ["EndDate"] = ["Leaving Date", "Date of Leaving"],
        ["YearGroup"] = ["Year", "NC Year", "Year Taught In"],
        ["EnrolStatus"] = ["Enrolment Status", "Enrollment Status", "Registration Status"],
        ["PeriodStart"] = ["Period Start", "Start of Period", "From"],
        ["PeriodEnd"] = ["Period End", "End of Period", "To"],
        ["SessionsPossible"] = ["Possible", "Possible Sessions"],
        ["SessionsPresent"] = ["Present", "Attended", "Attendance", "Sessions Attended"],
        ["AuthorisedAbsence"] = ["Authorised", "Authorised Absences", "Sessions Authorised"],
        ["UnauthorisedAbsence"] = ["Unauthorised", "Unauthorised Absences", "Sessions Unauthorised"],
        ["Category"] = ["Exclusion Type", "Exclusion Category", "Type"],
        ["Sessions"] = ["Number of Sessions", "Exclusion Number of Sessions", "Length (sessions)"],
        ["Reason1"] = ["Reason", "Reason 1", "Exclusion Reason", "Exclusion Reason 1"],
        ["Reason2"] = ["Reason 2", "Exclusion Reason 2"],
        ["Reason3"] = ["Reason 3", "Exclusion Reason 3"],
        ["FormerUPN"] = ["Former UPN", "Previous UPN"],
        ["MiddleNames"] = ["Middle Name", "Middle Names", "Legal Middle Names"],
        ["PreferredForename"] = ["Preferred Forename", "Preferred First Name", "Known As"],
        ["PreferredSurname"] = ["Preferred Surname", "Preferred Last Name"],
        ["LeavingReason"] = ["Leaving Reason", "Reason for Leaving"],
    };

    /// <summary>Columns an export commonly carries that no format reads: passed over with a warning.</summary>
    public static IReadOnlyList<string> Ignorable { get; } =
    [
        "% Attendance", "Attendance %", "Attendance Percentage", "Reg Group", "Registration Group", "Registration form",
        "Tutor Group", "Form", "Adno", "Admission Number", "Person ID", "Middle Names", "Preferred Forename",
        "Preferred Surname", "Preferred Name", "Leaving Reason",
    ];

    /// <summary>A heading reduced to what matters: "Date of Birth", "date_of_birth" and "DateOfBirth" are the same.</summary>
    public static string Normalise(string heading) =>
        string.Concat(heading.Where(c => char.IsLetterOrDigit(c) || c == '%').Select(char.ToLowerInvariant));

    /// <summary>The documented column a heading names in a format with these columns, or null.</summary>
    public static string? Canonical(string heading, IReadOnlyList<string> columns)
    {
        var key = Normalise(heading);
        foreach (var column in columns)
            if (Normalise(column) == key || (Aliases.TryGetValue(column, out var aliases) && aliases.Any(a => Normalise(a) == key)))
                return column;
        return null;
    }

    public static bool IsIgnorable(string heading) => Ignorable.Any(i => Normalise(i) == Normalise(heading));
}

/// <summary>
/// Reads a CSV import file with CsvHelper: checks the bytes are UTF-8 (a byte-order mark is
/// fine), the header has exactly the documented columns, and every row, collecting every
/// problem rather than stopping at the first.
/// </summary>
internal static class CsvImport
{
    public static ImportParseResult<T> Parse<T>(Stream stream, string fileName, CsvImportFormat<T> format, IReadOnlyDictionary<string, string?>? mapping = null)
    {
        var problems = new List<ImportProblem>();
        var warnings = new List<ImportProblem>();
        var records = new List<T>();
        var malformedLines = new HashSet<int>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            AllowLineBreaksInQuotes = true,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = record =>
            {
                malformedLines.Add((int)record.LineNumber);
                problems.Add(new ImportProblem(fileName, (int)record.LineNumber, null, Describe(record.Reason)));
            },
        };

        try
        {
            var checking = new Utf8CheckingStream(stream);
            using var csv = CsvReader.Create(checking, options, leaveOpen: true);
            csv.ReadHeader();
            var columns = CheckHeader(csv.Headers, fileName, format, problems, warnings, mapping ?? EmptyMapping);
            if (columns is null)
                return new ImportParseResult<T>(fileName, records, problems);

            var firstLines = new Dictionary<object, int>();
            var row = new CsvImportRow(csv, columns, fileName, problems, warnings);
            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                if (malformedLines.Contains(line) || IsBlank(csv))
                    continue;
                if (IsTotals(csv))
                {
                    warnings.Add(new ImportProblem(fileName, line, null, $"This row is a totals row (\"{csv.GetString(0).Trim()}\"), not a pupil, and was passed over."));
                    continue;
                }
                if (csv.FieldCount != csv.Headers.Count)
                {
                    problems.Add(new ImportProblem(fileName, line, null,
                        $"This row has {Count(csv.FieldCount, "value")} but the header has {Count(csv.Headers.Count, "column")}. Check for a missing or extra comma, or a value with a comma in it that is not in quotes."));
                    continue;
                }

                row.Start(line);
                var record = format.Read(row);
                if (record is null || row.HasProblems)
                    continue;
                var key = format.DuplicateKey(record);
                if (firstLines.TryGetValue(key, out var first))
                {
                    problems.Add(new ImportProblem(fileName, line, null, $"This row has {format.DuplicateMeaning} as line {first}: remove one of them, or correct it."));
                    continue;
                }
                firstLines.Add(key, line);
                records.Add(record);
            }
        }
        catch (ImportEncodingException e)
        {
            problems.Add(new ImportProblem(fileName, e.Line, null, e.Message));
        }

        // Quoting problems are found as the reader scans ahead of the rows; the sender reads them in line order.
        return new ImportParseResult<T>(fileName, records, [.. problems.OrderBy(p => p.Line ?? 0)]) { Warnings = warnings };
    }

    /// <summary>A totals row, as report exports end with: "Total" (or "Totals", "Grand total") first, and at most numbers after it.</summary>
    private static bool IsTotals(CsvReader csv)
    {
        var first = csv.GetString(0).Trim();
        if (!(first.Equals("Total", StringComparison.OrdinalIgnoreCase) || first.Equals("Totals", StringComparison.OrdinalIgnoreCase)
                || first.Equals("Grand total", StringComparison.OrdinalIgnoreCase)))
            return false;
        for (var i = 1; i < csv.FieldCount; i++)
        {
            var value = csv.GetString(i).Trim();
            if (value.Length > 0 && !double.TryParse(value.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                return false;
        }
        return true;
    }

    /// <summary>
    /// The index of each documented column, or null when the header is wrong (rows cannot be read
    /// against it). Headings are matched through <see cref="CsvColumnAliases"/>; a column no format
    /// reads but exports commonly carry is passed over with a warning.
    /// </summary>
    private static readonly Dictionary<string, string?> EmptyMapping = [];

    /// <param name="mapping">The school's saved headings (<see cref="Domain.ImportColumnMapping"/>), by normalised heading: a documented column, or null to pass over.</param>
    private static Dictionary<string, int>? CheckHeader<T>(IReadOnlyList<string> header, string fileName, CsvImportFormat<T> format, List<ImportProblem> problems,
        List<ImportProblem> warnings, IReadOnlyDictionary<string, string?> mapping)
    {
        if (header.Count == 0 || header is [var only] && string.IsNullOrWhiteSpace(only))
        {
            problems.Add(new ImportProblem(fileName, 1, "header", $"The file is empty. It should start with a header line naming the columns: {string.Join(",", format.Columns)}"));
            return null;
        }

        var before = problems.Count;
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            var canonical = name.Length == 0 ? null : CsvColumnAliases.Canonical(name, format.Columns);
            if (canonical is null && name.Length > 0 && mapping.TryGetValue(CsvColumnAliases.Normalise(name), out var mapped))
            {
                if (mapped is null)
                    continue;
                canonical = mapped;
            }
            if (name.Length == 0)
                problems.Add(new ImportProblem(fileName, 1, "header", $"Column {i + 1} has no name. The header must name the columns of {format.Kind}."));
            else if (canonical is null && CsvColumnAliases.IsIgnorable(name))
                warnings.Add(new ImportProblem(fileName, 1, "header", $"The column \"{name}\" is not one Waypoint reads, and was passed over."));
            else if (canonical is null)
                problems.Add(new ImportProblem(fileName, 1, "header", $"The column \"{name}\" is not one of the columns of {format.Kind}: remove it, correct its name, or tell Waypoint what it is under Imports, your MIS's headings."));
            else if (!columns.TryAdd(canonical, i))
                problems.Add(new ImportProblem(fileName, 1, "header", name.Equals(header[columns[canonical]].Trim(), StringComparison.OrdinalIgnoreCase)
                    ? $"The column \"{name}\" appears more than once."
                    : $"The columns \"{header[columns[canonical]].Trim()}\" and \"{name}\" are both read as {canonical}: remove one of them."));
        }
        foreach (var missing in format.Columns.Where(c => !columns.ContainsKey(c) && !format.OptionalColumns.Contains(c)))
            problems.Add(new ImportProblem(fileName, 1, "header", $"The column \"{missing}\" is missing: {format.Kind} must have it, even where it is left blank."));

        return problems.Count == before ? columns : null;
    }

    private static bool IsBlank(CsvReader csv)
    {
        for (var i = 0; i < csv.FieldCount; i++)
            if (!csv.GetSpan(i).Trim(" \t"u8).IsEmpty)
                return false;
        return true;
    }

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.StrayQuote => "A value has a quote mark (\") in it but does not start with one. Put the whole value in quotes and write the quote mark inside it twice (\"\").",
        CsvMalformedReason.TextAfterClosingQuote => "A value has text after its closing quote mark. Put the whole value in quotes and write any quote mark inside it twice (\"\").",
        CsvMalformedReason.UnterminatedQuote => "A quote mark opens a value but nothing closes it, so the rest of the file would be read as one value.",
        _ => "This row is not valid CSV.",
    };

    internal static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}

/// <summary>
/// The fields of the current row, read with the checks every format shares. Each problem is
/// reported with the file, line and column, and the row is marked as having problems so it is
/// not applied.
/// </summary>
internal sealed class CsvImportRow(CsvReader csv, IReadOnlyDictionary<string, int> columns, string fileName, List<ImportProblem> problems, List<ImportProblem>? warnings = null)
{
    public const int MaxNameLength = 100;

    public int Line { get; private set; }
    public bool HasProblems { get; private set; }

    public void Start(int line)
    {
        Line = line;
        HasProblems = false;
    }

    /// <summary>
    /// Something worth checking that does not stop the row being applied, said once per file for
    /// each <paramref name="topic"/> (at its first line) so that a large file does not repeat it on every row.
    /// </summary>
    public void Warn(string column, string topic, string message)
    {
        if (warnings is null || !warnedTopics.Add(topic))
            return;
        warnings.Add(new ImportProblem(fileName, Line, $"column {column}", message));
    }

    private readonly HashSet<string> warnedTopics = new(StringComparer.Ordinal);

    public void Problem(string? column, string message)
    {
        HasProblems = true;
        problems.Add(new ImportProblem(fileName, Line, column is null ? null : $"column {column}", message));
    }

    /// <summary>The value as written, without surrounding spaces; blank for a column the header left out.</summary>
    public string Raw(string column) => columns.TryGetValue(column, out var index) ? csv.GetString(index).Trim() : "";

    /// <summary>Whether the header has the column (an optional column may be left out).</summary>
    public bool Has(string column) => columns.ContainsKey(column);

    public string? Text(string column, int maxLength, bool required = true, bool allowLineBreaks = false)
    {
        var value = Raw(column);
        if (value.Length == 0)
        {
            if (required)
                Problem(column, $"Enter the {Words(column)}: it cannot be blank");
            return null;
        }
        if (value.Length > maxLength)
        {
            Problem(column, $"This is {value.Length} characters long; the most allowed is {maxLength}");
            return null;
        }
        if (value.Any(c => char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')))
        {
            Problem(column, allowLineBreaks ? "This contains a control character, which is not allowed" : "This contains a line break or other control character, which is not allowed");
            return null;
        }
        return value;
    }

    public DateOnly? Date(string column, bool required = true)
    {
        var value = Raw(column);
        if (value.Length == 0)
        {
            if (required)
                Problem(column, $"Enter the {Words(column)} as {ImportDates.Formats}");
            return null;
        }
        var date = ImportDates.Parse(value, isoOnly: false, out var problem);
        if (problem is not null)
            Problem(column, problem);
        return date;
    }

    public int? Whole(string column, int min, int max, bool required = true)
    {
        var value = Raw(column);
        if (value.Length == 0)
        {
            if (required)
                Problem(column, $"Enter the {Words(column)} as a whole number");
            return null;
        }
        if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Problem(column, $"\"{value}\" is not a whole number");
            return null;
        }
        if (number < min || number > max)
        {
            Problem(column, number < min ? $"{number} is less than {min}, the least allowed" : $"{number} is more than {max}, the most allowed");
            return null;
        }
        return number;
    }

    /// <summary>One of a fixed list of codes, matched without regard to case and returned as the list writes it.</summary>
    public string? Code(string column, IEnumerable<string> allowed, bool required = true)
    {
        var value = Raw(column);
        if (value.Length == 0)
        {
            if (required)
                Problem(column, $"Enter the {Words(column)}: one of {string.Join(", ", allowed)}");
            return null;
        }
        var found = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (found is null)
            Problem(column, $"\"{value}\" is not one of {string.Join(", ", allowed)}");
        return found;
    }

    /// <summary>
    /// A code written as the code or as the words a MIS writes for it (Male for M, "Year 8" for 8),
    /// matched without regard to case, spaces and punctuation; returned as the code.
    /// </summary>
    public string? CodeOrWords(string column, IEnumerable<string> allowed, IReadOnlyDictionary<string, string> words, bool required = true)
    {
        var value = Raw(column);
        if (value.Length > 0 && words.TryGetValue(CsvColumnAliases.Normalise(value), out var code))
            return code;
        return Code(column, allowed, required);
    }

    /// <summary>Y or N (Yes or No); blank means no.</summary>
    public bool YesNo(string column)
    {
        var value = Raw(column);
        if (value.Length == 0 || value.Equals("N", StringComparison.OrdinalIgnoreCase) || value.Equals("No", StringComparison.OrdinalIgnoreCase))
            return false;
        if (value.Equals("Y", StringComparison.OrdinalIgnoreCase) || value.Equals("Yes", StringComparison.OrdinalIgnoreCase))
            return true;
        Problem(column, $"\"{value}\" is not Y or N");
        return false;
    }

    /// <summary>A school's unique reference number (six digits), which says which school the row is about.</summary>
    public string? SchoolUrn(string column = "SchoolURN")
    {
        // Left out, as a MIS report leaves it out: every row is the importing school's.
        if (!Has(column))
            return "";
        var value = Raw(column);
        if (value.Length == 6 && value.All(char.IsAsciiDigit))
            return value;
        Problem(column, value.Length == 0 ? "Enter the school's URN (unique reference number, six digits)" : $"\"{value}\" is not a school URN: a URN is six digits");
        return null;
    }

    /// <summary>The pupil columns every CSV format starts with: UPN (may be blank), Surname, Forename, DateOfBirth.</summary>
    public ParsedPupilIdentity? Pupil()
    {
        var upnText = Raw("UPN");
        string? upn = null;
        if (upnText.Length > 0)
        {
            if (Upn.Validate(upnText) is { } wrong)
                Problem("UPN", wrong);
            else
                upn = Upn.Normalise(upnText);
        }
        var surname = Text("Surname", MaxNameLength);
        var forename = Text("Forename", MaxNameLength);
        var dateOfBirth = Date("DateOfBirth");
        return surname is null || forename is null || dateOfBirth is null ? null : new ParsedPupilIdentity(upn, surname, forename, dateOfBirth.Value);
    }

    /// <summary>
    /// A UPN the pupil had before (a temporary one replaced by a permanent one): blank, or a valid
    /// UPN different from the row's own, by which an earlier import's pupil is joined rather than duplicated.
    /// </summary>
    public string? FormerUpn(string column, ParsedPupilIdentity? pupil)
    {
        var text = Raw(column);
        if (text.Length == 0)
            return null;
        if (Upn.Validate(text) is { } wrong)
        {
            Problem(column, wrong);
            return null;
        }
        var former = Upn.Normalise(text);
        if (pupil?.Upn is { } current && current == former)
        {
            Problem(column, "The former UPN is the same as the pupil's UPN: leave it blank unless the pupil had another UPN before");
            return null;
        }
        return former;
    }

    /// <summary>Reports a date of the record that comes before the pupil was born, which is always a mistake in one or the other.</summary>
    public void NotBeforeBirth(ParsedPupilIdentity? pupil, string column, DateOnly? date)
    {
        if (pupil is not null && date is { } d && d < pupil.DateOfBirth)
            Problem(column, $"{ImportDates.Describe(d)} is before the pupil's date of birth ({ImportDates.Describe(pupil.DateOfBirth)})");
    }

    private static string Words(string column) => column switch
    {
        "DateOfBirth" => "date of birth",
        "PeriodStart" => "start of the period",
        "PeriodEnd" => "end of the period",
        "Reason1" => "first reason code",
        _ => string.Concat(column.Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(column[i - 1]) ? " " + c : c.ToString())).ToLowerInvariant(),
    };
}
