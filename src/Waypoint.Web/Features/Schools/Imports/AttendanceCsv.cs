using System.Globalization;

namespace Waypoint.Features.Schools.Imports;

/// <summary>Sessions recorded with one attendance code in a period.</summary>
public sealed record ParsedAttendanceCodeCount(string Code, int Sessions);

/// <summary>A pupil's attendance at one school over one period, in sessions (two a school day), from one row of an attendance file.</summary>
public sealed record ParsedAttendance(
    int Line,
    ParsedPupilIdentity Pupil,
    string SchoolUrn,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    int SessionsPossible,
    int SessionsPresent,
    int AuthorisedAbsence,
    int UnauthorisedAbsence,
    IReadOnlyList<ParsedAttendanceCodeCount> CodeCounts);

/// <summary>The attendance CSV file (columns in docs/imports.md).</summary>
public static class AttendanceCsv
{
    /// <summary>The longest period a row may cover: an academic year, with room for a September start.</summary>
    public const int MaxPeriodDays = 366;

    public static IReadOnlyList<string> Columns => Format.Instance.Columns;

    public static ImportParseResult<ParsedAttendance> Parse(Stream stream, string fileName, IReadOnlyDictionary<string, string?>? mapping = null) => CsvImport.Parse(stream, fileName, Format.Instance, mapping);

    private sealed class Format : CsvImportFormat<ParsedAttendance>
    {
        public static readonly Format Instance = new();

        public override string Kind => "an attendance file";

        public override IReadOnlyList<string> Columns { get; } =
        [
            "UPN", "Surname", "Forename", "DateOfBirth", "SchoolURN", "PeriodStart", "PeriodEnd",
            "SessionsPossible", "SessionsPresent", "AuthorisedAbsence", "UnauthorisedAbsence", "AttendanceCodes",
        ];

        public override string DuplicateMeaning => "the same pupil, school and period";

        public override IReadOnlyList<string> OptionalColumns { get; } = ["UPN", "SchoolURN", "AttendanceCodes"];

        public override object DuplicateKey(ParsedAttendance record) => (record.Pupil.Key, record.SchoolUrn, record.PeriodStart, record.PeriodEnd);

        public override ParsedAttendance? Read(CsvImportRow row)
        {
            var pupil = row.Pupil();
            var school = row.SchoolUrn();
            var start = row.Date("PeriodStart");
            var end = row.Date("PeriodEnd");

            // Two sessions a day is the most any period can hold; a bigger number is a typing mistake or the wrong column.
            var maxSessions = 2 * MaxPeriodDays;
            if (start is { } s && end is { } e)
            {
                if (e < s)
                    row.Problem("PeriodEnd", $"The end of the period ({ImportDates.Describe(e)}) is before its start ({ImportDates.Describe(s)})");
                else if (e.DayNumber - s.DayNumber + 1 > MaxPeriodDays)
                    row.Problem("PeriodEnd", $"The period is {e.DayNumber - s.DayNumber + 1} days long; a row covers at most an academic year");
                else
                    maxSessions = 2 * (e.DayNumber - s.DayNumber + 1);
            }
            row.NotBeforeBirth(pupil, "PeriodStart", start);

            var possible = row.Whole("SessionsPossible", 0, maxSessions);
            var present = row.Whole("SessionsPresent", 0, maxSessions);
            var authorised = row.Whole("AuthorisedAbsence", 0, maxSessions);
            var unauthorised = row.Whole("UnauthorisedAbsence", 0, maxSessions);
            if (possible is { } p && present is { } pr && authorised is { } a && unauthorised is { } u && pr + a + u > p)
                row.Problem("SessionsPossible",
                    $"Sessions present ({pr}), authorised absence ({a}) and unauthorised absence ({u}) add up to {pr + a + u}, more than the {p} sessions possible");

            var codes = ReadCodes(row, start, end);
            if (codes is not null)
            {
                var from = start ?? AttendanceCodeSets.From2024;
                CheckCodeTotal(row, codes, from, AttendanceMarkCount.Present, present, "SessionsPresent", "present");
                CheckCodeTotal(row, codes, from, AttendanceMarkCount.AuthorisedAbsence, authorised, "AuthorisedAbsence", "authorised absence");
                CheckCodeTotal(row, codes, from, AttendanceMarkCount.UnauthorisedAbsence, unauthorised, "UnauthorisedAbsence", "unauthorised absence");
            }

            if (pupil is null || school is null || start is null || end is null || possible is null || present is null || authorised is null || unauthorised is null || codes is null || row.HasProblems)
                return null;
            return new ParsedAttendance(row.Line, pupil, school, start.Value, end.Value, possible.Value, present.Value, authorised.Value, unauthorised.Value, codes);
        }

        /// <summary>
        /// "I=4;M=1;O=2": sessions per attendance code, where the school gives them; blank for none.
        /// A code is accepted when it was in use on some day of the period (H before 19 August 2024, J1 after).
        /// </summary>
        private static List<ParsedAttendanceCodeCount>? ReadCodes(CsvImportRow row, DateOnly? start, DateOnly? end)
        {
            const string column = "AttendanceCodes";
            var text = row.Raw(column);
            var counts = new List<ParsedAttendanceCodeCount>();
            if (text.Length == 0)
                return counts;
            var ok = true;
            foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = part.LastIndexOf('=');
                if (equals <= 0)
                {
                    row.Problem(column, $"\"{part}\" is not a code and a number of sessions: write each as code=sessions, separated by semicolons, such as I=4;M=1");
                    ok = false;
                    continue;
                }
                var code = part[..equals].Trim().ToUpperInvariant();
                var number = part[(equals + 1)..].Trim();
                if (start is { } from && end is { } to ? !AttendanceCodeSets.ValidBetween(code, from, to) : AttendanceCodeSet2024.Find(code) is null)
                {
                    row.Problem(column, start is { } s && end is { } e
                        ? $"{AttendanceCodeSets.Explain(code, s >= AttendanceCodeSets.From2024 ? s : e)} (this row is for {ImportDates.Describe(s)} to {ImportDates.Describe(e)})"
                        : AttendanceCodeSet2024.Explain(code));
                    ok = false;
                }
                else if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var sessions))
                {
                    row.Problem(column, $"The number of sessions for code {code}, \"{number}\", is not a whole number of 0 or more");
                    ok = false;
                }
                else if (counts.Any(c => c.Code == code))
                {
                    row.Problem(column, $"The code {code} is given more than once");
                    ok = false;
                }
                else
                {
                    counts.Add(new ParsedAttendanceCodeCount(code, sessions));
                }
            }
            return ok ? counts : null;
        }

        private static void CheckCodeTotal(CsvImportRow row, List<ParsedAttendanceCodeCount> codes, DateOnly from, AttendanceMarkCount count, int? total, string column, string words)
        {
            // A code counts as it did in the period: J (before 2024) as present, its successor J1 as authorised absence.
            var sum = codes.Where(c => (AttendanceCodeSets.Find(c.Code, from) ?? AttendanceCodeSet2024.Find(c.Code)) == count).Sum(c => c.Sessions);
            if (total is { } t && sum > t)
                row.Problem("AttendanceCodes", $"The codes that count as {words} add up to {sum} sessions, more than {column} ({t})");
        }
    }
}
