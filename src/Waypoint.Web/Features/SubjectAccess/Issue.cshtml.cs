using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>Confirms, then issues the copy: what it holds and what is left out are shown first, and nothing is issued while a redaction is unchecked.</summary>
[DataProtectionOfficerOnly]
public sealed class IssueModel(WaypointDbContext db, SubjectAccessWork work, Shell.CurrentUserSummary user) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public SubjectAccessRequest SarRequest { get; private set; } = null!;
    public int Records { get; private set; }
    public int Agencies { get; private set; }
    public int Redacted { get; private set; }
    public int Unchecked { get; private set; }
    public int PolicePending { get; private set; }
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        if (Refusal is not null)
            return Page();
        var tracked = await db.SubjectAccessRequests.SingleAsync(r => r.Id == Id, ct);
        // The copy goes outside the partnership: it names the office that issued it, not the officer.
        var issuedBy = (await user.GetAsync()) is { } me ? $"the data-protection officer, {me.OrganisationName}" : "the data-protection officer";
        await work.IssueAsync(tracked, issuedBy, ct);
        TempData["Confirmation"] = "The copy has been issued. The PDF and the CSV files are ready to send, and are kept with their redactions.";
        return Redirect($"/subject-access/request?id={Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var request = await db.SubjectAccessRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == Id, ct);
        if (request is null)
            return false;
        SarRequest = request;
        if (request.Status == SubjectAccessStatus.Issued)
        {
            Refusal = "This request has already been answered: its copy was issued.";
            return true;
        }
        if (request.CompiledJson is null)
        {
            Refusal = "Nothing has been compiled yet: compile what is held first.";
            return true;
        }
        var copy = await work.CopyAsync(request, ct);
        Records = copy.Records.Count;
        Agencies = copy.Records.Select(r => r.Agency).Distinct().Count();
        Redacted = copy.Rules.Count;
        Unchecked = await db.SubjectAccessRedactions.CountAsync(r => r.RequestId == Id && r.Decision == RedactionDecision.Proposed, ct);
        PolicePending = await db.SubjectAccessPoliceItems.CountAsync(r => r.RequestId == Id && r.Decision == PoliceReleaseDecision.Pending, ct);
        if (Unchecked > 0)
            Refusal = $"{Unchecked} proposed redaction{(Unchecked == 1 ? " has" : "s have")} not been checked. Check every one before issuing.";
        return true;
    }
}
