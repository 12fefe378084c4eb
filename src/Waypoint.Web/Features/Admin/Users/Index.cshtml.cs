using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Admin.Users;

public sealed record UserRow(Guid Id, string DisplayName, string Email, string? JobTitle, string Organisation, bool IsActive, bool HasAuthenticator, IReadOnlyList<string> Roles);

/// <summary>
/// Accounts the administrator may manage: everyone for a partnership administrator, their own
/// organisation's for an organisation administrator; every account the filters find as CSV or XLSX
/// (staff names and e-mail addresses, so the export is audited, as an administrative row).
/// </summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class IndexModel(WaypointDbContext db, AdminSession session, UserAdministration administration, TimeProvider clock) : PageModel
{
    /// <summary>The most accounts one export holds.</summary>
    public const int ExportLimit = 20_000;

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
        if (Admin.IsPartnershipAdmin)
            Organisations = (await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).ToListAsync(ct))
                .Select(o => (o.Id, o.Name)).ToList();
        var query = Filtered();
        Total = await query.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, Pages);
        Users = await RowsAsync(query.Skip((PageNumber - 1) * PageSize).Take(PageSize), ct);
    }

    /// <summary>Every account the filters find (not only this page), in the page's order.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        Admin = await session.CurrentAsync();
        var users = await RowsAsync(Filtered().Take(ExportLimit), ct);
        await session.RecordAsync(AuditAction.Export, $"admin.users export ({users.Count} accounts)", ct);
        var table = new ExportTable("Users", ["Name", "Email", "Job title", "Organisation", "Roles", "Active", "Authenticator set up"],
            users.Select(u => (IReadOnlyList<object?>)[u.DisplayName, u.Email, u.JobTitle, u.Organisation, string.Join(", ", u.Roles), u.IsActive, u.HasAuthenticator]).ToList());
        return ExportFile.Of(table, format, "users", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>The accounts this administrator may manage, narrowed by the organisation (a partnership administrator's choice) and the text typed, by name.</summary>
    private IQueryable<WaypointUser> Filtered()
    {
        var query = administration.Visible(Admin).AsNoTracking();
        if (Admin.IsPartnershipAdmin && Organisation is { } org)
            query = query.Where(u => u.OrganisationId == org);
        var q = Q?.Trim();
        if (!string.IsNullOrEmpty(q) && q.Length <= 256)
        {
            var upper = q.ToUpperInvariant();
            var lower = q.ToLowerInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(upper) || u.DisplayName.ToLower().Contains(lower));
        }
        return query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id);
    }

    private async Task<IReadOnlyList<UserRow>> RowsAsync(IQueryable<WaypointUser> users, CancellationToken ct)
    {
        var page = await users
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.JobTitle, Organisation = u.Organisation!.Name, u.IsActive, u.TwoFactorEnabled })
            .ToListAsync(ct);
        var ids = page.Select(u => u.Id).ToList();
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ids.Contains(ur.UserId) select new { ur.UserId, r.Name }).ToListAsync(ct))
            .ToLookup(x => x.UserId, x => x.Name!);
        return page.Select(u => new UserRow(u.Id, u.DisplayName, u.Email ?? "", u.JobTitle, u.Organisation, u.IsActive, u.TwoFactorEnabled,
            roles[u.Id].OrderBy(r => Array.IndexOf(Roles.All, r)).ToList())).ToList();
    }

    /// <summary>This list's address as a file of the format, with the filters shown.</summary>
    public string ExportLink(ExportFormat format) =>
        $"/admin/users?handler=Export&format={format.ToString().ToLowerInvariant()}{(Organisation is { } o && Admin.IsPartnershipAdmin ? $"&organisation={o}" : "")}{(string.IsNullOrWhiteSpace(Q) ? "" : $"&q={Uri.EscapeDataString(Q.Trim())}")}";

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
