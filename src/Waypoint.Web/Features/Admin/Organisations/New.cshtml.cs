using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Organisations;

[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class NewModel(WaypointDbContext db, AdminSession session) : PageModel
{
    [BindProperty] public OrganisationInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; private set; } = [];
    public IReadOnlyList<AreaChoice> Areas { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Areas = await OrganisationForm.AreaChoicesAsync(db, ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Errors = await OrganisationForm.ValidateAsync(db, Input, editing: null, ct);
        if (Errors.Count > 0)
        {
            Areas = await OrganisationForm.AreaChoicesAsync(db, ct);
            return Page();
        }
        var organisation = new Organisation { Name = "", Type = Input.Type!.Value };
        OrganisationForm.Apply(Input, organisation);
        db.Organisations.Add(organisation);
        await session.RecordAsync(AuditAction.Create, $"admin.organisation {organisation.Id} created", ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/admin/organisations/{organisation.Id}");
    }
}
