using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Services;

/// <summary>Refers a young person the reader may grant access to, to a service of the directory.</summary>
public sealed class ReferModel(PersonAccess access, ServiceReferrals referrals, WaypointDbContext db) : PersonPageModel(access)
{
    [BindProperty(SupportsGet = true)] public Guid? ServiceId { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public ServiceReferralUrgency? Urgency { get; set; }
    [BindProperty] public LawfulBasis? LawfulBasis { get; set; }
    [BindProperty] public Guid? ConsentRecordId { get; set; }
    [BindProperty] public string? OverrideReason { get; set; }

    /// <summary>The case or meeting decision the referral comes from, when started from one (its link back).</summary>
    [BindProperty(SupportsGet = true)] public Guid? CaseId { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? AgendaItemId { get; set; }

    public List<(string Value, string Text)> Services { get; private set; } = [];
    public List<(string Value, string Text)> Consents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await OpenAsync("service-referral.new", ct))
            return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Grant, "service-referral.new", ct) is { } refused)
            return refused;
        var (referral, errors) = await referrals.SendAsync(Opened!, new SendServiceReferral(Id, ServiceId ?? Guid.Empty, Reason, Urgency, LawfulBasis, ConsentRecordId, OverrideReason, CaseId, AgendaItemId), ct);
        if (referral is null)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            await LoadAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = "Referral sent: the provider has been told";
        return Redirect($"/service-referrals/{referral.Id}");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Services = (await db.Set<Service>().AsNoTracking().Where(s => s.QaStatus != ServiceQaStatus.Suspended).OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name, Provider = s.ProviderOrganisation!.Name }).ToListAsync(ct))
            .Select(s => (s.Id.ToString(), $"{s.Name} ({s.Provider})")).ToList();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Consents = (await db.ConsentRecords.AsNoTracking().Where(c => c.PersonId == Id && c.Outcome == ConsentOutcome.Given && (c.ExpiresOn == null || c.ExpiresOn >= today))
            .OrderByDescending(c => c.AskedOn).Select(c => new { c.Id, c.AskedOn, For = c.ForOrganisation!.Name }).ToListAsync(ct))
            .Select(c => (c.Id.ToString(), $"Given on {c.AskedOn:d MMMM yyyy}, for {c.For}")).ToList();
    }
}
