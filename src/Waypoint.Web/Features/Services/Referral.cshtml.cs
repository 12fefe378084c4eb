using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Services;

/// <summary>
/// A service referral for its two parties: where it stands, and the steps the reader's side may
/// take. Steps that end it (decline, end, withdraw) ask first, on this page with ?step=.
/// </summary>
public sealed class ReferralModel(ServiceReferrals referrals, RecordAccess records) : PageModel
{
    public ServiceReferral Referral { get; private set; } = null!;
    public ServiceReferralView View { get; private set; } = null!;
    public string PersonName { get; private set; } = "";
    public bool IsProvider { get; private set; }
    public bool IsReferrer { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Step { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public DateInput On { get; set; } = new();
    [BindProperty] public ServiceReferralEndReason? EndReason { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? SessionsAttended { get; set; }
    [BindProperty] public int? Version { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    [TempData] public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, "service-referral", ct))
            return NotFound();
        if (Step is not null && !ServiceReferrals.StepNames.Contains(Step))
            Step = null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, $"service-referral.{Step}", ct))
            return NotFound();
        var (on, onError) = On.Read(Step == "start" ? "The start date" : "The end date");
        int? sessions = null;
        if (!string.IsNullOrWhiteSpace(SessionsAttended))
        {
            if (int.TryParse(SessionsAttended.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n))
                sessions = n;
            else
                Errors["SessionsAttended"] = "Sessions attended must be a whole number, like 12";
        }
        if (onError is not null)
            Errors["On"] = onError;
        else if (Errors.Count == 0)
        {
            var errors = await referrals.MoveAsync(Referral, Step ?? "", new ServiceReferralStep(Reason, on, EndReason, Outcome, Version, sessions), ct);
            foreach (var (k, v) in errors)
                Errors[k] = v;
        }
        if (Errors.Count > 0)
        {
            if (Errors.GetValueOrDefault("Status") == ServiceReferrals.ChangedMeanwhile)
            {
                // Show it as it stands now, not as this reader's stale copy.
                if (!await LoadAsync(id, "service-referral", ct))
                    return NotFound();
                Step = null;
            }
            View = await referrals.ViewAsync(Referral, ct);
            return Page();
        }
        var done = Referral.Status == ServiceReferralStatus.Waiting ? "put on the waiting list" : ServiceReferrals.Label(Referral.Status);
        TempData["Confirmation"] = $"Referral {done}: {(IsProvider ? "the referrer has" : "the provider has")} been told";
        return Redirect($"/service-referrals/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, string subject, CancellationToken ct)
    {
        // Through the one gate for records: the referral's filter, then its young person opened and the read audited.
        if (await records.OpenServiceReferralAsync(id, subject, ct) is not { } opened)
            return false;
        Referral = opened.Referral;
        View = await referrals.ViewAsync(Referral, ct);
        PersonName = $"{opened.Person.Person.GivenName} {opened.Person.Person.FamilyName}";
        IsProvider = opened.IsProvider;
        IsReferrer = opened.IsReferrer;
        return true;
    }
}
