using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>DfE's real local-authority exclusion table, read with its quirks, and bad files refused with the line and column at fault.</summary>
public sealed class DfeImportTests
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "Evidence", "Files", "la_exclusions_200607_201617.csv");

    private static string Real => File.ReadAllText(Path);

    [Fact]
    public void Parse_RealFile_EveryRowReadNullNamedRowsSkipped()
    {
        var result = DfeExclusionsImport.Parse(Real);
        result.Errors.ShouldBeEmpty();
        result.Rows.Count.ShouldBe(7122 - 2);
        result.Skipped.Count.ShouldBe(2);
        result.Skipped[0].ToString().ShouldContain("NULL");
        result.Rows.Select(r => r.AcademicYear).Distinct().Order().ShouldBe(Enumerable.Range(2006, 11));
        result.Rows.Where(r => r.Level == BenchmarkLevel.LocalAuthority).ShouldAllBe(r => r.Code != null);
    }

    [Fact]
    public void Parse_RealFile_CodesFoundByNameAndYearIncludingFormerAuthorities()
    {
        var rows = DfeExclusionsImport.Parse(Real).Rows;
        string Code(string name, int year) => rows.First(r => r.Name == name && r.AcademicYear == year).Code!;
        Code("Bristol City of", 2016).ShouldBe("E06000023");
        Code("Durham", 2016).ShouldBe("E06000047");
        Code("Bedfordshire (Pre LGR 2009)", 2007).ShouldBe("E10000001");
        Code("Dorset", 2016).ShouldBe("E10000009", "Dorset County Council's code: the unitary Dorset (E06000059) began in 2019");
        Code("Poole", 2016).ShouldBe("E06000029");
        Code("Northamptonshire", 2016).ShouldBe("E10000021");
        Code("England", 2016).ShouldBe(AuthorityCodes.England);
        Code("Yorkshire and the Humber", 2016).ShouldBe("E12000003");
        Code("Inner London", 2016).ShouldBe("E13000001");
    }

    [Fact]
    public void Parse_RealFile_WithheldAndNotApplicableKeptAsDfeCodes()
    {
        var rows = DfeExclusionsImport.Parse(Real).Rows;
        var withheld = rows.First(r => r.Withheld != null && r.Withheld.Contains("perm_excl=x", StringComparison.Ordinal));
        withheld.PermanentExclusions.ShouldBeNull();
        withheld.PermanentExclusionRate.ShouldBeNull();
        var barnsley = rows.Single(r => r.Name == "Barnsley" && r.AcademicYear == 2016 && r.SchoolType == "Total");
        barnsley.Headcount.ShouldBe(33470);
        barnsley.Suspensions.ShouldBe(5631);
        barnsley.SuspensionRate.ShouldBe(16.82m);
        barnsley.PupilsSuspended.ShouldBe(1440);
        barnsley.Withheld.ShouldBeNull();
        rows.Single(r => r.Name == "Brent" && r.AcademicYear == 2009 && r.SchoolType == "Total").PermanentExclusions.ShouldBe(45.9412m, "DfE's file gives it as a fraction");
    }

    [Fact]
    public void Parse_UnknownColumn_NamedAndNothingRead()
    {
        var text = Real.Replace("\"one_or_more_fixed_excl_rate\"", "\"one_or_more_fixed_excl_rate\",\"extra\"", StringComparison.Ordinal);
        var result = DfeExclusionsImport.Parse(text);
        result.Rows.ShouldBeEmpty();
        result.Errors.Single().ToString().ShouldBe("Line 1: Unknown column: 'extra'. The DfE local-authority table has: " + string.Join(", ", DfeExclusionsImport.Columns));
    }

    [Fact]
    public void Parse_SuppressionCodesAndBadValues_LineAndColumnNamed()
    {
        var lines = Real.Split('\n').ToList();
        lines[4] = "\"201617\",\"National\",\"England\",\"Special\",\"1031\",\"112325\",\"c\",\"z\",\"14635\",\"13.03\",\"5715\",\"5.09\"";
        lines[5] = "\"201617\",\"Region\",\"North East\",\"Total\",\"1224\",\"384555\",\"12.5\",\"0.03\",\"abc\",\"6.1\",\"9915\",\"2.58\"";
        var result = DfeExclusionsImport.Parse(string.Join('\n', lines));
        result.Rows.ShouldBeEmpty("all or nothing");
        result.Errors.Count.ShouldBe(1, "c and z are DfE's codes, accepted");
        result.Errors[0].Line.ShouldBe(6);
        result.Errors[0].Message.ShouldBe("fixed_excl 'abc' is not a whole number or one of DfE's codes (x, c, z, ., u, low, :)", "a fractional permanent exclusion count is one of the file's own quirks, accepted");
    }

    [Fact]
    public void Parse_AuthorityNotKnownOrGivenTwice_Refused()
    {
        var lines = Real.Split('\n').ToList();
        lines.Insert(3, "\"201617\",\"Local authority\",\"Atlantis\",\"Total\",\"1\",\"10\",\"0\",\"0\",\"0\",\"0\",\"0\",\"0\"");
        lines.Insert(4, lines[1]);
        var result = DfeExclusionsImport.Parse(string.Join('\n', lines));
        result.Errors.Select(e => e.ToString()).ShouldBe(
        [
            "Line 4: 'Atlantis' is not an English local authority known by name to the ONS codes or as a former authority",
            "Line 5: England, Total, 201617 is given twice (first on line 2)",
        ]);
    }

    [Fact]
    public void Parse_YearNotDfeStyle_Refused()
    {
        var result = DfeExclusionsImport.Parse(string.Join(',', DfeExclusionsImport.Columns) + "\n2016/17,National,England,Total,1,10,0,0,0,0,0,0\n");
        result.Errors.Single().ToString().ShouldStartWith("Line 2: year '2016/17' is not an academic year");
    }

    [Fact]
    public void Parse_Empty_SaysSo() => DfeExclusionsImport.Parse("").Errors.Single().Message.ShouldBe("The file is empty");
}
