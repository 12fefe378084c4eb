using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin.Organisations;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Areas;

[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class NewModel(WaypointDbContext db, AdminSession session) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public AreaKind? Kind { get; set; }
    [BindProperty(SupportsGet = true, Name = "parent")] public Guid? ParentId { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    /// <summary>Counties and districts: the areas that can hold another.</summary>
    public IReadOnlyList<AreaChoice> Parents { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        await LoadParentsAsync(ct);
        var parent = Parents.FirstOrDefault(p => p.Id == ParentId);
        Kind = parent is null ? AreaKind.County : AreaRules.ChildKind(parent.Kind);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var parent = ParentId is { } pid ? await db.Areas.AsNoTracking().FirstOrDefaultAsync(a => a.Id == pid, ct) : null;
        if (Kind is not { } kind)
            Errors["Kind"] = "Select what kind of area this is";
        else
        {
            if (ParentId is not null && parent is null)
                Errors["ParentId"] = "Select a parent area from the list";
            else if (AreaRules.ParentError(kind, parent) is { } parentError)
                Errors["ParentId"] = parentError;
            await AreaRules.ValidateNameAsync(db, Errors, Name, Code, kind, parent?.Id, editing: null, ct);
        }
        if (Errors.Count > 0)
        {
            await LoadParentsAsync(ct);
            return Page();
        }
        var area = new Area { Name = Name!.Trim(), Kind = Kind!.Value, Code = string.IsNullOrWhiteSpace(Code) ? null : Code.Trim(), ParentId = parent?.Id };
        db.Areas.Add(area);
        await session.RecordAsync(AuditAction.Create, $"admin.area {area.Id} created", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"{Labels.Of(area.Kind)} {area.Name} has been added";
        return Redirect("/admin/areas");
    }

    private async Task LoadParentsAsync(CancellationToken ct) =>
        Parents = (await OrganisationForm.AreaChoicesAsync(db, ct)).Where(a => a.Kind != AreaKind.Ward).ToList();
}
