using Microsoft.EntityFrameworkCore;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Police;

/// <summary>A likely match by the register's duplicate rules, with how well the name agreed (0 to 1).</summary>
public sealed record LikelyMatch(Guid PersonId, double NameScore);

/// <summary>
/// The register's duplicate rules for a name a police file gave: the same date of birth and a
/// name person search scores as likely. The caller chooses whose people it looks among: the import
/// every person (to suggest a candidate to the reviewer), the review page only those the reader may see.
/// </summary>
public static class OccurrenceMatching
{
    public static async Task<IReadOnlyList<LikelyMatch>> LikelyMatchesAsync(IQueryable<Person> people, string givenName, string familyName, DateOnly dob, CancellationToken ct)
    {
        string given = NameKeys.Normalise(givenName), family = NameKeys.Normalise(familyName);
        string familyKey = NameKeys.Key(familyName), givenKey = NameKeys.Key(givenName), familyPrefix = NameKeys.Prefix(family), givenPrefix = NameKeys.Prefix(given);
        var candidates = await people.AsNoTracking()
            .Where(p => p.DateOfBirth == dob && (p.FamilyNameKey == familyKey || p.FamilyNameKey == givenKey || p.SearchFamilyPrefix == familyPrefix || p.SearchFamilyPrefix == givenPrefix))
            // Those with the same family-name key first, so that a common prefix never crowds the closest out of the 50.
            .OrderByDescending(p => p.FamilyNameKey == familyKey).ThenBy(p => p.Id)
            .Select(p => new { p.Id, p.SearchGivenName, p.SearchFamilyName }).Take(50).ToListAsync(ct);
        return candidates.Select(c => new LikelyMatch(c.Id, PersonSearch.Score(given, family, c.SearchGivenName, c.SearchFamilyName)))
            .Where(c => c.NameScore >= PersonSearch.MinimumScore).OrderByDescending(c => c.NameScore).ToList();
    }
}
