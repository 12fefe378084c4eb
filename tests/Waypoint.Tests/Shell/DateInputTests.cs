using Shouldly;
using Waypoint.Shell;

namespace Waypoint.Tests.Shell;

/// <summary>The GOV.UK date input: a real date, or a message that names what is wrong.</summary>
public sealed class DateInputTests
{
    [Fact]
    public void Read_AllPartsEmpty_IsNoDateAndNoError()
    {
        var (date, error) = new DateInput { Day = " ", Month = null, Year = "" }.Read("Date of birth");

        date.ShouldBeNull();
        error.ShouldBeNull();
    }

    [Theory]
    [InlineData("27", "3", "2011", 2011, 3, 27)]
    [InlineData("01", "02", "2012", 2012, 2, 1)]
    [InlineData(" 29 ", "2", "2012", 2012, 2, 29)]
    [InlineData("31", "12", "1999", 1999, 12, 31)]
    public void Read_RealDate_GivesIt(string day, string month, string year, int y, int m, int d)
    {
        var (date, error) = new DateInput { Day = day, Month = month, Year = year }.Read("Date of birth");

        error.ShouldBeNull();
        date.ShouldBe(new DateOnly(y, m, d));
    }

    [Theory]
    [InlineData("", "3", "2011", "Date of birth must include a day")]
    [InlineData("27", "", "2011", "Date of birth must include a month")]
    [InlineData("27", "3", " ", "Date of birth must include a year")]
    [InlineData("", "", "2011", "Date of birth must include a day and a month")]
    [InlineData("27", null, null, "Date of birth must include a month and a year")]
    public void Read_MissingParts_NamesEachMissingPart(string? day, string? month, string? year, string expected) =>
        new DateInput { Day = day, Month = month, Year = year }.Read("Date of birth").Error.ShouldBe(expected);

    [Theory]
    [InlineData("31", "2", "2011")]
    [InlineData("29", "2", "2011")]
    [InlineData("31", "4", "2011")]
    [InlineData("0", "4", "2011")]
    [InlineData("1", "13", "2011")]
    [InlineData("1", "0", "2011")]
    [InlineData("-1", "1", "2011")]
    public void Read_ImpossibleDate_IsNotARealDate(string day, string month, string year)
    {
        var (date, error) = new DateInput { Day = day, Month = month, Year = year }.Read("Date of birth");

        date.ShouldBeNull();
        error.ShouldBe("Date of birth must be a real date");
    }

    [Theory]
    [InlineData("1", "1", "1899")]
    [InlineData("31", "12", "9999")]
    [InlineData("1", "1", "0001")]
    public void Read_OutsideTheDefaultRange_SaysTheRange(string day, string month, string year)
    {
        var (date, error) = new DateInput { Day = day, Month = month, Year = year }.Read("The start date");

        date.ShouldBeNull();
        error.ShouldBe("The start date must be between 1 January 1900 and 31 December 2099");
    }

    [Fact]
    public void Read_BirthTomorrow_SaysNotAfterToday()
    {
        var today = new DateOnly(2026, 3, 1);

        var (date, error) = new DateInput { Day = "2", Month = "3", Year = "2026" }.Read("Date of birth", DateRange.Birth(today));

        date.ShouldBeNull();
        error.ShouldBe("Date of birth must be between 1 January 1900 and today");
    }

    [Theory]
    [InlineData("11")]
    [InlineData("211")]
    [InlineData("20111")]
    public void Read_YearNotFourDigits_AsksForFourNumbers(string year) =>
        new DateInput { Day = "1", Month = "1", Year = year }.Read("Date of birth").Error.ShouldBe("Year must include 4 numbers");

    [Theory]
    [InlineData("1st", "1", "2011")]
    [InlineData("1", "March", "2011")]
    [InlineData("1", "1", "two thousand")]
    [InlineData("99999999999", "1", "2011")]
    public void Read_NotNumbers_AsksForNumbers(string day, string month, string year) =>
        new DateInput { Day = day, Month = month, Year = year }.Read("Start date").Error.ShouldBe("Start date must be a real date, in numbers");

    [Fact]
    public void From_Date_RoundTrips()
    {
        var input = DateInput.From(new DateOnly(2010, 9, 9));

        input.Read("Date").Date.ShouldBe(new DateOnly(2010, 9, 9));
        DateInput.From(null).IsEmpty.ShouldBeTrue();
    }
}
