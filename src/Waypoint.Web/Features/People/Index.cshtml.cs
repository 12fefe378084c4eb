using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.People;

/// <summary>
/// Find a person: every match the reader may see, counted truly and paged, each with their age,
/// school and why they matched; the page's results audited as listed, an export's (every result) as exported.
/// </summary>
public sealed class IndexModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Identifier { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput Dob { get; set; } = new();
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;
    public Dictionary<string, string> Errors { get; } = [];
    public PersonSearchPage Results { get; private set; } = new([], 0, false, 0);
    public bool Searched { get; private set; }
    public DateOnly Today { get; private set; }

    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Read() is not { } query)
            return;
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        Results = await PersonSearch.PageAsync(db, query, (PageNumber - 1) * PageSize, PageSize, Today, ct);
        PageNumber = Results.Skip / PageSize + 1;
        await access.AuditListedAsync(Results.Results.Select(r => r.Hit.Id).ToList(), "people.search", ct);
    }

    /// <summary>Every result of the search (not just this page) as CSV or XLSX, each person audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (Read() is not { } query)
            return BadRequest();
        var all = await PersonSearch.PageAsync(db, query, 0, PersonSearch.CountLimit, Today, ct);
        await access.AuditShownAsync(all.Results.Select(r => r.Hit.Id).ToList(), Waypoint.Audit.AuditAction.Export, "people.search.export", ct);
        var table = new ExportTable("People found", ["Name", "Date of birth", "Age", "School now", "Ward", "Type", "Why it matched"],
            all.Results.Select(r => (IReadOnlyList<object?>)[$"{r.Hit.GivenName} {r.Hit.FamilyName}", r.Hit.DateOfBirth, r.AgeOn(Today), r.School, r.Hit.Ward,
                r.Hit.Kind == Domain.PersonKind.YoungPerson ? "Young person" : "Adult", r.Why]).ToList());
        return ExportFile.Of(table, format, "people-found", Today);
    }

    /// <summary>The query typed, or null when there is none to run (nothing typed, or a field refused).</summary>
    private PersonSearchQuery? Read()
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (dob, dobError) = Dob.Read("Date of birth", DateRange.Birth(Today));
        if (dobError is not null)
            Errors["DateOfBirth"] = dobError;
        if (Name?.Length > 200)
            Errors["Name"] = "Name must be 200 characters or fewer";
        if (Identifier?.Length > 40)
            Errors["Identifier"] = "An identifier is at most 40 characters";
        var query = new PersonSearchQuery(Name, dob, Identifier);
        Searched = !query.IsEmpty || Errors.Count > 0;
        return !Searched || Errors.Count > 0 ? null : query;
    }

    /// <summary>This search's address with another page, or another handler and format.</summary>
    public string Link(int? page = null, ExportFormat? export = null)
    {
        var parts = new List<string>();
        if (export is { } format)
            parts.Add($"handler=Export&format={format.ToString().ToLowerInvariant()}");
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                parts.Add($"{key}={Uri.EscapeDataString(value)}");
        }
        Add("Name", Name);
        Add("Identifier", Identifier);
        Add("Dob.Day", Dob.Day);
        Add("Dob.Month", Dob.Month);
        Add("Dob.Year", Dob.Year);
        if (page is > 1)
            parts.Add($"p={page}"); // not "page": Razor Pages routes by that name
        return "/people?" + string.Join("&", parts);
    }
}
