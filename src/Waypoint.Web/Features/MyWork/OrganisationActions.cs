using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.MyWork;

/// <summary>One open action of the reader's organisation, with the child whose case it is on.</summary>
public sealed record OrganisationAction(Guid CaseId, Guid PersonId, string Child, string Description, DateOnly DueOn);

/// <summary>
/// The reader's organisation's open actions on open cases it may see: how many, how many overdue, and the soonest due.
/// The counts go as far as the caller asked (<c>countUpTo</c>): past it, <see cref="Open"/> is one more than the bound and
/// <see cref="MoreThanCounted"/> says so (and so does <see cref="Overdue"/>, when it too reached the bound).
/// </summary>
public sealed record OrganisationActions(int Open, int Overdue, IReadOnlyList<OrganisationAction> Soonest, bool MoreThanCounted = false);

/// <summary>
/// My work's and home's "actions your organisation owns". Not one query asking the CaseAction filter
/// (the Case filter, with the Person filter inside it) of every action of the organisation: a county
/// hub owns open actions on every open case, and that took 3 s (issue 18); nor the check of every one
/// of those cases through the Case filter (thousands of cases, 150–300 ms a page). Instead the
/// organisation's open actions are read past the filters as ids, case ids and due dates only,
/// soonest due first (nothing of them is shown yet); their cases are then put to the Case filter in
/// that order, a batch at a time (with the child's name, in the same filtered statement), only until
/// the list is full and the count has reached its bound; then the actions shown are read by their ids.
/// What is counted and shown is exactly what the filtered query gave, up to the bound.
/// </summary>
public static class OrganisationActionsQuery
{
    /// <param name="take">How many of the soonest due to list.</param>
    /// <param name="countUpTo">How far to count (0: no further than the list); past it the counts stop at one more.</param>
    public static async Task<OrganisationActions> LoadAsync(WaypointDbContext db, DateOnly today, int take, CancellationToken ct, int countUpTo = 0)
    {
        var organisation = db.Reader.OrganisationId;
        var wanted = Math.Max(take, countUpTo == int.MaxValue ? int.MaxValue : countUpTo + 1);
        // Read past the filters a chunk at a time along CaseActions (OwnerOrganisationId, Status, DueOn), as far as the walk goes.
        var open = db.Unfiltered<CaseAction>("the reader's organisation's own open actions, as ids, case ids and due dates, before their cases are checked through the Case filter")
            .AsNoTracking().Where(a => a.OwnerOrganisationId == organisation && a.Status == CaseActionStatus.Open)
            .OrderBy(a => a.DueOn).ThenBy(a => a.Id)
            .Select(a => new Candidate(a.Id, a.CaseId, a.DueOn));
        var candidates = new List<Candidate>();
        // The first chunk a quarter more than wanted: an organisation's own open actions are nearly all on cases it may see
        // (it is in their teams), so a county hub's first chunk of 404 rows for home's and My work's 101 was three quarters
        // unread (1.0–1.3 ms a visit at county scale under load, mostly rows sent; wave 24d). Where too few pass, the next is
        // four times larger.
        var (chunk, exhausted) = (wanted > 100_000 ? int.MaxValue : wanted + wanted / 4 + 8, false);
        // Walk the actions soonest first, checking their cases through the Case filter a batch at a time,
        // until the list is full and the count has passed its bound (or every action is walked).
        var children = new Dictionary<Guid, (Guid PersonId, string Name)>();
        var checkedCases = new HashSet<Guid>();
        var shown = new List<(Guid Id, Guid CaseId)>();
        var (counted, overdue, batch) = (0, 0, wanted);
        for (var next = 0; counted < wanted; next++)
        {
            if (next == candidates.Count)
            {
                if (exhausted)
                    break;
                var read = await open.Skip(candidates.Count).Take(chunk).ToListAsync(ct);
                candidates.AddRange(read);
                (exhausted, chunk) = (read.Count < chunk, chunk > int.MaxValue / 4 ? int.MaxValue : chunk * 4);
                if (read.Count == 0)
                    break;
            }
            var candidate = candidates[next];
            if (!checkedCases.Contains(candidate.CaseId))
            {
                var cases = candidates.Skip(next).Select(c => c.CaseId).Where(id => !checkedCases.Contains(id)).Distinct().Take(batch).ToList();
                // A statement of its own, through the Case filter: never mixed with the read past the filters above.
                var visible = await db.Cases.AsNoTracking().Where(c => cases.Contains(c.Id) && c.Status == CaseStatus.Open)
                    .Select(c => new { c.Id, c.PersonId, Name = c.Person!.GivenName + " " + c.Person.FamilyName }).ToListAsync(ct);
                foreach (var c in visible)
                    children[c.Id] = (c.PersonId, c.Name);
                checkedCases.UnionWith(cases);
                batch = batch > int.MaxValue / 4 ? int.MaxValue : batch * 4;
            }
            if (!children.ContainsKey(candidate.CaseId))
                continue;
            counted++;
            if (candidate.DueOn < today)
                overdue++;
            if (shown.Count < take)
                shown.Add((candidate.Id, candidate.CaseId));
        }
        if (shown.Count == 0)
            return new OrganisationActions(0, 0, []);
        // The actions shown, by their ids, past the filters too: their cases were let through by the Case filter just now.
        var ids = shown.Select(s => s.Id).ToList();
        var descriptions = await db.Unfiltered<CaseAction>("the reader's organisation's open actions shown, by id, on cases the Case filter has just let through")
            .AsNoTracking().Where(a => ids.Contains(a.Id)).Select(a => new { a.Id, a.Description, a.DueOn }).ToDictionaryAsync(a => a.Id, ct);
        var rows = shown.Where(s => descriptions.ContainsKey(s.Id))
            .Select(s => new OrganisationAction(s.CaseId, children[s.CaseId].PersonId, children[s.CaseId].Name, descriptions[s.Id].Description, descriptions[s.Id].DueOn))
            .ToList();
        return new OrganisationActions(counted, overdue, rows, MoreThanCounted: countUpTo > 0 && counted > countUpTo);
    }

    private sealed record Candidate(Guid Id, Guid CaseId, DateOnly DueOn);
}
