using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;

namespace Waypoint.Features.Services;

/// <summary>
/// The reader's organisation's service referrals: as a provider, those to answer (urgent first),
/// the waiting list and the young people it is working with; as a referrer, those it made. Read
/// through the referral filter; every young person named is audited as listed.
/// </summary>
public sealed class ReferralsModel(ServiceReferrals referrals, PersonAccess access) : PageModel
{
    public ServiceReferralLists Lists { get; private set; } = new([], [], [], []);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Lists = await referrals.ListsAsync(ct);
        await access.AuditListedAsync(Lists.All.Select(r => r.PersonId).Distinct().ToList(), "service-referrals", ct);
    }
}
