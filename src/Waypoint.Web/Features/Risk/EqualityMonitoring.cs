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

    /// <summary>The report's characteristics: the first four compared with the population (crude and standardised by ward and age band), the last two the cohort's spread.</summary>
    private static readonly (string Name, bool Standardise)[] Dimensions =
        [("Sex", true), ("Ethnicity", true), ("SEN provision", true), ("Free school meals", true), ("Ward", false), ("Age band", false)];

    private const int BySex = 0, ByEthnicity = 1, BySen = 2, ByFsm = 3, ByWard = 4, ByAgeBand = 5;

    /// <summary>The cohorts in the order the report shows them (bit k of <see cref="Row.Cohorts"/> is cohort k).</summary>
    private static readonly string[] CohortNames =
        ["High-risk cohort (reviewed in)", "Nominated to a school's top 10", "High offending-related score", "High vulnerability score", "A current flag"];

    /// <summary>The bit of <see cref="Row.Cohorts"/> set for a person who restricted processing.</summary>
    private const int RestrictedBit = 1 << 5;

    /// <summary>The age bands by the index the database gives (<see cref="Row.Band"/>).</summary>
    private static readonly string[] AgeBands = ["Not recorded", "Under 11", "11 to 13", "14 to 15", "16 and over"];

    /// <summary>
    /// The latest date of birth at which a person is at least <paramref name="years"/> old on
    /// <paramref name="today"/> by <see cref="Ages.On"/> (29 February birthdays included), so that the
    /// database compares dates and gives the bands <see cref="Representation.AgeBand"/> gives.
    /// </summary>
    public static DateOnly BornOnOrBefore(int years, DateOnly today)
    {
        var cut = today.AddYears(-years);
        while (Ages.On(cut.AddDays(1), today) >= years)
            cut = cut.AddDays(1);
        return cut;
    }

    /// <summary>
    /// A young person on a roll as the counting statements see them (never read out): stratum, cohort
    /// memberships as bits (and <see cref="RestrictedBit"/>), the register's sex and the
    /// characteristics the chosen school record holds.
    /// </summary>
    private sealed class Row
    {
        public Guid? AreaId { get; init; }
        public int Band { get; init; }
        public int Cohorts { get; init; }
        public Sex RegisterSex { get; init; }
        public Sex? SchoolSex { get; init; }
        public string? Ethnicity { get; init; }
        public string? Sen { get; init; }
        public bool? Fsm { get; init; }
    }

    /// <summary>One cell counted in the database: a stratum, which cohorts its people are in, the group (mapped from the raw value), how many.</summary>
    private readonly record struct Cell(string Stratum, string Ward, string Band, int Cohorts, string Group, int Count);

    public async Task<(IReadOnlyList<CohortRepresentation> Cohorts, double Threshold)> ReportAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("equality monitoring counts every cohort and the school population by characteristic; only suppressed aggregates leave it");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var threshold = await ThresholdAsync(db, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var wards = await db.Areas.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);

        // The cohorts as sets in the database: subqueries, never lists in memory.
        var inCohort = db.CohortReviews.Where(r => r.Decision == CohortDecision.Accepted && r.EndedAt == null).Select(r => r.PersonId);
        var inTopTen = db.TopTenNominations.Where(n => n.WithdrawnAt == null).Select(n => n.PersonId);
        var offendingHigh = db.RiskScores.Where(s => s.IsLatest && s.OffendingBand == RiskBand.High).Select(s => s.PersonId);
        var vulnerabilityHigh = db.RiskScores.Where(s => s.IsLatest && s.VulnerabilityBand == RiskBand.High).Select(s => s.PersonId);
        var flagged = db.PersonFlags.Where(FlagRules.Counts(today)).Select(f => f.PersonId);
        var restrictedPeople = db.RestrictedPeople();

        // Each cohort's size and those in it who restricted processing (counted, never described).
        var listed = new List<(int Members, int Restricted)>();
        foreach (var ids in new[] { inCohort, inTopTen, offendingHigh, vulnerabilityHigh, flagged })
        {
            var all = await ids.Distinct().CountAsync(ct);
            var restricted = await ids.Distinct().CountAsync(id => restrictedPeople.Contains(id), ct);
            listed.Add((all - restricted, restricted));
        }

        // The young people on a roll today, each once, with the characteristics the school of one of
        // those enrolments holds: a dual-registered pupil by the record that holds the most, then the
        // lowest id. The age band from dates of birth against cut-off dates.
        var current = db.Enrolments.Where(e => e.StartDate <= today && (e.EndDate == null || e.EndDate >= today));
        var held = db.PupilCharacteristics.Where(c => current.Any(e => e.PersonId == c.PersonId && e.SchoolId == c.SchoolId));
        var chosen = held.Where(c => !held.Any(o => o.PersonId == c.PersonId && o.Id != c.Id &&
            ((o.Sex == null ? 0 : 1) + (o.Ethnicity == null ? 0 : 1) + (o.SenProvision == null ? 0 : 1) + (o.FsmEligible == null ? 0 : 1) >
                (c.Sex == null ? 0 : 1) + (c.Ethnicity == null ? 0 : 1) + (c.SenProvision == null ? 0 : 1) + (c.FsmEligible == null ? 0 : 1)
             || ((o.Sex == null ? 0 : 1) + (o.Ethnicity == null ? 0 : 1) + (o.SenProvision == null ? 0 : 1) + (o.FsmEligible == null ? 0 : 1) ==
                (c.Sex == null ? 0 : 1) + (c.Ethnicity == null ? 0 : 1) + (c.SenProvision == null ? 0 : 1) + (c.FsmEligible == null ? 0 : 1)
                && o.Id.CompareTo(c.Id) < 0))));
        var (c11, c14, c16) = (BornOnOrBefore(11, today), BornOnOrBefore(14, today), BornOnOrBefore(16, today));
        var rows =
            from p in db.People
            where p.Kind == PersonKind.YoungPerson && current.Any(e => e.PersonId == p.Id)
            join c in chosen on p.Id equals c.PersonId into cs
            from c in cs.DefaultIfEmpty()
            select new Row
            {
                AreaId = p.AreaId,
                Band = p.DateOfBirth == null ? 0 : p.DateOfBirth > c11 ? 1 : p.DateOfBirth > c14 ? 2 : p.DateOfBirth > c16 ? 3 : 4,
                Cohorts = (inCohort.Contains(p.Id) ? 1 : 0) + (inTopTen.Contains(p.Id) ? 2 : 0) + (offendingHigh.Contains(p.Id) ? 4 : 0)
                    + (vulnerabilityHigh.Contains(p.Id) ? 8 : 0) + (flagged.Contains(p.Id) ? 16 : 0) + (restrictedPeople.Contains(p.Id) ? RestrictedBit : 0),
                RegisterSex = p.Sex,
                SchoolSex = c == null ? null : c.Sex,
                Ethnicity = c == null ? null : c.Ethnicity,
                Sen = c == null ? null : c.SenProvision,
                Fsm = c == null ? null : c.FsmEligible,
            };

        // One statement a characteristic, each returning only its cells (stratum, cohorts, raw value, count).
        Cell Of(Guid? area, int band, int cohorts, string group, int count)
        {
            var ward = area is { } a && wards.TryGetValue(a, out var name) ? name : "Not recorded";
            return new Cell($"{ward}|{AgeBands[band]}", ward, AgeBands[band], cohorts, group, count);
        }
        var cells = new List<Cell>[Dimensions.Length];
        cells[BySex] = (await rows.GroupBy(r => new { r.AreaId, r.Band, r.Cohorts, r.SchoolSex, r.RegisterSex })
                .Select(g => new { g.Key.AreaId, g.Key.Band, g.Key.Cohorts, g.Key.SchoolSex, g.Key.RegisterSex, Count = g.Count() }).ToListAsync(ct))
            // The school's recorded sex, else the register's.
            .Select(x => Of(x.AreaId, x.Band, x.Cohorts, (x.SchoolSex is { } s and not Sex.Unknown ? s : x.RegisterSex) switch
            {
                Sex.Female => "Female",
                Sex.Male => "Male",
                _ => "Not recorded",
            }, x.Count)).ToList();
        cells[ByEthnicity] = (await rows.GroupBy(r => new { r.AreaId, r.Band, r.Cohorts, r.Ethnicity })
                .Select(g => new { g.Key.AreaId, g.Key.Band, g.Key.Cohorts, g.Key.Ethnicity, Count = g.Count() }).ToListAsync(ct))
            .Select(x => Of(x.AreaId, x.Band, x.Cohorts, Representation.EthnicGroup(x.Ethnicity), x.Count)).ToList();
        cells[BySen] = (await rows.GroupBy(r => new { r.AreaId, r.Band, r.Cohorts, r.Sen })
                .Select(g => new { g.Key.AreaId, g.Key.Band, g.Key.Cohorts, g.Key.Sen, Count = g.Count() }).ToListAsync(ct))
            .Select(x => Of(x.AreaId, x.Band, x.Cohorts, Representation.SenGroup(x.Sen), x.Count)).ToList();
        cells[ByFsm] = (await rows.GroupBy(r => new { r.AreaId, r.Band, r.Cohorts, r.Fsm })
                .Select(g => new { g.Key.AreaId, g.Key.Band, g.Key.Cohorts, g.Key.Fsm, Count = g.Count() }).ToListAsync(ct))
            .Select(x => Of(x.AreaId, x.Band, x.Cohorts, x.Fsm switch { true => "Eligible", false => "Not eligible", null => "Not recorded" }, x.Count)).ToList();
        // The spread by ward and by age band: the strata of any one characteristic's cells.
        cells[ByWard] = cells[BySex].Select(c => c with { Group = c.Ward }).ToList();
        cells[ByAgeBand] = cells[BySex].Select(c => c with { Group = c.Band }).ToList();

        return (CohortNames.Select((name, k) => Describe(name, k, listed[k].Members, listed[k].Restricted, cells, threshold)).ToList(), threshold);
    }

    private static Dictionary<string, int> Sum(IEnumerable<Cell> cells, Func<Cell, string> key) =>
        cells.GroupBy(key).ToDictionary(g => g.Key, g => g.Sum(c => c.Count));

    private static CohortRepresentation Describe(string name, int k, int size, int restricted, List<Cell>[] cells, double threshold)
    {
        bool Member(Cell c) => (c.Cohorts & RestrictedBit) == 0 && (c.Cohorts & (1 << k)) != 0;
        var heldCount = cells[BySex].Where(Member).Sum(c => c.Count);
        var total = cells[BySex].Sum(c => c.Count);
        var notOnRoll = size - heldCount;

        var cohortCounts = Dimensions.Select((_, d) => Sum(cells[d].Where(Member), c => c.Group)).ToList();
        var populationCounts = Dimensions.Select((_, d) => Sum(cells[d], c => c.Group)).ToList();
        var groups = Dimensions.Select((_, i) => populationCounts[i].Keys.Union(cohortCounts[i].Keys).Order(StringComparer.Ordinal).ToList()).ToList();

        // The cohort's cells: its size, those not on a roll, those on a roll (derivable from the two), those restricted, then each group's count.
        var counts = new List<int> { size, notOnRoll, heldCount, restricted };
        var constraints = new List<SumConstraint> { new(0, [1, 2]) };
        var index = new List<Dictionary<string, int>>();
        for (var d = 0; d < Dimensions.Length; d++)
        {
            var at = new Dictionary<string, int>();
            foreach (var g in groups[d])
            {
                at[g] = counts.Count;
                counts.Add(cohortCounts[d].GetValueOrDefault(g));
            }
            index.Add(at);
            constraints.Add(new SumConstraint(2, at.Values.ToList()));
        }
        var primary = counts.Select((v, i) => i != 2 && v is > 0 and < Representation.SuppressBelow).ToList();
        var hidden = Suppression.Apply(counts, primary, constraints);

        // The population's cells: its total (published through the shares), then each group's count.
        var popCounts = new List<int> { total };
        var popConstraints = new List<SumConstraint>();
        var popIndex = new List<Dictionary<string, int>>();
        for (var d = 0; d < Dimensions.Length; d++)
        {
            var at = new Dictionary<string, int>();
            foreach (var g in groups[d])
            {
                at[g] = popCounts.Count;
                popCounts.Add(populationCounts[d].GetValueOrDefault(g));
            }
            popIndex.Add(at);
            popConstraints.Add(new SumConstraint(0, at.Values.ToList()));
        }
        var popHidden = Suppression.Apply(popCounts, popCounts.Select((v, i) => i != 0 && v is > 0 and < Representation.SuppressBelow).ToList(), popConstraints);

        // Expected counts from pupils of the same ward and age band: each stratum's cohort members spread as its population is.
        var strata = Sum(cells[BySex], c => c.Stratum);
        var inStratum = Sum(cells[BySex].Where(Member), c => c.Stratum);

        var rows = new List<RepresentationRow>();
        for (var d = 0; d < Dimensions.Length; d++)
        {
            var (dimension, standardise) = Dimensions[d];
            Dictionary<string, double>? expected = null;
            if (standardise)
            {
                expected = [];
                foreach (var g in cells[d].Where(c => inStratum.ContainsKey(c.Stratum)).GroupBy(c => (c.Stratum, c.Group)))
                    expected[g.Key.Group] = expected.GetValueOrDefault(g.Key.Group) + inStratum[g.Key.Stratum] * (double)g.Sum(c => c.Count) / strata[g.Key.Stratum];
            }
            var at = index[d];
            var popAt = popIndex[d];
            rows.AddRange(Representation.Compare(dimension, cohortCounts[d], populationCounts[d], threshold,
                g => hidden[at[g]] || hidden[2], g => popHidden[popAt[g]], expected));
        }
        return new CohortRepresentation(name, hidden[0] ? null : size, hidden[1] ? null : notOnRoll, rows, hidden[3] ? null : restricted);
    }
}
