using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>The directory for every signed-in partner: find a service by need, age, area and room.</summary>
public sealed class IndexModel(ServiceDirectory directory) : PageModel
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
        int? age = null;
        if (!string.IsNullOrWhiteSpace(Age))
        {
            if (int.TryParse(Age.Trim(), out var a) && a is >= 0 and <= Service.MaxAge)
                age = a;
            else
                Errors["Age"] = $"Age must be a whole number from 0 to {Service.MaxAge}";
        }
        if (Errors.Count > 0)
            return;
        var search = Search?.Trim();
        Results = await directory.SearchAsync(new ServiceSearch(search is { Length: > 200 } ? search[..200] : search, Need, age, Area, HasPlaces), ct);
    }
}
