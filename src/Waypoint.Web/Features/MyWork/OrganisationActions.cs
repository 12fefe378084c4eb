using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.MyWork;

/// <summary>One open action of the reader's organisation, with the child whose case it is on.</summary>
public sealed record OrganisationAction(Guid CaseId, Guid PersonId, string Child, string Description, DateOnly DueOn);

/// <summary>The reader's organisation's open actions on open cases it may see: how many, how many overdue, and the soonest due.</summary>
public sealed record OrganisationActions(int Open, int Overdue, IReadOnlyList<OrganisationAction> Soonest);

/// <summary>
/// My work's and home's "actions your organisation owns", read in three steps rather than one query
/// that asked the CaseAction filter (the Case filter, with the Person filter inside it) of every
/// action of the organisation and then again for each child's name: a county hub owns thousands of
/// open actions, and that query took 3 s (issue 18). First the organisation's open actions by case,
/// read past the filters as ids and counts only (nothing of them is shown yet); then which of those
/// cases are open and visible, through the Case filter, once a case; then the actions shown, by
/// those cases' ids, and their children's names through the Case filter. What is counted and shown is exactly what the filtered query gave.
/// </summary>
public static class OrganisationActionsQuery
{
    public static async Task<OrganisationActions> LoadAsync(WaypointDbContext db, DateOnly today, int take, CancellationToken ct)
    {
        var organisation = db.Reader.OrganisationId;
        var candidates = await db.Unfiltered<CaseAction>("the reader's organisation's own open actions, as case ids and due dates, before their cases are checked through the Case filter")
            .AsNoTracking().Where(a => a.OwnerOrganisationId == organisation && a.Status == CaseActionStatus.Open)
            .Select(a => new { a.CaseId, a.DueOn }).ToListAsync(ct);
        if (candidates.Count == 0)
            return new OrganisationActions(0, 0, []);
        var caseIds = candidates.Select(c => c.CaseId).Distinct().ToList();
        var visible = (await db.Cases.AsNoTracking().Where(c => caseIds.Contains(c.Id) && c.Status == CaseStatus.Open).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        var mine = candidates.Where(c => visible.Contains(c.CaseId)).ToList();
        if (mine.Count == 0)
            return new OrganisationActions(0, 0, []);
        // The soonest due, as the filtered query ordered them; ties broken by the action's id.
        var soonestCases = mine.OrderBy(c => c.DueOn).Take(take).Select(c => c.CaseId).Distinct().ToList();
        var lastDue = mine.OrderBy(c => c.DueOn).Take(take).Max(c => c.DueOn);
        // The actions themselves past the filters too, on cases the Case filter has just let through;
        // the children's names through the Case filter again, once a case (at most `take` of them).
        var rows = await db.Unfiltered<CaseAction>("the reader's organisation's open actions on cases the Case filter has just let through")
            .AsNoTracking().Where(a => soonestCases.Contains(a.CaseId) && a.OwnerOrganisationId == organisation && a.Status == CaseActionStatus.Open && a.DueOn <= lastDue)
            .OrderBy(a => a.DueOn).ThenBy(a => a.Id).Take(take)
            .Select(a => new { a.CaseId, a.Description, a.DueOn }).ToListAsync(ct);
        var children = await db.Cases.AsNoTracking().Where(c => soonestCases.Contains(c.Id))
            .Select(c => new { c.Id, c.PersonId, Name = c.Person!.GivenName + " " + c.Person.FamilyName }).ToDictionaryAsync(c => c.Id, ct);
        return new OrganisationActions(mine.Count, mine.Count(c => c.DueOn < today),
            rows.Where(r => children.ContainsKey(r.CaseId))
                .Select(r => new OrganisationAction(r.CaseId, children[r.CaseId].PersonId, children[r.CaseId].Name, r.Description, r.DueOn)).ToList());
    }
}
