using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>
/// The one predicate for restriction of processing (issue 16): the people whose data may be read
/// but not scored, listed or alerted on. Every process that profiles people (risk scoring,
/// early-warning alerts) filters its candidates through it, so a restriction cannot be honoured
/// in one place and forgotten in another.
/// </summary>
public static class RestrictedProcessing
{
    /// <summary>The ids of people under a restriction that has not been lifted; compose as <c>!db.RestrictedPeople().Contains(id)</c>.</summary>
    public static IQueryable<Guid> RestrictedPeople(this WaypointDbContext db) =>
        db.Set<ProcessingRestriction>().Where(Holds).Select(r => r.PersonId);

    /// <summary>Whether a restriction holds (not lifted): the predicate itself, for a compiled query to name (<c>.Where(RestrictedProcessing.Holds)</c>), as <see cref="RestrictedPeople"/> does.</summary>
    public static readonly System.Linq.Expressions.Expression<Func<ProcessingRestriction, bool>> Holds = r => r.LiftedAt == null;
}
