using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.Audit;

/// <summary>The data-protection officer's search of the audit log. Reading the log is itself recorded.</summary>
[Authorize(Policy = Policies.DataProtection)]
public sealed class IndexModel(WaypointDbContext db, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "")] public AuditSearchInput Search { get; set; } = new();
    [BindProperty(SupportsGet = true)] public long? Before { get; set; }
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public AuditPage? Results { get; private set; }
    public IReadOnlyList<OrganisationOption> Organisations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name)
            .Select(o => new OrganisationOption(o.Id, o.Name)).ToListAsync(ct);
        var (criteria, errors) = await Search.ReadAsync(db, ct);
        foreach (var (field, message) in errors)
            Errors[field] = message;
        if (Errors.Count > 0)
            return;
        Results = await AuditSearch.PageAsync(db, criteria, Before, After, ct);
        await audit.RecordAsync(new AuditEvent(criteria.PersonId, AuditAction.Read, "audit.search", AuditSearch.DpoBasis), ct);
    }

    public string ExportUrl => "/audit/export" + Search.ToQueryString();
    public string OlderUrl => "/audit" + Search.ToQueryString(("before", Results!.Rows[^1].Id.ToString()));
    public string NewerUrl => Results!.Rows.Count == 0
        ? "/audit" + Search.ToQueryString()
        : "/audit" + Search.ToQueryString(("after", Results.Rows[0].Id.ToString()));
}

public sealed record OrganisationOption(Guid Id, string Name);
