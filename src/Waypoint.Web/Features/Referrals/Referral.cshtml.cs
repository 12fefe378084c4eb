using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Referrals;

/// <summary>One report: what was reported and, for the hub, the decision. Seen by the reporter's organisation and the hub for the child's area.</summary>
public sealed class ReferralModel(WaypointDbContext db, RecordAccess records, PersonAccess access, Triage triage, Meetings.MeetingSources meetingSources) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool Sent { get; set; }
    [BindProperty] public TriageOutcome? Outcome { get; set; }
    [BindProperty] public string? Rationale { get; set; }
    [BindProperty] public Guid? LeadOrganisationId { get; set; }
    [BindProperty] public Guid? SeriesId { get; set; }

    /// <summary>The meeting series the hub may mark the report for (issue 12).</summary>
    public IReadOnlyList<Meetings.MarkableSeries> MeetingSeries { get; private set; } = [];

    public Referral? Referral => Opened?.Referral;
    private OpenedReferral? Opened { get; set; }
    public Person? Person { get; private set; }
    public string? ReporterName { get; private set; }
    public string? LeadOrganisation { get; private set; }
    public bool CanDecide { get; private set; }
    public bool CanSeeCase { get; private set; }
    public IReadOnlyList<(string Value, string Text)> Organisations { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public DateTimeOffset Now { get; private set; }

    /// <summary>About the child, for the hub deciding the report (only while it awaits a decision).</summary>
    public TriageContextView? Context { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var result = await triage.DecideAsync(Opened!, new TriageDecision(Outcome, Rationale, LeadOrganisationId), ct);
        if (!result.Succeeded)
        {
            foreach (var (field, message) in result.Errors)
                Errors[field] = message;
            return Page();
        }
        TempData["Confirmation"] = "The decision was recorded";
        return Redirect($"/referrals/{id}");
    }

    /// <summary>The hub marks the report for the next early-intervention meeting of a series covering the child's area.</summary>
    public async Task<IActionResult> OnPostMarkForMeetingAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (!CanDecide)
            return Forbid();
        var errors = await meetingSources.MarkAsync(Opened!, SeriesId, ct);
        if (errors.Count == 0)
        {
            TempData["Confirmation"] = "Report marked for the next early-intervention meeting";
            return Redirect($"/referrals/{id}");
        }
        foreach (var (field, message) in errors)
            Errors[field] = message;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Now = DateTimeOffset.UtcNow;
        Opened = await records.OpenReferralAsync(id, "referral", ct);
        if (Opened is null)
            return false;
        Person = Opened.Person.Person;
        ReporterName = await db.Organisations.Where(o => o.Id == Opened.Referral.ReporterOrganisationId).Select(o => o.Name).FirstAsync(ct);
        // The outcome a reporter is told includes which agency leads: the organisation's name only,
        // read past the case's own filter on purpose (the case itself stays with its team).
        if (Opened.Referral.CaseId is { } caseId)
        {
            LeadOrganisation = await db.Unfiltered<Case>("the name of the organisation leading the case a report opened, told to its reporter").Where(c => c.Id == caseId).Select(c => c.LeadOrganisation!.Name).FirstOrDefaultAsync(ct);
            CanSeeCase = await db.Cases.AnyAsync(c => c.Id == caseId, ct);
        }
        CanDecide = Opened.Allows(RecordOperationKind.Decide);
        if (CanDecide && Opened.Referral.Status == ReferralStatus.AwaitingTriage)
            Context = await TriageContext.LoadAsync(db, access, Opened.Referral, Opened.Person, DateOnly.FromDateTime(Now.UtcDateTime), ct);
        if (CanDecide)
            MeetingSeries = await meetingSources.SeriesForAsync(Opened, ct);
        if (CanDecide)
            Organisations = (await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).ToListAsync(ct))
                .Select(o => (o.Id.ToString(), o.Name)).ToList();
        return true;
    }
}
