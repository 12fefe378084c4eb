namespace Waypoint.Features.Schools.Imports;

/// <summary>The school census exclusion categories.</summary>
public enum ParsedExclusionCategory
{
    /// <summary>FIXD: a suspension (fixed-period exclusion).</summary>
    Suspension,

    /// <summary>LNCH: a suspension over lunchtime, one session per lunchtime.</summary>
    LunchtimeSuspension,

    /// <summary>PERM: a permanent exclusion.</summary>
    PermanentExclusion,
}

/// <summary>Where a suspension or exclusion stands after any review (names as the domain's outcome).</summary>
public enum ParsedExclusionOutcome
{
    NotReviewed,
    Pending,
    Upheld,
    Reinstated,
    Withdrawn,
}

/// <summary>A suspension or permanent exclusion, from one row of a suspensions and exclusions file.</summary>
public sealed record ParsedSuspension(
    int Line,
    ParsedPupilIdentity Pupil,
    string SchoolUrn,
    ParsedExclusionCategory Category,
    DateOnly StartDate,
    int? Sessions,
    IReadOnlyList<string> ReasonCodes,
    ParsedExclusionOutcome Outcome,
    bool AlternativeProvisionArranged,
    bool MissesPublicExamination);

/// <summary>The suspensions and exclusions CSV file (columns in docs/imports.md).</summary>
public static class SuspensionCsv
{
    /// <summary>No pupil may be suspended for more than 45 school days in an academic year, so no one suspension is longer.</summary>
    public const int MaxSessions = 90;

    private static readonly Dictionary<string, ParsedExclusionCategory> Categories = new(StringComparer.Ordinal)
    {
        ["FIXD"] = ParsedExclusionCategory.Suspension,
        ["LNCH"] = ParsedExclusionCategory.LunchtimeSuspension,
        ["PERM"] = ParsedExclusionCategory.PermanentExclusion,
    };

    public static IReadOnlyList<string> Columns => Format.Instance.Columns;

    public static ImportParseResult<ParsedSuspension> Parse(Stream stream, string fileName, IReadOnlyDictionary<string, string?>? mapping = null) => CsvImport.Parse(stream, fileName, Format.Instance, mapping);

    private sealed class Format : CsvImportFormat<ParsedSuspension>
    {
        public static readonly Format Instance = new();

        private static readonly string[] ReasonColumns = ["Reason1", "Reason2", "Reason3"];

        public override string Kind => "a suspensions and exclusions file";

        public override IReadOnlyList<string> Columns { get; } =
        [
            "UPN", "Surname", "Forename", "DateOfBirth", "SchoolURN", "Category", "StartDate", "Sessions",
            "Reason1", "Reason2", "Reason3", "Outcome", "AlternativeProvision", "MissesPublicExam",
        ];

        public override string DuplicateMeaning => "the same pupil, school, category and start date";

        public override IReadOnlyList<string> OptionalColumns { get; } = ["UPN", "SchoolURN", "Reason2", "Reason3", "Outcome", "AlternativeProvision", "MissesPublicExam"];

        /// <summary>Categories as MIS screens and reports name them.</summary>
        private static readonly Dictionary<string, string> CategoryWords = new(StringComparer.Ordinal)
        {
            ["suspension"] = "FIXD",
            ["fixedperiod"] = "FIXD",
            ["fixedterm"] = "FIXD",
            ["fixedperiodexclusion"] = "FIXD",
            ["fixedtermexclusion"] = "FIXD",
            ["permanent"] = "PERM",
            ["permanentexclusion"] = "PERM",
            ["lunchtime"] = "LNCH",
            ["lunchtimesuspension"] = "LNCH",
            ["lunchtimeexclusion"] = "LNCH",
        };

        public override object DuplicateKey(ParsedSuspension record) => (record.Pupil.Key, record.SchoolUrn, record.Category, record.StartDate);

        public override ParsedSuspension? Read(CsvImportRow row)
        {
            var pupil = row.Pupil();
            var school = row.SchoolUrn();
            var categoryCode = row.CodeOrWords("Category", Categories.Keys, CategoryWords);
            var start = row.Date("StartDate");
            row.NotBeforeBirth(pupil, "StartDate", start);

            int? sessions = null;
            if (categoryCode is not null && Categories[categoryCode] == ParsedExclusionCategory.PermanentExclusion)
            {
                if (row.Raw("Sessions").Length > 0)
                    row.Problem("Sessions", "A permanent exclusion has no length: leave Sessions blank");
            }
            else
            {
                sessions = row.Whole("Sessions", 1, MaxSessions);
            }

            var reasons = new List<string>(SuspensionReasonCodes.MaxPerRecord);
            var gap = false;
            foreach (var column in ReasonColumns)
            {
                var written = row.Raw(column);
                var code = written.ToUpperInvariant();
                // A reason in words, as MIS reports write it, is read as its code where the words are exactly one reason's.
                if (written.Length > 2)
                {
                    if (SuspensionReasonCodes.FromWords(written) is { } fromWords)
                    {
                        code = fromWords;
                    }
                    else
                    {
                        row.Problem(column, SuspensionReasonCodes.ExplainWords(written));
                        continue;
                    }
                }
                if (code.Length == 0)
                {
                    if (column == "Reason1")
                        row.Problem(column, "Enter at least one DfE reason code");
                    gap = true;
                    continue;
                }
                if (gap)
                    row.Problem(column, $"{column} is given but the reason before it is blank: fill the reason columns in order");
                if (SuspensionReasonCodes.Check(code, start) is { } wrong)
                    row.Problem(column, wrong);
                else if (SuspensionReasonCodes.BeforeIntroduced(code, start) is { } early)
                {
                    row.Warn(column, $"early {code}", early);
                    reasons.Add(code);
                }
                else if (reasons.Contains(code))
                    row.Problem(column, $"The reason {code} is given twice");
                else
                    reasons.Add(code);
            }

            var outcomeText = row.Raw("Outcome");
            var outcome = ParsedExclusionOutcome.NotReviewed;
            if (outcomeText.Length > 0 && (!Enum.TryParse(outcomeText, ignoreCase: true, out outcome) || !Enum.IsDefined(outcome) || outcomeText.All(char.IsAsciiDigit)))
                row.Problem("Outcome", $"\"{outcomeText}\" is not one of {string.Join(", ", Enum.GetNames<ParsedExclusionOutcome>())}");
            var alternativeProvision = row.YesNo("AlternativeProvision");
            var missesExam = row.YesNo("MissesPublicExam");

            if (pupil is null || school is null || categoryCode is null || start is null || row.HasProblems)
                return null;
            return new ParsedSuspension(row.Line, pupil, school, Categories[categoryCode], start.Value, sessions, reasons, outcome, alternativeProvision, missesExam);
        }
    }
}
