using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Referrals;

public sealed record QueueRow(Guid Id, Guid PersonId, string Name, string Reporter, string Categories, bool ImmediateRisk, DateTimeOffset ReportedAt, DateTimeOffset DueBy);

/// <summary>
/// The hub's queue: reports awaiting a decision that the reader's triage grant covers (the policy's
/// filter decides which), urgent first, then by when the decision is due; overdue ones stand out.
/// </summary>
public sealed class HubModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public IReadOnlyList<QueueRow> Queue { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        var userId = db.Reader.UserId;
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        // The reports this reader decides on: those in areas their triage grant covers (a reporter also sees their own, but not here).
        var rows = await db.Referrals.AsNoTracking()
            .Where(r => r.Status == ReferralStatus.AwaitingTriage
                && db.Areas.Any(a => a.Id == r.AreaId && db.PartnershipRoleGrants.Any(g => g.UserId == userId && g.Function == PartnershipFunction.HubTriage
                    && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)
                    && (g.AreaId == a.Id || g.AreaId == a.ParentId || g.AreaId == a.Parent!.ParentId))))
            .OrderByDescending(r => r.ImmediateRisk).ThenBy(r => r.DecisionDueBy)
            .Take(200)
            .Select(r => new { r.Id, r.PersonId, r.Person!.GivenName, r.Person.FamilyName, Reporter = r.ReporterOrganisation!.Name, r.Categories, r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy })
            .ToListAsync(ct);
        Queue = rows.Select(r => new QueueRow(r.Id, r.PersonId, $"{r.GivenName} {r.FamilyName}", r.Reporter,
                string.Join(", ", r.Categories.Split(',').Select(c => TriageLabels.Describe(Enum.Parse<ConcernCategory>(c)))), r.ImmediateRisk, r.ReportedAt, r.DecisionDueBy))
            .ToList();
        await access.AuditListedAsync(Queue.Select(q => q.PersonId).Distinct().ToList(), "hub.queue", ct);
    }
}
