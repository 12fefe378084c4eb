using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>The partnership's choices: whether staff names are redacted, and whether the audit of who viewed names staff.</summary>
[DataProtectionOfficerOnly]
public sealed class SettingsModel(WaypointDbContext db, AuditTrail audit) : PageModel
{
    [BindProperty] public bool RedactStaffNames { get; set; }
    [BindProperty] public bool NameStaffInAudit { get; set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var s = await SettingsAsync(ct);
        RedactStaffNames = s.RedactStaffNames;
        NameStaffInAudit = s.NameStaffInAudit;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var s = await SettingsAsync(ct);
        s.RedactStaffNames = RedactStaffNames;
        s.NameStaffInAudit = NameStaffInAudit;
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update, "subject-access.settings", $"data-protection officer: redact staff names {RedactStaffNames}, staff named in audit {NameStaffInAudit}"), ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "Settings saved. They apply to copies compiled from now on.";
        return Redirect("/subject-access/settings");
    }

    private async Task<SubjectAccessSettings> SettingsAsync(CancellationToken ct)
    {
        var s = await db.SubjectAccessSettings.SingleOrDefaultAsync(ct);
        if (s is null)
            db.SubjectAccessSettings.Add(s = new SubjectAccessSettings());
        return s;
    }
}
