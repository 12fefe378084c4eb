using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>
/// Prepares the next version of the matrix from the draft (or the published version): bands,
/// each factor's weight, look-back and threshold, removing factors and adding one, with a change
/// note. Checked by the matrix's rules, which name each factor and field.
/// </summary>
[Authorize(Roles = Roles.PartnershipAdmin + "," + Roles.DataProtectionOfficer)]
public sealed class MatrixDraftModel(WaypointDbContext db, RiskMatrixPublishing publishing) : PageModel
{
    public sealed class FactorInput
    {
        public string? Name { get; set; }
        public RiskSource? Source { get; set; }
        public RiskFactorKind? Kind { get; set; }
        public int? Weight { get; set; }
        public int? LookBackMonths { get; set; }
        public int? MinimumCount { get; set; }
        public int? AttendanceBelowPercent { get; set; }
        public List<OccurrenceRole> Roles { get; set; } = [];
        public string? OffenceGroup { get; set; }
        public IncidentType? IncidentType { get; set; }
        public FlagKind? FlagKind { get; set; }
        public bool Remove { get; set; }

        public static FactorInput From(RiskFactor f) => new()
        {
            Name = f.Name,
            Source = f.Source,
            Kind = f.Kind,
            Weight = f.Weight,
            LookBackMonths = f.LookBackMonths,
            MinimumCount = f.MinimumCount,
            AttendanceBelowPercent = f.AttendanceBelowPercent,
            Roles = [.. f.RoleList],
            OffenceGroup = f.OffenceGroup,
            IncidentType = f.IncidentType,
            FlagKind = f.FlagKind,
        };

        public RiskFactor ToFactor() => new()
        {
            Name = Name?.Trim() ?? "",
            Source = Source ?? (RiskSource)(-1),
            Kind = Kind ?? (RiskFactorKind)(-1),
            Weight = Weight ?? 0,
            LookBackMonths = LookBackMonths ?? 0,
            MinimumCount = Source == RiskSource.Attendance ? 1 : MinimumCount ?? 0,
            AttendanceBelowPercent = Source == RiskSource.Attendance ? AttendanceBelowPercent : null,
            Roles = Source == RiskSource.Occurrences ? string.Join(",", Roles.Where(Enum.IsDefined).Distinct()) : null,
            OffenceGroup = Source == RiskSource.Occurrences && !string.IsNullOrWhiteSpace(OffenceGroup) ? OffenceGroup : null,
            IncidentType = Source == RiskSource.Occurrences ? IncidentType : null,
            FlagKind = Source == RiskSource.Flags ? FlagKind : null,
        };
    }

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public int? MediumFrom { get; set; }
    [BindProperty] public int? HighFrom { get; set; }
    [BindProperty] public string? ChangeNote { get; set; }
    [BindProperty] public List<FactorInput> Factors { get; set; } = [];
    [BindProperty] public FactorInput NewFactor { get; set; } = new();
    public int BasedOn { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var from = await publishing.DraftAsync(ct) ?? await RiskScoring.PublishedAsync(db, ct);
        if (from is null)
            return;
        BasedOn = from.Number;
        Name = from.Status == RiskMatrixStatus.Draft ? from.Name : $"{from.Name} (revised)";
        MediumFrom = from.MediumFrom;
        HighFrom = from.HighFrom;
        ChangeNote = from.Status == RiskMatrixStatus.Draft ? from.ChangeNote : null;
        Factors = from.Factors.OrderBy(f => f.Kind).ThenBy(f => f.Name).Select(FactorInput.From).ToList();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Factors ??= [];
        if (Factors.Count > 100)
            Factors = Factors.Take(100).ToList();
        var kept = Factors.Select((f, i) => (Input: f, Index: i)).Where(x => !x.Input.Remove).ToList();
        var adding = !string.IsNullOrWhiteSpace(NewFactor.Name);
        var proposed = new RiskMatrixVersion
        {
            Name = Name?.Trim() ?? "",
            MediumFrom = MediumFrom ?? 0,
            HighFrom = HighFrom ?? 0,
            ChangeNote = ChangeNote,
            Factors = [.. kept.Select(x => x.Input.ToFactor()), .. adding ? [NewFactor.ToFactor()] : Array.Empty<RiskFactor>()],
        };
        var problems = await publishing.SaveDraftAsync(proposed, ct);
        if (problems.Count == 0)
        {
            TempData["Confirmation"] = "Draft saved: the data-protection officer signs it off to publish it";
            return RedirectToPage("/Risk/Matrix");
        }
        foreach (var (field, message) in problems)
            Errors.TryAdd(FieldId(field, kept.Select(k => k.Index).ToList()), message);
        return Page();
    }

    /// <summary>The id of the input a problem names: "Factors[i].Weight" of the proposed version back to the form's own row.</summary>
    private static string FieldId(string field, IReadOnlyList<int> keptIndexes)
    {
        var close = field.IndexOf(']');
        if (!field.StartsWith("Factors[", StringComparison.Ordinal) || close < 0)
            return field;
        var i = int.Parse(field[8..close], System.Globalization.CultureInfo.InvariantCulture);
        var rest = field[(close + 2)..];
        if (rest is "Name" or "Source" or "Kind" or "Roles" or "OffenceGroup" or "IncidentType" or "FlagKind")
            rest = "Weight";
        return i < keptIndexes.Count ? $"Factors-{keptIndexes[i]}-{rest}" : $"NewFactor-{(field[(close + 2)..])}";
    }
}
