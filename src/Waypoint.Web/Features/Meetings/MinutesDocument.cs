using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>What goes into one recipient's copy of the minutes: only what their organisation may see.</summary>
public sealed record MinutesContent(string SeriesName, DateOnly Date, TimeOnly StartTime, string? Place, DateTimeOffset ApprovedAt, string ApprovedBy,
    string Recipient, IReadOnlyList<(string Organisation, string? Person, Attendance? Attendance)> Attendance,
    IReadOnlyList<MinutesItem> Items, int Withheld, MinutesRevision? Revision = null);

public sealed record MinutesItem(int Number, string Child, string Why, string? Discussion, MeetingDecisionKind? Decision, IReadOnlyList<string> Actions);

/// <summary>
/// The minutes as a PDF marked OFFICIAL-SENSITIVE at the top and bottom of every page (the
/// Government Security Classification's marking for personal data about children), in the
/// font every Waypoint PDF ships (Shell/Exports), so no font needs installing on the server.
/// </summary>
public static class MinutesDocument
{
    public const string Marking = "OFFICIAL-SENSITIVE";
    private const double Margin = 50;

    // One font for every PDF: the resolver is process-wide, so the minutes use the one the printed documents ship.
    private static readonly string Family = Shell.Exports.PrintedDocument.RegisterFont();

    public static byte[] Write(MinutesContent minutes)
    {
        var document = new PdfDocument();
        document.Info.Title = $"Minutes: {minutes.SeriesName}, {minutes.Date:d MMMM yyyy}";
        var writer = new Writer(document);
        writer.Line($"Minutes: {minutes.SeriesName}", 16, bold: true);
        writer.Line($"Meeting on {minutes.Date:dddd d MMMM yyyy} at {minutes.StartTime:HH\\:mm}{(minutes.Place is null ? "" : $", {minutes.Place}")}", 11);
        writer.Line($"Approved by {minutes.ApprovedBy} on {minutes.ApprovedAt:d MMMM yyyy}. Copy for {minutes.Recipient}.", 9);
        // A corrected copy says so, so a reader holding an older copy knows it is superseded.
        if (minutes.Revision is { Version: > 1, CorrectedAt: { } correctedAt } revision)
            writer.Line($"Version {revision.Version}: corrected on {correctedAt:d MMMM yyyy} by {revision.CorrectedBy}. Earlier versions are kept on the meeting's page.", 9, bold: true);
        else
            writer.Line("Version 1, as approved.", 9);
        writer.Gap();
        writer.Line("Attendance", 13, bold: true);
        foreach (var (organisation, person, attendance) in minutes.Attendance)
            writer.Line($"{organisation}{(person is null ? "" : $", {person}")}: {(attendance is { } a ? MeetingLabels.Of(a) : "not recorded")}", 10);
        writer.Gap();
        writer.Line("Children discussed", 13, bold: true);
        if (minutes.Withheld > 0)
            writer.Line($"{minutes.Withheld} further {(minutes.Withheld == 1 ? "child was" : "children were")} discussed whom your organisation may not see; ask the chair if you need to know.", 9);
        foreach (var item in minutes.Items)
        {
            writer.Gap();
            writer.Line($"{item.Number}. {item.Child}", 11, bold: true);
            writer.Line($"On the agenda: {item.Why}", 10);
            if (item.Discussion is not null)
                writer.Line($"Discussion: {item.Discussion}", 10);
            writer.Line($"Decision: {(item.Decision is { } d ? MeetingLabels.Of(d) : "none recorded")}", 10);
            foreach (var action in item.Actions)
                writer.Line($"Action: {action}", 10);
        }
        writer.Finish();
        using var stream = new MemoryStream();
        document.Save(stream);
        return stream.ToArray();
    }

    /// <summary>Lines of wrapped text down the page, a new page (with its markings) when one is full.</summary>
    private sealed class Writer(PdfDocument document)
    {
        private PdfPage? page;
        private XGraphics? graphics;
        private double y;

        public void Line(string text, double size, bool bold = false)
        {
            var font = new XFont(Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            EnsurePage();
            var width = page!.Width.Point - 2 * Margin;
            foreach (var line in Wrap(text, font, width))
            {
                if (y + size * 1.4 > page.Height.Point - Margin - 20)
                    NewPage();
                graphics!.DrawString(line, font, XBrushes.Black, new XPoint(Margin, y + size));
                y += size * 1.4;
            }
        }

        public void Gap() => y += 8;

        public void Finish()
        {
            EnsurePage();
            graphics!.Dispose();
        }

        private IEnumerable<string> Wrap(string text, XFont font, double width)
        {
            var current = "";
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : $"{current} {word}";
                if (current.Length > 0 && graphics!.MeasureString(candidate, font).Width > width)
                {
                    yield return current;
                    current = word;
                }
                else
                    current = candidate;
            }
            if (current.Length > 0)
                yield return current;
        }

        private void EnsurePage()
        {
            if (page is null)
                NewPage();
        }

        private void NewPage()
        {
            graphics?.Dispose();
            page = document.AddPage();
            graphics = XGraphics.FromPdfPage(page);
            var marking = new XFont(Family, 10, XFontStyleEx.Bold);
            graphics.DrawString(Marking, marking, XBrushes.Black, new XRect(0, 15, page.Width.Point, 20), XStringFormats.TopCenter);
            graphics.DrawString(Marking, marking, XBrushes.Black, new XRect(0, page.Height.Point - 35, page.Width.Point, 20), XStringFormats.TopCenter);
            y = Margin;
        }
    }
}
