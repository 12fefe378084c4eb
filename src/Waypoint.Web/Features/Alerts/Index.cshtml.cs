using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Alerts;

/// <summary>The alert inbox: the alerts the reader may see, open first and new before acknowledged.</summary>
public sealed class IndexModel(AlertInbox inbox, TimeProvider clock) : PageModel
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

    /// <summary>The list as it stands (every page of it) as CSV or XLSX, audited like the page.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        var alerts = await inbox.ExportAsync(Show, Person, "alerts.export", ct);
        var table = new ExportTable("Alerts", ["Pupil", "Alert", "School", "Set off on", "Status", "Assigned to", "Figures"],
            alerts.Select(a => (IReadOnlyList<object?>)[a.PupilName, a.RuleName, a.School, a.TriggeredOn, a.Status.ToString(), a.AssignedTo ?? "Nobody", a.Figures]).ToList());
        return ExportFile.Of(table, format, "alerts", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    public string ExportLink(ExportFormat format) =>
        $"/alerts?handler=Export&format={format.ToString().ToLowerInvariant()}&show={Show.ToString().ToLowerInvariant()}{(Person is { } p ? $"&person={p}" : "")}";

    public string Link(AlertListFilter show, int skip = 0) =>
        $"/alerts?show={show.ToString().ToLowerInvariant()}{(Person is { } p ? $"&person={p}" : "")}{(skip > 0 ? $"&skip={skip}" : "")}";
}
