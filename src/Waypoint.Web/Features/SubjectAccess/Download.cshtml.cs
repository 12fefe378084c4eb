using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>The issued copy, byte for byte as it was sent; each download is audited against the person.</summary>
[DataProtectionOfficerOnly]
public sealed class DownloadModel(WaypointDbContext db, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public string? Format { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var pdf = Format == "pdf";
        if (!pdf && Format != "zip")
            return NotFound();
        var issue = await (from i in db.SubjectAccessIssues.AsNoTracking()
                           join r in db.SubjectAccessRequests.AsNoTracking() on i.RequestId equals r.Id
                           where i.Id == Id
                           select new { r.PersonId, i.IssuedAt, Bytes = pdf ? i.Pdf : i.Zip }).SingleOrDefaultAsync(ct);
        if (issue is null)
            return NotFound();
        await audit.RecordAsync(new AuditEvent(issue.PersonId, AuditAction.Export, "subject-access.download", $"data-protection officer: the issued copy's {Format}"), ct);
        var name = $"subject-access-{issue.IssuedAt:yyyy-MM-dd}.{Format}";
        return File(issue.Bytes, pdf ? "application/pdf" : "application/zip", name);
    }
}
