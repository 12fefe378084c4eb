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
    internal const double MinimumScore = 0.72;

    /// <summary>
    /// The best matches for a query (scored by name, closest first), for pickers and checks that show
    /// a few: <see cref="PageAsync"/>'s first page without the schools and open work.
    /// </summary>
    public static async Task<IReadOnlyList<PersonSearchHit>> SearchAsync(WaypointDbContext db, PersonSearchQuery query, CancellationToken ct = default) =>
        (await PageAsync(db, query with { Sort = PersonSearchSort.BestMatch }, 0, query.Limit, db.Today, ct, details: false)).Results.Select(r => r.Hit).ToList();

    /// <summary>
    /// The most candidates a search reads, counts and sorts; beyond it the count says "more than" and
    /// the page asks for the search to be narrowed.
    /// </summary>
    public const int CountLimit = 1000;

    /// <summary>
    /// Every person the query finds (scored by name, best first, or in the order asked for), counted
    /// truly up to <see cref="CountLimit"/> candidates; the page asked for, with why each matched and
    /// (with <paramref name="details"/>) the school each is enrolled at now where the reader may see
    /// the enrolment and the open work the reader may see. Every statement runs through the policy's
    /// query filters, so a person the reader may not see is neither counted nor listed.
    /// </summary>
    /// <remarks>
    /// Bounded at a million people: the candidates are first read unordered, at most
    /// <see cref="CountLimit"/> + 1 of them (the count, and every result when there are no more).
    /// When there are more and the best matches of a one-word name are asked for, the page is read
    /// along the name indexes in their order: everyone whose family name, then everyone whose given
    /// name, is the word typed (the closest possible match), as many as the page needs; only when those
    /// run out before the page does the search sort the first candidates by name, as before.
    /// </remarks>
    public static async Task<PersonSearchPage> PageAsync(WaypointDbContext db, PersonSearchQuery query, int skip, int take, DateOnly today, CancellationToken ct = default,
        bool details = true)
    {
        if (query.IsEmpty)
            return new PersonSearchPage([], 0, false, 0);
        skip = Math.Max(0, skip);
        take = Math.Max(1, take);
        var narrowed = Narrowed(db, query, today);
        var search = Candidates(narrowed, query);
        // A name alone can match thousands: the thousand and one are read without their wards, named for the listed only.
        // A date of birth or an identifier leaves a few, whose wards come with them (no statement of their own).
        var narrow = query.DateOfBirth is not null || !string.IsNullOrWhiteSpace(query.Identifier);
        // The best matches of one word: at a million people its name keys and prefixes match thousands, whose page is
        // read along the name indexes (ExactFirstAsync) and whose rows are not needed, so they are counted first, as
        // far as "more than", as one number; their rows are read only when there are no more than the count limit.
        var exactFirst = !narrow && query.Sort == PersonSearchSort.BestMatch && search is { Words: 1, Family: not null };
        var counted = exactFirst ? await search.Matching.Take(CountLimit + 1).CountAsync(ct) : (int?)null;
        var candidates = counted > CountLimit ? []
            : await search.Matching.Take(CountLimit + 1).Select(narrow ? ToCandidateWithWard : ToCandidate).ToListAsync(ct);
        var moreThan = (counted ?? candidates.Count) > CountLimit;
        var scored = Scored(search, candidates.Take(CountLimit));
        List<(Candidate Candidate, PersonSearchHit Hit)>? page = null;
        Dictionary<Guid, string>? schools = null;
        int? total = null;
        if (moreThan && exactFirst && search.Family is { } word)
        {
            page = await ExactFirstAsync(search, word, skip, take, ct);
            // The count when the page came from the name indexes: "more than" the limit, paged up to it (the rows the count
            // read were not scored; a page past those the indexes fill falls back to the first by name, counted as scored).
            total = page is null ? null : CountLimit;
        }
        if (page is null)
        {
            if (moreThan)
            {
                // More than can be sorted: the first candidates by name, ranked among themselves (the page asks to narrow).
                candidates = await search.Matching.OrderBy(p => p.SearchFamilyName).ThenBy(p => p.SearchGivenName).ThenBy(p => p.Id)
                    .Take(CountLimit).Select(ToCandidate).ToListAsync(ct);
                scored = Scored(search, candidates);
            }
            // Sorting by school needs every result's school; any other order only the page's.
            schools = query.Sort == PersonSearchSort.School ? await SchoolsNowAsync(db, scored.Select(h => h.Hit.Id).ToList(), today, ct) : null;
            var ordered = Order(scored, query.Sort, schools).ToList();
            skip = Math.Clamp(skip, 0, Math.Max(0, ordered.Count - 1));
            page = ordered.Skip(skip).Take(take).ToList();
        }
        page = await NamedWardsAsync(db, page, ct);
        var ids = page.Select(h => h.Hit.Id).ToList();
        if (!details)
            return new PersonSearchPage(page.Select(h => new PersonSearchResult(h.Hit, Why(query, search, h.Candidate), schools?.GetValueOrDefault(h.Hit.Id))).ToList(),
                total ?? scored.Count, moreThan, skip);
        schools ??= await SchoolsNowAsync(db, ids, today, ct);
        // Open work as the Case and Alert filters let the reader see it: a case or alert hidden from them is not hinted at.
        HashSet<Guid> openCases = ids.Count == 0 ? [] : (await db.Cases.AsNoTracking().Where(c => ids.Contains(c.PersonId) && c.Status == CaseStatus.Open)
            .Select(c => c.PersonId).Distinct().ToListAsync(ct)).ToHashSet();
        Dictionary<Guid, int> openAlerts = ids.Count == 0 ? [] : await db.Alerts.AsNoTracking().Where(a => ids.Contains(a.PersonId) && a.Status != AlertStatus.Closed)
            .GroupBy(a => a.PersonId).Select(g => new { PersonId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.PersonId, g => g.Count, ct);
        var results = page.Select(h => new PersonSearchResult(h.Hit, Why(query, search, h.Candidate), schools.GetValueOrDefault(h.Hit.Id),
            openCases.Contains(h.Hit.Id), openAlerts.GetValueOrDefault(h.Hit.Id))).ToList();
        return new PersonSearchPage(results, total ?? scored.Count, moreThan, skip);
    }

    private static List<(Candidate Candidate, PersonSearchHit Hit)> Scored(CandidateSearch search, IEnumerable<Candidate> candidates) =>
        candidates.Select(c => (Candidate: c, Hit: new PersonSearchHit(c.Id, c.Kind, c.GivenName, c.FamilyName, c.DateOfBirth, c.Ward ?? "",
                Score(search.Given, search.Family, c.SearchGivenName, c.SearchFamilyName))))
            .Where(h => search.Words == 0 || h.Hit.Score >= MinimumScore)
            .ToList();

    /// <summary>
    /// The best matches of a one-word name among more candidates than can be sorted: the people whose
    /// family name is the word (score 1, ordered by given name) and those whose given name is it (score
    /// 1, by family name), each read along its name index in order and only as far as the page reaches,
    /// merged by name as <see cref="Order"/> would order them. Null when they do not fill the page.
    /// </summary>
    private static async Task<List<(Candidate Candidate, PersonSearchHit Hit)>?> ExactFirstAsync(CandidateSearch search, string word, int skip, int take, CancellationToken ct)
    {
        var need = skip + take;
        // One statement (UNION ALL of the two index-ordered reads), each with its ward: only these are listed.
        var both = await search.Filtered.Where(p => p.SearchFamilyName == word)
            .OrderBy(p => p.SearchGivenName).ThenBy(p => p.Id).Take(need)
            .Concat(search.Filtered.Where(p => p.SearchGivenName == word && p.SearchFamilyName != word)
                .OrderBy(p => p.SearchFamilyName).ThenBy(p => p.SearchGivenName).ThenBy(p => p.Id).Take(need))
            .Select(ToCandidateWithWard).ToListAsync(ct);
        if (both.Count < need)
            return null;
        // A union keeps no order: each half back in its index's order (the ids as the databases order them, their text).
        var byFamily = both.Where(c => c.SearchFamilyName == word)
            .OrderBy(c => c.SearchGivenName, StringComparer.Ordinal).ThenBy(c => c.Id.ToString(), StringComparer.Ordinal).ToList();
        var byGiven = both.Where(c => c.SearchFamilyName != word)
            .OrderBy(c => c.SearchFamilyName, StringComparer.Ordinal).ThenBy(c => c.SearchGivenName, StringComparer.Ordinal)
            .ThenBy(c => c.Id.ToString(), StringComparer.Ordinal).ToList();
        var merged = new List<Candidate>(need);
        int f = 0, g = 0;
        while (merged.Count < need)
        {
            var takeFamily = g >= byGiven.Count || (f < byFamily.Count && string.CompareOrdinal(byFamily[f].SearchFamilyName, byGiven[g].SearchFamilyName) <= 0);
            merged.Add(takeFamily ? byFamily[f++] : byGiven[g++]);
        }
        return Scored(search, merged.Skip(skip)).Take(take).ToList();
    }

    /// <summary>
    /// The listed people's wards, named: the candidates are read without them (up to a thousand
    /// and one, for the count), so only the page's few are looked up, by the areas' keys.
    /// </summary>
    private static async Task<List<(Candidate Candidate, PersonSearchHit Hit)>> NamedWardsAsync(WaypointDbContext db, List<(Candidate Candidate, PersonSearchHit Hit)> page,
        CancellationToken ct)
    {
        var areaIds = page.Where(h => h.Candidate.Ward is null).Select(h => h.Candidate.AreaId).Distinct().ToList();
        if (areaIds.Count == 0)
            return page;
        var names = await db.Areas.AsNoTracking().Where(a => areaIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return page.Select(h => h.Candidate.Ward is null ? (h.Candidate, h.Hit with { Ward = names.GetValueOrDefault(h.Candidate.AreaId, "") }) : h).ToList();
    }

    /// <summary>A candidate without its ward's name (no join over the thousand and one the count reads).</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Person, Candidate>> ToCandidate =
        p => new Candidate(p.Id, p.Kind, p.GivenName, p.FamilyName, p.SearchGivenName, p.SearchFamilyName, p.DateOfBirth, p.AreaId, null);

    private static readonly System.Linq.Expressions.Expression<Func<Person, Candidate>> ToCandidateWithWard =
        p => new Candidate(p.Id, p.Kind, p.GivenName, p.FamilyName, p.SearchGivenName, p.SearchFamilyName, p.DateOfBirth, p.AreaId, p.Area!.Name);

    /// <summary>
    /// Results in the order asked for; ties broken by the search names, then the id as the databases
    /// order it (its text), so that pages never overlap and agree with the name indexes' order.
    /// </summary>
    private static IEnumerable<(Candidate Candidate, PersonSearchHit Hit)> Order(IEnumerable<(Candidate Candidate, PersonSearchHit Hit)> items, PersonSearchSort sort,
        IReadOnlyDictionary<Guid, string>? schools)
    {
        var sorted = sort switch
        {
            PersonSearchSort.Name => items.OrderBy(_ => 0),
            // Not known dates of birth last whichever way.
            PersonSearchSort.YoungestFirst => items.OrderBy(i => i.Hit.DateOfBirth is null).ThenByDescending(i => i.Hit.DateOfBirth),
            PersonSearchSort.OldestFirst => items.OrderBy(i => i.Hit.DateOfBirth is null).ThenBy(i => i.Hit.DateOfBirth),
            // People with no school the reader may see last.
            PersonSearchSort.School => items.OrderBy(i => schools?.GetValueOrDefault(i.Hit.Id) is null)
                .ThenBy(i => schools?.GetValueOrDefault(i.Hit.Id), StringComparer.OrdinalIgnoreCase),
            _ => items.OrderByDescending(i => i.Hit.Score),
        };
        return sorted.ThenBy(i => i.Candidate.SearchFamilyName, StringComparer.Ordinal).ThenBy(i => i.Candidate.SearchGivenName, StringComparer.Ordinal)
            .ThenBy(i => i.Hit.Id.ToString(), StringComparer.Ordinal);
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

    /// <summary>A person the name matches; <see cref="Ward"/> is null until named (only for the listed).</summary>
    internal sealed record Candidate(Guid Id, PersonKind Kind, string GivenName, string FamilyName, string SearchGivenName, string SearchFamilyName, DateOnly? DateOfBirth,
        Guid AreaId, string? Ward);

    /// <summary>
    /// The database half of a search: <see cref="Filtered"/> the people the query's filters and its date of
    /// birth and identifier leave, <see cref="Matching"/> those of them the name matches (unordered), and
    /// the name words the candidates are scored against.
    /// </summary>
    internal sealed record CandidateSearch(IQueryable<Person> Filtered, IQueryable<Person> Matching, string? Given, string? Family, int Words)
    {
        /// <summary>The first candidates by name, at most <paramref name="limit"/> (the benchmark's shape of the search).</summary>
        public IQueryable<Candidate> ByName(int limit) =>
            Matching.OrderBy(p => p.SearchFamilyName).ThenBy(p => p.SearchGivenName).Take(limit).Select(ToCandidate);
    }

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
        var filtered = people;

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
            // With a date of birth, what the rule above implies of the family name alone, in the terms of the
            // (date of birth, family name key) and (date of birth, family prefix) indexes: the database then
            // reads the one or two people of that day whose family name could match, not everyone born that
            // day (~150 at a million) to test each name. Only where both words have a whole prefix (3 letters).
            if (query.DateOfBirth is not null && given.Length >= 3 && family.Length >= 3)
            {
                var gp3 = NameKeys.Prefix(given);
                people = people.Where(p => p.FamilyNameKey == fk || p.FamilyNameKey == gk || p.SearchFamilyPrefix == fp || p.SearchFamilyPrefix == gp3);
            }
        }
        return new CandidateSearch(filtered, people, given, family, words.Length);
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
