using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Shared;

/// <summary>
/// Who the reader's own relationships name, read once a request, for the lists that would otherwise
/// ask the policy of every row of a county's table (issue 18): home's "can see N people", the alerts
/// inbox and the menu's alerts badge. The Person filter lets a reader see a person through its own
/// organisation's current enrolments and involvements, its own break-glass grants, or an area a
/// partnership function covers. A reader who holds no function (a school, an agency) can therefore
/// see only people the first three name: a few thousand among a county's register. Those ids narrow
/// a query; they never widen it: the query filters still decide which of them the reader sees, so a
/// list narrowed by them shows and counts exactly what the filtered list would.
/// A new basis in the Person filter must be added here too, or these lists undercount (they never overcount).
/// </summary>
public sealed class ReaderPeople(WaypointDbContext db, TimeProvider clock)
{
    private IReadOnlyList<PartnershipFunction>? functions;
    private (bool Read, IReadOnlyList<Guid>? Ids) candidates;

    /// <summary>The partnership functions the reader holds today (current grants).</summary>
    public async Task<IReadOnlyList<PartnershipFunction>> FunctionsAsync(CancellationToken ct = default)
    {
        if (functions is not null)
            return functions;
        var reader = db.Reader;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        functions = reader.IsSystem || reader.UserId == Guid.Empty ? [] : await db.PartnershipRoleGrants.AsNoTracking()
            .Where(g => g.UserId == reader.UserId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => g.Function).Distinct().ToListAsync(ct);
        return functions;
    }

    /// <summary>The candidates if this request has read them already (null otherwise, or when nothing narrows): for the menu's badge, which must not add statements to every page.</summary>
    public IReadOnlyList<Guid>? CandidatesIfRead => candidates.Read ? candidates.Ids : null;

    /// <summary>
    /// Every person the reader's own relationships name (a superset of those it may see), or null when
    /// the reader may see people beyond them (it holds a partnership function, or is the system) or
    /// sees no one (aggregates only): then nothing is narrowed.
    /// </summary>
    public async Task<IReadOnlyList<Guid>?> CandidatesAsync(CancellationToken ct = default)
    {
        if (candidates.Read)
            return candidates.Ids;
        var reader = db.Reader;
        IReadOnlyList<Guid>? ids = null;
        if (!reader.IsSystem && !reader.AggregatesOnly && (await FunctionsAsync(ct)).Count == 0)
        {
            var organisation = reader.OrganisationId;
            var userId = reader.UserId;
            var now = clock.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            // A day either side of today: the filter's own "current" decides; this only narrows.
            var (from, to) = (today.AddDays(-1), today.AddDays(1));
            var named = db.Unfiltered<Enrolment>("the reader's school's own current enrolments, as person ids that narrow a list the Person filter then decides")
                    .Where(e => e.SchoolId == organisation && e.StartDate <= to && (e.EndDate == null || e.EndDate >= from)).Select(e => e.PersonId)
                .Union(db.Unfiltered<Involvement>("the reader's organisation's own current involvements, as person ids that narrow a list the Person filter then decides")
                    .Where(i => i.OrganisationId == organisation && i.StartDate <= to && (i.EndDate == null || i.EndDate >= from)).Select(i => i.PersonId))
                .Union(db.BreakGlassGrants.Where(b => b.UserId == userId && b.ExpiresAt > now.AddDays(-1)).Select(b => b.PersonId));
            // A statement of its own, never mixed into the filtered query it narrows: EF reads every set of a
            // query past the filters once one of them is, so one query would count the narrowed list unfiltered.
            ids = await named.ToListAsync(ct);
        }
        candidates = (true, ids);
        return ids;
    }
}
