using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Challenges;

/// <summary>
/// One challenge, for the organisation that owns the record (which resolves it, after a
/// confirmation) and the data-protection officer (who sees it and its outcome). Anyone else gets a 404.
/// </summary>
[Authorize]
public sealed class ResolveModel(WaypointDbContext db, ChallengeWork challenges, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "challenge")] public Guid ChallengeId { get; set; }
    [BindProperty] public ChallengeOutcome? Outcome { get; set; }
    [BindProperty] public string? Correction { get; set; }
    [BindProperty] public DateInput CorrectedDate { get; set; } = new();
    [BindProperty] public string? Answer { get; set; }
    [BindProperty] public bool Confirmed { get; set; }

    public RecordChallenge Current { get; private set; } = null!;
    public string? CurrentValue { get; private set; }
    public string Owner { get; private set; } = "";
    public bool IsOwner { get; private set; }
    public bool Confirming { get; private set; }
    public bool IsDate => Current.RecordKind == ChallengedRecord.RegisterEntry && Current.Field == nameof(Person.DateOfBirth);
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        await audit.RecordAsync(new AuditEvent(Current.PersonId, AuditAction.Read, $"challenge.view ({Current.Id})", IsOwner ? "owner of the record" : "data-protection officer"), ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        if (!IsOwner)
            return Forbid();
        var (date, dateError) = IsDate ? CorrectedDate.Read("The corrected date of birth", challenges.BirthRange) : (null, null);
        foreach (var (k, v) in await challenges.ValidateAsync(Current, Outcome, Correction, date, dateError, Answer, ct))
            Errors[k] = v;
        if (Errors.Count > 0)
            return Page();
        if (!Confirmed)
        {
            Confirming = true;
            return Page();
        }
        await challenges.ResolveAsync(Current, Outcome!.Value, Correction, date, Answer, ct);
        // What kind of record and how it was resolved: neither the statement nor the values.
        audit.StageWrite(new AuditEvent(Current.PersonId, AuditAction.Update,
            $"challenge.resolve {Current.Kind} {Current.RecordKind}{(Current.Field is null ? "" : "." + Current.Field)}: {Outcome} ({Current.Id})", "owner of the record"));
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = Outcome switch
        {
            ChallengeOutcome.Corrected => "The record is corrected everywhere it is shown. The challenge keeps what it said before.",
            ChallengeOutcome.KeptWithStatement => "The record is kept. The person's statement is shown with it from now on.",
            ChallengeOutcome.ObjectionUpheld => "The objection is upheld: the person's processing is restricted, so they are not scored, listed or alerted on.",
            _ => "The objection is not upheld. The person's statement and your grounds are shown with the record.",
        };
        return Redirect("/data-protection/challenges");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var challenge = await db.RecordChallenges.FirstOrDefaultAsync(c => c.Id == ChallengeId, ct);
        if (challenge is null)
            return false;
        IsOwner = challenge.OwnerOrganisationId == db.Reader.OrganisationId && !db.Reader.IsSystem;
        if (!IsOwner && !User.IsInRole(Roles.DataProtectionOfficer))
            return false;
        Current = challenge;
        Owner = await db.Organisations.Where(o => o.Id == challenge.OwnerOrganisationId).Select(o => o.Name).FirstOrDefaultAsync(ct) ?? "";
        // The record's content is for its owner; the data-protection officer sees the challenge and its outcome.
        CurrentValue = IsOwner ? await challenges.CurrentValueAsync(challenge, ct) : null;
        return true;
    }
}
