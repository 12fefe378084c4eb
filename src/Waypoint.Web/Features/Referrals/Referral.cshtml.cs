using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Referrals;

/// <summary>One report: what was reported and, for the hub, the decision. Seen by the reporter's organisation and the hub for the child's area.</summary>
public sealed class ReferralModel(WaypointDbContext db, PersonAccess access, AuditTrail audit, Triage triage) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool Sent { get; set; }
    [BindProperty] public TriageOutcome? Outcome { get; set; }
    [BindProperty] public string? Rationale { get; set; }
    [BindProperty] public Guid? LeadOrganisationId { get; set; }

    public Referral? Referral { get; private set; }
    public Person? Person { get; private set; }
    public string? ReporterName { get; private set; }
    public string? LeadOrganisation { get; private set; }
    public bool CanDecide { get; private set; }
    public bool CanSeeCase { get; private set; }
    public IReadOnlyList<(string Value, string Text)> Organisations { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var result = await triage.DecideAsync(Referral!, new TriageDecision(Outcome, Rationale, LeadOrganisationId), ct);
        if (!result.Succeeded)
        {
            foreach (var (field, message) in result.Errors)
                Errors[field] = message;
            return Page();
        }
        return Redirect($"/referrals/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Now = DateTimeOffset.UtcNow;
        Referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (Referral is null)
        {
            // Recorded against the child where there is one, as any refused look at a person is.
            var personId = await db.Unfiltered<Referral>("the child of a refused report, for the refusal's audit row alone").Where(r => r.Id == id).Select(r => (Guid?)r.PersonId).FirstOrDefaultAsync(ct);
            if (personId is not null)
                await audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, "referral", "no relationship to this report"), ct);
            return false;
        }
        Person = await access.OpenAsync(Referral.PersonId, "referral", ct);
        if (Person is null)
            return false;
        ReporterName = await db.Organisations.Where(o => o.Id == Referral.ReporterOrganisationId).Select(o => o.Name).FirstAsync(ct);
        // The outcome a reporter is told includes which agency leads: the organisation's name only,
        // read past the case's own filter on purpose (the case itself stays with its team).
        if (Referral.CaseId is { } caseId)
        {
            LeadOrganisation = await db.Unfiltered<Case>("the name of the organisation leading the case a report opened, told to its reporter").Where(c => c.Id == caseId).Select(c => c.LeadOrganisation!.Name).FirstOrDefaultAsync(ct);
            CanSeeCase = await db.Cases.AnyAsync(c => c.Id == caseId, ct);
        }
        CanDecide = Referral.Status == ReferralStatus.AwaitingTriage && await triage.CanTriageAsync(Referral.AreaId, ct);
        if (CanDecide)
            Organisations = (await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
                .Select(o => (o.Id.ToString(), o.Name)).ToList();
        return true;
    }
}
