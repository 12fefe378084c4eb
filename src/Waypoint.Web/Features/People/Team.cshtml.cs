using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Shell;

namespace Waypoint.Features.People;

/// <summary>
/// Explicit involvement: an organisation added to a person's team with a reason, a start and an
/// end. It is one of the relationships the access policy recognises, so it is a grant, made only
/// under <see cref="GrantRules"/>.
/// </summary>
public sealed class TeamModel(WaypointDbContext db, PersonAccess access, GrantRules grants, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty] public Guid? OrganisationId { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();
    public IReadOnlyList<Choice> Organisations { get; private set; } = [];

    /// <summary>Set when the page asks the reader to confirm ending their organisation's involvement.</summary>
    public Choice? Ending { get; private set; }

    [BindProperty] public bool Confirmed { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Grant, "person.team", ct) is { } refused)
            return refused;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Start = DateInput.From(today);
        End = DateInput.From(today.AddMonths(GrantRules.MaxSpanMonths).AddDays(-1));
        Organisations = await OthersAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Grant, "person.team", ct) is { } refused)
            return refused;
        var (start, startError) = Start.Read("The start date");
        var (end, endError) = End.Read("The end date");
        var errors = await grants.AddToTeamAsync(Opened!, OrganisationId, Reason, start, end, ct);
        foreach (var (k, v) in errors)
            Errors[k] = v;
        if (startError is not null)
            Errors["StartDate"] = startError;
        if (endError is not null)
            Errors["EndDate"] = endError;
        if (Errors.Count > 0)
        {
            Organisations = await OthersAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = "The organisation was added to the team until " + end!.Value.ToString("d MMMM yyyy");
        return BackToPerson(PersonSection.Family);
    }

    /// <summary>
    /// An organisation ends its own involvement, which may end its access too: first the page asks
    /// the reader to confirm, then (with <see cref="Confirmed"/>) it ends.
    /// </summary>
    public async Task<IActionResult> OnPostEndAsync(Guid involvementId, CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Read, "person.team", ct) is { } refused)
            return refused;
        if (!Confirmed)
        {
            if (await grants.OwnTeamGrantAsync(Opened!, involvementId, ct) is not { } organisation)
                return NotFound();
            Ending = new Choice(involvementId, organisation);
            return Page();
        }
        if (!await grants.EndOwnTeamGrantAsync(Opened!, involvementId, ct))
            return NotFound();
        TempData["Confirmation"] = "Your organisation has left the team";
        return await db.People.AnyAsync(p => p.Id == Id, ct) ? BackToPerson(PersonSection.Family) : Redirect("/people");
    }

    private async Task<IReadOnlyList<Choice>> OthersAsync(CancellationToken ct) =>
        (await Lookups.ActiveOrganisationsAsync(db, ct)).Where(o => o.Id != db.Reader.OrganisationId).ToList();
}
