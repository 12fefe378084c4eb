namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// One thing wrong with an import file, located precisely enough for the person who made the file
/// to find and fix it: the file, the line, the column or element (and for a Common Transfer File
/// the pupil's position), and what is wrong in plain English. A message may quote a value from the
/// file (a date of birth that does not exist, say): show it to the person who sent the file, and
/// never write it to a log.
/// </summary>
public sealed record ImportProblem(string FileName, int? Line, string? Field, string Message)
{
    /// <summary>Which record of the file, where the line alone does not say (a pupil's position in a Common Transfer File).</summary>
    public string? Record { get; init; }

    /// <summary>The whole message: "attendance.csv, line 4, column SessionsPossible: ...".</summary>
    public override string ToString()
    {
        var where = new List<string>(4) { FileName };
        if (Line is { } line)
            where.Add($"line {line}");
        if (Record is not null)
            where.Add(Record);
        if (Field is not null)
            where.Add(Field);
        return $"{string.Join(", ", where)}: {Message}";
    }
}

/// <summary>What every parsed import file can say about itself, whatever its records are.</summary>
public interface IImportParseResult
{
    string FileName { get; }
    IReadOnlyList<ImportProblem> Problems { get; }
    int RecordCount { get; }

    /// <summary>
    /// A file is applied all or nothing: one problem anywhere rejects the whole file, so a
    /// half-applied file never leaves the records in a state nobody chose.
    /// </summary>
    bool IsAcceptable { get; }

    /// <summary>What was passed over without rejecting the file (a column not read, a totals row), for the summary.</summary>
    IReadOnlyList<ImportProblem> Warnings => [];
}

/// <summary>The records read from one import file, and every problem found in it (not just the first).</summary>
public sealed record ImportParseResult<T>(string FileName, IReadOnlyList<T> Records, IReadOnlyList<ImportProblem> Problems) : IImportParseResult
{
    public IReadOnlyList<ImportProblem> Warnings { get; init; } = [];

    public int RecordCount => Records.Count;
    public bool IsAcceptable => Problems.Count == 0;
}

/// <summary>The decision on a parsed file, in words for the person who sent it.</summary>
public static class ImportVerdict
{
    /// <summary>One sentence saying whether the file can be applied, for the top of a results page or a command line.</summary>
    public static string Summarise(IImportParseResult result) => result.Problems.Count switch
    {
        0 => $"{result.FileName} can be imported: {Count(result.RecordCount, "record")} read.",
        1 => $"{result.FileName} was not imported because of 1 problem. Nothing was changed: correct the file and send all of it again.",
        var n => $"{result.FileName} was not imported because of {n} problems. Nothing was changed: correct the file and send all of it again.",
    };

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
