using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Identity;

namespace Waypoint.Features.Retention;

/// <summary>The data-protection officer's overview: break-glass to review, records due for disposal, grants past review, the audit's last check.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class DashboardModel(DpoDashboard dashboard) : PageModel
{
    public DpoFigures Figures { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Figures = await dashboard.FiguresAsync(ct);
}
