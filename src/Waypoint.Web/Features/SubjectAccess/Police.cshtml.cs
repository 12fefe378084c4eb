using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>
/// The police decide on their own records in a subject-access copy: a force's user sees the
/// force's records waiting in open requests, and releases each or withholds it with the exemption
/// relied on. The DPO cannot release them. Only the force's own records are shown.
/// </summary>
[PoliceOnly]
public sealed class PoliceModel(WaypointDbContext db, AuditTrail audit, TimeProvider clock) : PageModel
{
    public sealed record WaitingItem(Guid Id, Guid RequestId, DateOnly DueOn, CompiledRecord Record);

    [BindProperty] public Guid? Item { get; set; }
    [BindProperty] public string? Decision { get; set; }
    [BindProperty] public string? Exemption { get; set; }

    public IReadOnlyList<WaitingItem> Waiting { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var force = db.Reader.OrganisationId;
        var item = Item is { } id
            ? await db.SubjectAccessPoliceItems.SingleOrDefaultAsync(x => x.Id == id && x.OwnerOrganisationId == force && x.Decision == PoliceReleaseDecision.Pending, ct)
            : null;
        if (item is null)
            return NotFound();
        var exemption = Exemption?.Trim();
        PoliceReleaseDecision decision = default;
        if (Decision is not (nameof(PoliceReleaseDecision.Released) or nameof(PoliceReleaseDecision.Withheld)) || !Enum.TryParse(Decision, out decision))
            Errors[$"decision-{item.Id}"] = "Choose whether to release the record or withhold it";
        else if (decision == PoliceReleaseDecision.Withheld
            && Shell.FormText.Problem(exemption, SubjectAccessPoliceItem.MaxExemptionLength, "Enter the exemption the record is withheld under", "The exemption") is { } problem)
            Errors[$"decision-{item.Id}"] = problem;
        var personId = await db.SubjectAccessRequests.Where(r => r.Id == item.RequestId).Select(r => new { r.PersonId, r.Status }).SingleAsync(ct);
        if (Errors.Count == 0 && personId.Status == SubjectAccessStatus.Issued)
            Errors[$"decision-{item.Id}"] = "The request has been answered";
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        item.Decision = decision;
        item.Exemption = decision == PoliceReleaseDecision.Withheld ? exemption : null;
        item.DecidedAt = clock.GetUtcNow();
        item.DecidedByUserId = db.Reader.UserId;
        await audit.RecordAsync(new AuditEvent(personId.PersonId, AuditAction.Update, "subject-access.police",
            decision == PoliceReleaseDecision.Released ? "police: a record released for a subject-access copy" : "police: a record withheld from a subject-access copy under an exemption"), ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = decision == PoliceReleaseDecision.Released ? "Released: the record will be in the copy." : "Withheld: the record will not be in the copy.";
        return Redirect("/subject-access/police");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var force = db.Reader.OrganisationId;
        var rows = await (from x in db.SubjectAccessPoliceItems.AsNoTracking()
                          join r in db.SubjectAccessRequests.AsNoTracking() on x.RequestId equals r.Id
                          where x.OwnerOrganisationId == force && x.Decision == PoliceReleaseDecision.Pending && r.Status != SubjectAccessStatus.Issued
                          orderby r.ReceivedOn
                          select new { ItemId = x.Id, x.ItemKey, RequestId = r.Id, r.ReceivedOn, Extended = r.ExtendedAt != null, r.CompiledJson }).Take(200).ToListAsync(ct);
        var compilations = new Dictionary<Guid, SubjectAccessCompilation>();
        Waiting = rows.Select(x =>
        {
            if (!compilations.TryGetValue(x.RequestId, out var compilation))
                compilations[x.RequestId] = compilation = SubjectAccessCompilation.FromJson(x.CompiledJson!);
            var record = compilation.Records.FirstOrDefault(r => r.Key == x.ItemKey);
            return record is null ? null : new WaitingItem(x.ItemId, x.RequestId, SubjectAccessClock.DueOn(x.ReceivedOn, x.Extended), record);
        }).OfType<WaitingItem>().ToList();
    }
}
