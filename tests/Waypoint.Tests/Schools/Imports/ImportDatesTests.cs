using Shouldly;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Tests.Schools.Imports;

public sealed class ImportDatesTests
{
    [Theory]
    [InlineData("2024-09-04", 2024, 9, 4)]
    [InlineData("04/09/2024", 2024, 9, 4)]
    [InlineData("4/9/2024", 2024, 9, 4)]
    [InlineData("2024-02-29", 2024, 2, 29)]
    [InlineData("31/12/1999", 1999, 12, 31)]
    public void Parse_IsoOrDayMonthYear_ReadsTheDate(string text, int year, int month, int day)
    {
        ImportDates.Parse(text, isoOnly: false, out var problem).ShouldBe(new DateOnly(year, month, day));
        problem.ShouldBeNull();
    }

    [Theory]
    [InlineData("2011-02-30", "\"2011-02-30\" is not a real date: February 2011 has 28 days")]
    [InlineData("2023-02-29", "\"2023-02-29\" is not a real date: February 2023 has 28 days")]
    [InlineData("31/04/2024", "\"31/04/2024\" is not a real date: April 2024 has 30 days")]
    [InlineData("2024-00-10", "\"2024-00-10\" is not a real date: there is no month 0")]
    [InlineData("09/13/2024", "\"09/13/2024\" is not a real date: there is no month 13 (dates are day/month/year)")]
    [InlineData("04/09/24", "\"04/09/24\" is not a date: write it as yyyy-mm-dd, such as 2024-09-04, or dd/mm/yyyy, such as 04/09/2024 (with the year in full)")]
    [InlineData("4 Sept 2024", "\"4 Sept 2024\" is not a date: write it as yyyy-mm-dd, such as 2024-09-04, or dd/mm/yyyy, such as 04/09/2024")]
    [InlineData("0024-09-04", "\"0024-09-04\" is not a plausible date: the year 24 is out of range")]
    [InlineData("٢٠٢٤-٠٩-٠٤", "\"٢٠٢٤-٠٩-٠٤\" is not a date: write it as yyyy-mm-dd, such as 2024-09-04, or dd/mm/yyyy, such as 04/09/2024")]
    public void Parse_NotARealDate_SaysWhy(string text, string message)
    {
        ImportDates.Parse(text, isoOnly: false, out var problem).ShouldBeNull();
        problem.ShouldBe(message);
    }

    [Fact]
    public void Parse_IsoOnly_RefusesDayMonthYear()
    {
        ImportDates.Parse("04/09/2024", isoOnly: true, out var problem).ShouldBeNull();
        problem.ShouldBe("\"04/09/2024\" is not a date: write it as yyyy-mm-dd, such as 2024-09-04");
    }
}
