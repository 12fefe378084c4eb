using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Alerts;

/// <summary>
/// How one rule is named, measured and bounded. The default is what a partnership starts with
/// (the numbers); the bounds keep a setting meaningful (a "repeated" needs two).
/// </summary>
public sealed record AlertRuleDefinition(AlertRule Rule, string Slug, string Name, string Measure, string? Unit, int Default, int Min, int Max)
{
    public bool HasValue => Unit is not null;

    /// <summary>The rule with its number, as a person reads it ("2 or more suspensions in a rolling term").</summary>
    public string Describe(int value) => Rule switch
    {
        AlertRule.RepeatedSuspensions => $"{value} or more suspensions in a rolling term",
        AlertRule.SuspensionDaysInTerm => $"More than {value} days of suspension in a term",
        AlertRule.PersistentAbsence => $"{value}% or more of possible sessions missed this academic year",
        AlertRule.AttendanceFall => $"Attendance falling by {value} points or more over six weeks",
        _ => Name,
    };
}

/// <summary>A rule as the partnership has set it.</summary>
public sealed record AlertSetting(AlertRuleDefinition Definition, bool Enabled, int Value, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    public AlertRule Rule => Definition.Rule;
}

public static class AlertRules
{
    public static IReadOnlyList<AlertRuleDefinition> All { get; } =
    [
        new(AlertRule.RepeatedSuspensions, "repeated-suspensions", "Repeated suspensions",
            $"Suspensions from any school in a rolling term: the {RepeatedSuspensionRule.RollingTermDays} days (13 weeks) up to and including the day the latest one starts. The suspension that brings the count to this number raises the alert.",
            "suspensions", 2, 2, 20),
        new(AlertRule.SuspensionDaysInTerm, "suspension-days-in-term", "Suspension days in a term",
            "Days of suspension from any school in one term (autumn: September to December; spring: January to Easter Sunday; summer: the rest of the school year), lunchtimes as half a day. The alert is raised when the total goes past this number.",
            "days", 5, 1, 45),
        new(AlertRule.PersistentAbsence, "persistent-absence", "Persistent absence",
            "Authorised and unauthorised absence this academic year as a share of possible sessions, from every school. The DfE's persistent absence line is 10%.",
            "%", AbsenceRules.PersistentPercent, 1, 100),
        new(AlertRule.AttendanceFall, "attendance-fall", "Attendance falling",
            "Attendance in the six weeks up to the latest recorded period against the six weeks before, in percentage points. Periods longer than six weeks (termly returns) are left out. At most one alert a term.",
            "points", 10, 1, 100),
        new(AlertRule.PermanentExclusion, "permanent-exclusion", "Permanent exclusion",
            "Any permanent exclusion that was not withdrawn.",
            null, 0, 0, 0),
    ];

    public static AlertRuleDefinition Of(AlertRule rule) => All.Single(d => d.Rule == rule);

    /// <summary>
    /// Every rule as set: the stored row where the partnership admin has saved one, the default
    /// (on, with the number) where not.
    /// </summary>
    public static async Task<IReadOnlyList<AlertSetting>> LoadAsync(WaypointDbContext db, CancellationToken ct = default)
    {
        var stored = await db.AlertThresholds.AsNoTracking()
            .Select(t => new { t.Rule, t.Enabled, t.Value, t.UpdatedAt, UpdatedBy = db.Users.Where(u => u.Id == t.UpdatedByUserId).Select(u => u.DisplayName).FirstOrDefault() })
            .ToListAsync(ct);
        return All.Select(d => stored.FirstOrDefault(s => s.Rule == d.Rule) is { } s
                ? new AlertSetting(d, s.Enabled, s.Value, s.UpdatedAt, s.UpdatedBy)
                : new AlertSetting(d, true, d.Default, null, null))
            .ToList();
    }
}
