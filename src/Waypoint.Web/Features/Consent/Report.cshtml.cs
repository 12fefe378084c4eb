using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Shell;

namespace Waypoint.Features.Consent;

/// <summary>
/// Consent rates by the agency that asked and by how the family was asked, over an optional
/// period: counts only, for users with a partnership role, partnership administrators and analysts.
/// </summary>
[Authorize(Policy = OversightPolicies.PartnershipFigures)]
public sealed class ReportModel(ConsentRates rates) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateInput From { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput To { get; set; } = new();

    public ConsentRateFigures? Figures { get; private set; }
    public Dictionary<string, string> Errors { get; private set; } = [];

    /// <summary>The query string of the period shown, for the CSV link.</summary>
    public string Query => Request.QueryString.Value ?? "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (from, to, errors) = ConsentRates.ReadPeriod(From, To);
        Errors = errors;
        if (errors.Count == 0)
            Figures = await rates.LoadAsync(from, to, ct);
        return Page();
    }
}

/// <summary>The same figures as <see cref="ReportModel"/>, as a CSV file.</summary>
[Authorize(Policy = OversightPolicies.PartnershipFigures)]
public sealed class ReportCsvModel(ConsentRates rates, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public DateInput From { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput To { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var (from, to, errors) = ConsentRates.ReadPeriod(From, To);
        if (errors.Count > 0)
            return BadRequest(string.Join("; ", errors.Values));
        var figures = await rates.LoadAsync(from, to, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return File(Encoding.UTF8.GetBytes(figures.ToCsv()), "text/csv; charset=utf-8", $"consent-rates-{today:yyyy-MM-dd}.csv");
    }
}
