using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Identity;

namespace Waypoint.Features.Challenges;

/// <summary>
/// Open challenges to records: an organisation sees those to its own records, which it alone
/// resolves; the data-protection officer sees every organisation's. Register ids and kinds only.
/// </summary>
[Authorize]
public sealed class IndexModel(ChallengeWork challenges) : PageModel
{
    public IReadOnlyList<OpenChallengeRow> Open { get; private set; } = [];
    public bool EveryOrganisation { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        EveryOrganisation = User.IsInRole(Roles.DataProtectionOfficer);
        Open = await challenges.OpenAsync(EveryOrganisation, ct);
    }
}
