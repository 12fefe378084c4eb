using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Identity;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Admin.Agreement;

public sealed record VersionRow(int Number, string Title, bool IsCurrent, DateTimeOffset? InForceFrom, DateTimeOffset? InForceUntil, int Rules);

/// <summary>Every version of the sharing agreement and when each was in force; the same list as CSV or XLSX. Partnership administrators only.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class HistoryModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public IReadOnlyList<VersionRow> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        await LoadAsync(ct);
        var table = new ExportTable("Agreement versions", ["Version", "Title", "Current", "In force from", "In force until", "Rules"],
            Versions.Select(v => (IReadOnlyList<object?>)[v.Number, v.Title, v.IsCurrent, v.InForceFrom, v.InForceUntil, v.Rules]).ToList());
        return ExportFile.Of(table, format, "agreement-versions", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var versions = await db.SharingAgreementVersions.AsNoTracking()
            .Select(v => new { v.Number, v.Title, v.IsCurrent, v.InForceFrom, Rules = v.Rules.Count })
            .ToListAsync(ct);
        // A version was in force until the next one to come into force.
        var starts = versions.Where(v => v.InForceFrom is not null).OrderBy(v => v.InForceFrom).ToList();
        Versions = versions.OrderByDescending(v => v.Number)
            .Select(v => new VersionRow(v.Number, v.Title, v.IsCurrent, v.InForceFrom,
                v.IsCurrent || v.InForceFrom is null ? null : starts.FirstOrDefault(s => s.InForceFrom > v.InForceFrom)?.InForceFrom, v.Rules))
            .ToList();
    }
}
