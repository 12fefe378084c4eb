using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>The published risk matrix, the draft waiting for sign-off and every version before, with their change notes. No person.</summary>
[Authorize(Roles = Roles.PartnershipAdmin + "," + Roles.DataProtectionOfficer)]
public sealed class MatrixModel(WaypointDbContext db, RiskMatrixPublishing publishing) : PageModel
{
    public IReadOnlyList<RiskMatrixVersion> Versions { get; private set; } = [];
    public RiskMatrixVersion? Published => Versions.FirstOrDefault(v => v.Status == RiskMatrixStatus.Published);
    public RiskMatrixVersion? Draft => Versions.FirstOrDefault(v => v.Status == RiskMatrixStatus.Draft);
    public bool MayPublish => User.IsInRole(Roles.DataProtectionOfficer);

    public RiskRecomputeJob? Job { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Versions = await db.RiskMatrixVersions.AsNoTracking().Include(v => v.Factors).OrderByDescending(v => v.Number).ToListAsync(ct);
        Job = await publishing.LatestJobAsync(ct);
    }

    public static string Describe(RiskFactor f) =>
        f.Source switch
        {
            RiskSource.Attendance => $"attendance below {f.AttendanceBelowPercent}% over {f.LookBackMonths} months",
            RiskSource.Occurrences => $"{f.MinimumCount}+ occurrences as {string.Join(" or ", f.RoleList.Select(PoliceLabels.Describe))}{(f.OffenceGroup is { } g ? $" ({g})" : "")}{(f.IncidentType is { } i ? $" ({PoliceLabels.Describe(i).ToLowerInvariant()})" : "")} in {f.LookBackMonths} months",
            RiskSource.Flags => $"a current {(f.FlagKind is { } k ? FlagRules.Describe(k).ToLowerInvariant() : "")} flag",
            _ => $"{f.MinimumCount}+ {f.Source.ToString().ToLowerInvariant()} in {f.LookBackMonths} months",
        };
}
