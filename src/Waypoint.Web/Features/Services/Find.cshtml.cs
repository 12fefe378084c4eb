using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>A published service as the public finder shows it: what the Open Referral UK feed publishes, nothing internal (no capacity, QA notes or staff names).</summary>
public sealed record PublicService(Guid Id, string Name, string Provider, string Description, int? MinimumAge, int? MaximumAge,
    IReadOnlyList<string> Needs, IReadOnlyList<string> Areas);

/// <summary>
/// The public finder (GOV.UK "find a service"): anyone, without signing in, finds services by
/// need, age and area. It reads only the published directory (never a suspended service) and
/// holds no person: no one is named, nothing is audited against anyone.
/// </summary>
[AllowAnonymous]
public sealed class FindModel(ServiceDirectory directory, WaypointDbContext db) : PageModel
{
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Need { get; set; }
    [BindProperty(SupportsGet = true)] public string? Age { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Area { get; set; }
    // Not "page": Razor Pages keeps that name for the page's own route value.
    [BindProperty(SupportsGet = true, Name = "pageNumber")] public int PageNumber { get; set; } = 1;

    public Dictionary<string, string> Errors { get; } = [];
    public List<PublicService> Results { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public List<(Guid Id, string Name)> Needs { get; private set; } = [];
    public List<(Guid Id, string Name, AreaKind Kind)> Areas { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Needs = await directory.NeedsAsync(ct);
        Areas = await directory.AreasAsync(ct);
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
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        var search = Search?.Trim();
        var filtered = await directory.FilterAsync(Published(db), new ServiceSearch(search is { Length: > 200 } ? search[..200] : search, Need, age, Area), ct);
        Total = await filtered.CountAsync(ct);
        Results = await filtered.OrderBy(s => s.Name).ThenBy(s => s.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize).Select(Row).ToListAsync(ct);
    }

    /// <summary>What is public: every service not suspended, as the Open Referral UK feed publishes.</summary>
    public static IQueryable<Service> Published(WaypointDbContext db) =>
        db.Set<Service>().AsNoTracking().Where(s => s.QaStatus != ServiceQaStatus.Suspended);

    public static readonly System.Linq.Expressions.Expression<Func<Service, PublicService>> Row = s => new PublicService(s.Id, s.Name, s.ProviderOrganisation!.Name,
        s.Description, s.MinimumAge, s.MaximumAge, s.Needs.Select(n => n.Term!.Name).OrderBy(n => n).ToList(), s.Areas.Select(a => a.Area!.Name).OrderBy(n => n).ToList());

    public string PageLink(int page)
    {
        var query = new Dictionary<string, string?> { ["Search"] = Search, ["Need"] = Need?.ToString(), ["Age"] = Age, ["Area"] = Area?.ToString(), ["pageNumber"] = page.ToString() };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/find-a-service", query.Where(q => !string.IsNullOrEmpty(q.Value)));
    }
}
