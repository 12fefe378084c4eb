using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Features.Admin;
using Waypoint.Identity;

namespace Waypoint.Features.Alerts;

/// <summary>
/// An organisation's administrator names its designated safeguarding lead, one of its active
/// users: early-warning alerts about a school's pupils are sent to them. The partnership
/// administrator may do it for any organisation.
/// </summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class SafeguardingLeadModel(WaypointDbContext db, AdminSession session) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Organisation { get; set; }
    [BindProperty] public Guid? Lead { get; set; }
    [TempData] public string? Confirmation { get; set; }

    public string OrganisationName { get; private set; } = "";
    public bool IsSchool { get; private set; }
    public IReadOnlyList<(Guid Id, string Name)> Users { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is not { } organisation)
            return NotFound();
        Lead = organisation.SafeguardingLeadUserId;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is not { } organisation)
            return NotFound();
        if (Lead is { } chosen && Users.All(u => u.Id != chosen))
        {
            Errors["Lead"] = "Choose an active user of this organisation";
            return Page();
        }
        if (organisation.SafeguardingLeadUserId != Lead)
        {
            organisation.SafeguardingLeadUserId = Lead;
            await session.RecordAsync(AuditAction.Update, $"admin.organisation {organisation.Id} safeguarding lead {(Lead is { } id ? $"set to user {id}" : "cleared")}", ct);
            await db.SaveChangesAsync(ct);
        }
        Confirmation = Lead is null ? "No safeguarding lead is named" : "The safeguarding lead has been saved";
        return Redirect($"/admin/safeguarding-lead?organisation={organisation.Id}");
    }

    private async Task<Domain.Organisation?> LoadAsync(CancellationToken ct)
    {
        var admin = await session.CurrentAsync();
        var id = Organisation ?? admin.OrganisationId;
        // An organisation administrator runs only their own organisation; anything else is not there for them.
        if (!admin.IsPartnershipAdmin && id != admin.OrganisationId)
            return null;
        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
            return null;
        Organisation = organisation.Id;
        OrganisationName = organisation.Name;
        IsSchool = organisation.Type == Domain.OrganisationType.School;
        Users = (await db.Users.AsNoTracking().Where(u => u.OrganisationId == id && u.IsActive).OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.DisplayName, u.JobTitle }).ToListAsync(ct))
            .Select(u => (u.Id, u.JobTitle is null ? u.DisplayName : $"{u.DisplayName}, {u.JobTitle}")).ToList();
        return organisation;
    }
}
