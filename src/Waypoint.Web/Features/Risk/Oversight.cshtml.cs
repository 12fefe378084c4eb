using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>
/// The data-protection officer's oversight of profiling (the ICO found none over the Gangs Matrix):
/// every matrix version with its factors, every review into or out of the cohort (who, when, on
/// which score), and the flags that lapsed unreviewed or were removed; all of it as one CSV for an
/// audit. People appear by their register id only; the export is itself audited.
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

    public async Task<IActionResult> OnGetExportAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Export, "risk:oversight export", "data-protection officer"), ct);
        var csv = new StringBuilder("section,when,person,what,who,organisation,detail\n");
        foreach (var v in Versions)
        {
            csv.AppendLine(Row("matrix", v.PublishedAt ?? v.CreatedAt, null, $"version {v.Number} {v.Status}", v.PublishedByUserId?.ToString() ?? "", "", $"{v.Name}; medium from {v.MediumFrom}; high from {v.HighFrom}{(v.ChangeNote is { } note ? $"; change: {note}" : "")}"));
            foreach (var f in v.Factors)
                csv.AppendLine(Row("factor", v.PublishedAt ?? v.CreatedAt, null, $"version {v.Number}: {f.Name}", "", "",
                    $"{f.Kind}; {f.Source}; weight {f.Weight}; {f.LookBackMonths} months; roles {f.Roles}; group {f.OffenceGroup}; flag {f.FlagKind}"));
        }
        foreach (var r in Reviews)
            csv.AppendLine(Row("cohort review", r.At, r.PersonId, r.Decision.ToString(), r.Reviewer, r.Organisation, $"offending {r.Offending}; vulnerability {r.Vulnerability}; matrix {r.Matrix}{(r.EndedAt is { } e ? $"; ended {e:yyyy-MM-dd}" : "")}"));
        foreach (var f in Flags)
            csv.AppendLine(Row("flag", null, f.PersonId, $"{FlagRules.Describe(f.Kind)} {f.State}", "", f.Owner, $"review by {f.ReviewOn:yyyy-MM-dd}"));
        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"risk-oversight-{clock.GetUtcNow():yyyy-MM-dd}.csv");
    }

    /// <summary>One CSV row; text that a spreadsheet would run as a formula is neutralised.</summary>
    private static string Row(string section, DateTimeOffset? at, Guid? person, string what, string who, string org, string detail) =>
        string.Join(",", new[] { section, at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "", person?.ToString() ?? "", what, who, org, detail }.Select(Cell));

    private static string Cell(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }

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
