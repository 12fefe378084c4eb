using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Users;

public sealed record UserRow(Guid Id, string DisplayName, string Email, string? JobTitle, string Organisation, bool IsActive, bool HasAuthenticator, IReadOnlyList<string> Roles);

/// <summary>Accounts the administrator may manage: everyone for a partnership administrator, their own organisation's for an organisation administrator.</summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class IndexModel(WaypointDbContext db, AdminSession session, UserAdministration administration) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public Guid? Organisation { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public Administrator Admin { get; private set; } = null!;
    public IReadOnlyList<UserRow> Users { get; private set; } = [];
    public int Total { get; private set; }
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
    public IReadOnlyList<(Guid Id, string Name)> Organisations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Admin = await session.CurrentAsync();
        var query = administration.Visible(Admin).AsNoTracking();
        if (Admin.IsPartnershipAdmin)
        {
            Organisations = (await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).ToListAsync(ct))
                .Select(o => (o.Id, o.Name)).ToList();
            if (Organisation is { } org)
                query = query.Where(u => u.OrganisationId == org);
        }
        var q = Q?.Trim();
        if (!string.IsNullOrEmpty(q) && q.Length <= 256)
        {
            var upper = q.ToUpperInvariant();
            var lower = q.ToLowerInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(upper) || u.DisplayName.ToLower().Contains(lower));
        }
        Total = await query.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        var page = await query
            .OrderBy(u => u.DisplayName).ThenBy(u => u.Id)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.JobTitle, Organisation = u.Organisation!.Name, u.IsActive, u.TwoFactorEnabled })
            .ToListAsync(ct);
        var ids = page.Select(u => u.Id).ToList();
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        Users = page.Select(u => new UserRow(u.Id, u.DisplayName, u.Email ?? "", u.JobTitle, u.Organisation, u.IsActive, u.TwoFactorEnabled,
            roles[u.Id].OrderBy(r => Array.IndexOf(Roles.All, r)).ToList())).ToList();
    }

    /// <summary>The first, last and neighbouring page numbers, with null where pages are skipped (GOV.UK pagination).</summary>
    public IEnumerable<int?> PageItems
    {
        get
        {
            int? previous = null;
            for (var i = 1; i <= Pages; i++)
            {
                if (i != 1 && i != Pages && Math.Abs(i - PageNumber) > 1)
                    continue;
                if (previous is { } p && i - p > 1)
                    yield return null;
                yield return i;
                previous = i;
            }
        }
    }

    public string PageLink(int page) =>
        $"/admin/users?page={page}{(Organisation is { } o && Admin.IsPartnershipAdmin ? $"&organisation={o}" : "")}{(string.IsNullOrWhiteSpace(Q) ? "" : $"&q={Uri.EscapeDataString(Q.Trim())}")}";
}
