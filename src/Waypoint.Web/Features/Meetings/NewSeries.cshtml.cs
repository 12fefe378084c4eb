using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;

namespace Waypoint.Features.Meetings;

/// <summary>Sets up a meeting series: its name, area, chair and standing member organisations.</summary>
public sealed class NewSeriesModel(WaypointDbContext db, MeetingWork meetings, TimeProvider clock) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public Guid? AreaId { get; set; }
    [BindProperty] public Guid? ChairUserId { get; set; }
    [BindProperty] public List<Guid> MemberOrganisationIds { get; set; } = [];

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Areas { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Chairs { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Name)> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await meetings.MayRunSeriesAsync(ct))
            return Forbid();
        ChairUserId = db.Reader.UserId;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await meetings.MayRunSeriesAsync(ct))
            return Forbid();
        var (series, errors) = await meetings.CreateSeriesAsync(new SeriesInput(Name, AreaId, ChairUserId, MemberOrganisationIds), ct);
        if (series is null)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            await LoadAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = $"Meeting series {series.Name} set up";
        return Redirect($"/meetings/series/{series.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Areas = (await db.Areas.AsNoTracking().OrderBy(a => a.Kind).ThenBy(a => a.Name).Select(a => new { a.Id, a.Name, a.Kind }).Take(500).ToListAsync(ct))
            .Select(a => (a.Id, $"{a.Name} ({a.Kind.ToString().ToLowerInvariant()})")).ToList();
        // A chair is someone of the reader's organisation or someone holding a partnership function.
        var functionHolders = db.PartnershipRoleGrants.Where(g => g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)).Select(g => g.UserId);
        var orgId = db.Reader.OrganisationId;
        Chairs = (await db.Users.AsNoTracking().Where(u => u.IsActive && (u.OrganisationId == orgId || functionHolders.Contains(u.Id)))
                .OrderBy(u => u.DisplayName).Select(u => new { u.Id, u.DisplayName, Organisation = u.Organisation!.Name }).Take(500).ToListAsync(ct))
            .Select(u => (u.Id, $"{u.DisplayName}, {u.Organisation}")).ToList();
        Organisations = (await db.Organisations.AsNoTracking().Where(o => o.IsActive).OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).Take(1000).ToListAsync(ct))
            .Select(o => (o.Id, o.Name)).ToList();
    }
}
