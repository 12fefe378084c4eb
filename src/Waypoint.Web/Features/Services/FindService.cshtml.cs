using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>One published service for the public: how to ask for it and whom to contact (an address, never a member of staff's name). 404 for a suspended or unknown one.</summary>
[AllowAnonymous]
public sealed class FindServiceModel(WaypointDbContext db) : PageModel
{
    public PublicService Service { get; private set; } = null!;
    public string HowToRefer { get; private set; } = "";
    public IReadOnlyList<string> Contact { get; private set; } = [];
    public string? Website { get; private set; }
    public string? Cost { get; private set; }
    public string? OpeningTimes { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var row = await FindModel.Published(db).Where(s => s.Id == id)
            .Select(s => new { s.HowToRefer, s.Email, s.Phone, s.Website, s.Cost, s.OpeningTimes }).FirstOrDefaultAsync(ct);
        if (row is null)
            return NotFound();
        Service = await FindModel.Published(db).Where(s => s.Id == id).Select(FindModel.Row).FirstAsync(ct);
        HowToRefer = row.HowToRefer;
        Contact = new[] { row.Email, row.Phone }.OfType<string>().ToList();
        Website = Uri.TryCreate(row.Website, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" ? uri.ToString() : null;
        Cost = row.Cost;
        OpeningTimes = row.OpeningTimes;
        return Page();
    }
}
