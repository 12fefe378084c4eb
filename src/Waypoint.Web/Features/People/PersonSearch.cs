using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record PersonSearchQuery(string? Name, DateOnly? DateOfBirth, string? Identifier, int Limit = 25)
{
    /// <summary>Only pupils the reader may see enrolled at this school now (the Enrolment filter decides).</summary>
    public Guid? SchoolId { get; init; }

    /// <summary>Only young people, or only adults (family members).</summary>
    public PersonKind? Kind { get; init; }

    /// <summary>Only people with a case open that the reader may see.</summary>
    public bool HasOpenCase { get; init; }

    /// <summary>Only people with an early-warning alert not yet closed that the reader may see.</summary>
    public bool HasOpenAlerts { get; init; }

    public PersonSearchSort Sort { get; init; }

    /// <summary>Whether a name, date of birth or identifier was given.</summary>
    public bool HasTerms => !string.IsNullOrWhiteSpace(Name) || DateOfBirth is not null || !string.IsNullOrWhiteSpace(Identifier);

    /// <summary>
    /// Nothing to search by: no term and no filter that narrows (a school, an open case, open alerts).
    /// The kind alone does not narrow: "every young person" is a list of everyone, not a search.
    /// </summary>
    public bool IsEmpty => !HasTerms && SchoolId is null && !HasOpenCase && !HasOpenAlerts;
}

/// <summary>The orders a search's results can be listed in.</summary>
public enum PersonSearchSort
{
    /// <summary>The closest names first (by family name where the match is as close).</summary>
    BestMatch,
    Name,
    YoungestFirst,
    OldestFirst,
    School,
}

public sealed record PersonSearchHit(Guid Id, PersonKind Kind, string GivenName, string FamilyName, DateOnly? DateOfBirth, string Ward, double Score);

/// <summary>
/// One result of the search page: the person, why they matched, (for a pupil the reader may see
/// enrolled) their school now, and the open work on them the reader may see.
/// </summary>
public sealed record PersonSearchResult(PersonSearchHit Hit, string Why, string? School, bool OpenCase = false, int OpenAlerts = 0)
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
        var search = Candidates(Narrowed(db, query, db.Today), query);
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
        var search = Candidates(Narrowed(db, query, today), query, CountLimit + 1);
        var candidates = await search.Query.ToListAsync(ct);
        var moreThan = candidates.Count > CountLimit;
        var scored = candidates.Take(CountLimit)
            .Select(c => (Candidate: c, Hit: new PersonSearchHit(c.Id, c.Kind, c.GivenName, c.FamilyName, c.DateOfBirth, c.Ward,
                Score(search.Given, search.Family, c.SearchGivenName, c.SearchFamilyName))))
            .Where(h => search.Words == 0 || h.Hit.Score >= MinimumScore)
            .ToList();
        // Sorting by school needs every result's school; any other order only the page's.
        var schools = query.Sort == PersonSearchSort.School ? await SchoolsNowAsync(db, scored.Select(h => h.Hit.Id).ToList(), today, ct) : null;
        var ordered = Order(scored, query.Sort, h => h.Hit, schools).ToList();
        skip = Math.Clamp(skip, 0, Math.Max(0, ordered.Count - 1));
        var page = ordered.Skip(skip).Take(take).ToList();
        var ids = page.Select(h => h.Hit.Id).ToList();
        schools ??= await SchoolsNowAsync(db, ids, today, ct);
        // Open work as the Case and Alert filters let the reader see it: a case or alert hidden from them is not hinted at.
        HashSet<Guid> openCases = ids.Count == 0 ? [] : (await db.Cases.AsNoTracking().Where(c => ids.Contains(c.PersonId) && c.Status == CaseStatus.Open)
            .Select(c => c.PersonId).Distinct().ToListAsync(ct)).ToHashSet();
        Dictionary<Guid, int> openAlerts = ids.Count == 0 ? [] : await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.PersonId) && a.Status != AlertStatus.Closed)
            .GroupBy(a => a.PersonId).Select(g => new { PersonId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.PersonId, g => g.Count, ct);
        var results = page.Select(h => new PersonSearchResult(h.Hit, Why(query, search, h.Candidate), schools.GetValueOrDefault(h.Hit.Id),
            openCases.Contains(h.Hit.Id), openAlerts.GetValueOrDefault(h.Hit.Id))).ToList();
        return new PersonSearchPage(results, ordered.Count, moreThan, skip);
    }

    /// <summary>Results in the order asked for; ties broken by name, then id, so that pages never overlap.</summary>
    private static IEnumerable<T> Order<T>(IEnumerable<T> items, PersonSearchSort sort, Func<T, PersonSearchHit> hit, IReadOnlyDictionary<Guid, string>? schools)
    {
        var sorted = sort switch
        {
            PersonSearchSort.Name => items.OrderBy(_ => 0),
            // Not known dates of birth last whichever way.
            PersonSearchSort.YoungestFirst => items.OrderBy(i => hit(i).DateOfBirth is null).ThenByDescending(i => hit(i).DateOfBirth),
            PersonSearchSort.OldestFirst => items.OrderBy(i => hit(i).DateOfBirth is null).ThenBy(i => hit(i).DateOfBirth),
            // People with no school the reader may see last.
            PersonSearchSort.School => items.OrderBy(i => schools?.GetValueOrDefault(hit(i).Id) is null)
                .ThenBy(i => schools?.GetValueOrDefault(hit(i).Id), StringComparer.OrdinalIgnoreCase),
            _ => items.OrderByDescending(i => hit(i).Score),
        };
        return sorted.ThenBy(i => hit(i).FamilyName, StringComparer.OrdinalIgnoreCase).ThenBy(i => hit(i).GivenName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(i => hit(i).Id);
    }

    /// <summary>The school each person is enrolled at now, as the reader may see it (the Enrolment filter), named with its URN.</summary>
    private static async Task<Dictionary<Guid, string>> SchoolsNowAsync(WaypointDbContext db, List<Guid> ids, DateOnly today, CancellationToken ct)
    {
        if (ids.Count == 0)
            return [];
        return (await db.Enrolments.AsNoTracking()
                .Where(e => ids.Contains(e.PersonId) && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                .OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate)
                .Select(e => new { e.PersonId, e.School!.Name, e.School.Urn }).ToListAsync(ct))
            .GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => g.First().Urn is { } urn ? $"{g.First().Name} (URN {urn})" : g.First().Name);
    }

    /// <summary>
    /// The people the query's filters leave, through the access policy: the Person filter on the
    /// register, and the Enrolment, Case and Alert filters on what each filter asks about, so that a
    /// filter matches only on records the reader may see and never tells them of one they may not.
    /// </summary>
    internal static IQueryable<Person> Narrowed(WaypointDbContext db, PersonSearchQuery query, DateOnly today)
    {
        var people = db.People.AsNoTracking();
        if (query.Kind is { } kind)
            people = people.Where(p => p.Kind == kind);
        if (query.SchoolId is { } school)
            people = people.Where(p => db.Enrolments.Any(e => e.PersonId == p.Id && e.SchoolId == school
                && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today)));
        if (query.HasOpenCase)
            people = people.Where(p => db.Cases.Any(c => c.PersonId == p.Id && c.Status == CaseStatus.Open));
        if (query.HasOpenAlerts)
            people = people.Where(p => db.Alerts.Any(a => a.PersonId == p.Id && a.Status != AlertStatus.Closed));
        return people;
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
        if (query.SchoolId is not null)
            reasons.Add("at the school chosen");
        if (query.HasOpenCase)
            reasons.Add("open case");
        if (query.HasOpenAlerts)
            reasons.Add("open alerts");
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
