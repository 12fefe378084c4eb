using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Domain;

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

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var rows = await triage.Queue()
            .Take(200)
            .Select(r => new { r.Id, r.PersonId, r.Person!.GivenName, r.Person.FamilyName, Reporter = r.ReporterOrganisation!.Name, r.Categories, r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy })
            .ToListAsync(ct);
        Queue = rows.Select(r => new QueueRow(r.Id, r.PersonId, $"{r.GivenName} {r.FamilyName}", r.Reporter,
                string.Join(", ", r.Categories.Split(',').Select(c => TriageLabels.Describe(Enum.Parse<ConcernCategory>(c)))), r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy))
            .ToList();
        await access.AuditListedAsync(Queue.Select(q => q.PersonId).Distinct().ToList(), "hub.queue", ct);
    }
}
