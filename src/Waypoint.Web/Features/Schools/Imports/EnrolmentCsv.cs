using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

/// <summary>A pupil's registration at a school, from one row of an enrolments file.</summary>
public sealed record ParsedEnrolment(
    int Line,
    ParsedPupilIdentity Pupil,
    string? Gender,
    string SchoolUrn,
    DateOnly StartDate,
    DateOnly? EndDate,
    string? YearGroup,
    string EnrolStatus,
    string? FormerUpn = null,
    PupilDetails? Details = null,
    string? LeavingReason = null)
{
    /// <summary>Main (M) or subsidiary (S) dual registration: the pupil is on two schools' rolls.</summary>
    public bool IsDualRegistration => EnrolStatus is "M" or "S";
}

/// <summary>The enrolments CSV file (columns in docs/imports.md).</summary>
public static class EnrolmentCsv
{
    public static IReadOnlyList<string> Columns => Format.Instance.Columns;

    public static ImportParseResult<ParsedEnrolment> Parse(Stream stream, string fileName, IReadOnlyDictionary<string, string?>? mapping = null) => CsvImport.Parse(stream, fileName, Format.Instance, mapping);

    private sealed class Format : CsvImportFormat<ParsedEnrolment>
    {
        public static readonly Format Instance = new();

        public override string Kind => "an enrolments file";

        public override IReadOnlyList<string> Columns { get; } =
            [
                "UPN", "Surname", "Forename", "DateOfBirth", "Gender", "SchoolURN", "StartDate", "EndDate", "YearGroup", "EnrolStatus",
                "FormerUPN", "MiddleNames", "PreferredForename", "PreferredSurname", "LeavingReason",
            ];

        public override string DuplicateMeaning => "the same pupil, school and start date";

        public override IReadOnlyList<string> OptionalColumns { get; } = [
            "UPN", "Gender", "SchoolURN", "EndDate", "YearGroup", "EnrolStatus", "FormerUPN", "MiddleNames", "PreferredForename", "PreferredSurname", "LeavingReason",
        ];

        public override object DuplicateKey(ParsedEnrolment record) => (record.Pupil.Key, record.SchoolUrn, record.StartDate);

        public override ParsedEnrolment? Read(CsvImportRow row)
        {
            var pupil = row.Pupil();
            var gender = row.CodeOrWords("Gender", SchoolCensusCodes.Genders, SchoolCensusCodes.GenderWords, required: false);
            var school = row.SchoolUrn();
            var start = row.Date("StartDate");
            var end = row.Date("EndDate", required: false);
            var yearGroup = row.CodeOrWords("YearGroup", SchoolCensusCodes.YearGroups, SchoolCensusCodes.YearGroupWords, required: false);
            var status = row.CodeOrWords("EnrolStatus", SchoolCensusCodes.EnrolStatuses, SchoolCensusCodes.EnrolStatusWords, required: false) ?? "C";
            var formerUpn = row.FormerUpn("FormerUPN", pupil);
            var middle = row.Text("MiddleNames", 2 * CsvImportRow.MaxNameLength, required: false);
            var preferredForename = row.Text("PreferredForename", CsvImportRow.MaxNameLength, required: false);
            var preferredSurname = row.Text("PreferredSurname", CsvImportRow.MaxNameLength, required: false);
            var leavingReason = row.Text("LeavingReason", EnrolmentLimits.LeavingReasonLength, required: false);
            if (leavingReason is not null && end is null)
                row.Problem("LeavingReason", "A leaving reason is given but no end date: give the date the pupil left, or leave the reason blank");

            row.NotBeforeBirth(pupil, "StartDate", start);
            if (start is { } s && end is { } e && e < s)
                row.Problem("EndDate", $"The end date ({ImportDates.Describe(e)}) is before the start date ({ImportDates.Describe(s)})");

            if (pupil is null || school is null || start is null || row.HasProblems)
                return null;
            return new ParsedEnrolment(row.Line, pupil, gender, school, start.Value, end, yearGroup, status, formerUpn,
                new PupilDetails(PupilDetails.SexOf(gender), middle, preferredForename, preferredSurname), leavingReason);
        }
    }
}
