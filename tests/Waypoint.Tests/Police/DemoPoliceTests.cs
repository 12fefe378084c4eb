using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Demo;
using Waypoint.Features.Risk;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Police;

/// <summary>The demo's police data: generated, valid by the rules the pages apply, and never a victim as a perpetrator.</summary>
public abstract class DemoPoliceTests(WaypointApp app)
{
    [Fact]
    public async Task Seed_SchoolPupils_NoVictimIsAPerpetratorAndEveryRecordIsValid()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var pupils = new List<Guid>();
        for (var i = 0; i < 24; i++)
            pupils.Add((await p.YoungPersonAsync($"Demo{i}", $"Pupil{p.Suffix}", new DateOnly(2010, 1, 1).AddDays(i * 17), enrolledAt: p.School)).Id);
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(now.UtcDateTime);

        await app.AsSystemAsync(db => DemoPolice.SeedForAsync(db, p.School.Id, p.Police.Id, officer.Id, now, everySchool: false, CancellationToken.None));

        var links = await app.AsSystemAsync((db, _) => db.OccurrencePeople.Where(l => pupils.Contains(l.PersonId))
            .Select(l => new { l.PersonId, l.Role, l.Occurrence!.IncidentType, l.Occurrence.OccurredOn }).ToListAsync());
        links.Count.ShouldBeGreaterThan(20);
        var victims = links.Where(l => RiskMatrixRules.VictimSide.Contains(l.Role)).Select(l => l.PersonId).ToHashSet();
        var perpetrators = links.Where(l => l.Role is OccurrenceRole.Suspect or OccurrenceRole.Offender).Select(l => l.PersonId).ToHashSet();
        victims.ShouldNotBeEmpty();
        victims.Intersect(perpetrators).ShouldBeEmpty();
        links.ShouldAllBe(l => HomeOfficeOffences.RolesFor(l.IncidentType).Contains(l.Role) && l.OccurredOn <= today);

        var flags = await app.AsSystemAsync((db, _) => db.PersonFlags.Where(f => pupils.Contains(f.PersonId)).ToListAsync());
        flags.ShouldAllBe(f => f.ReviewOn <= today.AddMonths(FlagRules.MaxReviewMonths) && f.Evidence.Length > 0);
        flags.Count(f => FlagRules.IsLapsed(f, today)).ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.CountAsync(r => r.OwnerOrganisationId == p.Police.Id && r.Status == OccurrenceMatchStatus.Waiting))).ShouldBe(3);

        // Scored by the starter matrix, no victim has an offending-related score.
        var scores = await app.AsSystemAsync(async (db, services) =>
        {
            await services.GetRequiredService<RiskScoring>().RecomputeAsync(pupils, CancellationToken.None);
            return await db.RiskScores.Where(s => s.IsLatest && pupils.Contains(s.PersonId)).Select(s => new { s.PersonId, s.Offending }).ToListAsync();
        });
        scores.Where(s => victims.Contains(s.PersonId)).ShouldAllBe(s => s.Offending == 0);
        scores.ShouldContain(s => s.Offending > 0);
    }
}

public sealed class DemoPoliceTestsOnSqlite(SqliteApp app) : DemoPoliceTests(app), IClassFixture<SqliteApp>;

public sealed class DemoPoliceTestsOnPostgres(PostgresApp app) : DemoPoliceTests(app), IClassFixture<PostgresApp>;
