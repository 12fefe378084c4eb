using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record PersonSearchQuery(string? Name, DateOnly? DateOfBirth, string? Identifier, int Limit = 25)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Name) && DateOfBirth is null && string.IsNullOrWhiteSpace(Identifier);
}

public sealed record PersonSearchHit(Guid Id, PersonKind Kind, string GivenName, string FamilyName, DateOnly? DateOfBirth, string Ward, double Score);

/// <summary>One result of the search page: the person, why they matched, and (for a pupil the reader may see enrolled) their school now.</summary>
public sealed record PersonSearchResult(PersonSearchHit Hit, string Why, string? School)
{
    /// <summary>Age in whole years on the given day, or null when the date of birth is not known.</summary>
    public int? AgeOn(DateOnly today) => Hit.DateOfBirth is { } dob ? Ages.On(dob, today) : null;
}

/// <summary>
/// A page of results and how many there are in all: exact up to <see cref="PersonSearch.CountLimit"/>
/// candidates; beyond that <see cref="MoreThan"/> is true and the page says "more than".
/// </summary>
public sealed record PersonSearchPage(IReadOnlyList<PersonSearchResult> Results, int Total, bool MoreThan, int Skip);

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

    /// <summary>The most candidates a counted search scores; a name matching more is asked to be narrowed.</summary>
    public const int CountLimit = 2000;

    /// <summary>
    /// Every person the query finds (scored as <see cref="SearchAsync"/> scores them, best first), counted
    /// truly up to <see cref="CountLimit"/> candidates; the page asked for, with why each matched and
    /// the school each is enrolled at now where the reader may see the enrolment.
    /// </summary>
    public static async Task<PersonSearchPage> PageAsync(WaypointDbContext db, PersonSearchQuery query, int skip, int take, DateOnly today, CancellationToken ct = default)
    {
        if (query.IsEmpty)
            return new PersonSearchPage([], 0, false, 0);
        var search = Candidates(db.People.AsNoTracking(), query, CountLimit + 1);
        var candidates = await search.Query.ToListAsync(ct);
        var moreThan = candidates.Count > CountLimit;
        var scored = candidates.Take(CountLimit)
            .Select(c => (Candidate: c, Hit: new PersonSearchHit(c.Id, c.Kind, c.GivenName, c.FamilyName, c.DateOfBirth, c.Ward,
                Score(search.Given, search.Family, c.SearchGivenName, c.SearchFamilyName))))
            .Where(h => search.Words == 0 || h.Hit.Score >= MinimumScore)
            .OrderByDescending(h => h.Hit.Score).ThenBy(h => h.Hit.FamilyName).ThenBy(h => h.Hit.GivenName).ThenBy(h => h.Hit.Id)
            .ToList();
        skip = Math.Clamp(skip, 0, Math.Max(0, scored.Count - 1));
        var page = scored.Skip(skip).Take(take).ToList();
        var ids = page.Select(h => h.Hit.Id).ToList();
        // The enrolment filter decides whether the reader may know the school.
        var schools = (await db.Enrolments.AsNoTracking()
                .Where(e => ids.Contains(e.PersonId) && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                .OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate)
                .Select(e => new { e.PersonId, e.School!.Name, e.School.Urn }).ToListAsync(ct))
            .GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => g.First().Urn is { } urn ? $"{g.First().Name} (URN {urn})" : g.First().Name);
        var results = page.Select(h => new PersonSearchResult(h.Hit, Why(query, search, h.Candidate), schools.GetValueOrDefault(h.Hit.Id))).ToList();
        return new PersonSearchPage(results, scored.Count, moreThan, skip);
    }

    /// <summary>Why a candidate matched, in the words a caseworker would use.</summary>
    private static string Why(PersonSearchQuery query, CandidateSearch search, Candidate c)
    {
        var reasons = new List<string>();
        if (search.Family is { } family)
        {
            var typed = search.Given is { } given ? new[] { given, family } : [family];
            var names = new[] { c.SearchGivenName, c.SearchFamilyName };
            if (typed.All(t => names.Contains(t)))
                reasons.Add("name");
            else if (typed.All(t => names.Any(n => NameKeys.Key(n) == NameKeys.Key(t))))
                reasons.Add("name sounds alike");
            else if (typed.All(t => names.Any(n => n.StartsWith(t, StringComparison.Ordinal))))
                reasons.Add("name starts with what you typed");
            else
                reasons.Add("name spelled similarly");
        }
        if (query.DateOfBirth is not null)
            reasons.Add("date of birth");
        if (!string.IsNullOrWhiteSpace(query.Identifier))
            reasons.Add("identifier");
        var text = string.Join(", ", reasons);
        return text.Length == 0 ? "" : char.ToUpperInvariant(text[0]) + text[1..];
    }

    internal sealed record Candidate(Guid Id, PersonKind Kind, string GivenName, string FamilyName, string SearchGivenName, string SearchFamilyName, DateOnly? DateOfBirth, string Ward);

    /// <summary>The database half of a search: the candidate query, and the name words the candidates are scored against.</summary>
    internal sealed record CandidateSearch(IQueryable<Candidate> Query, string? Given, string? Family, int Words);

    /// <summary>
    /// The candidates for a query among <paramref name="people"/>. The search passes the filtered
    /// set; the benchmark (bench/) also passes the unfiltered one, to price the policy.
    /// </summary>
    internal static CandidateSearch Candidates(IQueryable<Person> people, PersonSearchQuery query, int limit = CandidateLimit)
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
            .Take(limit)
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
