using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Admin.Organisations;

public sealed record OrganisationRow(Guid Id, string Name, OrganisationType Type, string Area, string? Urn, string? PoliceForce, bool IsActive, int Users);

/// <summary>The partnership's organisations, of one type or all, and the same list as CSV or XLSX (it names no person). Partnership administrators only.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class IndexModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public OrganisationType? Type { get; set; }
    public IReadOnlyList<OrganisationRow> Organisations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        await LoadAsync(ct);
        var table = new ExportTable("Organisations", ["Name", "Type", "Area", "URN", "Police force", "Users", "Active"],
            Organisations.Select(o => (IReadOnlyList<object?>)[o.Name, Labels.Of(o.Type), o.Area, o.Urn, o.PoliceForce, o.Users, o.IsActive]).ToList());
        return ExportFile.Of(table, format, "organisations", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>This list's address as a file of the format, keeping the type shown.</summary>
    public string ExportLink(ExportFormat format) =>
        $"/admin/organisations?handler=Export&format={format.ToString().ToLowerInvariant()}{(Type is { } t ? $"&type={t}" : "")}";

    private async Task LoadAsync(CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (Type is { } type)
            query = query.Where(o => o.Type == type);
        Organisations = await query
            .OrderBy(o => o.Name)
            .Select(o => new OrganisationRow(o.Id, o.Name, o.Type, o.Area!.Name, o.Urn, o.PoliceForce, o.IsActive, db.Users.Count(u => u.OrganisationId == o.Id)))
            .ToListAsync(ct);
    }
}
