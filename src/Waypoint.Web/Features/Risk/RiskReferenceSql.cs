using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// The published matrix as one set-based SQL statement that computes every young person's two
/// scores: each factor a grouped subquery of the people it holds for (roles, offence group,
/// incident, flag, look-back, minimum count, attendance below), the weights summed by kind,
/// people who restricted processing left out. Written independently of the app's scoring, it is
/// the reference the tests check the app's scores against on both databases, and the baseline the
/// risk bench times the app against. Standard SQL that SQLite and PostgreSQL both run; reads the
/// tables past the query filters (a named raw read), so it is for tests and the bench, never for a page.
/// </summary>
internal static class RiskReferenceSql
{
    public static string For(RiskMatrixVersion matrix, DateOnly today)
    {
        static string D(DateOnly d) => $"'{d:yyyy-MM-dd}'";
        static string Q(string s) => $"'{s.Replace("'", "''")}'";
        var parts = new List<string>();
        foreach (var f in matrix.Factors)
        {
            var since = today.AddMonths(-f.LookBackMonths);
            var kind = f.Kind == RiskFactorKind.Offending ? 0 : 1;
            var head = $"SELECT \"PersonId\", {kind} AS k, {f.Weight} AS w FROM";
            parts.Add(f.Source switch
            {
                RiskSource.Suspensions => $"{head} \"Suspensions\" WHERE \"Kind\" <> 'PermanentExclusion' AND \"StartDate\" > {D(since)} AND \"StartDate\" <= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.PermanentExclusions => $"{head} \"Suspensions\" WHERE \"Kind\" = 'PermanentExclusion' AND \"StartDate\" > {D(since)} AND \"StartDate\" <= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.BehaviourIncidents => $"{head} \"BehaviourIncidents\" WHERE \"OccurredOn\" > {D(since)} AND \"OccurredOn\" <= {D(today)} GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.Attendance => $"{head} \"AttendanceRecords\" WHERE \"PeriodEnd\" > {D(since)} AND \"PeriodEnd\" <= {D(today)} GROUP BY \"PersonId\" " +
                    $"HAVING SUM(\"SessionsPossible\") > 0 AND SUM(CAST(\"SessionsPresent\" AS BIGINT)) * 100 < CAST({f.AttendanceBelowPercent ?? 0} AS BIGINT) * SUM(\"SessionsPossible\")",
                // A flag counts while it is current (active, review date not passed), whatever its look-back.
                RiskSource.Flags => $"{head} \"PersonFlags\" WHERE \"Kind\" = {Q(f.FlagKind.ToString()!)} AND \"Status\" = 'Active' AND \"ReviewOn\" >= {D(today)}" +
                    (f.Kind == RiskFactorKind.Offending && f.FlagKind is { } k && FlagRules.IsVulnerability(k) ? " AND 1 = 0" : "") +
                    $" GROUP BY \"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                RiskSource.Occurrences => $"SELECT l.\"PersonId\", {kind} AS k, {f.Weight} AS w FROM \"OccurrencePeople\" l JOIN \"Occurrences\" o ON o.\"Id\" = l.\"OccurrenceId\" " +
                    // Victim-side roles never feed offending: the reference holds the same line on its own.
                    $"WHERE l.\"Role\" IN ({string.Join(", ", f.RoleList.Where(r => !(f.Kind == RiskFactorKind.Offending && RiskMatrixRules.VictimSide.Contains(r))).Select(r => Q(r.ToString())).DefaultIfEmpty("''"))}) " +
                    $"AND o.\"OccurredOn\" > {D(since)} AND o.\"OccurredOn\" <= {D(today)}" +
                    (f.OffenceGroup is { } g ? $" AND o.\"OffenceGroup\" = {Q(g)}" : "") + (f.IncidentType is { } i ? $" AND o.\"IncidentType\" = {Q(i.ToString())}" : "") +
                    $" GROUP BY l.\"PersonId\" HAVING COUNT(*) >= {f.MinimumCount}",
                _ => throw new InvalidOperationException(f.Source.ToString()),
            });
        }
        var sql = new StringBuilder("SELECT h.\"PersonId\" AS \"PersonId\", SUM(CASE WHEN h.k = 0 THEN h.w ELSE 0 END) AS \"Offending\", SUM(CASE WHEN h.k = 1 THEN h.w ELSE 0 END) AS \"Vulnerability\" FROM (");
        sql.Append(string.Join(" UNION ALL ", parts));
        sql.Append(") h JOIN \"People\" p ON p.\"Id\" = h.\"PersonId\" AND p.\"Kind\" = 'YoungPerson' ");
        sql.Append("WHERE NOT EXISTS (SELECT 1 FROM \"ProcessingRestrictions\" r WHERE r.\"PersonId\" = h.\"PersonId\" AND r.\"LiftedAt\" IS NULL) GROUP BY h.\"PersonId\"");
        return sql.ToString();
    }

    /// <summary>Runs the statement through the context (a named raw read): each scored person's (offending, vulnerability).</summary>
    public static async Task<Dictionary<Guid, (int Offending, int Vulnerability)>> ScoresAsync(WaypointDbContext db, string sql, CancellationToken ct) =>
        (await db.RawSql<RiskReferenceScore>("the reference scores read every young person's records, as the recompute it checks does; tests and the bench only",
                FormattableStringFactory.Create(sql.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal)))
            .ToListAsync(ct))
        .ToDictionary(s => s.PersonId, s => ((int)s.Offending, (int)s.Vulnerability));
}

/// <summary>One row of the reference statement.</summary>
internal sealed class RiskReferenceScore
{
    public Guid PersonId { get; set; }
    public long Offending { get; set; }
    public long Vulnerability { get; set; }
}
