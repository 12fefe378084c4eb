using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Services;

/// <summary>
/// The reader's organisation's service referrals: as a provider, those to answer (urgent first),
/// the waiting list and the young people it is working with; as a referrer, those it made. Read
/// through the referral filter; every young person named is audited as listed, and as exported
/// when the same lists leave as CSV or XLSX.
/// </summary>
public sealed class ReferralsModel(ServiceReferrals referrals, PersonAccess access, TimeProvider clock) : PageModel
{
    public ServiceReferralLists Lists { get; private set; } = new([], [], [], []);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Lists = await referrals.ListsAsync(ct);
        await access.AuditListedAsync(Lists.All.Select(r => r.PersonId).Distinct().ToList(), "service-referrals", ct);
    }

    /// <summary>The page's four lists as one file, a row per referral with the list it is on; each young person audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        var lists = await referrals.ListsAsync(ct);
        await access.AuditShownAsync(lists.All.Select(r => r.PersonId).Distinct().ToList(), AuditAction.Export, "service-referrals.export", ct);
        IEnumerable<(string List, ServiceReferralRow Row)> On(string list, IEnumerable<ServiceReferralRow> rows) => rows.Select(r => (list, r));
        var rows = On("To answer or start", lists.ToAnswer).Concat(On("Waiting list", lists.Waiting))
            .Concat(On("Receiving your services", lists.Active)).Concat(On("Made by your organisation", lists.Sent));
        var table = new ExportTable("Service referrals", ["List", "Young person", "Service", "Other organisation", "Sent", "Status", "Urgency", "Last changed"],
            rows.Select(x => (IReadOnlyList<object?>)[x.List, x.Row.Child, x.Row.Service, x.Row.OtherSide, x.Row.SentAt, ServiceReferrals.Label(x.Row.Status),
                x.Row.Urgency == Domain.ServiceReferralUrgency.Urgent ? "Urgent" : "Routine", x.Row.UpdatedAt]).ToList());
        return ExportFile.Of(table, format, "service-referrals", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }
}
