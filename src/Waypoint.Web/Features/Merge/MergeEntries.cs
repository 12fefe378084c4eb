using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Merge;

/// <summary>
/// What the administrator compares of one register entry before a merge. <see cref="Sex"/> is null
/// where the register's sex is not shown to the reader (<see cref="PersonAccess.ShowsRegisterSex(IReadOnlyList{AccessBasis}, AgreementFlows)"/>,
/// as on the person page): a pupil characteristic, not for every administrator.
/// </summary>
public sealed record MergeEntry(
    Guid Id, string Name, DateOnly? DateOfBirth, Sex? Sex, PersonKind Kind, string Ward, DateTimeOffset CreatedAt,
    IReadOnlyList<(IdentifierScheme Scheme, string Value)> Identifiers, IReadOnlyList<(string Kind, int Count)> Records);

/// <summary>
/// The partnership administrator's view of register entries for a merge: read past the policy
/// (an administrator is no one's practitioner, and a duplicate is often seen by no one whole),
/// each entry shown audited against its person.
/// </summary>
public static class MergeEntries
{
    public sealed record Candidate(Guid FirstId, string FirstName, Guid SecondId, string SecondName, DateOnly DateOfBirth);

    /// <summary>Pairs of entries the register's duplicate rules call alike: the same birthday, family-name start and given-name sound.</summary>
    public static async Task<IReadOnlyList<Candidate>> CandidatesAsync(WaypointDbContext db, AuditTrail audit, CancellationToken ct)
    {
        var people = db.Unfiltered<Person>("the merge page lists entries the duplicate rules call alike, for the partnership administrator to compare");
        var pairs = await (
                from a in people
                join b in people on new { a.DateOfBirth, a.SearchFamilyPrefix, a.GivenNameKey } equals new { b.DateOfBirth, b.SearchFamilyPrefix, b.GivenNameKey }
                where a.Id != b.Id && a.MergedIntoId == null && b.MergedIntoId == null && a.DateOfBirth != null && a.SearchFamilyPrefix != ""
                // Entries with the very same names first: the likeliest duplicates are never crowded out by the cap.
                orderby a.SearchFamilyName == b.SearchFamilyName && a.SearchGivenName == b.SearchGivenName descending, a.DateOfBirth, a.Id
                select new { FirstId = a.Id, FirstGiven = a.GivenName, FirstFamily = a.FamilyName, SecondId = b.Id, SecondGiven = b.GivenName, SecondFamily = b.FamilyName, DateOfBirth = a.DateOfBirth!.Value })
            .AsNoTracking().Take(200).ToListAsync(ct);
        var seen = new HashSet<(Guid, Guid)>();
        var candidates = pairs
            .Where(p => seen.Add(p.FirstId.CompareTo(p.SecondId) < 0 ? (p.FirstId, p.SecondId) : (p.SecondId, p.FirstId)))
            .Take(50)
            .Select(p => new Candidate(p.FirstId, $"{p.FirstGiven} {p.FirstFamily}", p.SecondId, $"{p.SecondGiven} {p.SecondFamily}", p.DateOfBirth))
            .ToList();
        await audit.RecordAsync(candidates.SelectMany(c => new[] { c.FirstId, c.SecondId }).Distinct()
            .Select(id => new AuditEvent(id, AuditAction.ListedInSearch, "person.merge candidates", "partnership administrator")).ToList(), ct);
        return candidates;
    }

    public static async Task<MergeEntry?> LoadAsync(WaypointDbContext db, AuditTrail audit, PersonMerger merger, Guid id, CancellationToken ct)
    {
        var person = await db.Unfiltered<Person>("a partnership administrator compares two register entries before merging them")
            .AsNoTracking().Where(p => p.Id == id && p.MergedIntoId == null)
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.DateOfBirth, p.Sex, p.Kind, Ward = p.Area!.Name, p.CreatedAt })
            .SingleOrDefaultAsync(ct);
        if (person is null)
            return null;
        var identifiers = await db.Unfiltered<PersonIdentifier>("a partnership administrator compares two register entries' identifiers before merging them")
            .AsNoTracking().Where(i => i.PersonId == id).OrderBy(i => i.Scheme).ThenBy(i => i.Value)
            .Select(i => new { i.Scheme, i.Value }).ToListAsync(ct);
        var records = (await merger.CountsAsync(id, ct))
            .GroupBy(c => c.Table).Select(g => (PersonMerger.Describe(g.Key), g.Sum(c => c.Count))).ToList();
        await audit.RecordAsync(new AuditEvent(id, AuditAction.Read, "person.merge comparison", "partnership administrator"), ct);
        // The register's sex as the person page decides it: the reader's own bases on this person, and what the agreement lets reach them.
        var showsSex = PersonAccess.ShowsRegisterSex(await AccessPolicy.ExplainAsync(db, id, ct), await AccessPolicy.FlowsToReaderAsync(db, ct));
        return new MergeEntry(person.Id, $"{person.GivenName} {person.FamilyName}", person.DateOfBirth, showsSex ? person.Sex : null, person.Kind, person.Ward, person.CreatedAt,
            identifiers.Select(i => (i.Scheme, i.Value)).ToList(), records);
    }
}
