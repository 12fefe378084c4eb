using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Organisations;

/// <summary>Changes an organisation's details, or deactivates it: its users are refused from their next request (see ReaderMiddleware).</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class EditModel(WaypointDbContext db, AdminSession session, UserManager<WaypointUser> users) : PageModel
{
    [BindProperty] public OrganisationInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; private set; } = [];
    public IReadOnlyList<AreaChoice> Areas { get; private set; } = [];
    public Organisation Organisation { get; private set; } = null!;
    public int Users { get; private set; }
    public bool IsOwnOrganisation { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        Input = OrganisationInput.From(Organisation);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        // The type is fixed once created: the agreement's rules already flow by it.
        Input.Type = Organisation.Type;
        Errors = await OrganisationForm.ValidateAsync(db, Input, editing: id, ct);
        if (Errors.Count > 0)
            return Page();
        OrganisationForm.Apply(Input, Organisation);
        await session.RecordAsync(AuditAction.Update, $"admin.organisation {id} updated", ct);
        await db.SaveChangesAsync(ct);
        Confirmation = "The organisation's details have been saved";
        return Redirect($"/admin/organisations/{id}");
    }

    public Task<IActionResult> OnPostDeactivateAsync(Guid id, CancellationToken ct) => SetActiveAsync(id, active: false, ct);

    public Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken ct) => SetActiveAsync(id, active: true, ct);

    private async Task<IActionResult> SetActiveAsync(Guid id, bool active, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        Input = OrganisationInput.From(Organisation);
        if (!active && IsOwnOrganisation)
        {
            Errors["deactivate"] = "You cannot deactivate your own organisation: you would be signed out with no way back";
            return Page();
        }
        if (Organisation.IsActive != active)
        {
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                Organisation.IsActive = active;
                await session.RecordAsync(AuditAction.Update, $"admin.organisation {id} {(active ? "reactivated" : "deactivated")}", ct);
                await db.SaveChangesAsync(ct);
                // New stamps end the members' sessions and tokens for good, so reactivating the
                // organisation later does not bring the old ones back to life.
                if (!active)
                {
                    foreach (var member in await db.Users.Where(u => u.OrganisationId == id).ToListAsync(ct))
                    {
                        var renewed = await users.UpdateSecurityStampAsync(member);
                        if (!renewed.Succeeded)
                            throw new InvalidOperationException("Renewing a security stamp failed: " + string.Join("; ", renewed.Errors.Select(e => e.Code)));
                    }
                }
                await tx.CommitAsync(ct);
            }
        }
        Confirmation = active ? "The organisation has been reactivated" : "The organisation has been deactivated and its users signed out";
        return Redirect($"/admin/organisations/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var organisation = await db.Organisations.Include(o => o.Area).FirstOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null)
            return false;
        Organisation = organisation;
        Users = await db.Users.CountAsync(u => u.OrganisationId == id && u.IsActive, ct);
        Areas = await OrganisationForm.AreaChoicesAsync(db, ct);
        IsOwnOrganisation = (await session.CurrentAsync()).OrganisationId == id;
        return true;
    }
}
