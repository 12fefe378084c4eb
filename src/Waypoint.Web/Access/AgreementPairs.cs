using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>
/// The (category, owner type) pairs a version of the sharing agreement lets reach a type of organisation, kept per
/// version and reader type for the whole process (issue 18: read as a collection in the person's open, its 20 rows for
/// a school multiplied the statement's rows by 20, half of the open's time in PostgreSQL, and the app materialised them).
/// The open reads which version is current in its own statement (one snapshot decides the person and the agreement);
/// the pairs of that version are then read here, once, by the version's id.
/// Exact because what they depend on never changes under a version's id: a version's rules are edited only while it is a
/// draft, which is never current (<c>AgreementDrafting</c>: a version that has been in force is never edited; publishing
/// saves the draft's rules and makes it current in one transaction), so a new agreement is a new id; a category's
/// restriction is written only when the category is first added (<c>ReferenceData</c>), and a rule cannot name a category
/// not yet added (a foreign key). Reading a version by its id, not as "the current one", gives the same pairs whenever the
/// read happens, even after a newer version has been published. A process, not a context: never state on the context.
/// </summary>
internal static class AgreementPairs
{
    /// <summary>Versions × organisation types kept at most before everything is dropped and read again (a publication a day would take years).</summary>
    private const int MaxKept = 1024;

    private static readonly ConcurrentDictionary<(Guid Version, OrganisationType ReaderType), FlowTable> Kept = new();

    /// <summary>
    /// The pairs of the agreement version <paramref name="version"/> for readers of <paramref name="readerType"/>, as the
    /// lookups and list parameters <see cref="AgreementFlows"/> reads (a pure function of the pairs: built once with them).
    /// </summary>
    public static async ValueTask<FlowTable> OfVersionAsync(
        WaypointDbContext db, Guid version, OrganisationType readerType, CancellationToken ct)
    {
        if (Kept.TryGetValue((version, readerType), out var kept))
            return kept;
        var read = await db.SharingRules.AsNoTracking()
            .Where(s => s.AgreementVersionId == version)
            .Where(SharedPredicates.RuleLetsOwnCategory(db, readerType))
            .Select(s => new { s.CategoryCode, s.OwnerType }).Distinct()
            .ToListAsync(ct);
        var table = new FlowTable(read.Select(p => (p.CategoryCode, p.OwnerType)));
        if (Kept.Count >= MaxKept)
            Kept.Clear();
        Kept[(version, readerType)] = table;
        return table;
    }
}
