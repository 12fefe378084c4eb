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

namespace Waypoint.Features.Alerts;

public sealed class ThresholdInput
{
    public AlertRule Rule { get; set; }
    public bool Enabled { get; set; }
    public string? Value { get; set; }
}

/// <summary>
/// The partnership administrator switches each early-warning rule on or off and sets its number.
/// Each change is audited; it applies to evaluations from now on (alerts already raised stay as
/// they are), and the daily run picks up a lowered threshold for everyone.
/// </summary>
[Authorize(Policy = Policies.PartnershipAdmin)]
public sealed class ThresholdsModel(WaypointDbContext db, AdminSession session, TimeProvider clock) : PageModel
{
    [BindProperty] public List<ThresholdInput> Settings { get; set; } = [];
    [TempData] public string? Confirmation { get; set; }

    public IReadOnlyList<AlertSetting> Current { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public static string ValueId(AlertRuleDefinition d) => $"Value-{d.Slug}";

    public static string EnabledId(AlertRuleDefinition d) => $"Enabled-{d.Slug}";

    public async Task OnGetAsync(CancellationToken ct)
    {
        Current = await AlertRules.LoadAsync(db, ct);
        Settings = Current.Select(s => new ThresholdInput
        {
            Rule = s.Rule,
            Enabled = s.Enabled,
            Value = s.Definition.HasValue ? s.Value.ToString(CultureInfo.InvariantCulture) : null,
        }).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Current = await AlertRules.LoadAsync(db, ct);
        var wanted = new List<(AlertSetting Current, bool Enabled, int Value)>();
        foreach (var setting in Current)
        {
            var d = setting.Definition;
            var input = Settings.FirstOrDefault(s => s.Rule == d.Rule) ?? new ThresholdInput { Rule = d.Rule };
            var value = setting.Value;
            if (d.HasValue)
            {
                if (string.IsNullOrWhiteSpace(input.Value))
                    Errors[ValueId(d)] = $"Enter the number of {d.Unit} for {d.Name.ToLowerInvariant()}";
                else if (!int.TryParse(input.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
                    Errors[ValueId(d)] = $"The number for {d.Name.ToLowerInvariant()} must be a whole number, like {d.Default}";
                else if (value < d.Min || value > d.Max)
                    Errors[ValueId(d)] = $"The number for {d.Name.ToLowerInvariant()} must be from {d.Min} to {d.Max}";
            }
            wanted.Add((setting, input.Enabled, value));
        }
        if (Errors.Count > 0)
            return Page();

        var rows = await db.AlertThresholds.ToDictionaryAsync(t => t.Rule, ct);
        var changes = new List<string>();
        var now = clock.GetUtcNow();
        var admin = await session.CurrentAsync();
        foreach (var (setting, enabled, value) in wanted)
        {
            if (setting.Enabled == enabled && setting.Value == value)
                continue;
            if (!rows.TryGetValue(setting.Rule, out var row))
            {
                row = new AlertThreshold { Rule = setting.Rule };
                db.AlertThresholds.Add(row);
            }
            row.Enabled = enabled;
            row.Value = value;
            row.UpdatedAt = now;
            row.UpdatedByUserId = admin.UserId;
            changes.Add($"admin.alert-thresholds {setting.Definition.Slug}: {Describe(setting.Definition, setting.Enabled, setting.Value)} to {Describe(setting.Definition, enabled, value)}");
        }
        if (changes.Count > 0)
        {
            foreach (var change in changes)
                await session.RecordAsync(AuditAction.Update, change, ct);
            await db.SaveChangesAsync(ct);
        }
        Confirmation = changes.Count switch
        {
            0 => "Nothing was changed",
            1 => "1 rule has been changed",
            var n => $"{n} rules have been changed",
        };
        return Redirect("/admin/alert-thresholds");
    }

    private static string Describe(AlertRuleDefinition d, bool enabled, int value) =>
        (enabled ? "on" : "off") + (d.HasValue ? $" at {value}" : "");
}
