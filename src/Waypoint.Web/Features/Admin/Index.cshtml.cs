using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Admin;

[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class IndexModel(AdminSession session, WaypointDbContext db) : PageModel
{
    public Administrator Admin { get; private set; } = null!;
    public string OrganisationName { get; private set; } = "";
    public int? CurrentAgreementNumber { get; private set; }
    public int? DraftAgreementNumber { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Admin = await session.CurrentAsync();
        OrganisationName = await db.Organisations.Where(o => o.Id == Admin.OrganisationId).Select(o => o.Name).FirstAsync(ct);
        if (Admin.IsPartnershipAdmin)
        {
            CurrentAgreementNumber = await db.SharingAgreementVersions.Where(v => v.IsCurrent).Select(v => (int?)v.Number).FirstOrDefaultAsync(ct);
            DraftAgreementNumber = await db.SharingAgreementVersions.Where(v => v.InForceFrom == null).Select(v => (int?)v.Number).FirstOrDefaultAsync(ct);
        }
    }
}
