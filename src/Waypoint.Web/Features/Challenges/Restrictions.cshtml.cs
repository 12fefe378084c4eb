using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Challenges;

/// <summary>
/// The data-protection officer records a person's restriction of processing (and lifts it, after a
/// confirmation): while it stands, risk scoring and early-warning alerts skip them (<see cref="RestrictedProcessing"/>).
/// </summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class RestrictionsModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public sealed record Row(Guid Id, Guid PersonId, string Reason, DateTimeOffset RecordedAt);

    [BindProperty] public string? PersonId { get; set; }
    [BindProperty] public string? Reason { get; set; }
    public IReadOnlyList<Row> Current { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var reason = Reason?.Trim();
        if (!Guid.TryParse(PersonId, out var personId))
            Errors["PersonId"] = "Enter the person's register id, as in their page's address";
        if (string.IsNullOrEmpty(reason))
            Errors["Reason"] = "Enter why processing is restricted (the person's request, a challenge being checked)";
        else if (reason.Length > ProcessingRestriction.MaxReasonLength)
            Errors["Reason"] = $"The reason must be {ProcessingRestriction.MaxReasonLength} characters or fewer";
        if (Errors.Count == 0)
        {
            var inRegister = await db.Unfiltered<Person>("the data-protection officer restricts a person's processing: whether the id is a register entry, nothing else read")
                .AnyAsync(p => p.Id == personId && p.MergedIntoId == null, ct);
            if (!inRegister)
                Errors["PersonId"] = "There is no one in the register with this id";
            else if (await db.RestrictedPeople().ContainsAsync(personId, ct))
                Errors["PersonId"] = "Processing of this person is already restricted";
        }
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        db.ProcessingRestrictions.Add(new ProcessingRestriction
        {
            PersonId = personId,
            Reason = reason!,
            RecordedAt = clock.GetUtcNow(),
            RecordedByUserId = db.Reader.UserId,
        });
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Create, "person.restriction", "data-protection officer"), ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "Processing is restricted: the person is no longer scored or alerted on. Their records can still be read.";
        return Redirect("/data-protection/restrictions");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Current = await db.ProcessingRestrictions.AsNoTracking().Where(r => r.LiftedAt == null).OrderByDescending(r => r.RecordedAt)
            .Select(r => new Row(r.Id, r.PersonId, r.Reason, r.RecordedAt)).Take(200).ToListAsync(ct);
}
