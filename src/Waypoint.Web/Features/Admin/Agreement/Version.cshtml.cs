using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Admin.Agreement;

/// <summary>One version of the agreement, read-only, whether in force, replaced or being drafted.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class VersionModel(WaypointDbContext db, AgreementDrafting drafting) : PageModel
{
    public SharingAgreementVersion Version { get; private set; } = null!;
    public SharingMatrix Matrix { get; private set; } = null!;
    public DateTimeOffset? InForceUntil { get; private set; }

    public async Task<IActionResult> OnGetAsync(int number, CancellationToken ct)
    {
        var version = await db.SharingAgreementVersions.AsNoTracking().Include(v => v.Rules).FirstOrDefaultAsync(v => v.Number == number, ct);
        if (version is null)
            return NotFound();
        Version = version;
        Matrix = new SharingMatrix(await drafting.CategoriesAsync(ct), version.Rules.Select(RuleKey.Of).ToHashSet());
        if (!version.IsCurrent && version.InForceFrom is { } from)
        {
            // Compared here, not in SQL: SQLite cannot order by a date with an offset, and there are few versions.
            var starts = await db.SharingAgreementVersions.Where(v => v.InForceFrom != null).Select(v => v.InForceFrom!.Value).ToListAsync(ct);
            InForceUntil = starts.Where(s => s > from).Order().Cast<DateTimeOffset?>().FirstOrDefault();
        }
        return Page();
    }
}
