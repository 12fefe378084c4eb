using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>The confirmation before an archived month of the audit log is disposed of under the retention schedule, and the disposal.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class DisposeMonthModel(WaypointDbContext db, AuditArchiver archiver, ReaderContext reader) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? Id { get; set; }
    [TempData] public string? Confirmation { get; set; }

    public AuditPeriod Period { get; private set; } = null!;
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is null)
            return NotFound();
        if (Period.DisposedAt is { } gone)
            Refusal = $"The audit entries of {Period.Label} were disposed of on {gone:d MMMM yyyy}.";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await LoadAsync(ct) is null)
            return NotFound();
        try
        {
            var period = await archiver.DisposeAsync(Period.Id, reader.Current, ct);
            Confirmation = $"The {period.Count:N0} audit entries of {period.Label} have been disposed of; the month's seal is kept";
            return Redirect("/audit/archive");
        }
        catch (AuditDisposalRefused refused)
        {
            Refusal = refused.Message;
            return Page();
        }
    }

    private async Task<AuditPeriod?> LoadAsync(CancellationToken ct)
    {
        if (Id is not { } id || await db.AuditPeriods.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is not { } period)
            return null;
        return Period = period;
    }
}
