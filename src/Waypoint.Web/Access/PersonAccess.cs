using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>
/// A person the current reader has opened through the access policy, with the bases the audit row
/// recorded. It can only be made by <see cref="OpenAsync"/>, which applies the policy and audits
/// the look, so a service that takes an <see cref="OpenedPerson"/> knows the caller has checked:
/// the compiler, not a comment, enforces it.
/// </summary>
public sealed class OpenedPerson
{
    private OpenedPerson(Person person, IReadOnlyList<AccessBasis> bases)
    {
        Person = person;
        Bases = bases;
    }

    public Person Person { get; }
    public IReadOnlyList<AccessBasis> Bases { get; }
    public Guid Id => Person.Id;

    /// <summary>Opens a person for the current reader: null (a 404 for the caller) when the policy hides them; both outcomes are audited.</summary>
    internal static async Task<OpenedPerson?> OpenAsync(WaypointDbContext db, AuditTrail audit, Guid personId, string subject, CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            await audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, "no relationship"), ct);
            return null;
        }
        var bases = await AccessPolicy.ExplainAsync(db, personId, ct);
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Read, subject, PersonAccess.DescribeBasis(bases)), ct);
        return new OpenedPerson(person, bases);
    }
}

/// <summary>
/// The gate for person-level data used by pages and the API: opens one person (404 and an audited
/// refusal when the policy hides them), decides the named operations on an opened person (read,
/// write, grant; <see cref="PersonOperations"/>) and audits the people every list or search shows.
/// </summary>
public sealed class PersonAccess(WaypointDbContext db, AuditTrail audit, IAuthorizationService authorization, IHttpContextAccessor http)
{
    /// <summary>The person, or null (a 404 for the caller) when the reader may not see them; both outcomes are audited.</summary>
    public async Task<Person?> OpenAsync(Guid personId, string subject, CancellationToken ct = default) =>
        (await OpenExplainedAsync(personId, subject, ct))?.Person;

    /// <summary>As <see cref="OpenAsync"/>, with the bases the audit row recorded (for "why you can see this").</summary>
    public Task<OpenedPerson?> OpenExplainedAsync(Guid personId, string subject, CancellationToken ct = default) =>
        OpenedPerson.OpenAsync(db, audit, personId, subject, ct);

    /// <summary>
    /// Opens a person for an operation: <see cref="AccessOutcome.NotFound"/> (audited as Denied) when
    /// the reader may not see them, <see cref="AccessOutcome.Forbidden"/> when they may see but not do
    /// this (a break-glass reader writing, say), otherwise the opened person.
    /// </summary>
    public async Task<(AccessOutcome Outcome, OpenedPerson? Person)> OpenForAsync(Guid personId, PersonOperation operation, string subject, CancellationToken ct = default)
    {
        var opened = await OpenExplainedAsync(personId, subject, ct);
        if (opened is null)
            return (AccessOutcome.NotFound, null);
        return await MayAsync(opened, operation) ? (AccessOutcome.Allowed, opened) : (AccessOutcome.Forbidden, opened);
    }

    /// <summary>Whether the reader may do the operation on a person they have opened (the authorization handlers decide).</summary>
    public async Task<bool> MayAsync(OpenedPerson person, PersonOperation operation)
    {
        var user = http.HttpContext?.User;
        if (user is null)
            return db.ReaderIsSystem;
        return (await authorization.AuthorizeAsync(user, person, operation)).Succeeded;
    }

    /// <summary>Records that the people shown in a list or search result were read, each with its basis.</summary>
    public Task AuditListedAsync(IReadOnlyCollection<Guid> personIds, string subject, CancellationToken ct = default) =>
        AuditShownAsync(personIds, AuditAction.ListedInSearch, subject, ct);

    /// <summary>
    /// Records that the people a many-person document showed in detail (a meeting's pack: Read; its
    /// PDF: Export) were read, each with its basis, in one append.
    /// </summary>
    public async Task AuditShownAsync(IReadOnlyCollection<Guid> personIds, AuditAction action, string subject, CancellationToken ct = default)
    {
        if (personIds.Count == 0)
            return;
        var bases = await AccessPolicy.ExplainManyAsync(db, personIds, ct);
        var events = personIds.Distinct()
            .Select(id => new AuditEvent(id, action, subject, DescribeBasis(bases.GetValueOrDefault(id) ?? [])))
            .ToList();
        await audit.RecordAsync(events, ct);
    }

    /// <summary>Records a refused look at something of a person's (a report, a case) that the reader's relationships do not reach.</summary>
    public Task AuditDeniedAsync(Guid personId, string subject, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, "no relationship"), ct);

    /// <summary>Records that a duplicate check touched someone the reader was not shown (an identifier already held).</summary>
    public Task AuditDuplicateCheckAsync(Guid personId, string subject, CancellationToken ct = default) =>
        audit.RecordAsync(new AuditEvent(personId, AuditAction.DuplicateCheck, subject, "duplicate check"), ct);

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

    internal static string DescribeBasis(IReadOnlyList<AccessBasis> bases) =>
        bases.Count == 0 ? "none" : string.Join(", ", bases.Select(b => b.AuditLabel).Distinct());
}

public enum AccessOutcome
{
    Allowed,
    NotFound,
    Forbidden,
}
