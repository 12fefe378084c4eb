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

namespace Waypoint.Features.Evidence;

/// <summary>The partnership administrator defines the joint outcomes framework's measures over data Waypoint holds (audited as administrative changes).</summary>
[Authorize(Roles = Roles.PartnershipAdmin)]
public sealed class OutcomeMeasuresModel(WaypointDbContext db, AdminSession session, TimeProvider clock, Shell.WakeSignal<OutcomeMeasureCalculation> calculation) : PageModel
{
    public const int MaxMeasures = 30;

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Rule { get; set; }

    [BindProperty]
    public string? Threshold { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<OutcomeMeasure> Measures { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var name = Name?.Trim() ?? "";
        if (name.Length == 0)
            Errors[nameof(Name)] = "Enter a name for the measure";
        else if (name.Length > OutcomeMeasure.MaxNameLength)
            Errors[nameof(Name)] = $"The name must be {OutcomeMeasure.MaxNameLength} characters or fewer";
        else if (Measures.Any(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)))
            Errors[nameof(Name)] = "There is already a measure with that name";
        else if (Measures.Count >= MaxMeasures)
            Errors[nameof(Name)] = $"The framework holds at most {MaxMeasures} measures: remove one first";
        OutcomeRule? rule = Enum.TryParse<OutcomeRule>(Rule, ignoreCase: false, out var r) && Enum.IsDefined(r) && !int.TryParse(Rule, out _) ? r : null;
        if (rule is null)
            Errors[nameof(Rule)] = "Choose what the measure counts";
        var threshold = 1;
        if (rule is { } chosen && JointOutcomes.ThresholdRange(chosen) is { } range)
        {
            if (!int.TryParse(Threshold?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out threshold) || threshold < range.Min || threshold > range.Max)
                Errors[nameof(Threshold)] = $"Enter a whole number from {range.Min} to {range.Max}";
        }
        if (Errors.Count > 0)
            return Page();

        var measure = new OutcomeMeasure { Name = name, Rule = rule!.Value, Threshold = threshold, DefinedAt = clock.GetUtcNow(), DefinedByUserId = db.Reader.UserId };
        db.OutcomeMeasures.Add(measure);
        await db.SaveChangesAsync(ct);
        await session.RecordAsync(AuditAction.Create, $"outcome measure {measure.Id}: {measure.Rule} {measure.Threshold}", ct);
        calculation.Wake();
        TempData["Confirmation"] = $"Measure added: {name}. Its figures are being calculated and will appear on the dashboard when they are ready";
        return Redirect("/statistics/outcomes/measures");
    }

    public async Task<IActionResult> OnPostSuggestedAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var now = clock.GetUtcNow();
        var added = JointOutcomes.Suggested
            .Where(s => !Measures.Any(m => string.Equals(m.Name, s.Name, StringComparison.OrdinalIgnoreCase)))
            .Take(Math.Max(0, MaxMeasures - Measures.Count))
            .Select(s => new OutcomeMeasure { Name = s.Name, Rule = s.Rule, Threshold = s.Threshold, DefinedAt = now, DefinedByUserId = db.Reader.UserId })
            .ToList();
        db.OutcomeMeasures.AddRange(added);
        await db.SaveChangesAsync(ct);
        foreach (var m in added)
            await session.RecordAsync(AuditAction.Create, $"outcome measure {m.Id}: {m.Rule} {m.Threshold}", ct);
        calculation.Wake();
        TempData["Confirmation"] = added.Count == 0 ? "The suggested measures are all in the framework already"
            : $"{added.Count} suggested measure{(added.Count == 1 ? "" : "s")} added. Their figures are being calculated and will appear on the dashboard when they are ready";
        return Redirect("/statistics/outcomes/measures");
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Measures = await db.OutcomeMeasures.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);
}
