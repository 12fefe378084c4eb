using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Areas;

public sealed record AreaNode(Guid Id, string Name, AreaKind Kind, string? Code, IReadOnlyList<AreaNode> Children);

[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(WaypointDbContext db) : PageModel
{
    public IReadOnlyList<AreaNode> Counties { get; private set; } = [];

    /// <summary>Areas the tree does not reach (a parent missing or of the wrong kind, made before these rules): shown so they can be found.</summary>
    public IReadOnlyList<AreaNode> OutOfPlace { get; private set; } = [];

    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await db.Areas.AsNoTracking().Select(a => new { a.Id, a.Name, a.Kind, a.Code, a.ParentId }).ToListAsync(ct);
        var byId = all.ToDictionary(a => a.Id);
        var children = all.Where(a => a.ParentId is not null).ToLookup(a => a.ParentId!.Value);
        var placed = new HashSet<Guid>();
        AreaNode Node(Guid id)
        {
            var a = byId[id];
            placed.Add(id);
            var kind = AreaRules.ChildKind(a.Kind);
            return new AreaNode(a.Id, a.Name, a.Kind, a.Code,
                children[a.Id].Where(c => c.Kind == kind).OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Select(c => Node(c.Id)).ToList());
        }
        Counties = all.Where(a => a.Kind == AreaKind.County && a.ParentId is null)
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase).Select(a => Node(a.Id)).ToList();
        OutOfPlace = all.Where(a => !placed.Contains(a.Id))
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Select(a => new AreaNode(a.Id, a.Name, a.Kind, a.Code, [])).ToList();
    }
}
