using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.People;

/// <summary>
/// Explicit involvement: an organisation added to a person's team with a reason, a start and an
/// optional end. It is one of the relationships the access policy recognises.
/// </summary>
public sealed class TeamModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty] public Guid? OrganisationId { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();
    public IReadOnlyList<Choice> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await OpenAsync("person.team", ct))
            return NotFound();
        Start = DateInput.From(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        Organisations = await Lookups.ActiveOrganisationsAsync(db, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await OpenAsync("person.team", ct))
            return NotFound();
        var (start, startError) = Start.Read("The start date");
        var (end, endError) = End.Read("The end date");
        if (OrganisationId is null || !await db.Organisations.AnyAsync(o => o.Id == OrganisationId && o.IsActive, ct))
            Errors["OrganisationId"] = "Select the organisation to add";
        if (string.IsNullOrWhiteSpace(Reason))
            Errors["Reason"] = "Say why the organisation is involved";
        else if (Reason.Trim().Length > 500)
            Errors["Reason"] = "The reason must be 500 characters or fewer";
        if (startError is not null)
            Errors["StartDate"] = startError;
        else if (start is null)
            Errors["StartDate"] = "Enter the date the involvement starts";
        if (endError is not null)
            Errors["EndDate"] = endError;
        else if (end is not null && start is not null && end < start)
            Errors["EndDate"] = "The end date must be the same as or after the start date";
        if (Errors.Count > 0)
        {
            Organisations = await Lookups.ActiveOrganisationsAsync(db, ct);
            return Page();
        }
        var reader = db.Reader;
        db.Involvements.Add(new Involvement
        {
            PersonId = Id,
            OrganisationId = OrganisationId!.Value,
            Source = InvolvementSource.Explicit,
            Reason = Reason!.Trim(),
            StartDate = start!.Value,
            EndDate = end,
            AddedByUserId = reader.UserId,
            AddedAt = clock.GetUtcNow(),
        });
        await Access.AuditWriteAsync(Id, AuditAction.Create, "person.team", ct);
        await db.SaveChangesAsync(ct);
        return BackToPerson();
    }

    /// <summary>An organisation ends its own involvement; that may end its access too.</summary>
    public async Task<IActionResult> OnPostEndAsync(Guid involvementId, CancellationToken ct)
    {
        if (!await OpenAsync("person.team", ct))
            return NotFound();
        var reader = db.Reader;
        var involvement = await db.Involvements.FirstOrDefaultAsync(i => i.Id == involvementId && i.PersonId == Id && i.OrganisationId == reader.OrganisationId, ct);
        if (involvement is null)
            return NotFound();
        // Ended at once: the last day it counted was yesterday, so access through it stops now.
        involvement.EndDate = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(-1);
        await Access.AuditWriteAsync(Id, AuditAction.Update, "person.team", ct);
        await db.SaveChangesAsync(ct);
        return await db.People.AnyAsync(p => p.Id == Id, ct) ? BackToPerson() : Redirect("/people");
    }
}
