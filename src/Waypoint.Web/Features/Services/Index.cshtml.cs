using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>The directory for every signed-in partner: find a service by need, age, area and room.</summary>
public sealed class IndexModel(ServiceDirectory directory, DirectoryTransfer transfer, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Need { get; set; }
    [BindProperty(SupportsGet = true)] public string? Age { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Area { get; set; }
    [BindProperty(SupportsGet = true)] public bool HasPlaces { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public List<ServiceSummary> Results { get; private set; } = [];
    public List<(Guid Id, string Name)> Needs { get; private set; } = [];
    public List<(Guid Id, string Name, AreaKind Kind)> Areas { get; private set; } = [];
    public bool MayAdd { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Needs = await directory.NeedsAsync(ct);
        Areas = await directory.AreasAsync(ct);
        MayAdd = await directory.MayAddAsync(ct);
        if (ReadSearch() is { } search)
            Results = await directory.SearchAsync(search, ct);
    }

    /// <summary>The services the filters find, as the directory file (CSV or XLSX) that the import reads back.</summary>
    public async Task<IActionResult> OnGetExportAsync([FromQuery] Shell.Exports.ExportFormat? format, CancellationToken ct)
    {
        if (ReadSearch() is not { } search)
            return BadRequest();
        var table = await transfer.ExportAsync(search, ct);
        return Shell.Exports.ExportFile.Of(table, format ?? Shell.Exports.ExportFormat.Csv, "services-directory", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>The export links keep the filters shown.</summary>
    public string ExportLink(Shell.Exports.ExportFormat format)
    {
        var query = new Dictionary<string, string?> { ["handler"] = "Export", ["format"] = format.ToString() };
        if (!string.IsNullOrWhiteSpace(Search))
            query["Search"] = Search;
        if (Need is { } need)
            query["Need"] = need.ToString();
        if (!string.IsNullOrWhiteSpace(Age))
            query["Age"] = Age;
        if (Area is { } area)
            query["Area"] = area.ToString();
        if (HasPlaces)
            query["HasPlaces"] = "true";
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/services", query);
    }

    private ServiceSearch? ReadSearch()
    {
        int? age = null;
        if (!string.IsNullOrWhiteSpace(Age))
        {
            if (int.TryParse(Age.Trim(), out var a) && a is >= 0 and <= Service.MaxAge)
                age = a;
            else
                Errors["Age"] = $"Age must be a whole number from 0 to {Service.MaxAge}";
        }
        if (Errors.Count > 0)
            return null;
        var search = Search?.Trim();
        return new ServiceSearch(search is { Length: > 200 } ? search[..200] : search, Need, age, Area, HasPlaces);
    }
}
