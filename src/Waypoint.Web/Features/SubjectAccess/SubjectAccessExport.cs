using System.Globalization;
using System.IO.Compression;
using System.Text;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.SubjectAccess;

/// <summary>What goes into an issued copy: the compiled records it may include, and the redactions applied.</summary>
public sealed record SubjectAccessCopy(SubjectAccessCompilation Compilation, IReadOnlyList<CompiledRecord> Records, IReadOnlyList<RedactionRule> Rules, DateOnly ReceivedOn);

/// <summary>
/// The copy issued to the requester: a PDF with searchable text, every page marked, the records by
/// agency with redactions drawn as solid blocks, and a ZIP of CSVs, one per record type. Redacted
/// text never reaches either file: it is replaced before anything is written.
/// </summary>
public static class SubjectAccessExport
{
    public static byte[] Pdf(SubjectAccessCopy copy, string issuedBy, DateTimeOffset issuedAt)
    {
        var document = new RedactablePdf($"Records held about {copy.Compilation.PersonName}");
        var byAgency = copy.Records.GroupBy(r => r.Agency).OrderBy(g => g.Key == SubjectAccessCompiler.ViewedBy ? 1 : 0).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        document.Paragraph($"This is a copy of the personal information the partnership holds about {copy.Compilation.PersonName}" +
            (copy.Compilation.DateOfBirth is { } dob ? $" (born {dob.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)})" : "") +
            $", in answer to the request received on {copy.ReceivedOn.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}. " +
            $"Information about other people has been removed and is shown as {RedactedText.Marker}.");
        document.Heading("Contents");
        foreach (var agency in byAgency)
            document.Paragraph($"{agency.Key}: {agency.Count()} record{(agency.Count() == 1 ? "" : "s")} ({string.Join(", ", agency.Select(r => r.RecordType).Distinct().Order(StringComparer.Ordinal))})");
        foreach (var agency in byAgency)
        {
            document.PageBreak();
            document.Heading(agency.Key);
            foreach (var record in agency.OrderBy(r => r.RecordType, StringComparer.Ordinal).ThenBy(r => r.On))
            {
                document.Subheading(record.On is { } on ? $"{record.RecordType}, {on.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}" : record.RecordType);
                foreach (var field in record.Fields.Where(f => f.Value.Length > 0))
                    document.Field(field.Label, RedactedText.Runs(field.Value, record.Key, copy.Rules));
            }
        }
        return document.Render(issuedBy, issuedAt);
    }

    /// <summary>One CSV per record type, each with the agency, the date and every field the type has.</summary>
    public static byte[] Zip(SubjectAccessCopy copy)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var type in copy.Records.GroupBy(r => r.RecordType).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var labels = type.SelectMany(r => r.Fields.Select(f => f.Label)).Distinct().ToList();
                var rows = type.Select(r => (IReadOnlyList<object?>)[r.Agency, r.On, .. labels.Select(l =>
                    r.Fields.FirstOrDefault(f => f.Label == l) is { } f ? (object?)RedactedText.Apply(f.Value, r.Key, copy.Rules) : null)]).ToList();
                var table = new ExportTable(type.Key, ["Agency", "Date", .. labels], rows);
                var entry = zip.CreateEntry(FileName(type.Key), CompressionLevel.Optimal);
                using var entryStream = entry.Open();
                entryStream.Write(CsvExport.Write(table));
            }
        }
        return stream.ToArray();
    }

    /// <summary>"Suspension or exclusion" as "suspension-or-exclusion.csv".</summary>
    public static string FileName(string recordType)
    {
        var s = new StringBuilder();
        foreach (var c in recordType.ToLowerInvariant())
            s.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        return string.Join('-', s.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries)) + ".csv";
    }
}

/// <summary>
/// A marked A4 document like <see cref="PrintedDocument"/> whose field values are runs of text,
/// the redacted ones drawn as solid blocks carrying only the marker. Its own small layout because
/// PrintedDocument draws a value as one string.
/// </summary>
internal sealed class RedactablePdf(string title)
{
    private const double Margin = 50, Top = 70, Bottom = 70, LabelWidth = 140, LineGap = 3;
    private readonly List<Block> blocks = [];

    private abstract record Block;
    private sealed record HeadingBlock(string Text, bool Major) : Block;
    private sealed record TextBlock(string Text) : Block;
    private sealed record FieldBlock(string Label, IReadOnlyList<TextRun> Value) : Block;
    private sealed record PageBreakBlock : Block;

    private sealed record Word(string Text, bool Redacted);

    public void Heading(string text) => blocks.Add(new HeadingBlock(text, true));

    public void Subheading(string text) => blocks.Add(new HeadingBlock(text, false));

    public void Paragraph(string text) => blocks.Add(new TextBlock(text));

    public void Field(string label, IReadOnlyList<TextRun> value) => blocks.Add(new FieldBlock(label, value));

    public void PageBreak() => blocks.Add(new PageBreakBlock());

    public byte[] Render(string printedBy, DateTimeOffset printedAt)
    {
        var family = PrintedDocument.RegisterFont();
        var regular = new XFont(family, 10, XFontStyleEx.Regular);
        var bold = new XFont(family, 10, XFontStyleEx.Bold);
        var heading = new XFont(family, 14, XFontStyleEx.Bold);
        var subheading = new XFont(family, 11, XFontStyleEx.Bold);
        var titleFont = new XFont(family, 18, XFontStyleEx.Bold);
        var small = new XFont(family, 8, XFontStyleEx.Regular);
        var muted = new XSolidBrush(XColor.FromArgb(80, 90, 95));

        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "Waypoint";
        XGraphics gfx = null!;
        double y = 0, width = 0, bottomY = 0;

        void NewPage()
        {
            gfx?.Dispose();
            var page = document.AddPage();
            page.Size = PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            width = page.Width.Point - 2 * Margin;
            bottomY = page.Height.Point - Bottom;
            y = Top;
        }

        void Lines(IReadOnlyList<List<Word>> lines, XFont font, double x)
        {
            var space = gfx.MeasureString(" ", font).Width;
            foreach (var line in lines)
            {
                if (y + font.Height > bottomY)
                    NewPage();
                var at = x;
                foreach (var word in line)
                {
                    var w = gfx.MeasureString(word.Text, font).Width;
                    if (word.Redacted)
                    {
                        gfx.DrawRectangle(XBrushes.Black, new XRect(at - 1, y - 1, w + 2, font.Height + 1));
                        gfx.DrawString(word.Text, font, XBrushes.White, new XPoint(at, y), XStringFormats.TopLeft);
                    }
                    else
                    {
                        gfx.DrawString(word.Text, font, XBrushes.Black, new XPoint(at, y), XStringFormats.TopLeft);
                    }
                    at += w + space;
                }
                y += font.Height + LineGap;
            }
        }

        NewPage();
        Lines(Wrap(gfx, Plain(title), titleFont, width), titleFont, Margin);
        y += 8;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case PageBreakBlock:
                    NewPage();
                    break;
                case HeadingBlock h:
                    var font = h.Major ? heading : subheading;
                    y += h.Major ? 10 : 6;
                    if (y + font.Height * 3 > bottomY)
                        NewPage();
                    Lines(Wrap(gfx, Plain(h.Text), font, width), font, Margin);
                    y += 2;
                    break;
                case TextBlock t:
                    Lines(Wrap(gfx, Plain(t.Text), regular, width), regular, Margin);
                    y += 4;
                    break;
                case FieldBlock f:
                    var label = Wrap(gfx, Plain(f.Label), bold, LabelWidth - 10);
                    var value = Wrap(gfx, f.Value, regular, width - LabelWidth);
                    var rows = Math.Max(label.Count, value.Count);
                    if (y + Math.Min(rows, 3) * (regular.Height + LineGap) > bottomY)
                        NewPage();
                    for (var i = 0; i < rows; i++)
                    {
                        var start = y;
                        if (i < label.Count)
                            Lines([label[i]], bold, Margin);
                        if (i < value.Count)
                        {
                            y = start;
                            Lines([value[i]], regular, Margin + LabelWidth);
                        }
                    }
                    y += 4;
                    break;
            }
        }
        gfx.Dispose();

        var printed = $"Issued by {printedBy} on {printedAt.UtcDateTime:d MMMM yyyy 'at' HH:mm} UTC";
        for (var i = 0; i < document.PageCount; i++)
        {
            var p = document.Pages[i];
            using var g = XGraphics.FromPdfPage(p, XGraphicsPdfPageOptions.Append);
            var w = p.Width.Point;
            var h = p.Height.Point;
            g.DrawString(PrintedDocument.OfficialSensitive, bold, XBrushes.Black, new XRect(0, 25, w, 14), XStringFormats.TopCenter);
            g.DrawString(PrintedDocument.OfficialSensitive, bold, XBrushes.Black, new XRect(0, h - 35, w, 14), XStringFormats.TopCenter);
            g.DrawString(printed, small, muted, new XPoint(Margin, h - 55), XStringFormats.TopLeft);
            g.DrawString($"Page {i + 1} of {document.PageCount}", small, muted, new XRect(Margin, h - 55, w - 2 * Margin, 10), XStringFormats.TopRight);
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private static IReadOnlyList<TextRun> Plain(string text) => [new TextRun(text, false)];

    /// <summary>Lines of words no wider than the width; a redacted run is one unbreakable word, a long plain word is cut.</summary>
    private static List<List<Word>> Wrap(XGraphics gfx, IReadOnlyList<TextRun> runs, XFont font, double width)
    {
        var lines = new List<List<Word>> { new() };
        var space = gfx.MeasureString(" ", font).Width;
        double used = 0;
        void Put(Word word)
        {
            var w = gfx.MeasureString(word.Text, font).Width;
            var line = lines[^1];
            if (line.Count > 0 && used + space + w > width)
            {
                lines.Add(line = []);
                used = 0;
            }
            used += (line.Count > 0 ? space : 0) + w;
            line.Add(word);
        }
        foreach (var run in runs)
        {
            if (run.Redacted)
            {
                Put(new Word(run.Text, true));
                continue;
            }
            var paragraphs = run.Text.Replace("\r\n", "\n").Split('\n');
            for (var p = 0; p < paragraphs.Length; p++)
            {
                if (p > 0)
                {
                    lines.Add([]);
                    used = 0;
                }
                foreach (var raw in paragraphs[p].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var word = raw;
                    while (word.Length > 1 && gfx.MeasureString(word, font).Width > width)
                    {
                        var cut = word.Length - 1;
                        while (cut > 1 && gfx.MeasureString(word[..cut], font).Width > width)
                            cut--;
                        Put(new Word(word[..cut], false));
                        word = word[cut..];
                    }
                    Put(new Word(word, false));
                }
            }
        }
        return lines;
    }
}
