using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>
/// The partnership's profiling thresholds, set by the partnership administrator or the
/// data-protection officer: the representation ratio at which the equality report warns. Audited.
/// </summary>
[Authorize(Roles = Roles.PartnershipAdmin + "," + Roles.DataProtectionOfficer)]
public sealed class SettingsModel(WaypointDbContext db, AuditTrail audit, EqualityMonitoring monitoring, TimeProvider clock) : PageModel
{
    [BindProperty] public string? DisproportionalityThreshold { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        DisproportionalityThreshold = (await monitoring.ThresholdAsync(db, ct)).ToString("0.##", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!double.TryParse(DisproportionalityThreshold?.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var threshold)
            || threshold < RiskSettings.MinThreshold || threshold > RiskSettings.MaxThreshold)
        {
            Errors[nameof(DisproportionalityThreshold)] = $"Enter a ratio from {RiskSettings.MinThreshold.ToString("0.##", CultureInfo.InvariantCulture)} to {RiskSettings.MaxThreshold.ToString("0.##", CultureInfo.InvariantCulture)}, for example 1.5";
            return Page();
        }
        threshold = Math.Round(threshold, 2);
        var before = await monitoring.ThresholdAsync(db, ct);
        var row = await db.RiskSettings.FirstOrDefaultAsync(ct);
        if (row is null)
            db.RiskSettings.Add(row = new RiskSettings());
        row.DisproportionalityThreshold = threshold;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedByUserId = db.Reader.UserId;
        audit.StageWrite(new AuditEvent(null, AuditAction.Update,
            $"risk:settings disproportionality threshold {before.ToString("0.##", CultureInfo.InvariantCulture)} to {threshold.ToString("0.##", CultureInfo.InvariantCulture)}", "partnership"));
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"The equality report now warns when a group's ratio reaches {threshold.ToString("0.##", CultureInfo.InvariantCulture)}";
        return Redirect("/risk/settings");
    }
}
