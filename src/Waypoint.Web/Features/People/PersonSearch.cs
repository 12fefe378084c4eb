using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record PersonSearchQuery(string? Name, DateOnly? DateOfBirth, string? Identifier, int Limit = 25)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Name) && DateOfBirth is null && string.IsNullOrWhiteSpace(Identifier);
}

public sealed record PersonSearchHit(Guid Id, PersonKind Kind, string GivenName, string FamilyName, DateOnly? DateOfBirth, string Ward, double Score);

/// <summary>
/// Search by name (tolerant of typos and spelling variants), date of birth and identifier.
/// It runs on <see cref="WaypointDbContext.People"/>, so the access policy's query filter
/// decides who can be found; callers audit the people they show.
/// </summary>
public static class PersonSearch
{
    private const int CandidateLimit = 400;
    internal const double MinimumScore = 0.72;

    public static async Task<IReadOnlyList<PersonSearchHit>> SearchAsync(WaypointDbContext db, PersonSearchQuery query, CancellationToken ct = default)
    {
        if (query.IsEmpty)
            return [];
        var search = Candidates(db.People.AsNoTracking(), query);
        var candidates = await search.Query.ToListAsync(ct);

        return candidates
            .Select(c => new PersonSearchHit(c.Id, c.Kind, c.GivenName, c.FamilyName, c.DateOfBirth, c.Ward,
                Score(search.Given, search.Family, c.SearchGivenName, c.SearchFamilyName)))
            .Where(h => search.Words == 0 || h.Score >= MinimumScore)
            .OrderByDescending(h => h.Score).ThenBy(h => h.FamilyName).ThenBy(h => h.GivenName)
            .Take(query.Limit)
            .ToList();
    }

    internal sealed record Candidate(Guid Id, PersonKind Kind, string GivenName, string FamilyName, string SearchGivenName, string SearchFamilyName, DateOnly? DateOfBirth, string Ward);

    /// <summary>The database half of a search: the candidate query, and the name words the candidates are scored against.</summary>
    internal sealed record CandidateSearch(IQueryable<Candidate> Query, string? Given, string? Family, int Words);

    /// <summary>
    /// The candidates for a query among <paramref name="people"/>. The search passes the filtered
    /// set; the benchmark (bench/) also passes the unfiltered one, to price the policy.
    /// </summary>
    internal static CandidateSearch Candidates(IQueryable<Person> people, PersonSearchQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Identifier))
        {
            var value = query.Identifier.Trim().ToUpperInvariant();
            people = people.Where(p => p.Identifiers.Any(i => i.Value == value));
        }
        if (query.DateOfBirth is { } dob)
            people = people.Where(p => p.DateOfBirth == dob);

        var words = NameKeys.Normalise(query.Name).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? given = null, family = null;
        if (words.Length == 1)
        {
            var w = words[0];
            var key = NameKeys.Key(w);
            var prefix = NameKeys.Prefix(w);
            people = people.Where(p => p.FamilyNameKey == key || p.GivenNameKey == key
                || p.SearchFamilyName.StartsWith(prefix) || p.SearchGivenName.StartsWith(prefix));
            family = w;
        }
        else if (words.Length > 1)
        {
            given = words[0];
            family = words[^1];
            var gk = NameKeys.Key(given);
            var fk = NameKeys.Key(family);
            var gp = given[..1];
            var fp = NameKeys.Prefix(family);
            // Either order: people often type "Smith John".
            people = people.Where(p =>
                ((p.FamilyNameKey == fk || p.SearchFamilyName.StartsWith(fp)) && (p.GivenNameKey == gk || p.SearchGivenName.StartsWith(gp)))
                || ((p.FamilyNameKey == gk || p.SearchFamilyName.StartsWith(given)) && (p.GivenNameKey == fk || p.SearchGivenName.StartsWith(family))));
        }

        var candidates = people
            .OrderBy(p => p.SearchFamilyName).ThenBy(p => p.SearchGivenName)
            .Take(CandidateLimit)
            .Select(p => new Candidate(p.Id, p.Kind, p.GivenName, p.FamilyName, p.SearchGivenName, p.SearchFamilyName, p.DateOfBirth, p.Area!.Name));
        return new CandidateSearch(candidates, given, family, words.Length);
    }

    internal static double Score(string? given, string? family, string candidateGiven, string candidateFamily)
    {
        if (family is null)
            return 1;
        if (given is null)
            return Math.Max(NameKeys.Similarity(family, candidateFamily), NameKeys.Similarity(family, candidateGiven));
        var straight = (NameKeys.Similarity(given, candidateGiven) + NameKeys.Similarity(family, candidateFamily)) / 2;
        var swapped = (NameKeys.Similarity(given, candidateFamily) + NameKeys.Similarity(family, candidateGiven)) / 2;
        var soundsAlike = NameKeys.Key(family) == NameKeys.Key(candidateFamily) && NameKeys.Key(given) == NameKeys.Key(candidateGiven) ? 0.1 : 0;
        return Math.Min(1, Math.Max(straight, swapped) + soundsAlike);
    }
}
