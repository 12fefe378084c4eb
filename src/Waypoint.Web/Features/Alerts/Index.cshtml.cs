using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Alerts;

/// <summary>The alert inbox: the alerts the reader may see, open first and new before acknowledged.</summary>
public sealed class IndexModel(AlertInbox inbox) : PageModel
{
    [BindProperty(SupportsGet = true)] public AlertListFilter Show { get; set; } = AlertListFilter.Open;
    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty(SupportsGet = true)] public int Skip { get; set; }

    public IReadOnlyList<AlertListItem> Alerts { get; private set; } = [];
    public bool More { get; private set; }
    public string? PupilName { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Skip = Math.Max(0, Skip);
        (Alerts, More) = await inbox.ListAsync(Show, Person, Skip, "alerts", ct);
        PupilName = Person is null ? null : Alerts.FirstOrDefault()?.PupilName;
    }

    public string Link(AlertListFilter show, int skip = 0) =>
        $"/alerts?show={show.ToString().ToLowerInvariant()}{(Person is { } p ? $"&person={p}" : "")}{(skip > 0 ? $"&skip={skip}" : "")}";
}
