using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Shell;

namespace Waypoint.Features.Provision;

/// <summary>
/// A local authority's term dates, kept by the partnership administrator: pasted or sent as a
/// file, checked line by line (each problem names its line and field, and nothing is changed),
/// shown for confirmation with what they replace, then saved. The sixth-day watch counts school
/// days from them.
/// </summary>
[RequestSizeLimit(TermDateFile.MaxBytes * 3)]
[RequestFormLimits(MultipartBodyLengthLimit = TermDateFile.MaxBytes * 3, ValueLengthLimit = TermDateFile.MaxBytes * 2)]
public sealed class TermDatesModel(TermCalendar calendar, CurrentUserSummary current) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Area { get; set; }
    [BindProperty] public string? Text { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public IReadOnlyList<Authority> Authorities { get; private set; } = [];
    public Authority? Selected { get; private set; }
    public IReadOnlyList<TermSpan> Held { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<string> Problems { get; private set; } = [];
    [TempData] public string? Confirmation { get; set; }

    /// <summary>A checked file waiting for confirmation, and the held terms it replaces.</summary>
    public TermDateFile.Parsed? Checked { get; private set; }
    public IReadOnlyList<TermSpan> Replaced { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : Forbid();

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Forbid();
        if (Selected is null)
            return NotFound();
        return File(System.Text.Encoding.UTF8.GetBytes(TermDateFile.Write(Held)), "text/csv", $"term-dates-{Selected.Name.ToLowerInvariant().Replace(' ', '-')}.csv");
    }

    /// <summary>Checks the dates and shows them for confirmation; nothing is saved.</summary>
    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Forbid();
        if (Selected is null)
        {
            Errors[nameof(Area)] = "Select the local authority";
            return Page();
        }
        if (Upload is { Length: > 0 })
        {
            if (Upload.Length > TermDateFile.MaxBytes)
            {
                Errors[nameof(Upload)] = "The file must be 64 KB or smaller";
                return Page();
            }
            using var reader = new StreamReader(Upload.OpenReadStream());
            Text = await reader.ReadToEndAsync(ct);
        }
        if (!Parse())
            return Page();
        Replaced = Held.Where(t => Checked!.Years.Contains(Schools.Rules.AcademicYear.Of(t.Start))).ToList();
        return Page();
    }

    /// <summary>Saves the confirmed dates (checked again: the text came back through the browser).</summary>
    public async Task<IActionResult> OnPostSaveAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return Forbid();
        if (Selected is null)
        {
            Errors[nameof(Area)] = "Select the local authority";
            return Page();
        }
        if (!Parse())
            return Page();
        var file = Checked!;
        Checked = null;
        await calendar.ReplaceAsync(Selected.Id, file, "partnership administrator", ct);
        Confirmation = $"{file.Terms.Count} term dates saved for {Selected.Name}, {string.Join(" and ", file.Years.Select(TermDateFile.Name))}";
        return Redirect($"/provision/term-dates?area={Selected.Id}");
    }

    private bool Parse()
    {
        if ((Text?.Length ?? 0) > TermDateFile.MaxBytes)
        {
            Errors[nameof(Text)] = "The term dates must be 64 KB or smaller";
            return false;
        }
        var parsed = TermDateFile.Parse(Text);
        if (parsed.Problems.Count > 0)
        {
            Problems = parsed.Problems;
            Errors[nameof(Text)] = parsed.Problems.Count == 1 ? parsed.Problems[0]
                : $"Nothing was saved: correct the {parsed.Problems.Count} problems listed below the term dates ({parsed.Problems[0]}, …)";
            return false;
        }
        Checked = parsed;
        return true;
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if ((await current.GetAsync())?.IsPartnershipAdmin != true)
            return false;
        Authorities = await calendar.AuthoritiesAsync(ct);
        Selected = Area is { } id ? Authorities.FirstOrDefault(a => a.Id == id) : Authorities.FirstOrDefault();
        if (Selected is not null)
            Held = await calendar.TermsAsync(Selected.Id, ct);
        return true;
    }
}
