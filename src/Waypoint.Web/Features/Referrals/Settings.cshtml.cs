using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin;
using Waypoint.Identity;

namespace Waypoint.Features.Referrals;

/// <summary>The partnership administrator sets how many working days the hub has to decide on a report; the change is audited and applies to reports from now on.</summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class SettingsModel(WaypointDbContext db, AdminSession session, TimeProvider clock) : PageModel
{
    [BindProperty] public string? DecisionWorkingDays { get; set; }
    [BindProperty] public string? CaseAccessDaysAfterClosure { get; set; }
    [TempData] public string? Confirmation { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var current = await CurrentAsync(ct);
        DecisionWorkingDays = current.DecisionWorkingDays.ToString(CultureInfo.InvariantCulture);
        CaseAccessDaysAfterClosure = current.CaseAccessDaysAfterClosure.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!int.TryParse(DecisionWorkingDays?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            || days < 1 || days > TriageSettings.MaxDecisionWorkingDays)
            Errors[nameof(DecisionWorkingDays)] = $"Enter a whole number of working days from 1 to {TriageSettings.MaxDecisionWorkingDays}";
        if (!int.TryParse(CaseAccessDaysAfterClosure?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var afterClosure)
            || afterClosure < 1 || afterClosure > TriageSettings.MaxCaseAccessDaysAfterClosure)
            Errors[nameof(CaseAccessDaysAfterClosure)] = $"Enter a whole number of days from 1 to {TriageSettings.MaxCaseAccessDaysAfterClosure}";
        if (Errors.Count > 0)
            return Page();
        var before = await CurrentAsync(ct);
        var row = await db.TriageSettings.FirstOrDefaultAsync(ct);
        if (row is null)
            db.TriageSettings.Add(row = new TriageSettings());
        row.DecisionWorkingDays = days;
        row.CaseAccessDaysAfterClosure = afterClosure;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedByUserId = (await session.CurrentAsync()).UserId;
        await session.RecordAsync(AuditAction.Update, $"admin.triage decision working days: {before.DecisionWorkingDays} to {days}; case access after closure: {before.CaseAccessDaysAfterClosure} to {afterClosure} days", ct);
        await db.SaveChangesAsync(ct);
        Confirmation = $"The hub now has {days} working day{(days == 1 ? "" : "s")} to decide on a report; a closed case's team keeps its access for {afterClosure} day{(afterClosure == 1 ? "" : "s")}";
        return Redirect("/admin/triage");
    }

    private async Task<TriageSettings> CurrentAsync(CancellationToken ct) =>
        await db.TriageSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new TriageSettings();
}
