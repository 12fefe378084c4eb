using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Shell;

namespace Waypoint.Features;

public sealed class IndexModel(CurrentUserSummary current, WaypointDbContext db) : PageModel
{
    public new UserSummary? User { get; private set; }
    public int VisiblePeople { get; private set; }
    public int UnreviewedBreakGlass { get; private set; }
    public bool IsSchool => db.Reader.OrganisationType == Domain.OrganisationType.School && !db.Reader.IsSystem;

    public async Task OnGetAsync(CancellationToken ct)
    {
        User = await current.GetAsync();
        // A count, not a read of anyone's record: nothing person-level is shown, so nothing to audit.
        VisiblePeople = await db.People.CountAsync(ct);
        if (User?.IsDataProtectionOfficer == true)
            UnreviewedBreakGlass = await Audit.BreakGlassQueue.UnreviewedCountAsync(db, ct);
    }
}
