using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

public sealed record OpenedPerson(Person Person, IReadOnlyList<AccessBasis> Bases);

/// <summary>
/// The gate for person-level reads by pages and the API: opens one person (404 and an audited
/// refusal when the policy hides them) and audits every person that a list or search shows.
/// </summary>
public sealed class PersonAccess(WaypointDbContext db, AuditTrail audit)
{
    /// <summary>The person, or null (a 404 for the caller) when the reader may not see them; both outcomes are audited.</summary>
    public async Task<Person?> OpenAsync(Guid personId, string subject, CancellationToken ct = default) =>
        (await OpenExplainedAsync(personId, subject, ct))?.Person;

    /// <summary>As <see cref="OpenAsync"/>, with the bases the audit row recorded (for "why you can see this").</summary>
    public async Task<OpenedPerson?> OpenExplainedAsync(Guid personId, string subject, CancellationToken ct = default)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            await audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, "no relationship"), ct);
            return null;
        }
        var bases = await AccessPolicy.ExplainAsync(db, personId, ct);
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Read, subject, DescribeBasis(bases)), ct);
        return new OpenedPerson(person, bases);
    }

    /// <summary>Records that the people shown in a list or search result were read, each with its basis.</summary>
    public async Task AuditListedAsync(IReadOnlyCollection<Guid> personIds, string subject, CancellationToken ct = default)
    {
        if (personIds.Count == 0)
            return;
        var bases = await AccessPolicy.ExplainManyAsync(db, personIds, ct);
        var events = personIds.Distinct()
            .Select(id => new AuditEvent(id, AuditAction.ListedInSearch, subject, DescribeBasis(bases.GetValueOrDefault(id) ?? [])))
            .ToList();
        await audit.RecordAsync(events, ct);
    }

    /// <summary>Records a refused look at something of a person's (a report, a case) that the reader's relationships do not reach.</summary>
    public Task AuditDeniedAsync(Guid personId, string subject, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, "no relationship"), ct);

    /// <summary>
    /// Stages the audit row of a change to a person's data (create, update): call it before the
    /// SaveChanges that makes the change, which then saves both in one transaction, or neither.
    /// </summary>
    public async Task AuditWriteAsync(Guid personId, AuditAction action, string subject, CancellationToken ct = default)
    {
        var bases = await AccessPolicy.ExplainAsync(db, personId, ct);
        var basis = DescribeBasis(bases);
        // A record created in this save (a person just registered) has its relationship only once saved.
        if (bases.Count == 0)
            audit.StageWrite(new AuditEvent(personId, action, subject, basis), async c => DescribeBasis(await AccessPolicy.ExplainAsync(db, personId, c)));
        else
            audit.StageWrite(new AuditEvent(personId, action, subject, basis));
    }

    private static string DescribeBasis(IReadOnlyList<AccessBasis> bases) =>
        bases.Count == 0 ? "none" : string.Join(", ", bases.Select(b => b.AuditLabel).Distinct());
}
