using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>The DPO's subject-access requests with their statutory clocks, oldest due first.</summary>
[DataProtectionOfficerOnly]
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, string Requester, DateOnly ReceivedOn, DateOnly DueOn, bool Extended, SubjectAccessStatus Status, DateTimeOffset? IssuedAt);

    public IReadOnlyList<Row> Open { get; private set; } = [];
    public IReadOnlyList<Row> Issued { get; private set; } = [];
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await db.SubjectAccessRequests.AsNoTracking()
            .OrderByDescending(r => r.ReceivedOn).Take(500)
            .Select(r => new { r.Id, r.RequesterName, r.ReceivedOn, Extended = r.ExtendedAt != null, r.Status, r.IssuedAt }).ToListAsync(ct);
        var all = rows.Select(r => new Row(r.Id, r.RequesterName, r.ReceivedOn, SubjectAccessClock.DueOn(r.ReceivedOn, r.Extended), r.Extended, r.Status, r.IssuedAt)).ToList();
        Open = all.Where(r => r.Status != SubjectAccessStatus.Issued).OrderBy(r => r.DueOn).ToList();
        Issued = all.Where(r => r.Status == SubjectAccessStatus.Issued).OrderByDescending(r => r.IssuedAt).Take(50).ToList();
    }
}
