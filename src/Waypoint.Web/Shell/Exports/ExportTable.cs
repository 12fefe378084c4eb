using System.Globalization;
using Microsoft.AspNetCore.Mvc;

namespace Waypoint.Shell.Exports;

/// <summary>The file types a list can leave the app as.</summary>
public enum ExportFormat
{
    Csv,
    Xlsx,
}

/// <summary>
/// A list as it leaves the app: a title (the sheet's name), the column headings and the rows. Cells
/// are strings, whole numbers, decimals, dates or null; each writer renders them its own way.
/// </summary>
public sealed record ExportTable(string Title, IReadOnlyList<string> Headings, IReadOnlyList<IReadOnlyList<object?>> Rows)
{
    /// <summary>
    /// A cell as text that a spreadsheet will not run: one beginning with =, +, -, @, a tab or a
    /// carriage return is a formula to Excel and LibreOffice (OWASP "CSV injection"), so it gets a
    /// leading apostrophe, which both show as text.
    /// </summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>A cell as CSV writes it: dates as ISO 8601, numbers with a full stop, text neutralised.</summary>
    public static string Text(object? cell) => cell switch
    {
        null => "",
        string s => Neutralise(s),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool b => b ? "Yes" : "No",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Neutralise(cell.ToString() ?? ""),
    };
}

/// <summary>Turns an <see cref="ExportTable"/> into the file a page hands back.</summary>
public static class ExportFile
{
    public static FileContentResult Of(ExportTable table, ExportFormat format, string stem, DateOnly today) => format switch
    {
        ExportFormat.Xlsx => new FileContentResult(XlsxExport.Write(table), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        { FileDownloadName = $"{stem}-{today:yyyy-MM-dd}.xlsx" },
        _ => new FileContentResult(CsvExport.Write(table), "text/csv; charset=utf-8") { FileDownloadName = $"{stem}-{today:yyyy-MM-dd}.csv" },
    };
}
