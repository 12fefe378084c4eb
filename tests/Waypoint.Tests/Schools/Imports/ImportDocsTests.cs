using System.Text;
using System.Text.RegularExpressions;
using Shouldly;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>docs/imports.md is what senders follow: its examples must import and its column lists must be the parsers' columns.</summary>
public sealed partial class ImportDocsTests
{
    private static readonly string Guide = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "imports.md"));

    public static TheoryData<string, string> Formats => new()
    {
        { "Enrolments", string.Join(",", EnrolmentCsv.Columns) },
        { "Attendance", string.Join(",", AttendanceCsv.Columns) },
        { "Suspensions and exclusions", string.Join(",", SuspensionCsv.Columns) },
        { "Behaviour", string.Join(",", BehaviourCsv.Columns) },
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Guide_EachCsvFormat_DocumentsEveryColumn(string section, string columns)
    {
        var start = Guide.IndexOf($"### {section} (", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, $"no section for {section}");
        var end = Guide.IndexOf("\n### ", start + 4, StringComparison.Ordinal);
        var text = Guide[start..(end < 0 ? Guide.Length : end)];

        foreach (var column in columns.Split(','))
            text.ShouldContain($"`{column}`", customMessage: $"{section} does not document {column}");
    }

    [Fact]
    public void Guide_CsvExamples_ImportWithoutProblems()
    {
        var examples = CsvExample().Matches(Guide).Select(m => m.Groups[1].Value).ToList();
        examples.Count.ShouldBe(3);

        foreach (var example in examples)
        {
            var header = example[..example.IndexOf('\n')];
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(example));
            IImportParseResult result =
                header == string.Join(",", EnrolmentCsv.Columns) ? EnrolmentCsv.Parse(stream, "example.csv")
                : header == string.Join(",", AttendanceCsv.Columns) ? AttendanceCsv.Parse(stream, "example.csv")
                : header == string.Join(",", SuspensionCsv.Columns) ? SuspensionCsv.Parse(stream, "example.csv")
                : BehaviourCsv.Parse(stream, "example.csv");

            result.Problems.ShouldBeEmpty(header);
            result.RecordCount.ShouldBeGreaterThan(0);
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Waypoint.slnx")))
                return folder.FullName;
        throw new InvalidOperationException("The tests run outside the repository: docs/imports.md cannot be found.");
    }

    [GeneratedRegex("```csv\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CsvExample();
}
