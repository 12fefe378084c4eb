using System.Text;
using MiniExcelLibs;
using Shouldly;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Waypoint.Shell.Exports;

namespace Waypoint.Tests.Exports;

/// <summary>The shared writers on their own: what a spreadsheet would run is neutralised, XLSX reads back, a PDF's text is searchable.</summary>
public sealed class ExportWriterTests
{
    private static readonly ExportTable Table = new("Alerts: test [1]", ["Pupil", "Note", "Count", "On"],
    [
        ["Ana Díaz", "=HYPERLINK(\"http://evil\",\"click\")", 3, new DateOnly(2026, 11, 2)],
        ["Bo, Lee", "+1 \"quoted\"", 0, null],
        ["@Cat", "-2", 12.5m, new DateOnly(2026, 1, 31)],
    ]);

    [Fact]
    public void CsvWrite_FormulaLikeCells_AreNeutralisedAndQuoted()
    {
        var text = Encoding.UTF8.GetString(CsvExport.Write(Table));

        text.ShouldStartWith("\uFEFFPupil,Note,Count,On");
        text.ShouldContain("Ana Díaz,\"'=HYPERLINK(\"\"http://evil\"\",\"\"click\"\")\",3,2026-11-02");
        text.ShouldContain("\"Bo, Lee\",\"'+1 \"\"quoted\"\"\",0,");
        text.ShouldContain("'@Cat,'-2,12.5,2026-01-31");
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4);
    }

    [Fact]
    public void XlsxWrite_ReadBack_HoldsTheRowsWithNumbersAndDates()
    {
        using var stream = new MemoryStream(XlsxExport.Write(Table));

        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();

        MiniExcel.GetSheetNames(new MemoryStream(XlsxExport.Write(Table))).ShouldBe(["Alerts test 1"]);
        rows.Count.ShouldBe(3);
        rows[0]["Pupil"].ShouldBe("Ana Díaz");
        rows[0]["Note"].ShouldBe("'=HYPERLINK(\"http://evil\",\"click\")");
        Convert.ToDecimal(rows[0]["Count"]).ShouldBe(3m);
        rows[0]["On"].ShouldBe(new DateTime(2026, 11, 2));
        rows[2]["Pupil"].ShouldBe("'@Cat");
    }

    [Fact]
    public void XlsxWrite_NoRows_StillHasTheHeadings()
    {
        using var stream = new MemoryStream(XlsxExport.Write(Table with { Rows = [] }));

        stream.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Single().Values.ShouldBe(["Pupil", "Note", "Count", "On"]);
    }

    [Fact]
    public void PrintedDocumentRender_LongDocument_EveryPageMarkedAndSearchable()
    {
        var document = new PrintedDocument("Chronology for Ana Díaz").Field("Date of birth", "9 March 2011");
        for (var i = 1; i <= 80; i++)
            document.Field($"{i} Nov 2026", $"Entry number {i}: " + string.Join(' ', Enumerable.Repeat("a long line of words that wraps", 4)));

        var bytes = document.Render("Sam Worker, Early Help Hub", new DateTimeOffset(2026, 12, 5, 3, 4, 0, TimeSpan.Zero));

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        pdf.NumberOfPages.ShouldBeGreaterThan(2);
        var pages = pdf.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)).ToList();
        pages.ShouldAllBe(t => t.Contains(PrintedDocument.OfficialSensitive));
        pages.ShouldAllBe(t => t.Contains("Printed by Sam Worker, Early Help Hub on 5 December 2026 at 03:04 UTC"));
        pages[^1].ShouldContain($"Page {pdf.NumberOfPages} of {pdf.NumberOfPages}");
        var all = string.Join("\n", pages);
        all.ShouldContain("Chronology for Ana Díaz");
        all.ShouldContain("Entry number 1:");
        all.ShouldContain("Entry number 80:");
    }
}
