using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Risk;

/// <summary>
/// The data-protection officer's oversight of profiling (the ICO found none over the Gangs Matrix):
/// every matrix version with its factors, every review into or out of the cohort (who, when, on
/// which score), and the flags that lapsed unreviewed or were removed; all of it as one CSV or XLSX for an
/// audit. People appear by their register id only; each person in the export is audited as exported.
/// </summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class OversightModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public sealed record ReviewRow(DateTimeOffset At, Guid PersonId, CohortDecision Decision, string Reviewer, string Organisation, int Offending, int Vulnerability, int Matrix, DateTimeOffset? EndedAt);

    public sealed record FlagRow(Guid PersonId, FlagKind Kind, string Owner, DateOnly ReviewOn, string State, string? Outcome);

    public IReadOnlyList<RiskMatrixVersion> Versions { get; private set; } = [];
    public IReadOnlyList<ReviewRow> Reviews { get; private set; } = [];
    public IReadOnlyList<FlagRow> Flags { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>
    /// The whole history as one file (CSV unless XLSX is asked for). Each person in it is audited as
    /// exported, one row each with the officer's basis; with no one in it, the export is still one row.
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat? format, CancellationToken ct)
    {
        await LoadAsync(ct);
        var people = Reviews.Select(r => r.PersonId).Concat(Flags.Select(f => f.PersonId)).Distinct().ToList();
        IReadOnlyCollection<AuditEvent> events = people.Count == 0
            ? [new AuditEvent(null, AuditAction.Export, ExportSubject, ExportBasis)]
            : people.Select(id => new AuditEvent(id, AuditAction.Export, ExportSubject, ExportBasis)).ToList();
        await audit.RecordAsync(events, ct);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var v in Versions)
        {
            rows.Add(["matrix", v.PublishedAt ?? v.CreatedAt, null, $"version {v.Number} {v.Status}", v.PublishedByUserId?.ToString() ?? "", "",
                $"{v.Name}; medium from {v.MediumFrom}; high from {v.HighFrom}{(v.ChangeNote is { } note ? $"; change: {note}" : "")}"]);
            foreach (var f in v.Factors)
                rows.Add(["factor", v.PublishedAt ?? v.CreatedAt, null, $"version {v.Number}: {f.Name}", "", "",
                    $"{f.Kind}; {f.Source}; weight {f.Weight}; {f.LookBackMonths} months; roles {f.Roles}; group {f.OffenceGroup}; flag {f.FlagKind}"]);
        }
        foreach (var r in Reviews)
            rows.Add(["cohort review", r.At, r.PersonId.ToString(), r.Decision.ToString(), r.Reviewer, r.Organisation,
                $"offending {r.Offending}; vulnerability {r.Vulnerability}; matrix {r.Matrix}{(r.EndedAt is { } e ? $"; ended {e:yyyy-MM-dd}" : "")}"]);
        foreach (var f in Flags)
            rows.Add(["flag", null, f.PersonId.ToString(), $"{FlagRules.Describe(f.Kind)} {f.State}", "", f.Owner, $"review by {f.ReviewOn:yyyy-MM-dd}"]);
        var table = new ExportTable("Risk oversight", ["section", "when", "person", "what", "who", "organisation", "detail"], rows);
        return ExportFile.Of(table, format ?? ExportFormat.Csv, "risk-oversight", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }

    public const string ExportSubject = "risk:oversight export";
    private const string ExportBasis = "data-protection officer";

    private async Task LoadAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Versions = await db.RiskMatrixVersions.AsNoTracking().Include(v => v.Factors).OrderByDescending(v => v.Number).ToListAsync(ct);
        var reviews = await db.Unfiltered<CohortReview>("the data-protection officer oversees every review into the high-risk cohort, by person id only").AsNoTracking()
            .OrderByDescending(r => r.ReviewedAt).Take(1000)
            .Join(db.Unfiltered<RiskScore>("the score each cohort review was made on, for the data-protection officer's oversight"), r => r.ScoreId, s => s.Id,
                (r, s) => new { r.ReviewedAt, r.PersonId, r.Decision, r.ReviewedByUserId, r.ReviewedByOrganisationId, s.Offending, s.Vulnerability, Matrix = s.MatrixVersion!.Number, r.EndedAt })
            .ToListAsync(ct);
        var userIds = reviews.Select(r => r.ReviewedByUserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var orgs = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        Reviews = reviews.Select(r => new ReviewRow(r.ReviewedAt, r.PersonId, r.Decision, users.GetValueOrDefault(r.ReviewedByUserId) ?? "unknown", orgs.GetValueOrDefault(r.ReviewedByOrganisationId) ?? "",
            r.Offending, r.Vulnerability, r.Matrix, r.EndedAt)).ToList();
        var flags = await db.Unfiltered<PersonFlag>("the data-protection officer sees which flags lapsed unreviewed or were removed, by person id only").AsNoTracking()
            .Where(f => f.Status == FlagStatus.Removed || f.ReviewOn < today).OrderByDescending(f => f.ReviewOn).Take(1000)
            .Select(f => new { f.PersonId, f.Kind, f.OwnerOrganisationId, f.ReviewOn, f.Status, f.ReviewOutcome }).ToListAsync(ct);
        Flags = flags.Select(f => new FlagRow(f.PersonId, f.Kind, orgs.GetValueOrDefault(f.OwnerOrganisationId) ?? "", f.ReviewOn, f.Status == FlagStatus.Removed ? "removed" : "lapsed", f.ReviewOutcome)).ToList();
    }
}
