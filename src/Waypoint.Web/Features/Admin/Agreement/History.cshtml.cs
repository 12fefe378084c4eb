using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Agreement;

public sealed record VersionRow(int Number, string Title, bool IsCurrent, DateTimeOffset? InForceFrom, DateTimeOffset? InForceUntil, int Rules);

[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class HistoryModel(WaypointDbContext db) : PageModel
{
    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var versions = await db.SharingAgreementVersions.AsNoTracking()
            .Select(v => new { v.Number, v.Title, v.IsCurrent, v.InForceFrom, Rules = v.Rules.Count })
            .ToListAsync(ct);
        // A version was in force until the next one to come into force.
        var starts = versions.Where(v => v.InForceFrom is not null).OrderBy(v => v.InForceFrom).ToList();
        Versions = versions.OrderByDescending(v => v.Number)
            .Select(v => new VersionRow(v.Number, v.Title, v.IsCurrent, v.InForceFrom,
                v.IsCurrent || v.InForceFrom is null ? null : starts.FirstOrDefault(s => s.InForceFrom > v.InForceFrom)?.InForceFrom, v.Rules))
            .ToList();
    }
}
