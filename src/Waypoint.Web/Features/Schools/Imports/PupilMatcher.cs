using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// One row's pupil, where the file names them: the line (and record, in a CTF) for messages; the
/// UPN the pupil had before (a temporary one replaced by a permanent one), and what the file says
/// of them beyond their identity.
/// </summary>
public sealed record PupilRow(int Line, string? Record, ParsedPupilIdentity Identity, string? FormerUpn = null, PupilDetails? Details = null);

/// <summary>What a file says of a pupil beyond the name and birthday that identify them: kept on the register where it holds nothing yet.</summary>
public sealed record PupilDetails(Sex Sex, string? MiddleNames, string? PreferredForename, string? PreferredSurname)
{
    /// <summary>M and F as the census writes them; U (not known) and anything else is not a sex the register should record.</summary>
    public static Sex SexOf(string? code) => code switch
    {
        "M" => Sex.Male,
        "F" => Sex.Female,
        _ => Sex.Unknown,
    };
}

/// <summary>Who each of a file's pupils is on the register, or that they are new.</summary>
public sealed class PupilMatches
{
    public Dictionary<string, Guid> Matched { get; } = new(StringComparer.Ordinal);

    /// <summary>Pupils to register (only files that may add pupils: a CTF or an enrolments file).</summary>
    public Dictionary<string, PupilRow> New { get; } = new(StringComparer.Ordinal);

    /// <summary>Matched pupils without a UPN on the register whose file row gives one.</summary>
    public Dictionary<Guid, string> UpnsToAdd { get; } = [];

    /// <summary>
    /// Pupils like a child the school cannot see (no current enrolment there) without a matching UPN
    /// and date of birth: held for review with the register's likely match, and granted nothing.
    /// </summary>
    public Dictionary<string, (PupilRow Row, Guid CandidateId)> Review { get; } = new(StringComparer.Ordinal);

    public List<ImportProblem> Problems { get; } = [];
}

/// <summary>
/// Finds a file's pupils on the register: by UPN, otherwise by the register's duplicate rules (the
/// same date of birth and a name that person search scores as a likely match). It reads past the
/// access policy, since a pupil new to this school is not yet visible to it, and so it says no
/// more than "matched", "new", "ambiguous among your own pupils", "not on this school's roll" or
/// "waiting for review": nothing of anyone else. Only a UPN with its date of birth matches a
/// child the school cannot currently see (a grant of access); a likely name and birthday alone
/// goes to the review queue (<see cref="PupilMatchReview"/>).
/// </summary>
internal sealed class PupilMatcher(WaypointDbContext db, string fileName, Guid schoolId, DateOnly today)
{
    private const int Chunk = 1000;

    /// <param name="mayAdd">A CTF or an enrolments file registers pupils it cannot match; other files need the pupil on this school's roll.</param>
    public async Task<PupilMatches> MatchAsync(IEnumerable<PupilRow> rows, bool mayAdd, CancellationToken ct)
    {
        var result = new PupilMatches();
        var pupils = rows.DistinctBy(r => r.Identity.Key).ToList();
        HashSet<Guid>? roll = null;
        HashSet<Guid> current = [];
        if (!mayAdd)
            roll = (await db.Unfiltered<Enrolment>("an import's pupils are looked for on its own school's roll, past or present").AsNoTracking().Where(e => e.SchoolId == schoolId)
                .Select(e => e.PersonId).Distinct().ToListAsync(ct)).ToHashSet();
        else
            // Who the school can see now: only they may be matched by name and birthday without a UPN.
            current = (await db.Unfiltered<Enrolment>("an import grants access by name and birthday only to pupils already on the school's current roll").AsNoTracking()
                .Where(e => e.SchoolId == schoolId && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                .Select(e => e.PersonId).Distinct().ToListAsync(ct)).ToHashSet();

        // Who holds each of the file's UPNs; a holder not on this school's roll (for a file that needs it) is no match.
        var byUpn = new Dictionary<string, (Guid PersonId, DateOnly? DateOfBirth)>(StringComparer.Ordinal);
        foreach (var chunk in pupils.SelectMany(p => new[] { p.Identity.Upn, p.FormerUpn }).OfType<string>().Distinct().Chunk(Chunk))
            foreach (var f in await HeldUpnsAsync(chunk, ct))
                byUpn[f.Value] = (f.PersonId, f.DateOfBirth);

        var unresolved = new List<PupilRow>();
        foreach (var pupil in pupils)
        {
            // A temporary UPN replaced by a permanent one: the child registered under the former is this pupil, and gets the permanent one too.
            var lookup = pupil.Identity.Upn is { } given && byUpn.ContainsKey(given) ? given
                : pupil.FormerUpn is { } former && byUpn.ContainsKey(former) ? former
                : pupil.Identity.Upn;
            var byFormer = lookup is not null && lookup == pupil.FormerUpn && lookup != pupil.Identity.Upn;
            if (lookup is { } upn && byUpn.TryGetValue(upn, out var held) && (roll is null || roll.Contains(held.PersonId)))
            {
                if (held.DateOfBirth != pupil.Identity.DateOfBirth)
                {
                    // Whether the UPN is held by someone the school cannot see is not the school's to learn.
                    if (mayAdd && !current.Contains(held.PersonId))
                        result.Review[pupil.Identity.Key] = (pupil, held.PersonId);
                    else
                        Problem(pupil, "UPN", "The date of birth is not the one your school holds for the pupil with this UPN. Check the UPN and the date of birth.");
                }
                else
                {
                    result.Matched[pupil.Identity.Key] = held.PersonId;
                    if (byFormer && pupil.Identity.Upn is { } permanent)
                        result.UpnsToAdd[held.PersonId] = permanent;
                }
            }
            else
            {
                unresolved.Add(pupil);
            }
        }
        if (unresolved.Count == 0)
            return result;

        // The search's candidates for each pupil (PersonSearch.Candidates: a sound-alike key or the
        // first letters of the name, either order), fetched for a thousand pupils at a time: the same
        // date of birth, and a family name sharing a key or its first three letters with one of theirs.
        var candidates = new Dictionary<DateOnly, List<Candidate>>();
        foreach (var chunk in unresolved.Chunk(Chunk))
        {
            var found = db.IsPostgres ? await PairedCandidatesAsync(chunk, ct) : await PairedCandidatesOnSqliteAsync(chunk, ct);
            // Their UPNs in a second query: a lookup per candidate inside the first costs far more as the register grows.
            var ids = found.Select(c => c.Id).ToList();
            var upns = new Dictionary<Guid, string>();
            foreach (var idChunk in ids.Chunk(Chunk))
                foreach (var i in await db.Unfiltered<PersonIdentifier>("an import's duplicate check reads its candidates' UPNs, and tells the school nothing of them").AsNoTracking()
                    .Where(i => i.Scheme == IdentifierScheme.Upn && idChunk.Contains(i.PersonId)).Select(i => new { i.PersonId, i.Value }).ToListAsync(ct))
                    upns.TryAdd(i.PersonId, i.Value);
            foreach (var c in found.Select(c => c with { Upn = upns.GetValueOrDefault(c.Id) }))
            {
                if (roll is not null && !roll.Contains(c.Id))
                    continue;
                if (!candidates.TryGetValue(c.DateOfBirth, out var list))
                    candidates[c.DateOfBirth] = list = [];
                if (!list.Any(x => x.Id == c.Id))
                    list.Add(c);
            }
        }

        foreach (var pupil in unresolved)
        {
            var given = NameKeys.Normalise(pupil.Identity.Forename);
            var family = NameKeys.Normalise(pupil.Identity.Surname);
            var likely = (candidates.GetValueOrDefault(pupil.Identity.DateOfBirth) ?? [])
                .Where(c => IsCandidate(given, family, c)
                    && PersonSearch.Score(given, family, c.SearchGivenName, c.SearchFamilyName) >= PersonSearch.MinimumScore)
                // A UPN is one pupil's for life: someone on the register with another UPN is another pupil who shares a name and birthday.
                .Where(c => pupil.Identity.Upn is null || c.Upn is null)
                .ToList();
            // A likely match the school cannot see grants nothing, and its existence is not the school's to learn.
            if (mayAdd && likely.Where(c => !current.Contains(c.Id))
                    .MaxBy(c => PersonSearch.Score(given, family, c.SearchGivenName, c.SearchFamilyName)) is { } hidden)
            {
                result.Review[pupil.Identity.Key] = (pupil, hidden.Id);
                continue;
            }
            switch (likely.Count)
            {
                case 1:
                    result.Matched[pupil.Identity.Key] = likely[0].Id;
                    if (pupil.Identity.Upn is { } newUpn && likely[0].Upn is null)
                        result.UpnsToAdd[likely[0].Id] = newUpn;
                    break;
                case > 1:
                    Problem(pupil, pupil.Identity.Upn is null ? "Surname" : "UPN",
                        "More than one pupil on your school's roll has this name and date of birth. Give the pupil's UPN so that the right one is found.");
                    break;
                default:
                    if (mayAdd)
                        result.New[pupil.Identity.Key] = pupil;
                    else
                        Problem(pupil, pupil.Identity.Upn is null ? "Surname" : "UPN",
                            "No pupil on this school's roll has this UPN, or this name and date of birth. Import the pupil's enrolment (or Common Transfer File) first.");
                    break;
            }
        }
        return result;

        void Problem(PupilRow row, string field, string message) =>
            result.Problems.Add(new ImportProblem(fileName, row.Line, field, message) { Record = row.Record });
    }

    private sealed record HeldUpn(string Value, Guid PersonId, DateOnly? DateOfBirth);

    /// <summary>
    /// Who holds each of these UPNs. On PostgreSQL the UPNs are joined as a set, which the planner
    /// answers with an index lookup each; as "= ANY" it walks every identifier once a thousand are asked for.
    /// </summary>
    private async Task<List<HeldUpn>> HeldUpnsAsync(string[] upns, CancellationToken ct) => db.IsPostgres
        ? await db.RawSql<HeldUpn>("an import matches the file's UPNs across the whole register; nothing of a match the school cannot see is shown", $"""
            SELECT i."Value", i."PersonId", p."DateOfBirth"
            FROM unnest({upns}::text[]) AS u(value)
            JOIN "PersonIdentifiers" AS i ON i."Scheme" = 'Upn' AND i."Value" = u.value
            JOIN "People" AS p ON p."Id" = i."PersonId"
            """).ToListAsync(ct)
        : await db.Unfiltered<PersonIdentifier>("an import looks up who holds its UPNs; the school learns only matched or not").AsNoTracking()
            .Where(i => i.Scheme == IdentifierScheme.Upn && upns.Contains(i.Value))
            .Select(i => new HeldUpn(i.Value, i.PersonId, i.Person!.DateOfBirth))
            .ToListAsync(ct);

    /// <summary>
    /// One probe a pupil: their birthday, and the sound-alike key and first letters of each of their
    /// names (the given name too, for those who write names the other way round).
    /// </summary>
    private sealed record Probe(DateOnly Date, string FamilyKey, string GivenKey, string FamilyPrefix, string GivenPrefix);

    private static Probe ProbeOf(PupilRow pupil)
    {
        string family = NameKeys.Normalise(pupil.Identity.Surname), given = NameKeys.Normalise(pupil.Identity.Forename);
        return new Probe(pupil.Identity.DateOfBirth, NameKeys.Key(family), NameKeys.Key(given), NameKeys.Prefix(family), NameKeys.Prefix(given));
    }

    /// <summary>
    /// Everyone born on a pupil's birthday whose family name shares a sound-alike key or its first
    /// three letters with one of that pupil's names. Each birthday is paired with that pupil's own
    /// names (the birthdays and names of a thousand pupils, crossed, would match most of a county's
    /// register once its schools have loaded), and each pair is two index lookups, by
    /// (birthday, key) and (birthday, first letters), rather than a walk of everyone born that day.
    /// </summary>
    private async Task<List<Candidate>> PairedCandidatesAsync(PupilRow[] pupils, CancellationToken ct)
    {
        var probes = pupils.Select(ProbeOf).Distinct().ToList();
        var dates = probes.Select(p => p.Date).ToArray();
        var familyKeys = probes.Select(p => p.FamilyKey).ToArray();
        var givenKeys = probes.Select(p => p.GivenKey).ToArray();
        var familyPrefixes = probes.Select(p => p.FamilyPrefix).ToArray();
        var givenPrefixes = probes.Select(p => p.GivenPrefix).ToArray();
        var rows = await db.RawSql<CandidateRow>("an import's duplicate-rule probes read the whole register; a match the school cannot see goes to review and shows nothing", $"""
            SELECT DISTINCT found.*
            FROM unnest({dates}::date[], {familyKeys}::text[], {givenKeys}::text[], {familyPrefixes}::text[], {givenPrefixes}::text[]) AS k(dob, fk, gk, fp, gp)
            CROSS JOIN LATERAL (
                SELECT p."Id", p."DateOfBirth", p."SearchGivenName", p."SearchFamilyName", p."GivenNameKey", p."FamilyNameKey"
                FROM "People" AS p WHERE p."DateOfBirth" = k.dob AND p."FamilyNameKey" IN (k.fk, k.gk) AND p."Kind" = 'YoungPerson' AND p."MergedIntoId" IS NULL
                UNION ALL
                SELECT p."Id", p."DateOfBirth", p."SearchGivenName", p."SearchFamilyName", p."GivenNameKey", p."FamilyNameKey"
                FROM "People" AS p WHERE p."DateOfBirth" = k.dob AND p."SearchFamilyPrefix" IN (k.fp, k.gp) AND p."Kind" = 'YoungPerson' AND p."MergedIntoId" IS NULL
            ) AS found
            """).ToListAsync(ct);
        return rows.Select(r => new Candidate(r.Id, r.DateOfBirth, r.SearchGivenName, r.SearchFamilyName, r.GivenNameKey, r.FamilyNameKey, null)).ToList();
    }

    /// <summary>The same probes on SQLite, sent as one JSON parameter (SQLite has no arrays), each through the same two indexes.</summary>
    private async Task<List<Candidate>> PairedCandidatesOnSqliteAsync(PupilRow[] pupils, CancellationToken ct)
    {
        var probes = System.Text.Json.JsonSerializer.Serialize(pupils.Select(ProbeOf).Distinct()
            .Select(p => new[] { p.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), p.FamilyKey, p.GivenKey, p.FamilyPrefix, p.GivenPrefix }));
        var rows = await db.RawSql<CandidateRow>("an import's duplicate-rule probes read the whole register; a match the school cannot see goes to review and shows nothing", $"""
            WITH k AS (
                SELECT json_extract(value, '$[0]') AS dob, json_extract(value, '$[1]') AS fk, json_extract(value, '$[2]') AS gk,
                       json_extract(value, '$[3]') AS fp, json_extract(value, '$[4]') AS gp
                FROM json_each({probes}))
            SELECT p."Id", p."DateOfBirth", p."SearchGivenName", p."SearchFamilyName", p."GivenNameKey", p."FamilyNameKey"
            FROM k JOIN "People" AS p ON p."DateOfBirth" = k.dob AND p."FamilyNameKey" IN (k.fk, k.gk)
            WHERE p."Kind" = 'YoungPerson' AND p."MergedIntoId" IS NULL
            UNION
            SELECT p."Id", p."DateOfBirth", p."SearchGivenName", p."SearchFamilyName", p."GivenNameKey", p."FamilyNameKey"
            FROM k JOIN "People" AS p ON p."DateOfBirth" = k.dob AND p."SearchFamilyPrefix" IN (k.fp, k.gp)
            WHERE p."Kind" = 'YoungPerson' AND p."MergedIntoId" IS NULL
            """).ToListAsync(ct);
        return rows.Select(r => new Candidate(r.Id, r.DateOfBirth, r.SearchGivenName, r.SearchFamilyName, r.GivenNameKey, r.FamilyNameKey, null)).ToList();
    }

    private sealed record CandidateRow(Guid Id, DateOnly DateOfBirth, string SearchGivenName, string SearchFamilyName, string GivenNameKey, string FamilyNameKey);

    /// <summary>The search's candidate rule for a two-word name (PersonSearch.Candidates), in memory.</summary>
    private static bool IsCandidate(string given, string family, Candidate c)
    {
        if (given.Length == 0 || family.Length == 0)
            return false;
        string gk = NameKeys.Key(given), fk = NameKeys.Key(family);
        return ((c.FamilyNameKey == fk || c.SearchFamilyName.StartsWith(NameKeys.Prefix(family), StringComparison.Ordinal))
                && (c.GivenNameKey == gk || c.SearchGivenName.StartsWith(given[..1], StringComparison.Ordinal)))
            || ((c.FamilyNameKey == gk || c.SearchFamilyName.StartsWith(given, StringComparison.Ordinal))
                && (c.GivenNameKey == fk || c.SearchGivenName.StartsWith(family, StringComparison.Ordinal)));
    }

    private sealed record Candidate(Guid Id, DateOnly DateOfBirth, string SearchGivenName, string SearchFamilyName, string GivenNameKey, string FamilyNameKey, string? Upn);
}
