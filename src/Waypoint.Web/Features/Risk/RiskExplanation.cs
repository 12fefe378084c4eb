using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>One record behind a factor that the reader may see, with where to read it.</summary>
public sealed record ExplainedRecord(DateOnly Date, string Text, string Link);

/// <summary>A factor's part in a score as one reader sees it: the records they may see, and how many others there are.</summary>
public sealed record ExplainedFactor(string Name, RiskFactorKind Kind, int Points, IReadOnlyList<ExplainedRecord> Records, int Hidden);

public sealed record ExplainedScore(int MatrixNumber, string MatrixName, DateTimeOffset ComputedAt, int Offending, RiskBand OffendingBand,
    int Vulnerability, RiskBand VulnerabilityBand, IReadOnlyList<ExplainedFactor> Factors, bool InCohort, bool AwaitingReview,
    IReadOnlyList<ScoreHistoryEntry> History);

public sealed record ScoreHistoryEntry(DateTimeOffset At, int Offending, int Vulnerability, int Matrix);

/// <summary>
/// A person's score explained to the current reader: every factor's contribution, the records
/// behind it that the reader may see (through the same filters as every page), and the number of
/// those withheld from them, counted, never described. The caller has opened the person.
/// </summary>
public sealed class RiskExplanation(WaypointDbContext db, RiskScoring scoring, TimeProvider clock)
{
    public async Task<ExplainedScore?> ExplainAsync(Guid personId, CancellationToken ct)
    {
        // Scored afresh as the page opens (not stored: a read writes nothing): a flag that lapsed at midnight or was removed a moment ago counts no more.
        if (await scoring.ComputeAsync(db, personId, ct) is not { } computed || (computed.Result.Offending == 0 && computed.Result.Vulnerability == 0))
            return null;
        var (matrix, result) = computed;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var visible = (await RiskFacts.LoadAsync(db, [personId], today, ct))[personId];
        var factors = matrix.Factors.ToDictionary(f => f.Id);
        var explained = new List<ExplainedFactor>();
        foreach (var c in result.Contributions)
        {
            if (!factors.TryGetValue(c.FactorId, out var factor))
                continue;
            var since = today.AddMonths(-factor.LookBackMonths);
            var shown = visible.Where(x => x.Date > since && x.Date <= today && RiskMatrixRules.Reads(factor, x)).ToList();
            var records = await DescribeAsync(personId, shown, ct);
            explained.Add(new ExplainedFactor(c.Name, c.Kind, c.Points, records, Math.Max(0, c.Records - shown.Count)));
        }
        var reviews = await db.CohortReviews.AsNoTracking().Where(r => r.PersonId == personId).OrderByDescending(r => r.ReviewedAt).FirstOrDefaultAsync(ct);
        var inCohort = reviews is { Decision: CohortDecision.Accepted, EndedAt: null };
        RiskBand offendingBand = matrix.BandOf(result.Offending), vulnerabilityBand = matrix.BandOf(result.Vulnerability);
        var awaiting = (offendingBand == RiskBand.High || vulnerabilityBand == RiskBand.High) && !inCohort;
        var history = (await db.RiskScores.AsNoTracking().Where(s => s.PersonId == personId).OrderByDescending(s => s.ComputedAt).Take(20)
                .Select(s => new { s.ComputedAt, s.Offending, s.Vulnerability, s.MatrixVersion!.Number }).ToListAsync(ct))
            .Select(s => new ScoreHistoryEntry(s.ComputedAt, s.Offending, s.Vulnerability, s.Number)).ToList();
        return new ExplainedScore(matrix.Number, matrix.Name, clock.GetUtcNow(), result.Offending, offendingBand,
            result.Vulnerability, vulnerabilityBand, explained, inCohort, awaiting, history);
    }

    private async Task<List<ExplainedRecord>> DescribeAsync(Guid personId, List<RiskFact> facts, CancellationToken ct)
    {
        var result = new List<ExplainedRecord>();
        var occurrenceIds = facts.Where(f => f.Source == RiskSource.Occurrences).Select(f => f.RecordId).ToList();
        var occurrences = occurrenceIds.Count == 0 ? [] : await db.Occurrences.AsNoTracking().Where(o => occurrenceIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => PoliceLabels.Describe(o), ct);
        foreach (var f in facts.OrderByDescending(f => f.Date))
        {
            var (text, link) = f.Source switch
            {
                RiskSource.Occurrences => ($"{occurrences.GetValueOrDefault(f.RecordId, "Occurrence")}: {PoliceLabels.Describe(f.Role!.Value)}", $"/police/occurrence?id={f.RecordId}"),
                RiskSource.Flags => ($"Flag: {FlagRules.Describe(f.FlagKind!.Value)}", $"/people/{personId}/risk#flag-{f.RecordId}"),
                RiskSource.Suspensions => ("Suspension", $"/people/{personId}/school#school-records"),
                RiskSource.PermanentExclusions => ("Permanent exclusion", $"/people/{personId}/school#school-records"),
                RiskSource.Attendance => ($"Attendance: {f.SessionsPresent} of {f.SessionsPossible} sessions", $"/people/{personId}/school#school-records"),
                RiskSource.BehaviourIncidents => ("Behaviour incident", $"/people/{personId}/school#school-records"),
                _ => (f.Source.ToString(), $"/people/{personId}"),
            };
            result.Add(new ExplainedRecord(f.Date, text, link));
        }
        return result;
    }
}

public static class PoliceLabels
{
    public static string Describe(OccurrenceRole role) => role switch
    {
        OccurrenceRole.Victim => "victim",
        OccurrenceRole.Witness => "witness",
        OccurrenceRole.Suspect => "suspect",
        OccurrenceRole.Offender => "offender",
        OccurrenceRole.MissingPerson => "missing person",
        OccurrenceRole.SubjectOfConcern => "subject of concern",
        _ => role.ToString(),
    };

    public static string Describe(IncidentType type) => type switch
    {
        IncidentType.MissingPerson => "Missing person",
        IncidentType.ConcernForSafety => "Concern for safety",
        IncidentType.AntisocialBehaviour => "Antisocial behaviour",
        _ => type.ToString(),
    };

    public static string Describe(Occurrence o) =>
        $"{o.PoliceReference} ({(o.IncidentType is { } i ? Describe(i) : HomeOfficeOffences.Find(o.OffenceSubGroup)?.Name ?? o.OffenceSubGroup)}, {o.OccurredOn:d MMM yyyy})";

    public static string Describe(RiskBand band) => band switch
    {
        RiskBand.Low => "Low",
        RiskBand.Medium => "Medium",
        RiskBand.High => "High",
        _ => band.ToString(),
    };
}
