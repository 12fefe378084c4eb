using System.Text.RegularExpressions;
using Shouldly;

namespace Waypoint.Tests.Architecture;

/// <summary>
/// Every exception to the access policy is named and listed. Reading past the query filters, acting
/// as the system, and raw SQL reads go only through Access/PastTheFilters.cs, each with a literal
/// reason; the list of them is kept beside this test (past-the-filters.txt), so a new exception,
/// or one removed, fails here until someone has looked at it and updated the list.
/// </summary>
public sealed partial class PastTheFiltersTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Source = Path.Combine(Root, "src", "Waypoint.Web");
    private static readonly string Approved = Path.Combine(Root, "tests", "Waypoint.Tests", "Architecture", "past-the-filters.txt");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Waypoint.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Waypoint.slnx not found above the test's folder");
    }

    private static IEnumerable<(string Path, string Text)> SourceFiles() =>
        Directory.EnumerateFiles(Source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Path.GetRelativePath(Source, f).Replace('\\', '/'), File.ReadAllText(f)))
            .OrderBy(f => f.Item1, StringComparer.Ordinal);

    /// <summary>Every named exception in the application, as "file: kind: reason", in file order.</summary>
    public static List<string> Exceptions() =>
        SourceFiles().SelectMany(f => Exception().Matches(f.Text).Select(m =>
            $"{f.Path}: {m.Groups["kind"].Value}{(m.Groups["type"].Success ? $"<{m.Groups["type"].Value}>" : "")}: {m.Groups["reason"].Value}")).ToList();

    [Fact]
    public void IgnoreQueryFiltersAndTheSystemReader_OutsidePastTheFilters_NowhereElse()
    {
        var offenders = SourceFiles()
            .Where(f => f.Path is not "Access/PastTheFilters.cs" and not "Access/Reader.cs")
            .SelectMany(f => Bypass().Matches(f.Text).Select(m => $"{f.Path}: {m.Value}"))
            .ToList();

        offenders.ShouldBeEmpty("read past the filters with db.Unfiltered<T>(reason) and act as the system with CreateSystemScope/ActAsSystem(reason) (Access/PastTheFilters.cs)");
    }

    [Fact]
    public void NamedExceptions_EachWithALiteralReason()
    {
        var unnamed = SourceFiles()
            .Where(f => f.Path != "Access/PastTheFilters.cs")
            .SelectMany(f => Call().Matches(f.Text).Where(m => !m.Groups["literal"].Success).Select(m => $"{f.Path}: {m.Value}"))
            .ToList();

        unnamed.ShouldBeEmpty("each exception states its reason as a literal string, so that it can be listed and reviewed");
    }

    [Fact]
    public void NamedExceptions_AreExactlyTheReviewedList()
    {
        var found = Exceptions();
        var approved = File.ReadAllLines(Approved).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

        var added = found.Except(approved).ToList();
        var removed = approved.Except(found).ToList();

        added.ShouldBeEmpty($"new exceptions to the access policy: review each, then add it to {Approved}");
        removed.ShouldBeEmpty($"exceptions listed in {Approved} that the code no longer makes: remove them from the list");
        found.Count.ShouldBeGreaterThan(0);
    }

    /// <summary>
    /// Every use of the exception API is one the two tests above see: a call they cannot parse (a
    /// qualified or spaced type argument, a line break before the type) would otherwise be neither
    /// listed nor checked for its literal reason.
    /// </summary>
    [Fact]
    public void EveryUseOfTheExceptionApi_IsOneTheListSees()
    {
        var unseen = SourceFiles()
            .Where(f => f.Path != "Access/PastTheFilters.cs")
            .SelectMany(f =>
            {
                var seen = Call().Matches(f.Text).Select(m => m.Index).ToHashSet();
                return Use().Matches(f.Text).Where(m => !seen.Contains(m.Index)).Select(m => $"{f.Path}: {m.Value}");
            })
            .ToList();

        unseen.ShouldBeEmpty("write each exception as db.Unfiltered<Type>(\"reason\") (Access/PastTheFilters.cs), so that it is listed and reviewed");
    }

    [GeneratedRegex(@"\b(?:Unfiltered|WithoutItsFilter|RawSqlInNextRead|RawSql)\s*<|\b(?:CreateSystemScope|ActAsSystem|SystemReaderContext)\s*\(")]
    private static partial Regex Use();

    [GeneratedRegex(@"IgnoreQueryFilters\s*\(|Reader\.System\b|\.FromSql\w*\s*\(|\.SqlQuery\w*\s*[<(]")]
    private static partial Regex Bypass();

    [GeneratedRegex(@"(?:Unfiltered<[\w.]+>|WithoutItsFilter<[\w.]+>|RawSqlInNextRead<[\w.]+>|RawSql<[\w.]+>|CreateSystemScope|ActAsSystem|SystemReaderContext)\(\s*(?<literal>""[^""]+"")?")]
    private static partial Regex Call();

    [GeneratedRegex(@"(?<kind>Unfiltered|WithoutItsFilter|RawSqlInNextRead|RawSql|CreateSystemScope|ActAsSystem|SystemReaderContext)(?:<(?<type>[\w.]+)>)?\(\s*""(?<reason>[^""]+)""")]
    private static partial Regex Exception();
}
