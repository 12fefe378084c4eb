using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// DfE's tables in the Explore Education Statistics format: a 2016/17 extract of DfE's real LA
/// table written as EES writes its files (EES's columns, phase names, GSS symbols, a quoted name
/// with a comma, unquoted otherwise), read to the same figures as the older format, and bad EES
/// files refused with the line and column at fault.
/// </summary>
public sealed class EesImportTests
{
    private static string EesPath { get; } = Path.Combine(AppContext.BaseDirectory, "Evidence", "Files", "ees_exclusions_la_201617.csv");

    private const string Header = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,old_la_code,la_name,education_phase,num_schools,headcount,perm_excl,perm_excl_rate,suspension,susp_rate,one_plus_susp,one_plus_susp_rate";

    [Fact]
    public void Parse_EesExtract_SameFiguresAsTheOlderTable()
    {
        var ees = DfeExclusionsImport.Parse(File.ReadAllText(EesPath));
        var older = DfeExclusionsImport.Parse(File.ReadAllText(DfeImportTests.Path)).Rows.Where(r => r.AcademicYear == 2016).ToList();

        ees.Errors.ShouldBeEmpty();
        ees.Rows.Count.ShouldBe(28);
        foreach (var row in ees.Rows)
        {
            var same = older.Single(o => o.Level == row.Level && o.Name == row.Name && o.SchoolType == row.SchoolType);
            row.Headcount.ShouldBe(same.Headcount, $"{row.Name} {row.SchoolType}");
            row.Suspensions.ShouldBe(same.Suspensions);
            row.SuspensionRate.ShouldBe(same.SuspensionRate);
            row.PermanentExclusions.ShouldBe(same.PermanentExclusions);
            row.PermanentExclusionRate.ShouldBe(same.PermanentExclusionRate);
            row.PupilsSuspended.ShouldBe(same.PupilsSuspended);
            row.PupilsSuspendedRate.ShouldBe(same.PupilsSuspendedRate);
            row.Code.ShouldBe(same.Code);
        }
        var bristol = ees.Rows.Single(r => r.Name == "Bristol City of" && r.SchoolType == "Total");
        bristol.LaNumber.ShouldBe("801");
        bristol.Code.ShouldBe("E06000023", "EES's 'Bristol, City of' is the older tables' 'Bristol City of': one series across both");
        ees.Rows.Single(r => r.Name == "Doncaster" && r.SchoolType == "Secondary").Withheld.ShouldBe("perm_excl=c;perm_excl_rate=c");
        ees.Skipped.ShouldContain(s => s.Message.Contains("State-funded AP school"));
    }

    [Fact]
    public void Parse_EesSymbolsAndExtraColumns_WithheldKeptExtrasNamed()
    {
        var text = Header + ",susp_reason_other\n"
            + "202223,Academic year,National,E92000001,England,,,,,,Total,z,low,u,:,~,x,c,c,z\n";

        var result = DfeExclusionsImport.Parse(text);

        result.Errors.ShouldBeEmpty();
        var row = result.Rows.Single();
        row.AcademicYear.ShouldBe(2022);
        row.Level.ShouldBe(BenchmarkLevel.National);
        row.Code.ShouldBe(AuthorityCodes.England);
        row.Headcount.ShouldBeNull();
        row.Withheld.ShouldBe("num_schools=z;headcount=low;perm_excl=u;perm_excl_rate=:;fixed_excl=~;fixed_excl_rate=x;one_plus_fixed=c;one_or_more_fixed_excl_rate=c");
        result.Skipped.ShouldContain(s => s.Line == 1 && s.Message.Contains("susp_reason_other"));
    }

    [Fact]
    public void Parse_BadEesRows_EachNamedByLineAndColumnAndNothingKept()
    {
        var text = Header + "\n"
            + "202223,Academic year,National,E92000001,England,,,,,,Total,10,100,1,0.01,5,5,2,2\n"
            + "202224,Academic year,National,E92000001,England,,,,,,Primary,10,100,1,0.01,5,5,2,2\n"
            + "202223,Calendar year,National,E92000001,England,,,,,,Secondary,10,100,1,0.01,5,5,2,2\n"
            + "202223,Academic year,Local authority,E92000001,England,E12000003,Yorkshire and the Humber,x,999,Atlantis,Total,10,100,1,0.01,5,5,2,2\n"
            + "202223,Academic year,Regional,E92000001,England,E12000003,Yorkshire and the Humber,,,,Total,10,,1,0.01,lots,5,2,2\n"
            + "202223,Academic year,National,E92000001,England,,,,,,Total,10,100,1,0.01,5,5,2,2\n";

        var result = DfeExclusionsImport.Parse(text);

        result.Rows.ShouldBeEmpty();
        string At(int line) => result.Errors.Single(e => e.Line == line).Message;
        At(3).ShouldContain("time_period '202224'");
        At(4).ShouldContain("time_identifier 'Calendar year'");
        At(5).ShouldContain("'Atlantis' has no code in new_la_code ('x')");
        At(6).ShouldContain("headcount is blank");
        At(6).ShouldContain("suspension 'lots'");
        At(7).ShouldContain("given twice (first on line 2)");
    }

    [Fact]
    public void Parse_EesMissingColumns_NamedAtTheHeader()
    {
        var result = DfeExclusionsImport.Parse("time_period,time_identifier,geographic_level,country_code,country_name,headcount\n202223,Academic year,National,E92000001,England,5\n");

        result.Errors.Single().Line.ShouldBe(1);
        result.Errors.Single().Message.ShouldContain("education_phase (or school_type)");
        result.Errors.Single().Message.ShouldContain("suspension or susp or fixed_excl");
    }

    [Fact]
    public void Parse_EarlierEesReleaseNames_ReadAsTheSameMeasures()
    {
        var text = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name,school_type,headcount,perm_excl,perm_excl_rate,fixed_excl,fixed_excl_rate,one_plus_fixed,one_plus_fixed_rate\n"
            + "201920,Academic year,Local authority,E92000001,England,E12000009,South West,801,E06000023,\"Bristol, City of\",State-funded secondary,20297,7,0.03,3663,18.05,1551,7.64\n";

        var row = DfeExclusionsImport.Parse(text).Rows.Single();

        row.Name.ShouldBe("Bristol City of");
        row.SchoolType.ShouldBe("Secondary");
        row.Suspensions.ShouldBe(3663);
        row.PupilsSuspendedRate.ShouldBe(7.64m);
        row.AcademicYear.ShouldBe(2019);
    }
}
