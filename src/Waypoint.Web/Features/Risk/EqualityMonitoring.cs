using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>One group of one characteristic in one cohort, against the school population. Null counts and ratios are suppressed.</summary>
public sealed record RepresentationRow(string Characteristic, string Group, int? Cohort, int? Population, double? CohortShare, double? PopulationShare,
    double? Ratio, double? Lower, double? Upper, bool OverRepresented);

/// <summary>A cohort's make-up beside the population's: its size, the members not on a school roll (no characteristics held), and the rows.</summary>
public sealed record CohortRepresentation(string Cohort, int Size, int NotOnRoll, IReadOnlyList<RepresentationRow> Rows);

/// <summary>
/// Representation ratios (a group's share of a cohort over its share of the population), with a
/// 95% confidence interval on the log scale (Katz), and small numbers suppressed: a count from 1 to
/// <see cref="SuppressBelow"/> - 1 is shown as "fewer than", and no ratio is given from it. A group is
/// flagged when its ratio reaches the partnership's threshold and the interval lies wholly above 1.
/// </summary>
public static class Representation
{
    public const int SuppressBelow = 5;

    public static (double Ratio, double Lower, double Upper)? Ratio(int inCohort, int cohort, int inPopulation, int population)
    {
        if (inCohort <= 0 || cohort <= 0 || inPopulation <= 0 || population <= 0)
            return null;
        var ratio = (double)inCohort / cohort / ((double)inPopulation / population);
        var variance = 1.0 / inCohort - 1.0 / cohort + 1.0 / inPopulation - 1.0 / population;
        var se = Math.Sqrt(Math.Max(0, variance));
        return (ratio, ratio * Math.Exp(-1.96 * se), ratio * Math.Exp(1.96 * se));
    }

    public static IReadOnlyList<RepresentationRow> Compare(string characteristic, IReadOnlyDictionary<string, int> cohort, IReadOnlyDictionary<string, int> population, double threshold)
    {
        int n = cohort.Values.Sum(), total = population.Values.Sum();
        var rows = new List<RepresentationRow>();
        foreach (var group in population.Keys.Union(cohort.Keys).Order(StringComparer.Ordinal))
        {
            int a = cohort.GetValueOrDefault(group), b = population.GetValueOrDefault(group);
            bool smallA = a is > 0 and < SuppressBelow, smallB = b is > 0 and < SuppressBelow;
            var ratio = smallA || smallB || n < SuppressBelow ? null : Ratio(a, n, b, total);
            rows.Add(new RepresentationRow(characteristic, group, smallA ? null : a, smallB ? null : b,
                smallA || n == 0 ? null : (double)a / n, smallB || total == 0 ? null : (double)b / total,
                ratio?.Ratio, ratio?.Lower, ratio?.Upper, ratio is { } r && r.Ratio >= threshold && r.Lower > 1));
        }
        return rows;
    }

    /// <summary>The DfE's major ethnic group of a census code (its first letter), the code's refusals kept apart.</summary>
    public static string EthnicGroup(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        null or "" or "NOBT" => "Not obtained",
        "REFU" => "Refused",
        var c when c.StartsWith('W') => "White",
        var c when c.StartsWith('M') => "Mixed",
        var c when c.StartsWith('A') => "Asian or Asian British",
        var c when c.StartsWith('B') => "Black or Black British",
        var c when c.StartsWith('C') => "Chinese",
        _ => "Any other ethnic group",
    };

    public static string SenGroup(string? code) => code switch
    {
        "E" => "EHC plan",
        "K" => "SEN support",
        "N" => "No SEN",
        _ => "Not recorded",
    };
}

/// <summary>
/// The equality report: for the high-risk cohort, the high score bands and the current flags, the
/// make-up by sex, ethnicity, SEN provision and free-school meals against the young people on a
/// school roll now. Aggregates only: counted as the system sees every record, suppressed before shown.
/// </summary>
public sealed class EqualityMonitoring(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock)
{
    /// <summary>The partnership's threshold for flagging a group (<c>Risk:DisproportionalityThreshold</c>, 1.5 unless set).</summary>
    public double Threshold => double.TryParse(config["Risk:DisproportionalityThreshold"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 1 ? t : 1.5;

    private sealed record Characteristics(string Sex, string Ethnicity, string Sen, string Fsm);

    public async Task<IReadOnlyList<CohortRepresentation>> ReportAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("equality monitoring counts every cohort and the school population by characteristic; only suppressed aggregates leave it");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var onRoll = await db.Enrolments.AsNoTracking()
            .Where(e => e.StartDate <= today && (e.EndDate == null || e.EndDate >= today) && e.Person!.Kind == PersonKind.YoungPerson)
            .Select(e => new { e.PersonId, e.Person!.Sex, e.Ethnicity, e.SenProvision, e.FsmEligible })
            .ToListAsync(ct);
        // A dual-registered pupil is counted once, by the enrolment that holds the most.
        var population = onRoll.GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g =>
        {
            var e = g.OrderByDescending(x => (x.Ethnicity is null ? 0 : 1) + (x.SenProvision is null ? 0 : 1) + (x.FsmEligible is null ? 0 : 1)).First();
            return new Characteristics(e.Sex switch { Sex.Female => "Female", Sex.Male => "Male", _ => "Not recorded" }, Representation.EthnicGroup(e.Ethnicity),
                Representation.SenGroup(e.SenProvision), e.FsmEligible switch { true => "Eligible", false => "Not eligible", null => "Not recorded" });
        });

        var cohort = await db.CohortReviews.AsNoTracking().Where(r => r.Decision == CohortDecision.Accepted && r.EndedAt == null).Select(r => r.PersonId).Distinct().ToListAsync(ct);
        var offendingHigh = await db.RiskScores.AsNoTracking().Where(s => s.IsLatest && s.OffendingBand == RiskBand.High).Select(s => s.PersonId).ToListAsync(ct);
        var vulnerabilityHigh = await db.RiskScores.AsNoTracking().Where(s => s.IsLatest && s.VulnerabilityBand == RiskBand.High).Select(s => s.PersonId).ToListAsync(ct);
        var flagged = await db.PersonFlags.AsNoTracking().Where(FlagRules.Counts(today)).Select(f => f.PersonId).Distinct().ToListAsync(ct);

        return
        [
            Describe("High-risk cohort (reviewed in)", cohort, population),
            Describe("High offending-related score", offendingHigh, population),
            Describe("High vulnerability score", vulnerabilityHigh, population),
            Describe("A current flag", flagged, population),
        ];
    }

    private CohortRepresentation Describe(string name, IReadOnlyCollection<Guid> members, IReadOnlyDictionary<Guid, Characteristics> population)
    {
        var held = members.Distinct().Where(population.ContainsKey).Select(id => population[id]).ToList();
        var all = population.Values.ToList();
        var rows = new List<RepresentationRow>();
        foreach (var (characteristic, pick) in new (string, Func<Characteristics, string>)[] { ("Sex", c => c.Sex), ("Ethnicity", c => c.Ethnicity), ("SEN provision", c => c.Sen), ("Free school meals", c => c.Fsm) })
            rows.AddRange(Representation.Compare(characteristic, held.GroupBy(pick).ToDictionary(g => g.Key, g => g.Count()), all.GroupBy(pick).ToDictionary(g => g.Key, g => g.Count()), Threshold));
        var size = members.Distinct().Count();
        return new CohortRepresentation(name, size, size - held.Count, rows);
    }
}
