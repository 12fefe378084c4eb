using System.Data;
using MiniExcelLibs;

namespace Waypoint.Shell.Exports;

/// <summary>A list as an XLSX workbook of one sheet: numbers stay numbers, dates dates; text is neutralised as in the CSV.</summary>
public static class XlsxExport
{
    public static byte[] Write(ExportTable table)
    {
        // A DataTable rather than dictionaries: MiniExcel writes its headings even when there are no rows.
        using var sheet = new DataTable(SheetName(table.Title));
        foreach (var heading in table.Headings)
            sheet.Columns.Add(heading, typeof(object));
        foreach (var row in table.Rows)
            sheet.Rows.Add(Enumerable.Range(0, table.Headings.Count).Select(i => Cell(i < row.Count ? row[i] : null) ?? DBNull.Value).ToArray());
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, sheetName: sheet.TableName);
        return stream.ToArray();
    }

    private static object? Cell(object? cell) => cell switch
    {
        string s => ExportTable.Neutralise(s),
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset t => t.UtcDateTime,
        bool b => b ? "Yes" : "No",
        _ => cell,
    };

    // Excel refuses a sheet name over 31 characters or holding any of : \ / ? * [ ]
    private static string SheetName(string title)
    {
        var name = new string(title.Where(c => c is not (':' or '\\' or '/' or '?' or '*' or '[' or ']')).ToArray()).Trim();
        return name.Length == 0 ? "Sheet1" : name[..Math.Min(31, name.Length)];
    }
}
