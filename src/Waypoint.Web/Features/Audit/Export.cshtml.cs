using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>
/// The current audit search as CSV: every matching row, newest first, streamed so that a large
/// export does not sit in memory. The export is recorded before the first row is sent.
/// </summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class ExportModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "")] public AuditSearchInput Search { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (criteria, errors) = await Search.ReadAsync(db, ct);
        if (errors.Count > 0)
        {
            foreach (var (field, message) in errors)
                Errors[field] = message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await audit.RecordAsync(new AuditEvent(criteria.PersonId, AuditAction.Export, "audit.export", AuditSearch.DpoBasis), ct);

        var name = $"waypoint-audit-{clock.GetUtcNow():yyyyMMdd-HHmmss}.csv";
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024);
        await writer.WriteAsync(AuditSearch.CsvHeader + "\r\n");
        var rows = AuditSearch.WithNames(db, AuditSearch.Filter(db, criteria).OrderByDescending(a => a.Id)).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
            await writer.WriteAsync(AuditSearch.ToCsvLine(row) + "\r\n");
        await writer.FlushAsync(ct);
        return new EmptyResult();
    }
}
