using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;

namespace Waypoint.Features.Alerts;

/// <summary>
/// One alert: what set it off, its history, and what the reader can do with it (acknowledge,
/// assign to a colleague, add a note, close with a note). An alert the reader may not see is a
/// 404 with an audited denial, as a person is.
/// </summary>
public sealed class AlertModel(AlertInbox inbox, RecordAccess records) : PageModel
{
    private const string Subject = "alert";

    [BindProperty] public Guid? AssignTo { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? CloseNote { get; set; }
    [TempData] public string? Confirmation { get; set; }

    public AlertDetails Alert { get; private set; } = null!;
    public bool MayAct { get; private set; }
    public IReadOnlyList<(Guid Id, string Name)> Assignees { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Errors { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAcknowledgeAsync(Guid id, CancellationToken ct) =>
        ApplyAsync(id, a => inbox.AcknowledgeAsync(a, "alert.acknowledge", ct), "You have acknowledged the alert", ct);

    public Task<IActionResult> OnPostAssignAsync(Guid id, CancellationToken ct) =>
        ApplyAsync(id, a => inbox.AssignAsync(a, AssignTo, "alert.assign", ct), "The alert has been assigned", ct);

    public Task<IActionResult> OnPostNoteAsync(Guid id, CancellationToken ct) =>
        ApplyAsync(id, a => inbox.AddNoteAsync(a, Note, "alert.note", ct), "Your note has been added", ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        ApplyAsync(id, a => inbox.CloseAsync(a, CloseNote, "alert.close", ct), "The alert has been closed", ct);

    private async Task<IActionResult> ApplyAsync(Guid id, Func<OpenedAlert, Task<AlertChange>> change, string done, CancellationToken ct)
    {
        if (await records.OpenAlertAsync(id, Subject, ct) is not { } opened)
            return NotFound();
        var outcome = await change(opened);
        if (outcome.Forbidden)
            return Forbid();
        if (outcome.Succeeded)
        {
            Confirmation = done;
            return Redirect($"/alerts/{id}");
        }
        Errors = outcome.Errors;
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await records.OpenAlertAsync(id, Subject, ct) is not { } opened)
            return false;
        var alert = await inbox.DetailsAsync(opened, ct);
        Alert = alert;
        MayAct = opened.Allows(RecordOperationKind.Write);
        if (alert.Alert.Status != Domain.AlertStatus.Closed)
            Assignees = await inbox.AssigneesAsync(id, ct);
        return true;
    }
}
