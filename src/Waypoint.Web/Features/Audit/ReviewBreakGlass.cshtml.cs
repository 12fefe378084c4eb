using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>One break-glass grant: its reason, everything its user did with that person while it lasted, and the review.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class ReviewBreakGlassModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    /// <summary>More than a grant's few hours of use could produce; the rest is in the audit search.</summary>
    public const int MaxEntriesShown = 500;

    [BindProperty] public string? Note { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public BreakGlassView? Grant { get; private set; }
    public IReadOnlyList<AuditRow> Entries { get; private set; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        await audit.RecordAsync(new AuditEvent(Grant!.PersonId, AuditAction.Read, "audit.break-glass.review", AuditSearch.DpoBasis), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var grant = Grant!;
        var note = Note?.Trim() ?? "";
        var reviewer = db.Reader.UserId;
        if (grant.ReviewedAt is not null)
            Errors["Note"] = $"This access was already reviewed by {grant.ReviewedBy ?? "someone else"}";
        else if (grant.UserId == reviewer)
            Errors["Note"] = "You cannot review break-glass access you opened yourself: ask another data-protection officer";
        else if (note.Length == 0)
            Errors["Note"] = "Enter your review note";
        else if (note.Length > BreakGlassQueue.MaxNoteLength)
            Errors["Note"] = $"The review note must be {BreakGlassQueue.MaxNoteLength} characters or fewer";
        if (Errors.Count > 0)
            return Page();

        // Only a grant still unreviewed is marked, so two officers reviewing at once cannot overwrite each other.
        var now = clock.GetUtcNow();
        var marked = await db.BreakGlassGrants.Where(b => b.Id == id && b.ReviewedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.ReviewedAt, now).SetProperty(b => b.ReviewedByUserId, reviewer).SetProperty(b => b.ReviewNote, note), ct);
        if (marked == 0)
        {
            await LoadAsync(id, ct);
            Errors["Note"] = $"This access was already reviewed by {Grant!.ReviewedBy ?? "someone else"}";
            return Page();
        }
        await audit.RecordAsync(new AuditEvent(grant.PersonId, AuditAction.Update, "audit.break-glass.review", AuditSearch.DpoBasis), ct);
        return Redirect($"/audit/break-glass?reviewed={id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Now = clock.GetUtcNow();
        Grant = await BreakGlassQueue.Views(db, db.BreakGlassGrants.Where(b => b.Id == id)).FirstOrDefaultAsync(ct);
        if (Grant is null)
            return false;
        var g = Grant;
        var during = db.AuditEntries.Where(a => a.UserId == g.UserId && a.PersonId == g.PersonId && a.OccurredAt >= g.GrantedAt && a.OccurredAt <= g.ExpiresAt);
        Entries = await AuditSearch.WithNames(db, during.OrderBy(a => a.Id).Take(MaxEntriesShown)).ToListAsync(ct);
        return true;
    }
}
