using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Users;

/// <summary>Opens an account with a first password; the person sets up their authenticator app at their first sign-in.</summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class NewModel(WaypointDbContext db, AdminSession session, UserAdministration administration) : PageModel
{
    [BindProperty] public NewUserInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = [];
    public Administrator Admin { get; private set; } = null!;
    public IReadOnlyList<(Guid Id, string Name)> Organisations { get; private set; } = [];
    public IReadOnlyList<string> GrantableRoles => UserAdministration.GrantableRoles(Admin);

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        Input.Roles = [Roles.Practitioner];
        if (!Admin.IsPartnershipAdmin)
            Input.OrganisationId = Admin.OrganisationId;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var outcome = await administration.CreateAsync(Admin, Input, ct);
        if (outcome.Succeeded)
        {
            TempData["Confirmation"] = "The account has been created. Give the person their first password by a different route from their email address; they set up their authenticator app when they first sign in.";
            return Redirect($"/admin/users/{outcome.UserId}");
        }
        foreach (var (field, message) in outcome.Errors)
            Errors[field] = message;
        // A password is never sent back to the browser.
        Input.Password = null;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Admin = await session.CurrentAsync();
        var organisations = db.Organisations.AsNoTracking().Where(o => o.IsActive);
        if (!Admin.IsPartnershipAdmin)
            organisations = organisations.Where(o => o.Id == Admin.OrganisationId);
        Organisations = (await organisations.OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).ToListAsync(ct)).Select(o => (o.Id, o.Name)).ToList();
    }
}
