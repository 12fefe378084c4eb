using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>Time-limited access without a relationship: a written reason, an audit row and a review item for the DPO.</summary>
public sealed class BreakGlassModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Shell.WaypointSettings> settings) : PageModel
{
    public const int MinimumReasonLength = 20;

    [BindProperty] public string? Reason { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public int Hours => settings.Value.BreakGlassHours;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var reason = Reason?.Trim() ?? "";
        if (reason.Length < MinimumReasonLength)
            Errors["Reason"] = $"Explain the reason in at least {MinimumReasonLength} characters";
        else if (reason.Length > 1000)
            Errors["Reason"] = "The reason must be 1000 characters or fewer";
        if (Errors.Count > 0)
            return Page();

        var reader = db.Reader;
        // Analysts see aggregates only; a grant could never show them a record, so none is made.
        if (reader.AggregatesOnly)
            return Forbid();
        // Whether the person exists is looked up past the policy: break-glass is for people the reader cannot see.
        var exists = await db.Unfiltered<Person>("break-glass is for people the reader cannot see: only whether the id exists").AnyAsync(p => p.Id == id, ct);
        if (!exists)
        {
            await audit.RecordAsync(new AuditEvent(id, AuditAction.Denied, "person.break-glass", "no such person"), ct);
            return NotFound();
        }
        var now = clock.GetUtcNow();
        db.BreakGlassGrants.Add(new BreakGlassGrant
        {
            UserId = reader.UserId,
            OrganisationId = reader.OrganisationId,
            PersonId = id,
            Reason = reason,
            GrantedAt = now,
            ExpiresAt = now.AddHours(Hours),
        });
        await audit.RecordAsync(new AuditEvent(id, AuditAction.BreakGlass, "person.break-glass", "break-glass"), ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"You have emergency access to this record for {Hours} hours. Your reason and every look are recorded for review";
        return Redirect($"/people/{id}");
    }
}
