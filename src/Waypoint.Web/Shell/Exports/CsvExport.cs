using System.Text;
using CsvHelper;

namespace Waypoint.Shell.Exports;

/// <summary>A list as CSV (RFC 4180, UTF-8 with a byte-order mark so that Excel reads accents), formula-like cells neutralised.</summary>
public static class CsvExport
{
    public static byte[] Write(ExportTable table)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions(), leaveOpen: true))
        {
            foreach (var heading in table.Headings)
                csv.WriteField(heading);
            csv.EndRecord();
            foreach (var row in table.Rows)
            {
                foreach (var cell in row)
                    csv.WriteField(ExportTable.Text(cell));
                csv.EndRecord();
            }
        }
        return stream.ToArray();
    }
}
