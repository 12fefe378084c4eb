using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Areas;

/// <summary>Renames an area or changes its code; where it sits in the tree stays as it is.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class RenameModel(WaypointDbContext db, AdminSession session) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Code { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public Area Area { get; private set; } = null!;
    public string? ParentName { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        Name = Area.Name;
        Code = Area.Code;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        await AreaRules.ValidateNameAsync(db, Errors, Name, Code, Area.Kind, Area.ParentId, editing: id, ct);
        if (Errors.Count > 0)
            return Page();
        Area.Name = Name!.Trim();
        Area.Code = string.IsNullOrWhiteSpace(Code) ? null : Code.Trim();
        await session.RecordAsync(AuditAction.Update, $"admin.area {id} renamed", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"{Labels.Of(Area.Kind)} renamed to {Area.Name}";
        return Redirect("/admin/areas");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        var area = await db.Areas.Include(a => a.Parent).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (area is null)
            return false;
        Area = area;
        ParentName = area.Parent?.Name;
        return true;
    }
}
