using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Admin.Areas;

public sealed record AreaNode(Guid Id, string Name, AreaKind Kind, string? Code, IReadOnlyList<AreaNode> Children);

/// <summary>The partnership's areas as a tree (county, district, ward), and as a flat CSV or XLSX with each area's parents. Partnership administrators only.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<AreaNode> Counties { get; private set; } = [];

    /// <summary>Areas the tree does not reach (a parent missing or of the wrong kind, made before these rules): shown so they can be found.</summary>
    public IReadOnlyList<AreaNode> OutOfPlace { get; private set; } = [];

    [TempData] public string? Confirmation { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    /// <summary>Every area, in the tree's order, with its county and district; those out of place last.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        await LoadAsync(ct);
        var rows = new List<IReadOnlyList<object?>>();
        void Add(AreaNode node, string? county, string? district)
        {
            rows.Add([node.Name, Labels.Of(node.Kind), node.Code, county, district, "Yes"]);
            foreach (var child in node.Children)
                Add(child, county ?? node.Name, node.Kind == AreaKind.District ? node.Name : district);
        }
        foreach (var county in Counties)
            Add(county, null, null);
        rows.AddRange(OutOfPlace.Select(a => (IReadOnlyList<object?>)[a.Name, Labels.Of(a.Kind), a.Code, null, null, "No"]));
        var table = new ExportTable("Areas", ["Name", "Kind", "Code", "County", "District", "In the tree"], rows);
        return ExportFile.Of(table, format, "areas", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    private async Task LoadAsync(CancellationToken ct)
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
