using System.Reflection;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Waypoint.Shell.Exports;

/// <summary>
/// A document printed on the server as a PDF with searchable text: a title, headings, paragraphs,
/// labelled fields and dated entries, laid out on A4 with page breaks. Every page carries the
/// protective marking at its top and foot, and who printed it and when, with its page number.
/// PDFsharp's cross-platform build has no layout engine, so wrapping and paging are done here.
/// </summary>
public sealed class PrintedDocument(string title, string marking = PrintedDocument.OfficialSensitive)
{
    public const string OfficialSensitive = "OFFICIAL-SENSITIVE";

    private const double Margin = 50, Top = 70, Bottom = 70, LabelWidth = 130, LineGap = 3;
    private readonly List<Block> blocks = [];

    private abstract record Block;
    private sealed record HeadingBlock(string Text) : Block;
    private sealed record TextBlock(string Text, bool Muted) : Block;
    private sealed record FieldBlock(string Label, string Value) : Block;
    private sealed record PageBreakBlock : Block;

    public PrintedDocument Heading(string text)
    {
        blocks.Add(new HeadingBlock(text));
        return this;
    }

    public PrintedDocument Paragraph(string text, bool muted = false)
    {
        blocks.Add(new TextBlock(text, muted));
        return this;
    }

    /// <summary>A label in the left column and its value wrapped beside it (a summary list's row, or a dated entry).</summary>
    public PrintedDocument Field(string label, string value)
    {
        blocks.Add(new FieldBlock(label, value));
        return this;
    }

    /// <summary>What follows starts on a new page (one person per page in a pack).</summary>
    public PrintedDocument PageBreak()
    {
        blocks.Add(new PageBreakBlock());
        return this;
    }

    public byte[] Render(string printedBy, DateTimeOffset printedAt)
    {
        FontResolver.EnsureRegistered();
        var regular = new XFont(FontResolver.Family, 10, XFontStyleEx.Regular);
        var bold = new XFont(FontResolver.Family, 10, XFontStyleEx.Bold);
        var heading = new XFont(FontResolver.Family, 13, XFontStyleEx.Bold);
        var titleFont = new XFont(FontResolver.Family, 18, XFontStyleEx.Bold);
        var small = new XFont(FontResolver.Family, 8, XFontStyleEx.Regular);
        var muted = new XSolidBrush(XColor.FromArgb(80, 90, 95));

        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "Waypoint";
        PdfPage page = null!;
        XGraphics gfx = null!;
        double y = 0, width = 0, bottomY = 0;

        void NewPage()
        {
            gfx?.Dispose();
            page = document.AddPage();
            page.Size = PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            width = page.Width.Point - 2 * Margin;
            bottomY = page.Height.Point - Bottom;
            y = Top;
        }

        void Lines(IReadOnlyList<string> lines, XFont font, XBrush brush, double x)
        {
            foreach (var line in lines)
            {
                if (y + font.Height > bottomY)
                    NewPage();
                gfx.DrawString(line, font, brush, new XPoint(x, y), XStringFormats.TopLeft);
                y += font.Height + LineGap;
            }
        }

        NewPage();
        Lines(Wrap(gfx, title, titleFont, width), titleFont, XBrushes.Black, Margin);
        y += 8;
        foreach (var block in blocks)
        {
            switch (block)
            {
                case PageBreakBlock:
                    NewPage();
                    break;
                case HeadingBlock h:
                    y += 10;
                    if (y + heading.Height * 3 > bottomY)
                        NewPage(); // a heading never sits alone at the foot of a page
                    Lines(Wrap(gfx, h.Text, heading, width), heading, XBrushes.Black, Margin);
                    y += 2;
                    break;
                case TextBlock t:
                    Lines(Wrap(gfx, t.Text, regular, width), regular, t.Muted ? muted : XBrushes.Black, Margin);
                    y += 4;
                    break;
                case FieldBlock f:
                    var label = Wrap(gfx, f.Label, bold, LabelWidth - 10);
                    var value = Wrap(gfx, f.Value, regular, width - LabelWidth);
                    var rows = Math.Max(label.Count, value.Count);
                    var lineHeight = regular.Height + LineGap;
                    if (y + Math.Min(rows, 3) * lineHeight > bottomY)
                        NewPage(); // keep a short field whole, a long one at least starting with three lines
                    for (var i = 0; i < rows; i++)
                    {
                        if (y + regular.Height > bottomY)
                            NewPage();
                        if (i < label.Count)
                            gfx.DrawString(label[i], bold, XBrushes.Black, new XPoint(Margin, y), XStringFormats.TopLeft);
                        if (i < value.Count)
                            gfx.DrawString(value[i], regular, XBrushes.Black, new XPoint(Margin + LabelWidth, y), XStringFormats.TopLeft);
                        y += lineHeight;
                    }
                    y += 4;
                    break;
            }
        }
        gfx.Dispose();

        // Marking, printer and page numbers go on last, once the number of pages is known.
        var printed = $"Printed by {printedBy} on {printedAt.UtcDateTime:d MMMM yyyy 'at' HH:mm} UTC";
        for (var i = 0; i < document.PageCount; i++)
        {
            var p = document.Pages[i];
            using var g = XGraphics.FromPdfPage(p, XGraphicsPdfPageOptions.Append);
            var w = p.Width.Point;
            var h = p.Height.Point;
            g.DrawString(marking, bold, XBrushes.Black, new XRect(0, 25, w, 14), XStringFormats.TopCenter);
            g.DrawString(marking, bold, XBrushes.Black, new XRect(0, h - 35, w, 14), XStringFormats.TopCenter);
            g.DrawString(printed, small, muted, new XPoint(Margin, h - 55), XStringFormats.TopLeft);
            g.DrawString($"Page {i + 1} of {document.PageCount}", small, muted, new XRect(Margin, h - 55, w - 2 * Margin, 10), XStringFormats.TopRight);
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    /// <summary>Breaks text into lines no wider than the width: at spaces where it can, inside a word where it must.</summary>
    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (gfx.MeasureString(candidate, font).Width <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                    lines.Add(line);
                line = word;
                while (line.Length > 1 && gfx.MeasureString(line, font).Width > width)
                {
                    var cut = line.Length - 1;
                    while (cut > 1 && gfx.MeasureString(line[..cut], font).Width > width)
                        cut--;
                    lines.Add(line[..cut]);
                    line = line[cut..];
                }
            }
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>Registers the shipped font once for every PDF Waypoint writes (PDFsharp has one resolver per process); its family name.</summary>
    public static string RegisterFont()
    {
        FontResolver.EnsureRegistered();
        return FontResolver.Family;
    }

    /// <summary>
    /// DejaVu Sans, shipped in the assembly (Bitstream Vera licence, see Fonts/LICENSE-DejaVu.txt):
    /// PDFsharp's cross-platform build finds no system fonts, and a server may have none.
    /// </summary>
    private sealed class FontResolver : IFontResolver
    {
        public const string Family = "Waypoint Sans";
        private static readonly Lock Gate = new();

        public static void EnsureRegistered()
        {
            lock (Gate)
            {
                if (GlobalFontSettings.FontResolver is null)
                    GlobalFontSettings.FontResolver = new FontResolver();
            }
        }

        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(isBold ? "DejaVuSans-Bold" : "DejaVuSans", mustSimulateBold: false, mustSimulateItalic: isItalic);

        public byte[]? GetFont(string faceName)
        {
            using var resource = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Waypoint.Shell.Exports.Fonts.{faceName}.ttf");
            if (resource is null)
                return null;
            using var copy = new MemoryStream();
            resource.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
