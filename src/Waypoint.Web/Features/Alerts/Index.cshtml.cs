using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Alerts;

/// <summary>
/// The alert inbox: the alerts the reader may see, open first and new before acknowledged,
/// filtered by rule, school and status; new alerts addressed to the reader's organisation can be
/// acknowledged together, after a confirmation step.
/// </summary>
public sealed class IndexModel(AlertInbox inbox, RecordAccess records, TimeProvider clock) : PageModel
{
    /// <summary>The most alerts one bulk acknowledgement takes (two pages' worth).</summary>
    public const int BulkLimit = 100;

    [BindProperty(SupportsGet = true)] public AlertListFilter Show { get; set; } = AlertListFilter.Open;
    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty(SupportsGet = true)] public int Skip { get; set; }
    [BindProperty(SupportsGet = true)] public AlertRule? Rule { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? School { get; set; }
    [BindProperty(SupportsGet = true)] public AlertStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput RaisedFrom { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput RaisedTo { get; set; } = new();
    [BindProperty] public List<Guid> AlertIds { get; set; } = [];
    [TempData] public string? Confirmation { get; set; }

    public IReadOnlyList<AlertListItem> Alerts { get; private set; } = [];
    public bool More { get; private set; }
    public int Total { get; private set; }
    public string? PupilName { get; private set; }
    public IReadOnlyList<(Guid Id, string Name)> Schools { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>The alerts chosen for a bulk acknowledgement, shown on the confirmation step.</summary>
    public IReadOnlyList<AlertListItem>? ToConfirm { get; private set; }

    /// <summary>The filters as typed; null when a date is refused (its message is in <see cref="Errors"/>).</summary>
    private AlertFilters? ReadFilters()
    {
        var (from, to, errors) = DateInput.ReadRange(RaisedFrom, RaisedTo, "Raised from", "Raised to", "Raised to must be the same as or after raised from");
        if (errors.TryGetValue("From", out var fromError))
            Errors["RaisedFrom"] = fromError;
        if (errors.TryGetValue("To", out var toError))
            Errors["RaisedTo"] = toError;
        return errors.Count > 0 ? null : new AlertFilters(Rule, School, Status, from, to);
    }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    private async Task LoadAsync(CancellationToken ct)
    {
        Skip = Math.Max(0, Skip);
        if (ReadFilters() is not { } filters)
        {
            // A refused date lists nothing; the filter still offers the schools, from the reader's grants.
            Schools = await inbox.SchoolsAsync(School is { } chosen ? [chosen] : [], ct);
            return;
        }
        var page = await inbox.PageAsync(Show, Person, Skip, "alerts", ct, filters);
        (Alerts, More, Total, Schools) = (page.Items, page.More, page.Total, page.Schools);
        PupilName = Person is null ? null : Alerts.FirstOrDefault()?.PupilName;
    }

    /// <summary>The first step of acknowledging several: the alerts chosen, to confirm. Nothing changes yet.</summary>
    public async Task<IActionResult> OnPostAcknowledgeAsync(CancellationToken ct)
    {
        var chosen = await ChosenAsync("alerts.acknowledge", ct);
        if (chosen.Count == 0)
        {
            Errors["AlertIds"] = "Select the new alerts to acknowledge";
            await LoadAsync(ct);
            return Page();
        }
        ToConfirm = chosen.Select(c => c.Item).ToList();
        return Page();
    }

    /// <summary>Acknowledges each chosen alert the reader's organisation may act on, each audited as its own write.</summary>
    public async Task<IActionResult> OnPostAcknowledgeConfirmedAsync(CancellationToken ct)
    {
        var chosen = await ChosenAsync("alerts.acknowledge", ct);
        if (chosen.Count == 0)
        {
            Errors["AlertIds"] = "Select the new alerts to acknowledge";
            await LoadAsync(ct);
            return Page();
        }
        var done = 0;
        foreach (var (opened, _) in chosen)
            if ((await inbox.AcknowledgeAsync(opened, "alert.acknowledge", ct)).Succeeded)
                done++;
        Confirmation = done == 1 ? "1 alert acknowledged" : $"{done} alerts acknowledged";
        return Redirect(Link(Show));
    }

    /// <summary>
    /// The chosen alerts that are new and addressed to the reader's organisation. Each is opened
    /// through the record policy, so one the reader may not see is an audited denial and left out.
    /// </summary>
    private async Task<List<(OpenedAlert Opened, AlertListItem Item)>> ChosenAsync(string subject, CancellationToken ct)
    {
        var chosen = new List<(OpenedAlert, AlertListItem)>();
        foreach (var id in AlertIds.Distinct().Take(BulkLimit))
        {
            if (await records.OpenAlertAsync(id, subject, ct) is not { } opened || !opened.Allows(RecordOperationKind.Write))
                continue;
            var details = await inbox.DetailsAsync(opened, ct);
            if (details.Alert.Status == AlertStatus.New)
                chosen.Add((opened, details.Alert));
        }
        return chosen;
    }

    /// <summary>The list as it stands (every page of it) as CSV or XLSX, the same alerts as the page, each pupil audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (ReadFilters() is not { } filters)
            return BadRequest();
        var alerts = await inbox.ExportAsync(Show, Person, "alerts.export", ct, filters);
        var table = new ExportTable("Alerts", ["Pupil", "Alert", "School", "Set off on", "Status", "Assigned to", "Figures"],
            alerts.Select(a => (IReadOnlyList<object?>)[a.PupilName, a.RuleName, a.School, a.TriggeredOn, a.Status.ToString(), a.AssignedTo ?? "Nobody", a.Figures]).ToList());
        return ExportFile.Of(table, format, "alerts", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    public string ExportLink(ExportFormat format) => Link(Show, export: format);

    public string Link(AlertListFilter show, int skip = 0, ExportFormat? export = null)
    {
        var parts = new List<string>();
        if (export is { } f)
            parts.Add($"handler=Export&format={f.ToString().ToLowerInvariant()}");
        parts.Add($"show={show.ToString().ToLowerInvariant()}");
        if (Person is { } p)
            parts.Add($"person={p}");
        if (Rule is { } rule)
            parts.Add($"rule={rule}");
        if (School is { } school)
            parts.Add($"school={school}");
        if (Status is { } status)
            parts.Add($"status={status}");
        RaisedFrom.AddToQuery(parts, "RaisedFrom");
        RaisedTo.AddToQuery(parts, "RaisedTo");
        if (skip > 0)
            parts.Add($"skip={skip}");
        return "/alerts?" + string.Join("&", parts);
    }
}
