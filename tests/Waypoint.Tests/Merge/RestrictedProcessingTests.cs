using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Alerts;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Merge;

/// <summary>Restriction of processing (issue 16, item 4): the data-protection officer's flag, which scoring and alerts honour through one predicate while reads go on.</summary>
public abstract class RestrictedProcessingTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task EvaluateAlerts_RestrictedPupil_NotAlertedUntilLifted()
    {
        var p = await TestPartnership.CreateAsync(app);
        var restricted = await p.YoungPersonAsync("Ivy", $"Restricted{p.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: p.School);
        var other = await p.YoungPersonAsync("Jon", $"Unrestricted{p.Suffix}", new DateOnly(2011, 5, 5), enrolledAt: p.School);
        await ExcludeAsync(p, restricted);
        await ExcludeAsync(p, other);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        var response = await dpo.PostFormAsync("/data-protection/restrictions", new() { ["PersonId"] = restricted.Id.ToString(), ["Reason"] = "The family asked us to stop profiling while a challenge is checked" });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await EvaluateAsync(restricted, other);

        (await AlertCountAsync(restricted)).ShouldBe(0);
        (await AlertCountAsync(other)).ShouldBe(1);
        var teacher = await app.SignInAsync(await p.UserAsync(p.School));
        (await teacher.GetAsync($"/people/{restricted.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "reads still work");

        var restrictionId = await app.AsSystemAsync((db, _) => db.ProcessingRestrictions.Where(r => r.PersonId == restricted.Id).Select(r => r.Id).SingleAsync());
        (await dpo.PostFormAsync($"/data-protection/restrictions/lift?restriction={restrictionId}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await EvaluateAsync(restricted, other);

        (await AlertCountAsync(restricted)).ShouldBe(1);
    }

    [Fact]
    public async Task RecomputeRisk_RestrictedPerson_ScoreWithdrawnAndNotRecomputed()
    {
        var p = await TestPartnership.CreateAsync(app);
        var person = await p.YoungPersonAsync("Kit", $"Scored{p.Suffix}", new DateOnly(2010, 6, 6), enrolledAt: p.School);
        await ExcludeAsync(p, person);
        await app.AsSystemAsync(async db =>
        {
            db.PersonFlags.Add(new PersonFlag
            {
                PersonId = person.Id,
                Kind = FlagKind.GangAssociated,
                Evidence = "Seen with a known group",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceIntelligence,
                SetByUserId = (await p.UserAsync(p.Police)).Id,
                SetAt = DateTimeOffset.UtcNow,
                ReviewOn = Today.AddMonths(3),
            });
            await db.SaveChangesAsync();
        });
        await RecomputeAsync(person);
        (await LatestScoresAsync(person)).ShouldBe(1);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        (await dpo.PostFormAsync("/data-protection/restrictions", new() { ["PersonId"] = person.Id.ToString(), ["Reason"] = "Objection to profiling" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await RecomputeAsync(person);

        (await LatestScoresAsync(person)).ShouldBe(0);
    }

    [Fact]
    public async Task Restrict_NotInRegisterOrBadInput_RefusedWithReason()
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        var unknown = await dpo.PostFormAsync("/data-protection/restrictions", new() { ["PersonId"] = Guid.NewGuid().ToString(), ["Reason"] = "A request" });
        var garbled = await dpo.PostFormAsync("/data-protection/restrictions", new() { ["PersonId"] = "not-an-id", ["Reason"] = "" });

        (await unknown.DocumentAsync()).ErrorSummary().ShouldBe(["There is no one in the register with this id"]);
        (await garbled.DocumentAsync()).ErrorSummary().Count.ShouldBe(2);
        var practitioner = await app.SignInAsync(await p.UserAsync(p.School));
        (await practitioner.GetAsync("/data-protection/restrictions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    private Task ExcludeAsync(TestPartnership p, Person pupil) =>
        app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.PermanentExclusion,
                StartDate = Today.AddDays(-3),
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

    private Task<int> EvaluateAsync(params Person[] pupils) =>
        app.AsSystemAsync((_, services) => services.GetRequiredService<AlertEvaluator>().EvaluateAsync(pupils.Select(x => x.Id).ToList(), CancellationToken.None));

    private Task<int> RecomputeAsync(Person person) =>
        app.AsSystemAsync((_, services) => services.GetRequiredService<RiskScoring>().RecomputeAsync([person.Id], CancellationToken.None));

    private Task<int> AlertCountAsync(Person pupil) => app.AsSystemAsync((db, _) => db.Alerts.CountAsync(a => a.PersonId == pupil.Id));

    private Task<int> LatestScoresAsync(Person person) => app.AsSystemAsync((db, _) => db.RiskScores.CountAsync(s => s.PersonId == person.Id && s.IsLatest));
}

public sealed class RestrictedProcessingTestsOnSqlite(SqliteApp app) : RestrictedProcessingTests(app), IClassFixture<SqliteApp>;

public sealed class RestrictedProcessingTestsOnPostgres(PostgresApp app) : RestrictedProcessingTests(app), IClassFixture<PostgresApp>;
