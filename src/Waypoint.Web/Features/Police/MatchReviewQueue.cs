using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Risk;

namespace Waypoint.Features.Police;

/// <summary>Someone a reviewer may link a queued name to, with the evidence for and against.</summary>
public sealed record ReviewCandidate(Guid PersonId, string Name, DateOnly? DateOfBirth, string Ward, bool Suggested, bool BirthdayAgrees, double NameScore,
    IReadOnlyList<string> PoliceReferences, bool AlreadyLinked);

/// <summary>The candidates a reviewer is shown: only people they may see, and whether the import's suggestion is someone they may not.</summary>
public sealed record ReviewCandidates(IReadOnlyList<ReviewCandidate> People, bool SuggestionHidden);

/// <summary>
/// The queue of names from a force's files that could not be matched for certain. A person decides
/// each: link it to someone the reader may see (who need not be the import's suggestion) or dismiss
/// it. Nothing here links without that decision, and the queue is the force's own (its filter).
/// </summary>
public sealed class MatchReviewQueue(WaypointDbContext db, PersonAccess access, AuditTrail audit, RiskScoring scoring, TimeProvider clock)
{
    public Task<OccurrenceMatchReview?> FindAsync(Guid id, CancellationToken ct) =>
        db.OccurrenceMatchReviews.Include(r => r.Occurrence).FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>The import's suggestion, the register's likely matches and anyone a name search finds, each only where the reader may see them; all audited as listed.</summary>
    public async Task<ReviewCandidates> CandidatesAsync(OccurrenceMatchReview review, string? search, CancellationToken ct)
    {
        var scores = new Dictionary<Guid, double>();
        if (review.DateOfBirth is { } dob)
            foreach (var m in await OccurrenceMatching.LikelyMatchesAsync(db.People, review.GivenName, review.FamilyName, dob, ct))
                scores[m.PersonId] = m.NameScore;
        var suggestionHidden = false;
        if (review.CandidatePersonId is { } suggested)
        {
            if (await db.People.AnyAsync(p => p.Id == suggested, ct))
                scores.TryAdd(suggested, 0);
            else
            {
                // Like the register's duplicate check: the reviewer learns that someone matched, never who, and the look is audited against them.
                suggestionHidden = true;
                await access.AuditDuplicateCheckAsync(suggested, $"police:review {review.Id}", ct);
            }
        }
        if (!string.IsNullOrWhiteSpace(search))
            foreach (var hit in await PersonSearch.SearchAsync(db, new PersonSearchQuery(search.Trim(), null, null, 10), ct))
                scores.TryAdd(hit.Id, 0);
        var ids = scores.Keys.ToList();
        var people = await db.People.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.DateOfBirth, Ward = p.Area!.Name, p.SearchGivenName, p.SearchFamilyName }).ToListAsync(ct);
        var references = (await db.PersonIdentifiers.AsNoTracking().Where(i => ids.Contains(i.PersonId) && i.Scheme == IdentifierScheme.PoliceReference)
            .Select(i => new { i.PersonId, i.Value }).ToListAsync(ct)).ToLookup(i => i.PersonId, i => i.Value);
        var linked = await db.OccurrencePeople.AsNoTracking().Where(l => l.OccurrenceId == review.OccurrenceId && l.Role == review.Role && ids.Contains(l.PersonId))
            .Select(l => l.PersonId).ToListAsync(ct);
        string given = NameKeys.Normalise(review.GivenName), family = NameKeys.Normalise(review.FamilyName);
        var result = people.Select(p => new ReviewCandidate(p.Id, $"{p.GivenName} {p.FamilyName}", p.DateOfBirth, p.Ward, p.Id == review.CandidatePersonId,
                review.DateOfBirth is not null && p.DateOfBirth == review.DateOfBirth, PersonSearch.Score(given, family, p.SearchGivenName, p.SearchFamilyName),
                references[p.Id].ToList(), linked.Contains(p.Id)))
            .OrderByDescending(c => c.Suggested).ThenByDescending(c => c.BirthdayAgrees).ThenByDescending(c => c.NameScore).ToList();
        await access.AuditListedAsync(result.Select(c => c.PersonId).ToList(), $"police:review {review.Id}", ct);
        return new ReviewCandidates(result, suggestionHidden);
    }

    /// <summary>Links the queued name to a person the reader may write to; the problem as a message, or null when linked.</summary>
    public async Task<string?> LinkAsync(OccurrenceMatchReview review, Guid personId, CancellationToken ct)
    {
        if (review.Status != OccurrenceMatchStatus.Waiting)
            return "This name has already been decided";
        var (outcome, opened) = await access.OpenForAsync(personId, PersonOperations.Write, $"police:review {review.Id}", ct);
        if (outcome == AccessOutcome.NotFound)
            return "Choose someone from the list";
        if (outcome == AccessOutcome.Forbidden)
            return "You may not link this person: ask the early-help hub";
        var occurrence = review.Occurrence!;
        if (!HomeOfficeOffences.RolesFor(occurrence.IncidentType).Contains(review.Role))
            return $"A {PoliceLabels.Describe(review.Role)} cannot be named in this occurrence";
        if (!await db.OccurrencePeople.AnyAsync(l => l.OccurrenceId == occurrence.Id && l.PersonId == personId && l.Role == review.Role, ct))
        {
            db.OccurrencePeople.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = opened!.Person.Id, Role = review.Role });
            await access.AuditWriteAsync(personId, AuditAction.Create, $"police:occurrence {occurrence.Id} {review.Role} (reviewed match)", ct);
        }
        Decide(review, OccurrenceMatchStatus.Linked);
        review.LinkedPersonId = personId;
        await db.SaveChangesAsync(ct);
        await scoring.RecomputeAsync([personId], ct);
        return null;
    }

    public async Task<string?> DismissAsync(OccurrenceMatchReview review, CancellationToken ct)
    {
        if (review.Status != OccurrenceMatchStatus.Waiting)
            return "This name has already been decided";
        Decide(review, OccurrenceMatchStatus.Dismissed);
        audit.StageWrite(new AuditEvent(null, AuditAction.Update, $"police:review {review.Id} dismissed", "police"));
        await db.SaveChangesAsync(ct);
        return null;
    }

    private void Decide(OccurrenceMatchReview review, OccurrenceMatchStatus status)
    {
        review.Status = status;
        review.DecidedAt = clock.GetUtcNow();
        review.DecidedByUserId = db.Reader.UserId;
    }
}
