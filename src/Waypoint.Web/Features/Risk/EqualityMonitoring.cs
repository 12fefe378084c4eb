using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Features.Risk;

/// <summary>
/// One group of one characteristic in one cohort, against the school population. Null counts and
/// ratios are suppressed. The standardised ratio compares the cohort with pupils of the same ward
/// and age band (indirect standardisation: observed over expected), so a cohort drawn from one
/// ward or one age is not read as over-representing that ward's or age's make-up.
/// </summary>
public sealed record RepresentationRow(string Characteristic, string Group, int? Cohort, int? Population, double? CohortShare, double? PopulationShare,
    double? Ratio, double? Lower, double? Upper, bool OverRepresented,
    double? Standardised = null, double? StandardisedLower = null, double? StandardisedUpper = null, bool OverRepresentedStandardised = false);

/// <summary>
/// A cohort's make-up beside the population's: its size, the members not on a school roll (no
/// characteristics held), those left out because they restricted processing, and the rows. A
/// null size or count is suppressed (small, or a complement that would give a small one away).
/// </summary>
public sealed record CohortRepresentation(string Cohort, int? Size, int? NotOnRoll, IReadOnlyList<RepresentationRow> Rows, int? Restricted = 0);

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

    public static IReadOnlyList<RepresentationRow> Compare(string characteristic, IReadOnlyDictionary<string, int> cohort, IReadOnlyDictionary<string, int> population, double threshold,
        Func<string, bool>? cohortHidden = null, Func<string, bool>? populationHidden = null, IReadOnlyDictionary<string, double>? expected = null)
    {
        int n = cohort.Values.Sum(), total = population.Values.Sum();
        var rows = new List<RepresentationRow>();
        foreach (var group in population.Keys.Union(cohort.Keys).Order(StringComparer.Ordinal))
        {
            int a = cohort.GetValueOrDefault(group), b = population.GetValueOrDefault(group);
            bool smallA = cohortHidden?.Invoke(group) ?? a is > 0 and < SuppressBelow, smallB = populationHidden?.Invoke(group) ?? b is > 0 and < SuppressBelow;
            var ratio = smallA || smallB || n < SuppressBelow ? null : Ratio(a, n, b, total);
            var standardised = smallA || smallB || n < SuppressBelow || expected is null ? null : Standardised(a, expected.GetValueOrDefault(group));
            rows.Add(new RepresentationRow(characteristic, group, smallA ? null : a, smallB ? null : b,
                smallA || n == 0 ? null : (double)a / n, smallB || total == 0 ? null : (double)b / total,
                ratio?.Ratio, ratio?.Lower, ratio?.Upper, ratio is { } r && r.Ratio >= threshold && r.Lower > 1,
                standardised?.Ratio, standardised?.Lower, standardised?.Upper, standardised is { } sr && sr.Ratio >= threshold && sr.Lower > 1));
        }
        return rows;
    }

    /// <summary>Observed over expected, with a 95% interval on the log scale treating the observed count as Poisson.</summary>
    public static (double Ratio, double Lower, double Upper)? Standardised(int observed, double expected)
    {
        if (observed <= 0 || expected <= 0)
            return null;
        var ratio = observed / expected;
        var se = 1 / Math.Sqrt(observed);
        return (ratio, ratio * Math.Exp(-1.96 * se), ratio * Math.Exp(1.96 * se));
    }

    /// <summary>The age bands the report compares by (secondary school ages split at the key stages).</summary>
    public static string AgeBand(DateOnly? dateOfBirth, DateOnly today) => dateOfBirth is not { } dob ? "Not recorded" : Ages.On(dob, today) switch
    {
        < 11 => "Under 11",
        <= 13 => "11 to 13",
        <= 15 => "14 to 15",
        _ => "16 and over",
    };

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
/// The equality report: for the high-risk cohort, each school's top 10, the high score bands and the
/// current flags, the make-up by sex, ethnicity, SEN provision and free-school meals against the
/// young people on a school roll now, crude and standardised by ward and age band, with the
/// cohort's spread by ward and by age band. Aggregates only: counted as the system sees every
/// record, suppressed before shown, with secondary suppression so that no hidden count can be
/// worked back from the totals. People who restricted processing are left out of every cohort and
/// counted only as a number.
/// </summary>
public sealed class EqualityMonitoring(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock)
{
    /// <summary>The threshold when the partnership has set none: <c>Risk:DisproportionalityThreshold</c>, else 1.5.</summary>
    public double DefaultThreshold => double.TryParse(config["Risk:DisproportionalityThreshold"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 1
        ? t : RiskSettings.DefaultDisproportionalityThreshold;

    /// <summary>The partnership's threshold for flagging a group (the settings page), else the default.</summary>
    public async Task<double> ThresholdAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        return await ThresholdAsync(db, ct);
    }

    public async Task<double> ThresholdAsync(WaypointDbContext db, CancellationToken ct) =>
        await db.RiskSettings.AsNoTracking().Select(r => (double?)r.DisproportionalityThreshold).FirstOrDefaultAsync(ct) ?? DefaultThreshold;

    private sealed record Characteristics(string Sex, string Ethnicity, string Sen, string Fsm, string Ward, string AgeBand)
    {
        public string Stratum => $"{Ward}|{AgeBand}";
    }

    private static readonly (string Name, Func<Characteristics, string> Pick, bool Standardise)[] Dimensions =
    [
        ("Sex", c => c.Sex, true), ("Ethnicity", c => c.Ethnicity, true), ("SEN provision", c => c.Sen, true), ("Free school meals", c => c.Fsm, true),
        ("Ward", c => c.Ward, false), ("Age band", c => c.AgeBand, false),
    ];

    public async Task<(IReadOnlyList<CohortRepresentation> Cohorts, double Threshold)> ReportAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("equality monitoring counts every cohort and the school population by characteristic; only suppressed aggregates leave it");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var threshold = await ThresholdAsync(db, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var wards = await db.Areas.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var onRoll = await db.Enrolments.AsNoTracking()
            .Where(e => e.StartDate <= today && (e.EndDate == null || e.EndDate >= today) && e.Person!.Kind == PersonKind.YoungPerson)
            .Select(e => new { e.PersonId, e.Person!.Sex, e.Person.AreaId, e.Person.DateOfBirth })
            .ToListAsync(ct);
        // The characteristics the schools of those enrolments hold (a pupil's school records them; another school's are its own).
        var held = (await db.Enrolments.AsNoTracking()
                .Where(e => e.StartDate <= today && (e.EndDate == null || e.EndDate >= today) && e.Person!.Kind == PersonKind.YoungPerson)
                .Join(db.PupilCharacteristics.AsNoTracking(), e => new { e.PersonId, e.SchoolId }, c => new { c.PersonId, c.SchoolId },
                    (e, c) => new { c.Id, c.PersonId, c.Sex, c.Ethnicity, c.SenProvision, c.FsmEligible })
                .ToListAsync(ct))
            .GroupBy(c => c.PersonId)
            // A dual-registered pupil is counted once, by the school's record that holds the most.
            .ToDictionary(g => g.Key, g => g.DistinctBy(c => c.Id).OrderByDescending(x => (x.Sex is null ? 0 : 1) + (x.Ethnicity is null ? 0 : 1) + (x.SenProvision is null ? 0 : 1) + (x.FsmEligible is null ? 0 : 1))
                .ThenBy(x => x.Id).First());
        var population = onRoll.GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g =>
        {
            var e = g.First();
            var c = held.GetValueOrDefault(e.PersonId);
            // The school's recorded sex, else the register's.
            var sex = c?.Sex is { } s and not Sex.Unknown ? s : e.Sex;
            return new Characteristics(sex switch { Sex.Female => "Female", Sex.Male => "Male", _ => "Not recorded" }, Representation.EthnicGroup(c?.Ethnicity),
                Representation.SenGroup(c?.SenProvision), c?.FsmEligible switch { true => "Eligible", false => "Not eligible", null => "Not recorded" },
                e.AreaId is { } a && wards.TryGetValue(a, out var ward) ? ward : "Not recorded", Representation.AgeBand(e.DateOfBirth, today));
        });
        var restricted = (await db.RestrictedPeople().ToListAsync(ct)).ToHashSet();

        var cohort = await db.CohortReviews.AsNoTracking().Where(r => r.Decision == CohortDecision.Accepted && r.EndedAt == null).Select(r => r.PersonId).Distinct().ToListAsync(ct);
        var topTen = await db.TopTenNominations.AsNoTracking().Where(n => n.WithdrawnAt == null).Select(n => n.PersonId).Distinct().ToListAsync(ct);
        var offendingHigh = await db.RiskScores.AsNoTracking().Where(s => s.IsLatest && s.OffendingBand == RiskBand.High).Select(s => s.PersonId).ToListAsync(ct);
        var vulnerabilityHigh = await db.RiskScores.AsNoTracking().Where(s => s.IsLatest && s.VulnerabilityBand == RiskBand.High).Select(s => s.PersonId).ToListAsync(ct);
        var flagged = await db.PersonFlags.AsNoTracking().Where(FlagRules.Counts(today)).Select(f => f.PersonId).Distinct().ToListAsync(ct);

        return ([
            Describe("High-risk cohort (reviewed in)", cohort, population, restricted, threshold),
            Describe("Nominated to a school's top 10", topTen, population, restricted, threshold),
            Describe("High offending-related score", offendingHigh, population, restricted, threshold),
            Describe("High vulnerability score", vulnerabilityHigh, population, restricted, threshold),
            Describe("A current flag", flagged, population, restricted, threshold),
        ], threshold);
    }

    private static CohortRepresentation Describe(string name, IReadOnlyCollection<Guid> listed, IReadOnlyDictionary<Guid, Characteristics> population, IReadOnlySet<Guid> restrictedPeople, double threshold)
    {
        var distinct = listed.Distinct().ToList();
        var members = distinct.Where(id => !restrictedPeople.Contains(id)).ToList();
        var restricted = distinct.Count - members.Count;
        var held = members.Where(population.ContainsKey).Select(id => population[id]).ToList();
        var all = population.Values.ToList();
        var size = members.Count;
        var notOnRoll = size - held.Count;

        var cohortCounts = Dimensions.Select(d => held.GroupBy(d.Pick).ToDictionary(g => g.Key, g => g.Count())).ToList();
        var populationCounts = Dimensions.Select(d => all.GroupBy(d.Pick).ToDictionary(g => g.Key, g => g.Count())).ToList();
        var groups = Dimensions.Select((_, i) => populationCounts[i].Keys.Union(cohortCounts[i].Keys).Order(StringComparer.Ordinal).ToList()).ToList();

        // The cohort's cells: its size, those not on a roll, those on a roll (derivable from the two), those restricted, then each group's count.
        var cells = new List<int> { size, notOnRoll, held.Count, restricted };
        var constraints = new List<SumConstraint> { new(0, [1, 2]) };
        var index = new List<Dictionary<string, int>>();
        for (var d = 0; d < Dimensions.Length; d++)
        {
            var at = new Dictionary<string, int>();
            foreach (var g in groups[d])
            {
                at[g] = cells.Count;
                cells.Add(cohortCounts[d].GetValueOrDefault(g));
            }
            index.Add(at);
            constraints.Add(new SumConstraint(2, at.Values.ToList()));
        }
        var primary = cells.Select((v, i) => i != 2 && v is > 0 and < Representation.SuppressBelow).ToList();
        var hidden = Suppression.Apply(cells, primary, constraints);

        // The population's cells: its total (published through the shares), then each group's count.
        var popCells = new List<int> { all.Count };
        var popConstraints = new List<SumConstraint>();
        var popIndex = new List<Dictionary<string, int>>();
        for (var d = 0; d < Dimensions.Length; d++)
        {
            var at = new Dictionary<string, int>();
            foreach (var g in groups[d])
            {
                at[g] = popCells.Count;
                popCells.Add(populationCounts[d].GetValueOrDefault(g));
            }
            popIndex.Add(at);
            popConstraints.Add(new SumConstraint(0, at.Values.ToList()));
        }
        var popHidden = Suppression.Apply(popCells, popCells.Select((v, i) => i != 0 && v is > 0 and < Representation.SuppressBelow).ToList(), popConstraints);

        // Expected counts from pupils of the same ward and age band: each stratum's cohort members spread as its population is.
        var strata = all.GroupBy(c => c.Stratum).ToDictionary(g => g.Key, g => g.ToList());
        var inStratum = held.GroupBy(c => c.Stratum).ToDictionary(g => g.Key, g => g.Count());

        var rows = new List<RepresentationRow>();
        for (var d = 0; d < Dimensions.Length; d++)
        {
            var (dimension, pick, standardise) = Dimensions[d];
            Dictionary<string, double>? expected = null;
            if (standardise)
            {
                expected = [];
                foreach (var (stratum, n) in inStratum)
                    foreach (var g in strata[stratum].GroupBy(pick))
                        expected[g.Key] = expected.GetValueOrDefault(g.Key) + n * (double)g.Count() / strata[stratum].Count;
            }
            var at = index[d];
            var popAt = popIndex[d];
            rows.AddRange(Representation.Compare(dimension, cohortCounts[d], populationCounts[d], threshold,
                g => hidden[at[g]] || hidden[2], g => popHidden[popAt[g]], expected));
        }
        return new CohortRepresentation(name, hidden[0] ? null : size, hidden[1] ? null : notOnRoll, rows, hidden[3] ? null : restricted);
    }
}
