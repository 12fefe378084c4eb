using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>One archived month as the DPO sees it: how many entries, whether they are still held, and when the schedule lets them go.</summary>
public sealed record ArchivedMonth(Guid Id, string Label, long FirstId, long LastId, long Count, DateTimeOffset ArchivedAt, DateTimeOffset? DisposedAt, DateOnly? DueOn, bool Held);

/// <summary>
/// The audit log's archived months (issue 16, item 6): what the live log holds, the months moved
/// to the archive with their seals, and those past the audit's retention period. The DPO may
/// archive the months past the live window now rather than wait for the nightly run.
/// </summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class ArchiveModel(WaypointDbContext db, AuditArchiver archiver, ReaderContext reader, TimeProvider clock) : PageModel
{
    [TempData] public string? Confirmation { get; set; }

    public IReadOnlyList<ArchivedMonth> Months { get; private set; } = [];
    public long LiveEntries { get; private set; }
    public DateTimeOffset? OldestLive { get; private set; }
    public DateOnly FirstLiveMonth { get; private set; }
    public RetentionSchedule? Schedule { get; private set; }
    public DateOnly Today { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        FirstLiveMonth = archiver.FirstLiveMonth();
        LiveEntries = await db.AuditEntries.LongCountAsync(ct);
        OldestLive = await db.AuditEntries.OrderBy(a => a.Id).Select(a => (DateTimeOffset?)a.OccurredAt).FirstOrDefaultAsync(ct);
        Schedule = await db.Set<RetentionSchedule>().AsNoTracking().FirstOrDefaultAsync(s => s.RecordType == RetentionRecordType.Audit, ct);
        var held = await db.Set<LegalHold>().Where(h => h.RecordType == RetentionRecordType.Audit && h.LiftedAt == null).Select(h => h.RecordId).ToListAsync(ct);
        var periods = await db.AuditPeriods.AsNoTracking().OrderByDescending(p => p.FirstId).ToListAsync(ct);
        Months = periods.Select(p => new ArchivedMonth(p.Id, p.Label, p.FirstId, p.LastId, p.Count, p.ArchivedAt, p.DisposedAt,
            Schedule is null ? null : AuditArchiver.DueOn(p, Schedule), held.Contains(p.Id))).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var run = await archiver.ArchiveAsync(reader.Current, ct: ct);
        Confirmation = run.Archived.Count == 0
            ? $"There was nothing to archive: the live log holds only {archiver.FirstLiveMonth():MMMM yyyy} and later"
            : $"{run.Entries:N0} audit entries from {run.Archived.Count} month{(run.Archived.Count == 1 ? "" : "s")} have been archived and sealed";
        return RedirectToPage();
    }
}
