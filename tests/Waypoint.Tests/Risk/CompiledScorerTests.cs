using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Risk;

namespace Waypoint.Tests.Risk;

/// <summary>
/// The compiled scorer (roles parsed once, a person's facts as a slice of their chunk's array) gives
/// the same scores, contributions and records as the plain scorer it replaced, kept here as the
/// oracle: over generated matrices (every source, role set, offence group, incident, flag, weight,
/// look-back, including factors the validator refuses) and histories (records before, inside and
/// after each window, links with no role), one person at a time and a chunk of people at once.
/// </summary>
public sealed class CompiledScorerTests
{
    private const int Cases = 1500;
    private static readonly DateOnly Today = new(2026, 6, 15);

    [Fact]
    public void Score_GeneratedMatricesAndHistories_EqualsThePlainScorer()
    {
        for (var seed = 0; seed < Cases; seed++)
        {
            var r = new Random(seed);
            var factors = Enumerable.Range(0, r.Next(1, 10)).Select(_ => Factor(r)).ToList();
            var history = Enumerable.Range(0, r.Next(0, 40)).Select(_ => Fact(r)).ToList();

            var expected = PlainScore(factors, history, Today);
            var actual = RiskMatrixRules.Score(factors, history, Today);

            actual.Offending.ShouldBe(expected.Offending, $"seed {seed}");
            actual.Vulnerability.ShouldBe(expected.Vulnerability, $"seed {seed}");
            actual.Contributions.ShouldBe(expected.Contributions, $"seed {seed}");
            actual.RecordsByFactor.Keys.ShouldBe(expected.RecordsByFactor.Keys, ignoreOrder: true, $"seed {seed}");
            foreach (var (factor, records) in expected.RecordsByFactor)
                actual.RecordsByFactor[factor].ShouldBe(records, $"seed {seed}");
            foreach (var f in factors)
            {
                foreach (var fact in history)
                    RiskMatrixRules.Reads(f, fact).ShouldBe(PlainReads(f, fact), $"seed {seed}");
            }
        }
    }

    [Fact]
    public void Score_ChunkOfPeopleWithFactsInAnyOrder_EachEqualsThePlainScorer()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var r = new Random(seed);
            var factors = Enumerable.Range(0, r.Next(1, 10)).Select(_ => Factor(r)).ToList();
            var people = Enumerable.Range(0, r.Next(1, 60)).Select(_ => Guid.NewGuid()).ToList();
            var histories = people.ToDictionary(p => p, _ => Enumerable.Range(0, r.Next(0, 12)).Select(_ => Fact(r)).ToList());
            var chunk = new RiskFactChunk(people);
            // Records arrive kind by kind, people interleaved, and some belong to people outside the chunk.
            foreach (var (person, fact) in histories.SelectMany(h => h.Value.Select(f => (h.Key, f))).OrderBy(x => x.f.Source).ThenBy(_ => r.Next()))
                chunk.Add(person, fact);
            chunk.Add(Guid.NewGuid(), Fact(r));
            chunk.Seal();
            var compiled = RiskMatrixRules.Compile(factors, Today);
            var contributions = new List<RiskContribution>();

            chunk.Count.ShouldBe(people.Count);
            for (var i = 0; i < chunk.Count; i++)
            {
                var person = chunk.People[i];
                // The plain scorer over the person's records in the order the chunk holds them (kind by kind), as the recompute reads them.
                var ordered = histories[person].OrderBy(f => f.Source).ToList();
                chunk.Of(i).ToArray().OrderBy(f => f.RecordId).ShouldBe(ordered.OrderBy(f => f.RecordId), $"seed {seed}");
                var expected = PlainScore(factors, ordered, Today);
                contributions.Clear();
                var (offending, vulnerability) = compiled.Score(chunk.Of(i), contributions);
                (offending, vulnerability).ShouldBe((expected.Offending, expected.Vulnerability), $"seed {seed}");
                contributions.ShouldBe(expected.Contributions, $"seed {seed}");
            }
        }
    }

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    private static RiskFactor Factor(Random r)
    {
        var source = Pick(r, Enum.GetValues<RiskSource>());
        var roles = Enum.GetValues<OccurrenceRole>().Where(_ => r.Next(3) == 0).Select(x => x.ToString()).ToList();
        if (r.Next(10) == 0)
            roles.Add(" suspect "); // case and spaces, as a hand-edited row might hold
        return new RiskFactor
        {
            Name = $"Generated {r.Next()}",
            Source = source,
            Kind = Pick(r, Enum.GetValues<RiskFactorKind>()),
            Weight = r.Next(RiskFactor.MinWeight, RiskFactor.MaxWeight + 1),
            LookBackMonths = r.Next(1, RiskFactor.MaxLookBackMonths + 1),
            MinimumCount = r.Next(1, 4),
            AttendanceBelowPercent = source == RiskSource.Attendance && r.Next(8) > 0 ? r.Next(1, 101) : null,
            Roles = source == RiskSource.Occurrences || r.Next(8) == 0 ? string.Join(",", roles) : null,
            OffenceGroup = r.Next(2) == 0 ? Pick(r, HomeOfficeOffences.Groups.ToArray()) : null,
            IncidentType = r.Next(4) == 0 ? Pick(r, Enum.GetValues<IncidentType>()) : null,
            FlagKind = source == RiskSource.Flags || r.Next(8) == 0 ? Pick(r, Enum.GetValues<FlagKind>()) : null,
        };
    }

    private static RiskFact Fact(Random r)
    {
        // Up to three years back and a month ahead: before, inside and after every window.
        var date = Today.AddDays(-r.Next(-31, 1200));
        var source = Pick(r, Enum.GetValues<RiskSource>());
        var incident = r.Next(3) == 0 ? Pick(r, Enum.GetValues<IncidentType>()) : (IncidentType?)null;
        return source switch
        {
            RiskSource.Occurrences => new RiskFact(source, date, Guid.NewGuid(), r.Next(8) == 0 ? null : Pick(r, Enum.GetValues<OccurrenceRole>()),
                incident is null ? Pick(r, HomeOfficeOffences.Groups.ToArray()) : null, incident),
            RiskSource.Flags => new RiskFact(source, r.Next(4) == 0 ? date : Today, Guid.NewGuid(), FlagKind: r.Next(8) == 0 ? null : Pick(r, Enum.GetValues<FlagKind>())),
            RiskSource.Attendance => new RiskFact(source, date, Guid.NewGuid(), SessionsPossible: r.Next(0, 130), SessionsPresent: r.Next(0, 130)),
            _ => new RiskFact(source, date, Guid.NewGuid()),
        };
    }

    // The scorer as it was before it was compiled (a LINQ pass per factor, the roles parsed per fact): the oracle.
    private static bool PlainReads(RiskFactor f, RiskFact fact)
    {
        if (fact.Source != f.Source)
            return false;
        return f.Source switch
        {
            RiskSource.Occurrences => fact.Role is { } role && f.RoleList.Contains(role)
                && !(f.Kind == RiskFactorKind.Offending && RiskMatrixRules.VictimSide.Contains(role))
                && (f.OffenceGroup is null || f.OffenceGroup == fact.OffenceGroup)
                && (f.IncidentType is null || f.IncidentType == fact.IncidentType),
            RiskSource.Flags => fact.FlagKind == f.FlagKind
                && !(f.Kind == RiskFactorKind.Offending && fact.FlagKind is { } k && FlagRules.IsVulnerability(k)),
            _ => true,
        };
    }

    private static RiskResult PlainScore(IReadOnlyList<RiskFactor> factors, IReadOnlyList<RiskFact> facts, DateOnly today)
    {
        int offending = 0, vulnerability = 0;
        var contributions = new List<RiskContribution>();
        var records = new Dictionary<Guid, IReadOnlyList<Guid>>();
        foreach (var f in factors)
        {
            var since = today.AddMonths(-f.LookBackMonths);
            var read = facts.Where(x => x.Date > since && x.Date <= today && PlainReads(f, x)).ToList();
            bool holds;
            if (f.Source == RiskSource.Attendance)
            {
                var possible = read.Sum(x => x.SessionsPossible);
                holds = possible > 0 && f.AttendanceBelowPercent is { } below && read.Sum(x => x.SessionsPresent) * 100L < (long)below * possible;
            }
            else
            {
                holds = read.Count >= f.MinimumCount;
            }
            if (!holds)
                continue;
            if (f.Kind == RiskFactorKind.Offending)
                offending += f.Weight;
            else
                vulnerability += f.Weight;
            contributions.Add(new RiskContribution(f.Id, f.Name, f.Kind, f.Source, read.Count, f.Weight));
            records[f.Id] = read.Select(x => x.RecordId).ToList();
        }
        return new RiskResult(offending, vulnerability, contributions, records);
    }
}
