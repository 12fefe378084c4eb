using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>Removes a flag (its owner only), after a confirmation and with a reason: from then on it counts nowhere.</summary>
public sealed class RemoveFlagModel(WaypointDbContext db, PersonAccess access, RiskScoring scoring, TimeProvider clock) : PageModel
{
    public Person? Person { get; private set; }
    public PersonFlag? Flag { get; private set; }
    [BindProperty] public string? Reason { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    private async Task<IActionResult?> LoadAsync(Guid id, Guid flagId, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(id, PersonOperations.Write, "flag", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound();
        if (outcome == AccessOutcome.Forbidden)
            return Forbid();
        Person = opened!.Person;
        Flag = await db.PersonFlags.FirstOrDefaultAsync(f => f.Id == flagId && f.PersonId == id && f.Status == FlagStatus.Active, ct);
        if (Flag is null)
            return NotFound();
        return Flag.OwnerOrganisationId == db.Reader.OrganisationId ? null : Forbid();
    }

    public async Task<IActionResult> OnGetAsync(Guid id, [FromQuery] Guid flagId, CancellationToken ct) => await LoadAsync(id, flagId, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, [FromQuery] Guid flagId, CancellationToken ct)
    {
        if (await LoadAsync(id, flagId, ct) is { } refused)
            return refused;
        if (string.IsNullOrWhiteSpace(Reason))
            Errors[nameof(Reason)] = "Enter why the flag is removed";
        else if (Reason.Length > PersonFlag.MaxEvidenceLength)
            Errors[nameof(Reason)] = $"The reason must be {PersonFlag.MaxEvidenceLength} characters or fewer";
        if (Errors.Count > 0)
            return Page();
        Flag!.Status = FlagStatus.Removed;
        Flag.ReviewOutcome = $"Removed: {Reason!.Trim()}";
        Flag.ReviewedAt = clock.GetUtcNow();
        Flag.ReviewedByUserId = db.Reader.UserId;
        await access.AuditWriteAsync(id, AuditAction.Update, $"flag:{Flag.Kind} removed", ct);
        await db.SaveChangesAsync(ct);
        await scoring.RecomputeAsync([id], ct);
        TempData["Confirmation"] = $"{FlagRules.Describe(Flag.Kind)} flag removed: it no longer counts anywhere";
        return Redirect($"/people/{id}/risk#flags");
    }
}
