using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Features.People;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Chronology;

/// <summary>
/// A person's chronology across agencies, filtered by kind and date, printable as a document. The
/// person is opened (and the look audited) once; every entry then comes through the policy's filters.
/// </summary>
public sealed class IndexModel(PersonAccess access, Chronology chronology, CurrentUserSummary currentUser, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty(SupportsGet = true)] public List<ChronologyKind> Kinds { get; set; } = [];
    [BindProperty(SupportsGet = true)] public DateInput From { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput To { get; set; } = new();
    [BindProperty(SupportsGet = true)] public ChronologyOrder Order { get; set; }

    public IReadOnlyList<ChronologyEntry> Entries { get; private set; } = [];
    public int NotesWithheld { get; private set; }
    public bool Filtered { get; private set; }
    public string PrintedBy { get; private set; } = "";
    public string Organisation { get; private set; } = "";
    public DateTimeOffset PrintedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync("chronology", ct))
            return NotFound();
        return Page();
    }

    /// <summary>
    /// The chronology as the page shows it, filters and all, as a PDF made on the server: searchable
    /// text, the protective marking and who printed it on every page. Opening it is audited as the page is.
    /// </summary>
    public async Task<IActionResult> OnGetPdfAsync(CancellationToken ct)
    {
        if (!await LoadAsync("chronology.pdf", ct))
            return NotFound();
        if (Errors.Count > 0)
            return Page();
        await Access.AuditShownAsync([Id], Waypoint.Audit.AuditAction.Export, "chronology.pdf", ct);
        var p = Person!;
        var name = $"{p.GivenName} {p.FamilyName}";
        var document = new PrintedDocument($"Chronology for {name}")
            .Field("Date of birth", p.DateOfBirth?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "Not known")
            .Paragraph($"Only what {Organisation} may see under the information-sharing agreement is shown; other partners may hold more.", muted: true);
        if (Filtered)
            document.Paragraph("Filtered: " + Describe(), muted: true);
        if (NotesWithheld > 0)
            document.Paragraph($"{NotesWithheld} case {(NotesWithheld == 1 ? "note is" : "notes are")} in categories the sharing agreement does not share with your organisation.");
        document.Heading($"{Entries.Count} {(Entries.Count == 1 ? "entry" : "entries")}, {(Order == ChronologyOrder.OldestFirst ? "oldest first" : "newest first")}");
        if (Entries.Count == 0)
            document.Paragraph(Filtered ? "Nothing you may see matches these filters." : "Nothing recorded about this person that you may see.");
        foreach (var e in Entries)
        {
            var when = e.At is { } at ? at.UtcDateTime.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) : e.On.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
            var text = $"{ChronologyLabels.Describe(e.Kind)}: {e.Title}" + (e.Detail.Length > 0 ? "\n" + e.Detail : "") + (e.Organisation.Length > 0 ? $"\n({e.Organisation})" : "");
            document.Field(when, text);
        }
        var pdf = document.Render($"{PrintedBy}, {Organisation}", PrintedAt);
        return File(pdf, "application/pdf", $"chronology-{PrintedAt.UtcDateTime:yyyy-MM-dd}.pdf");
    }

    private string Describe()
    {
        var parts = new List<string>();
        if (Kinds.Count > 0)
            parts.Add(string.Join(", ", Kinds.Distinct().Select(ChronologyLabels.Describe)));
        if (fromDate is { } from)
            parts.Add($"from {from.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");
        if (toDate is { } to)
            parts.Add($"to {to.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)}");
        return string.Join("; ", parts);
    }

    private DateOnly? fromDate, toDate;

    /// <summary>The PDF of what the page shows: the same filters, in the same order.</summary>
    public string PdfLink => $"/people/{Id}/chronology?handler=Pdf"
        + string.Concat(Request.Query.Where(q => !q.Key.Equals("handler", StringComparison.OrdinalIgnoreCase))
            .SelectMany(q => q.Value.Select(v => $"&{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}")));

    private async Task<bool> LoadAsync(string subject, CancellationToken ct)
    {
        if (!await OpenAsync(subject, ct))
            return false;
        var user = await currentUser.GetAsync();
        PrintedBy = user?.DisplayName ?? "";
        Organisation = user?.OrganisationName ?? "";
        PrintedAt = clock.GetUtcNow();

        var (from, to, errors) = DateInput.ReadRange(From, To, "The 'from' date", "The 'to' date", ChronologyFilter.OutOfOrder);
        foreach (var (field, message) in errors)
            Errors[field] = message;
        if (Errors.Count > 0)
            return true;

        (fromDate, toDate) = (from, to);
        var kinds = Kinds.Distinct().ToList();
        Filtered = kinds.Count > 0 || from is not null || to is not null;
        Entries = await chronology.BuildAsync(Id, new ChronologyFilter(kinds, from, to, Order), ct);
        NotesWithheld = await chronology.WithheldNotesAsync(Id, ct);
        return true;
    }
}
