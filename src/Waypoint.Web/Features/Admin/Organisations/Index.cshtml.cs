using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Organisations;

public sealed record OrganisationRow(Guid Id, string Name, OrganisationType Type, string Area, string? Urn, string? PoliceForce, bool IsActive, int Users);

[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(WaypointDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public OrganisationType? Type { get; set; }
    public IReadOnlyList<OrganisationRow> Organisations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (Type is { } type)
            query = query.Where(o => o.Type == type);
        Organisations = await query
            .OrderBy(o => o.Name)
            .Select(o => new OrganisationRow(o.Id, o.Name, o.Type, o.Area!.Name, o.Urn, o.PoliceForce, o.IsActive, db.Users.Count(u => u.OrganisationId == o.Id)))
            .ToListAsync(ct);
    }
}
