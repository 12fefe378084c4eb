using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Identity;

namespace Waypoint.Features.Risk;

/// <summary>The equality report on profiling, for the data-protection officer, partnership roles and analysts: aggregates only, small numbers suppressed.</summary>
public sealed class EqualityModel(EqualityMonitoring monitoring, IAuthorizationService authorization) : PageModel
{
    public IReadOnlyList<CohortRepresentation> Cohorts { get; private set; } = [];
    public double Threshold { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Roles.DataProtectionOfficer) && !(await authorization.AuthorizeAsync(User, OversightPolicies.PartnershipFigures)).Succeeded)
            return Forbid();
        (Cohorts, Threshold) = await monitoring.ReportAsync(ct);
        return Page();
    }

    public static string Count(int? value) => value is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "suppressed";

    public static string Percent(double? share) => share is { } s ? s.ToString("P0", System.Globalization.CultureInfo.GetCultureInfo("en-GB")) : "suppressed";
}
