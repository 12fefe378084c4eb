using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Provision;

/// <summary>
/// The sixth-day dashboard: each watched exclusion's sixth school day, when full-time provision
/// started and the school days missed, with totals by school and district. The inclusion team and
/// partnership administrators see every school; a school sees its own. Pupils are named only to
/// readers the one policy lets see them; the export is audited as one.
/// </summary>
public sealed class SixthDayModel(SixthDayWatch watch, PersonAccess access, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    public SixthDayBoard? Board { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await watch.ScopeAsync(ct) is { } scope && scope == Guid.Empty)
            return Forbid();
        Board = await watch.BoardAsync(await watch.ScopeAsync(ct), From, ct);
        return Page();
    }

    public async Task<IActionResult> OnGetExportAsync(ExportFormat? format, CancellationToken ct)
    {
        var scope = await watch.ScopeAsync(ct);
        if (scope == Guid.Empty)
            return Forbid();
        var board = await watch.BoardAsync(scope, From, ct);
        await access.AuditShownAsync(board.Rows.Select(r => r.PersonId!.Value).Distinct().ToList(), AuditAction.Export, "provision:sixth-day.export", ct);
        var rows = board.Rows.Select(r => (IReadOnlyList<object?>)[r.Pupil, r.School, r.District, Label(r.Kind), r.ExcludedFrom, r.SixthDay, r.LastDay, Label(r.Status), r.PlacedFrom, r.DaysMissed])
            .Concat(board.BySchool.Select(t => (IReadOnlyList<object?>)[$"Total: {t.Name}", t.Name, null, null, null, null, null, $"{t.PlacedFullTime} full-time, {t.PlacedPartTime} part-time, {t.None} none", null, t.DaysMissed]))
            .ToList();
        var table = new ExportTable("Sixth-day watch", ["Pupil", "School", "District", "Exclusion", "Excluded from", "Sixth school day", "Last day of suspension", "Provision", "Full-time from", "School days missed"], rows);
        return ExportFile.Of(table, format ?? ExportFormat.Csv, "sixth-day-watch", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    public static string Label(SixthDayStatus s) => s switch
    {
        SixthDayStatus.PlacedFullTime => "Placed full-time",
        SixthDayStatus.PlacedPartTime => "Placed part-time",
        _ => "None",
    };

    public static string Label(Domain.ExclusionKind k) => k == Domain.ExclusionKind.PermanentExclusion ? "Permanent exclusion" : "Suspension";
}
