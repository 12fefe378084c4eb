using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>
/// The DPO checks each redaction found automatically (redact it, or keep the text in) and adds
/// their own by choosing a record and the text to take out of it.
/// </summary>
[DataProtectionOfficerOnly]
public sealed class RedactionsModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public const string EveryRecord = "all";

    public sealed record Row(Guid Id, string Record, string Before, string Text, string After, string Why, RedactionKind Kind, RedactionDecision Decision);

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public Dictionary<Guid, string> Decisions { get; set; } = [];
    [BindProperty] public string? Record { get; set; }
    [BindProperty] public string? Text { get; set; }

    public SubjectAccessRequest SarRequest { get; private set; } = null!;
    public IReadOnlyList<Row> Rows { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Records { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    private SubjectAccessCompilation compilation = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDecideAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        if (SarRequest.Status == SubjectAccessStatus.Issued)
        {
            Errors["decisions"] = "This request has been answered: its redactions are kept as they were issued";
            return Page();
        }
        var redactions = await db.SubjectAccessRedactions.Where(r => r.RequestId == Id).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var changed = 0;
        foreach (var r in redactions)
        {
            if (!Decisions.TryGetValue(r.Id, out var value) || !Enum.TryParse<RedactionDecision>(value, out var decision) || decision == RedactionDecision.Proposed
                || int.TryParse(value, out _) || !Enum.IsDefined(decision) || decision == r.Decision)
                continue;
            r.Decision = decision;
            r.DecidedAt = now;
            r.DecidedByUserId = db.Reader.UserId;
            changed++;
        }
        if (changed == 0)
        {
            Errors["decisions"] = "Choose, for at least one redaction, whether to redact the text or keep it in";
            return Page();
        }
        await audit.RecordAsync(new AuditEvent(SarRequest.PersonId, AuditAction.Update, "subject-access.redactions", $"data-protection officer: {changed} redaction decisions"), ct);
        await db.SaveChangesAsync(ct);
        var left = redactions.Count(r => r.Decision == RedactionDecision.Proposed);
        TempData["Confirmation"] = $"Saved {changed} decision{(changed == 1 ? "" : "s")}." + (left > 0 ? $" {left} still to check." : " Every redaction has been checked.");
        return Redirect($"/subject-access/redactions?id={Id}");
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        var text = Text?.Trim();
        string? key = null;
        if (SarRequest.Status == SubjectAccessStatus.Issued)
            Errors["Text"] = "This request has been answered: its redactions are kept as they were issued";
        else if (string.IsNullOrEmpty(Record) || (Record != EveryRecord && compilation.Records.All(r => r.Key != Record)))
            Errors["Record"] = "Select the record to redact the text from";
        else
            key = Record == EveryRecord ? null : Record;
        if (Errors.Count == 0 && Shell.FormText.Problem(text, SubjectAccessRedaction.MaxTextLength, "Enter the text to redact, as it appears in the record", "The text") is { } problem)
            Errors["Text"] = problem;
        else if (Errors.Count == 0 && !compilation.Records.Where(r => key is null || r.Key == key).SelectMany(r => r.Fields).Any(f => f.Value.Contains(text!, StringComparison.OrdinalIgnoreCase)))
            Errors["Text"] = key is null ? "The text is not in any record of the copy" : "The text is not in that record: copy it exactly as it appears";
        if (Errors.Count > 0)
            return Page();
        db.SubjectAccessRedactions.Add(new SubjectAccessRedaction
        {
            RequestId = Id,
            ItemKey = key,
            Text = text!,
            Kind = RedactionKind.Manual,
            Why = "chosen by the data-protection officer",
            Decision = RedactionDecision.Redact,
            DecidedAt = clock.GetUtcNow(),
            DecidedByUserId = db.Reader.UserId,
        });
        await audit.RecordAsync(new AuditEvent(SarRequest.PersonId, AuditAction.Update, "subject-access.redactions", "data-protection officer: a redaction added by hand"), ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "Redaction added.";
        return Redirect($"/subject-access/redactions?id={Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var request = await db.SubjectAccessRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == Id, ct);
        if (request?.CompiledJson is null)
            return false;
        SarRequest = request;
        compilation = SubjectAccessCompilation.FromJson(request.CompiledJson);
        var byKey = compilation.Records.ToDictionary(r => r.Key);
        var redactions = await db.SubjectAccessRedactions.AsNoTracking().Where(r => r.RequestId == Id).ToListAsync(ct);
        Rows = redactions
            .OrderBy(r => r.Decision != RedactionDecision.Proposed).ThenBy(r => r.ItemKey, StringComparer.Ordinal).ThenBy(r => r.Text, StringComparer.Ordinal)
            .Select(r =>
            {
                var record = r.ItemKey is { } k && byKey.TryGetValue(k, out var rec) ? rec : null;
                var label = record is null ? "Every record" : Describe(record);
                var field = (record is null ? compilation.Records.SelectMany(x => x.Fields) : record.Fields)
                    .FirstOrDefault(f => f.Value.Contains(r.Text, StringComparison.OrdinalIgnoreCase));
                if (field is null)
                    return new Row(r.Id, label, "", r.Text, "", r.Why, r.Kind, r.Decision);
                var at = field.Value.IndexOf(r.Text, StringComparison.OrdinalIgnoreCase);
                var start = Math.Max(0, at - 60);
                var end = Math.Min(field.Value.Length, at + r.Text.Length + 60);
                return new Row(r.Id, $"{label}: {field.Label}", (start > 0 ? "…" : "") + field.Value[start..at], field.Value.Substring(at, r.Text.Length),
                    field.Value[(at + r.Text.Length)..end] + (end < field.Value.Length ? "…" : ""), r.Why, r.Kind, r.Decision);
            }).ToList();
        Records = [(EveryRecord, "Every record"), .. compilation.Records.Where(r => r.RecordType != SubjectAccessCompiler.ViewedBy).Select(r => (r.Key, Describe(r)))];
        return true;
    }

    private static string Describe(CompiledRecord r) => $"{r.RecordType}{(r.On is { } on ? $", {on:d MMMM yyyy}" : "")} ({r.Agency})";
}
