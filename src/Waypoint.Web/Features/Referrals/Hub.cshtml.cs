using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Referrals;

public sealed record QueueRow(Guid Id, Guid PersonId, string Name, string Reporter, string Categories, bool ImmediateRisk, DateTimeOffset ReportedAt, DateTimeOffset DueBy);

/// <summary>
/// The hub's queue: reports awaiting a decision that the reader's triage grant covers (the policy's
/// filter decides which), urgent first, then by when the decision is due; overdue ones stand out.
/// </summary>
public sealed class HubModel(Triage triage, PersonAccess access, TimeProvider clock) : PageModel
{
    public IReadOnlyList<QueueRow> Queue { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(200, "hub.queue", ct);

    /// <summary>The queue as CSV or XLSX: the same reports, order and audit as the page.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        await LoadAsync(ExportLimit, "hub.queue.export", ct);
        var table = new ExportTable("Hub queue", ["Child", "Concern", "Immediate risk", "Reported by", "Reported at (UTC)", "Decision due (UTC)", "Overdue"],
            Queue.Select(q => (IReadOnlyList<object?>)[q.Name, q.Categories, q.ImmediateRisk, q.Reporter, q.ReportedAt, q.DueBy, q.DueBy < Now]).ToList());
        return ExportFile.Of(table, format, "hub-queue", DateOnly.FromDateTime(Now.UtcDateTime));
    }

    public const int ExportLimit = 5000;

    private async Task LoadAsync(int limit, string subject, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var rows = await triage.Queue()
            .Take(limit)
            .Select(r => new { r.Id, r.PersonId, r.Person!.GivenName, r.Person.FamilyName, Reporter = r.ReporterOrganisation!.Name, r.Categories, r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy })
            .ToListAsync(ct);
        Queue = rows.Select(r => new QueueRow(r.Id, r.PersonId, $"{r.GivenName} {r.FamilyName}", r.Reporter,
                string.Join(", ", r.Categories.Split(',').Select(c => TriageLabels.Describe(Enum.Parse<ConcernCategory>(c)))), r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy))
            .ToList();
        await access.AuditListedAsync(Queue.Select(q => q.PersonId).Distinct().ToList(), subject, ct);
    }
}
