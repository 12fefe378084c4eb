namespace Waypoint.Features.Schools.Imports;

/// <summary>One behaviour incident, from one row of a behaviour file.</summary>
public sealed record ParsedBehaviour(
    int Line,
    ParsedPupilIdentity Pupil,
    string SchoolUrn,
    DateOnly OccurredOn,
    string Category,
    int Severity,
    string Description);

/// <summary>The behaviour CSV file (columns in docs/imports.md).</summary>
public static class BehaviourCsv
{
    public const int MaxDescriptionLength = 2000;

    public static IReadOnlyList<string> Columns => Format.Instance.Columns;

    public static ImportParseResult<ParsedBehaviour> Parse(Stream stream, string fileName, IReadOnlyDictionary<string, string?>? mapping = null) => CsvImport.Parse(stream, fileName, Format.Instance, mapping);

    private sealed class Format : CsvImportFormat<ParsedBehaviour>
    {
        public static readonly Format Instance = new();

        public override string Kind => "a behaviour file";

        public override IReadOnlyList<string> Columns { get; } =
            ["UPN", "Surname", "Forename", "DateOfBirth", "SchoolURN", "Date", "Category", "Severity", "Description"];

        // Two incidents of the same kind on one day are common; only the same description as well makes a row a repeat.
        public override string DuplicateMeaning => "the same pupil, school, date, category and description";

        public override object DuplicateKey(ParsedBehaviour record) => (record.Pupil.Key, record.SchoolUrn, record.OccurredOn, record.Category, record.Description);

        public override ParsedBehaviour? Read(CsvImportRow row)
        {
            var pupil = row.Pupil();
            var school = row.SchoolUrn();
            var date = row.Date("Date");
            var category = row.Code("Category", BehaviourCategoryNames.All);
            var severity = row.Whole("Severity", 1, 5);
            var description = row.Text("Description", MaxDescriptionLength, allowLineBreaks: true);

            row.NotBeforeBirth(pupil, "Date", date);

            if (pupil is null || school is null || date is null || category is null || severity is null || description is null || row.HasProblems)
                return null;
            return new ParsedBehaviour(row.Line, pupil, school, date.Value, category, severity.Value, description);
        }
    }
}
