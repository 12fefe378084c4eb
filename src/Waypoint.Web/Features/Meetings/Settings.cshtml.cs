using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin;
using Waypoint.Identity;

namespace Waypoint.Features.Meetings;

/// <summary>
/// The partnership administrator sets how many days after a meeting the access its agenda gave
/// the invited organisations ends. Audited; it applies to agendas issued (and children added)
/// from now on, never shortening or lengthening a grant already made.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class SettingsModel(WaypointDbContext db, AdminSession session) : PageModel
{
    /// <summary>At most six months: a meeting's access is for following up the meeting, not a standing relationship.</summary>
    public const int MaxAccessDaysAfterMeeting = 180;

    [BindProperty] public string? AccessDaysAfterMeeting { get; set; }
    [TempData] public string? Confirmation { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        AccessDaysAfterMeeting = (await CurrentAsync(ct)).ToString(CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!int.TryParse(AccessDaysAfterMeeting?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            || days < 1 || days > MaxAccessDaysAfterMeeting)
        {
            Errors[nameof(AccessDaysAfterMeeting)] = $"Enter a whole number of days from 1 to {MaxAccessDaysAfterMeeting}";
            return Page();
        }
        var before = await CurrentAsync(ct);
        var row = await db.Set<MeetingSettings>().FirstOrDefaultAsync(ct);
        if (row is null)
            db.Set<MeetingSettings>().Add(row = new MeetingSettings());
        row.AccessDaysAfterMeeting = days;
        await session.RecordAsync(AuditAction.Update, $"admin.meetings access days after a meeting: {before} to {days}", ct);
        await db.SaveChangesAsync(ct);
        Confirmation = $"An agenda now lets the invited organisations see its children until {days} day{(days == 1 ? "" : "s")} after the meeting, for agendas issued from now on";
        return Redirect("/admin/meetings");
    }

    private async Task<int> CurrentAsync(CancellationToken ct) =>
        await db.Set<MeetingSettings>().AsNoTracking().Select(s => (int?)s.AccessDaysAfterMeeting).FirstOrDefaultAsync(ct) ?? MeetingSettings.DefaultAccessDaysAfterMeeting;
}
