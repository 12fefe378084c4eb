using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Retention;

/// <summary>The partnership's retention schedule, one period per kind of record.</summary>
[Authorize(Policy = RetentionPolicies.Schedules)]
public sealed class SchedulesModel(RetentionWork work) : PageModel
{
    [TempData] public string? Confirmation { get; set; }
    public IReadOnlyList<RetentionSchedule> Schedules { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Schedules = await work.SchedulesAsync(ct);
}

/// <summary>Changes one kind of record's period and the event it runs from; a period of zero or less is refused.</summary>
[Authorize(Policy = RetentionPolicies.Schedules)]
public sealed class ScheduleModel(RetentionWork work) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty] public string? Period { get; set; }
    [BindProperty] public string? Unit { get; set; }
    [BindProperty] public string? Trigger { get; set; }
    [BindProperty] public string? Basis { get; set; }
    [TempData] public string? Confirmation { get; set; }
    public RetentionRecordType RecordType { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public static IReadOnlyList<(string Value, string Text)> Units { get; } = [(nameof(RetentionUnit.Months), "Months"), (nameof(RetentionUnit.Years), "Years")];

    public static IReadOnlyList<(string Value, string Text)> Triggers { get; } =
        Enum.GetValues<RetentionTrigger>().Select(t => (t.ToString(), "From " + RetentionLabels.Of(t))).ToList();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!TryType())
            return NotFound();
        var current = (await work.SchedulesAsync(ct)).First(s => s.RecordType == RecordType);
        Period = current.Period.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Unit = current.Unit.ToString();
        Trigger = current.Trigger.ToString();
        Basis = current.Basis;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!TryType())
            return NotFound();
        var unit = Enum.TryParse<RetentionUnit>(Unit, out var u) && Enum.IsDefined(u) ? u : (RetentionUnit?)null;
        var trigger = Enum.TryParse<RetentionTrigger>(Trigger, out var t) && Enum.IsDefined(t) ? t : (RetentionTrigger?)null;
        var basis = User.IsInRole(Roles.DataProtectionOfficer) ? "data-protection officer" : "partnership admin";
        foreach (var (field, message) in await work.SetScheduleAsync(RecordType, Period, unit, trigger, Basis, basis, ct))
            Errors[field] = message;
        if (Errors.Count > 0)
            return Page();
        Confirmation = $"{RetentionLabels.Of(RecordType)}: kept {RetentionLabels.Period(int.Parse(Period!.Trim(), System.Globalization.CultureInfo.InvariantCulture), unit!.Value)} from {RetentionLabels.Of(trigger!.Value)}";
        return Redirect("/retention/schedules");
    }

    private bool TryType()
    {
        if (!Enum.TryParse<RetentionRecordType>(Type, out var type) || !Enum.IsDefined(type) || int.TryParse(Type, out _))
            return false;
        RecordType = type;
        return true;
    }
}
