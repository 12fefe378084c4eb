using Shouldly;
using Waypoint.Domain;

namespace Waypoint.Tests.Risk;

/// <summary>
/// The ICO's first finding against the Gangs Matrix, as a property: over generated matrices (every
/// source, kind, role set, offence group, incident type, flag, weight and look-back the matrix can
/// express) and generated histories, adding any number of victim, witness or missing-person links
/// never moves the offending-related score; and the validator refuses every factor that would read
/// them into offending. Seeds are fixed, so a failure names a case that can be replayed.
/// </summary>
public sealed class VictimGuardPropertyTests
{
    private const int Cases = 2000;
    private static readonly DateOnly Today = new(2026, 6, 15);
    private static readonly OccurrenceRole[] AllRoles = Enum.GetValues<OccurrenceRole>();
    private static readonly OccurrenceRole[] VictimSide = [OccurrenceRole.Victim, OccurrenceRole.Witness, OccurrenceRole.MissingPerson];

    private static RiskFactor Factor(Random r)
    {
        var source = Pick(r, Enum.GetValues<RiskSource>());
        var roles = AllRoles.Where(_ => r.Next(3) == 0).ToList();
        if (roles.Count == 0)
            roles.Add(Pick(r, AllRoles));
        return new RiskFactor
        {
            Name = $"Generated {r.Next()}",
            Source = source,
            Kind = Pick(r, Enum.GetValues<RiskFactorKind>()),
            Weight = r.Next(RiskFactor.MinWeight, RiskFactor.MaxWeight + 1),
            LookBackMonths = r.Next(1, RiskFactor.MaxLookBackMonths + 1),
            MinimumCount = r.Next(1, 4),
            AttendanceBelowPercent = source == RiskSource.Attendance ? r.Next(1, 101) : null,
            Roles = source == RiskSource.Occurrences ? string.Join(",", roles) : null,
            OffenceGroup = source == RiskSource.Occurrences && r.Next(2) == 0 ? Pick(r, HomeOfficeOffences.Groups.ToArray()) : null,
            IncidentType = source == RiskSource.Occurrences && r.Next(4) == 0 ? Pick(r, Enum.GetValues<IncidentType>()) : null,
            FlagKind = source == RiskSource.Flags ? Pick(r, Enum.GetValues<FlagKind>()) : null,
        };
    }

    private static RiskFact Fact(Random r, OccurrenceRole[] roles)
    {
        var date = Today.AddDays(-r.Next(0, 1200));
        var source = Pick(r, Enum.GetValues<RiskSource>());
        var incident = r.Next(3) == 0 ? Pick(r, Enum.GetValues<IncidentType>()) : (IncidentType?)null;
        return source switch
        {
            RiskSource.Occurrences => new RiskFact(source, date, Guid.NewGuid(), Pick(r, roles), incident is null ? Pick(r, HomeOfficeOffences.Groups.ToArray()) : null, incident),
            RiskSource.Flags => new RiskFact(source, Today, Guid.NewGuid(), FlagKind: Pick(r, Enum.GetValues<FlagKind>())),
            RiskSource.Attendance => new RiskFact(source, date, Guid.NewGuid(), SessionsPossible: 100, SessionsPresent: r.Next(0, 101)),
            _ => new RiskFact(source, date, Guid.NewGuid()),
        };
    }

    private static RiskFact VictimLink(Random r)
    {
        var incident = r.Next(3) == 0 ? Pick(r, Enum.GetValues<IncidentType>()) : (IncidentType?)null;
        return new RiskFact(RiskSource.Occurrences, Today.AddDays(-r.Next(0, 1200)), Guid.NewGuid(), Pick(r, VictimSide),
            incident is null ? Pick(r, HomeOfficeOffences.Groups.ToArray()) : null, incident);
    }

    private static T Pick<T>(Random r, T[] items) => items[r.Next(items.Length)];

    [Fact]
    public void Score_AnyNumberOfVictimSideLinks_LeavesOffendingUnchangedForEveryMatrix()
    {
        for (var seed = 0; seed < Cases; seed++)
        {
            var r = new Random(seed);
            // Every factor the matrix can express, including those the validator refuses: the scorer holds the line on its own too.
            var factors = Enumerable.Range(0, r.Next(1, 9)).Select(_ => Factor(r)).ToList();
            var history = Enumerable.Range(0, r.Next(0, 30)).Select(_ => Fact(r, AllRoles)).ToList();
            var before = RiskMatrixRules.Score(factors, history, Today);
            var victims = Enumerable.Range(0, r.Next(1, 40)).Select(_ => VictimLink(r)).ToList();
            var after = RiskMatrixRules.Score(factors, [.. history, .. victims], Today);

            after.Offending.ShouldBe(before.Offending, $"seed {seed}: victim-side links moved the offending score");
            after.Vulnerability.ShouldBeGreaterThanOrEqualTo(before.Vulnerability, $"seed {seed}");
            foreach (var c in after.Contributions.Where(c => c.Kind == RiskFactorKind.Offending))
                after.RecordsByFactor[c.FactorId].ShouldNotContain(id => victims.Any(v => v.RecordId == id), $"seed {seed}: an offending factor cites a victim-side link");
        }
    }

    [Fact]
    public void Check_OffendingFactorReadingAnyVictimSideRole_IsRefusedNamingRoles()
    {
        var refused = 0;
        for (var seed = 0; seed < Cases; seed++)
        {
            var f = Factor(new Random(seed));
            var problems = RiskMatrixRules.Check(f).ToList();
            var readsVictims = f.Source == RiskSource.Occurrences && f.Kind == RiskFactorKind.Offending && f.RoleList.Any(VictimSide.Contains);
            var readsVulnerabilityFlag = f.Source == RiskSource.Flags && f.Kind == RiskFactorKind.Offending && FlagRules.IsVulnerability(f.FlagKind!.Value);
            if (readsVictims)
            {
                problems.ShouldContain(p => p.Field == "Roles" && p.Message.Contains("victim"), $"seed {seed}");
                refused++;
            }
            if (readsVulnerabilityFlag)
                problems.ShouldContain(p => p.Field == "FlagKind", $"seed {seed}");
            if (!readsVictims && !readsVulnerabilityFlag)
                problems.ShouldNotContain(p => p.Field == "Roles" || p.Field == "FlagKind", $"seed {seed}: {string.Join("; ", problems)}");
        }
        refused.ShouldBeGreaterThan(Cases / 25, "the generator must make victim-reading offending factors often enough to test");
    }

    [Fact]
    public void Score_VictimLinksUnderVulnerabilityFactor_CountAsVulnerability()
    {
        var victimOfViolence = new RiskFactor
        {
            Name = "Victim of violence",
            Source = RiskSource.Occurrences,
            Kind = RiskFactorKind.Vulnerability,
            Weight = 3,
            LookBackMonths = 12,
            Roles = "Victim",
            OffenceGroup = HomeOfficeOffences.ViolenceAgainstThePerson,
        };
        RiskMatrixRules.Check(victimOfViolence).ShouldBeEmpty();
        var result = RiskMatrixRules.Score([victimOfViolence], [new RiskFact(RiskSource.Occurrences, Today.AddDays(-5), Guid.NewGuid(), OccurrenceRole.Victim, HomeOfficeOffences.ViolenceAgainstThePerson)], Today);
        result.Vulnerability.ShouldBe(3);
        result.Offending.ShouldBe(0);
    }

    [Fact]
    public void Check_WeightOutOfRange_IsRefusedNamingTheField()
    {
        foreach (var weight in new[] { 0, -1, 11, 1000 })
        {
            var f = new RiskFactor { Name = "x", Source = RiskSource.Suspensions, Kind = RiskFactorKind.Offending, Weight = weight, LookBackMonths = 12, MinimumCount = 2 };
            RiskMatrixRules.Check(f).ShouldContain(p => p.Field == "Weight");
        }
    }

    [Fact]
    public void Starter_Matrix_PassesItsOwnRules()
    {
        RiskMatrixRules.Check(RiskMatrixRules.Starter(Guid.Empty, DateTimeOffset.UtcNow)).ShouldBeEmpty();
    }
}
