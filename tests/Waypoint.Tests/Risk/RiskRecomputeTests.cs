using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Risk;

/// <summary>
/// The recompute of everyone: its scores are those of a set-based SQL statement written apart from
/// the app's scoring (the reference the risk bench times it against), over a generated population
/// in which every kind of criterion holds for someone; and a run that fails part-way is recorded,
/// shown to the admin, retried from its cursor, and ends with the scores of an uninterrupted run,
/// the failed chunk leaving nothing behind.
/// </summary>
public abstract class RiskRecomputeTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>A matrix with a factor for every criterion the matrix can express: each source, roles on both sides, offence group, incident, flag kinds, counts, look-backs.</summary>
    private static RiskMatrixVersion EveryCriterion(string name) => new()
    {
        Name = name,
        MediumFrom = 4,
        HighFrom = 9,
        ChangeNote = "Every criterion, for the reference test",
        Factors =
        [
            new() { Name = "2+ suspensions in 12 months", Source = RiskSource.Suspensions, Kind = RiskFactorKind.Offending, Weight = 3, LookBackMonths = 12, MinimumCount = 2 },
            new() { Name = "A permanent exclusion in 24 months", Source = RiskSource.PermanentExclusions, Kind = RiskFactorKind.Offending, Weight = 5, LookBackMonths = 24 },
            new() { Name = "Attendance below 90% this term", Source = RiskSource.Attendance, Kind = RiskFactorKind.Vulnerability, Weight = 2, LookBackMonths = 4, AttendanceBelowPercent = 90 },
            new() { Name = "Attendance below 95% this year", Source = RiskSource.Attendance, Kind = RiskFactorKind.Offending, Weight = 1, LookBackMonths = 12, AttendanceBelowPercent = 95 },
            new() { Name = "3+ behaviour incidents in 6 months", Source = RiskSource.BehaviourIncidents, Kind = RiskFactorKind.Offending, Weight = 2, LookBackMonths = 6, MinimumCount = 3 },
            new() { Name = "Suspect or offender in violence, 12 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Offending, Weight = 4, LookBackMonths = 12, Roles = "Suspect,Offender", OffenceGroup = HomeOfficeOffences.ViolenceAgainstThePerson },
            new() { Name = "Victim or witness of robbery, 12 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Vulnerability, Weight = 3, LookBackMonths = 12, Roles = "Victim,Witness", OffenceGroup = "Robbery" },
            new() { Name = "Missing episode in 6 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Vulnerability, Weight = 3, LookBackMonths = 6, Roles = "MissingPerson", IncidentType = IncidentType.MissingPerson },
            new() { Name = "2+ concerns for safety in 12 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Offending, Weight = 2, LookBackMonths = 12, MinimumCount = 2, Roles = "SubjectOfConcern", IncidentType = IncidentType.ConcernForSafety },
            new() { Name = "2+ times a suspect in 3 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Offending, Weight = 1, LookBackMonths = 3, MinimumCount = 2, Roles = "Suspect" },
            new() { Name = "Gang-associated", Source = RiskSource.Flags, Kind = RiskFactorKind.Offending, Weight = 3, LookBackMonths = 6, FlagKind = FlagKind.GangAssociated },
            new() { Name = "Criminal exploitation risk", Source = RiskSource.Flags, Kind = RiskFactorKind.Vulnerability, Weight = 4, LookBackMonths = 6, FlagKind = FlagKind.CriminalExploitationRisk },
            new() { Name = "Going missing", Source = RiskSource.Flags, Kind = RiskFactorKind.Vulnerability, Weight = 2, LookBackMonths = 6, FlagKind = FlagKind.GoingMissing },
            new() { Name = "Integrated offender management", Source = RiskSource.Flags, Kind = RiskFactorKind.Offending, Weight = 2, LookBackMonths = 6, FlagKind = FlagKind.IntegratedOffenderManagement },
            new() { Name = "Sexual exploitation risk", Source = RiskSource.Flags, Kind = RiskFactorKind.Vulnerability, Weight = 3, LookBackMonths = 6, FlagKind = FlagKind.SexualExploitationRisk },
        ],
    };

    /// <summary>
    /// Young people with generated histories (fixed seed): attendance by term, suspensions and
    /// permanent exclusions, behaviour, occurrences in every role, offence group and incident, flags
    /// current, lapsed and removed, records inside and outside each look-back and in the future;
    /// one person restricted processing, one had a restriction lifted.
    /// </summary>
    private static async Task<(TestPartnership P, List<Guid> People, Guid Restricted)> PopulationAsync(WaypointApp app, int size, int seed)
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var r = new Random(seed);
        var people = new List<Guid>();
        var roles = Enum.GetValues<OccurrenceRole>();
        var subGroups = HomeOfficeOffences.SubGroups;
        await app.AsSystemAsync(async db =>
        {
            for (var n = 0; n < size; n++)
            {
                var person = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = "Generated",
                    FamilyName = $"Person{n}x{p.Suffix}",
                    DateOfBirth = new DateOnly(2011, 1, 1).AddDays(n),
                    AreaId = p.Ward.Id,
                    OwnerOrganisationId = p.School.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.People.Add(person);
                people.Add(person.Id);
                for (var term = 0; term < 4; term++)
                {
                    var end = Today.AddMonths(-4 * term).AddDays(-r.Next(0, 20));
                    var possible = r.Next(0, 5) == 0 ? 0 : 100 + r.Next(40);
                    var present = (int)(possible * (0.8 + r.NextDouble() * 0.2));
                    db.AttendanceRecords.Add(new AttendanceRecord { PersonId = person.Id, SchoolId = p.School.Id, PeriodStart = end.AddMonths(-4), PeriodEnd = end, SessionsPossible = possible, SessionsPresent = present, UnauthorisedAbsence = possible - present });
                }
                foreach (var day in Enumerable.Range(0, r.Next(0, 4)).Select(_ => r.Next(-5, 800)).Distinct())
                    db.Suspensions.Add(new Suspension { PersonId = person.Id, SchoolId = p.School.Id, Kind = r.Next(5) == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension, StartDate = Today.AddDays(-day), Sessions = 2, ReasonCode1 = "PP" });
                foreach (var day in Enumerable.Range(0, r.Next(0, 6)).Select(_ => r.Next(0, 300)).Distinct())
                    db.BehaviourIncidents.Add(new BehaviourIncident { PersonId = person.Id, SchoolId = p.School.Id, OccurredOn = Today.AddDays(-day), Severity = r.Next(1, 4), Description = $"Generated ({day})" });
                foreach (var kind in Enum.GetValues<FlagKind>().Where(_ => r.Next(6) == 0))
                {
                    var lapsed = r.Next(4) == 0;
                    db.PersonFlags.Add(new PersonFlag
                    {
                        PersonId = person.Id,
                        Kind = kind,
                        Evidence = "Generated",
                        OwnerOrganisationId = p.Police.Id,
                        CategoryCode = RecordCategories.PoliceGeneral,
                        SetByUserId = officer.Id,
                        SetAt = DateTimeOffset.UtcNow,
                        ReviewOn = lapsed ? Today.AddDays(-r.Next(1, 30)) : Today.AddDays(r.Next(0, 150)),
                        Status = r.Next(6) == 0 ? FlagStatus.Removed : FlagStatus.Active,
                    });
                }
            }
            for (var n = 0; n < size * 3; n++)
            {
                IncidentType? incident = r.Next(3) == 0 ? (IncidentType)r.Next(3) : null;
                var sub = incident is null ? subGroups[r.Next(subGroups.Count)] : null;
                var occurrence = new Occurrence
                {
                    PoliceReference = $"REF-{p.Suffix}-{n}",
                    OccurredOn = Today.AddDays(-r.Next(-3, 500)),
                    OffenceGroup = sub?.Group,
                    OffenceSubGroup = sub?.Code,
                    IncidentType = incident,
                    OwnerOrganisationId = p.Police.Id,
                    CategoryCode = RecordCategories.PoliceGeneral,
                    RecordedByUserId = officer.Id,
                    RecordedAt = DateTimeOffset.UtcNow,
                };
                db.Occurrences.Add(occurrence);
                // Any role, the victim side included: the scorer, not the import, is what holds the line here.
                foreach (var person in Enumerable.Range(0, r.Next(1, 4)).Select(_ => people[r.Next(people.Count)]).Distinct())
                    db.OccurrencePeople.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = person, Role = roles[r.Next(roles.Length)] });
            }
            // The rarer criteria are made to hold for someone (at the edge of their count and look-back), so none goes untested.
            void Occur(string reference, int daysAgo, IncidentType? incident, OccurrenceRole role, Guid person)
            {
                var sub = incident is null ? subGroups[0] : null;
                var occurrence = new Occurrence
                {
                    PoliceReference = $"REF-{p.Suffix}-{reference}",
                    OccurredOn = Today.AddDays(-daysAgo),
                    OffenceGroup = sub?.Group,
                    OffenceSubGroup = sub?.Code,
                    IncidentType = incident,
                    OwnerOrganisationId = p.Police.Id,
                    CategoryCode = RecordCategories.PoliceGeneral,
                    RecordedByUserId = officer.Id,
                    RecordedAt = DateTimeOffset.UtcNow,
                };
                db.Occurrences.Add(occurrence);
                db.OccurrencePeople.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = person, Role = role });
            }
            Occur("c1", 10, IncidentType.ConcernForSafety, OccurrenceRole.SubjectOfConcern, people[2]);
            Occur("c2", 300, IncidentType.ConcernForSafety, OccurrenceRole.SubjectOfConcern, people[2]);
            Occur("s1", 5, null, OccurrenceRole.Suspect, people[3]);
            Occur("s2", 80, null, OccurrenceRole.Suspect, people[3]);
            Occur("m1", 170, IncidentType.MissingPerson, OccurrenceRole.MissingPerson, people[4]);
            db.ProcessingRestrictions.Add(new ProcessingRestriction { PersonId = people[0], Reason = "Asked to stop profiling", RecordedAt = DateTimeOffset.UtcNow, RecordedByUserId = officer.Id });
            db.ProcessingRestrictions.Add(new ProcessingRestriction { PersonId = people[1], Reason = "Asked, then withdrawn", RecordedAt = DateTimeOffset.UtcNow, RecordedByUserId = officer.Id, LiftedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        return (p, people, people[0]);
    }

    /// <summary>Saves and publishes a version; the id of the recompute job it queues.</summary>
    private static async Task<Guid> PublishAsync(WaypointApp app, RiskMatrixVersion version)
    {
        var ct = TestContext.Current.CancellationToken;
        return await app.AsSystemAsync(async (db, sp) =>
        {
            var publishing = sp.GetRequiredService<RiskMatrixPublishing>();
            (await publishing.SaveDraftAsync(version, ct)).ShouldBeEmpty();
            return (await publishing.PublishAsync(ct))!.Id;
        });
    }

    /// <summary>The reference statement's scores for the people named, run on the test's database (either provider).</summary>
    private static Task<Dictionary<Guid, (int, int)>> ReferenceAsync(WaypointApp app, IReadOnlyCollection<Guid> people) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var matrix = (await RiskScoring.PublishedAsync(db, CancellationToken.None))!;
            var all = await RiskReferenceSql.ScoresAsync(db, RiskReferenceSql.For(matrix, Today), CancellationToken.None);
            return people.ToDictionary(id => id, id => all.GetValueOrDefault(id));
        });

    private static Task<Dictionary<Guid, (int, int)>> StoredAsync(WaypointApp app, IReadOnlyCollection<Guid> people) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var rows = await db.RiskScores.AsNoTracking().Where(s => people.Contains(s.PersonId) && s.IsLatest).Select(s => new { s.PersonId, s.Offending, s.Vulnerability }).ToListAsync();
            rows.GroupBy(s => s.PersonId).ShouldAllBe(g => g.Count() == 1, "one latest score a person");
            var stored = rows.ToDictionary(s => s.PersonId, s => (s.Offending, s.Vulnerability));
            return people.ToDictionary(id => id, id => stored.GetValueOrDefault(id));
        });

    [Fact]
    public async Task Recompute_GeneratedPopulationWithEveryCriterion_ScoresEqualTheSqlReference()
    {
        var ct = TestContext.Current.CancellationToken;
        var (p, people, restricted) = await PopulationAsync(app, 80, seed: 13);
        var runner = app.Services.GetRequiredService<RiskRecomputeRunner>();
        runner.ChunkSize = 7; // several chunks, so ranges meet at people of every kind
        try
        {
            await PublishAsync(app, EveryCriterion("Every criterion"));
            await runner.RunPendingAsync(ct);
        }
        finally
        {
            runner.ChunkSize = RiskScoring.ChunkSize;
        }

        var reference = await ReferenceAsync(app, people);
        var stored = await StoredAsync(app, people);
        stored.ShouldBe(reference);
        // Every criterion held for someone, and the scores spread: not a comparison of zeros.
        var contributions = await app.AsSystemAsync((db, _) => db.RiskScores.AsNoTracking().Where(s => people.Contains(s.PersonId) && s.IsLatest).ToListAsync());
        var held = contributions.SelectMany(RiskScoring.ContributionsOf).Select(c => c.Name).ToHashSet();
        held.ShouldBe(EveryCriterion("").Factors.Select(f => f.Name), ignoreOrder: true);
        contributions.ShouldAllBe(s => RiskScoring.ContributionsOf(s).Sum(c => c.Points) == s.Offending + s.Vulnerability);
        reference.Values.Count(v => v == (0, 0)).ShouldBeGreaterThan(0);
        reference.Values.Distinct().Count().ShouldBeGreaterThan(10);
        // The restricted person is scored by neither; the one whose restriction was lifted by both.
        reference[restricted].ShouldBe((0, 0));
        stored[restricted].ShouldBe((0, 0));

        // Scoring the same people by list (after an import) and on demand agrees with the range-read recompute.
        var scoring = app.Services.GetRequiredService<RiskScoring>();
        (await scoring.RecomputeAsync(people, ct)).ShouldBe(0);
        foreach (var id in people.Skip(1).Take(20))
        {
            var onDemand = (await scoring.ComputeAsync(id, ct))!.Value.Result;
            (onDemand.Offending, onDemand.Vulnerability).ShouldBe(reference[id]);
        }
        // The score as of now through a reader's own context (the person page's: one statement with the published matrix's id and
        // the restriction, RiskFactSql.OnePersonScored) agrees too, for a school's reader who may not see the police's records it
        // counts, and holds the restriction as RestrictedProcessing.Holds does: the restricted person is not scored, the one whose
        // restriction was lifted (people[1]) is.
        var restrictedByPredicate = await app.AsSystemAsync((db, _) => db.RestrictedPeople().Where(id => people.Contains(id)).ToListAsync(ct));
        restrictedByPredicate.ShouldBe([restricted]);
        await app.AsUserAsync(await p.UserAsync(p.School), async (db, _) =>
        {
            (await scoring.ComputeAsync(db, restricted, ct)).ShouldBeNull();
            foreach (var id in people.Take(20).Where(id => id != restricted))
            {
                var throughContext = (await scoring.ComputeAsync(db, id, ct))!.Value.Result;
                (throughContext.Offending, throughContext.Vulnerability).ShouldBe(reference[id]);
            }
            return 0;
        });

        // The on-demand score's one statement (RiskFactSql) reads exactly the facts the per-kind reads do, for everyone,
        // in the same order of tables (suspensions and permanent exclusions share one, in no set order), with every kind present somewhere.
        static RiskSource Table(RiskSource s) => s == RiskSource.PermanentExclusions ? RiskSource.Suspensions : s;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async (db, _) =>
        {
            var perKind = await RiskFacts.LoadAsync(db, people, today, ct);
            foreach (var id in people)
            {
                var one = await RiskFacts.LoadOneAsync(db, id, today, ct);
                one.Select(f => Table(f.Source)).ShouldBe(perKind[id].Select(f => Table(f.Source)), $"the tables' order for {id}");
                one.ShouldBe(perKind[id], ignoreOrder: true, $"the facts of {id}");
            }
            perKind.Values.SelectMany(f => f).Select(f => f.Source).Distinct().Count().ShouldBe(Enum.GetValues<RiskSource>().Length);
            return 0;
        });
    }

    [Fact]
    public async Task Recompute_ChunkFailsPartWay_RecordedRetriedFromItsCursorAndEndsAsAnUninterruptedRun()
    {
        var ct = TestContext.Current.CancellationToken;
        var (p, people, _) = await PopulationAsync(app, 30, seed: 7);
        var runner = app.Services.GetRequiredService<RiskRecomputeRunner>();
        var scoring = app.Services.GetRequiredService<RiskScoring>();
        // Scores by the version before: what must stand while the new version's run is incomplete.
        await PublishAsync(app, EveryCriterion("Before"));
        await runner.RunPendingAsync(ct);
        var before = await StoredAsync(app, people);
        var scored = people.Where(id => before[id] != (0, 0)).ToHashSet();

        var version = EveryCriterion("After");
        version.Factors.ForEach(f => f.Weight = Math.Min(RiskFactor.MaxWeight, f.Weight + 1));
        Guid[] failedChunk = [];
        var failures = 0;
        runner.ChunkSize = 4;
        runner.FirstRetryAfter = TimeSpan.FromHours(1);
        runner.AfterChunkScored = (chunk, ids) =>
        {
            // The first chunk after the first that holds someone scored fails once, after its scores are written and before they commit.
            if (failures == 0 && chunk > 0 && ids.Any(scored.Contains))
            {
                failures++;
                failedChunk = ids;
                throw new InvalidOperationException("Injected failure");
            }
            return Task.CompletedTask;
        };
        Guid jobId;
        try
        {
            jobId = await PublishAsync(app, version);
            await runner.RunPendingAsync(ct);

            var failed = await app.AsSystemAsync((db, _) => db.RiskRecomputeJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
            failed.Status.ShouldBe(RiskJobStatus.Failed);
            failed.Failures.ShouldBe(1);
            failed.Error.ShouldBe(nameof(InvalidOperationException));
            failed.RetryAt.ShouldNotBeNull();
            failed.RetryAt.Value.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(50));
            failed.Processed.ShouldBeGreaterThan(0);
            failedChunk.ShouldNotBeEmpty();
            // Nothing of the failed chunk counts: its people keep the scores of the version before, one latest row each.
            var during = await StoredAsync(app, people);
            foreach (var id in failedChunk.Where(people.Contains))
                during[id].ShouldBe(before[id]);
            var failedVersions = await app.AsSystemAsync((db, _) => db.RiskScores.AsNoTracking().Where(s => failedChunk.Contains(s.PersonId) && s.IsLatest).Select(s => s.MatrixVersionId).ToListAsync());
            failedVersions.ShouldNotContain(failed.MatrixVersionId);

            var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
            var page = await admin.GetDocumentAsync("/risk/matrix");
            page.QuerySelector("#recompute-failed")!.TextContent.ShouldContain("will be tried again from where it stopped");
            page.QuerySelector("#recompute-failed")!.TextContent.ShouldContain(nameof(InvalidOperationException));

            // The retry falls due (standing in for the hour passing) and resumes after the cursor.
            await app.AsSystemAsync(async db =>
            {
                var job = await db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId);
                job.RetryAt = DateTimeOffset.UtcNow.AddSeconds(-1);
                await db.SaveChangesAsync();
            });
            await runner.RunPendingAsync(ct);
            var done = await app.AsSystemAsync((db, _) => db.RiskRecomputeJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
            done.Status.ShouldBe(RiskJobStatus.Completed);
            done.Failures.ShouldBe(1);
            done.Processed.ShouldBe(done.Total);
            (await admin.GetDocumentAsync("/risk/matrix")).QuerySelector("#recompute-failures")!.TextContent.ShouldContain("resumed from where it stopped");
        }
        finally
        {
            runner.AfterChunkScored = null;
            runner.ChunkSize = RiskScoring.ChunkSize;
            runner.FirstRetryAfter = TimeSpan.FromMinutes(1);
        }

        // The same scores as an uninterrupted run: the reference's, and a full run over them changes nothing.
        var after = await StoredAsync(app, people);
        after.ShouldBe(await ReferenceAsync(app, people));
        foreach (var id in scored)
            after[id].ShouldNotBe(before[id], "the new version's weights are higher for every factor");
        (await scoring.RecomputeEveryoneAsync(ct)).ShouldBe(0);
    }

    [Fact]
    public async Task Recompute_FailsEveryTime_RetriedWithGrowingWaitsThenGivenUpAndShown()
    {
        var ct = TestContext.Current.CancellationToken;
        var p = await TestPartnership.CreateAsync(app);
        await p.YoungPersonAsync("Ash", $"Fail{p.Suffix}", new DateOnly(2011, 2, 2), enrolledAt: p.School);
        var runner = app.Services.GetRequiredService<RiskRecomputeRunner>();
        runner.AfterChunkScored = (_, _) => throw new TimeoutException("Injected failure");
        var waits = new List<TimeSpan>();
        Guid jobId;
        try
        {
            jobId = await PublishAsync(app, EveryCriterion("Always fails"));
            for (var attempt = 1; attempt <= RiskRecomputeRunner.MaxFailures; attempt++)
            {
                await runner.RunPendingAsync(ct);
                var job = await app.AsSystemAsync((db, _) => db.RiskRecomputeJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
                job.Status.ShouldBe(RiskJobStatus.Failed);
                job.Failures.ShouldBe(attempt);
                if (job.RetryAt is { } at)
                    waits.Add(at - job.FinishedAt!.Value);
                // The next attempt falls due.
                await app.AsSystemAsync(async db =>
                {
                    var row = await db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId);
                    if (row.RetryAt is not null)
                        row.RetryAt = DateTimeOffset.UtcNow.AddSeconds(-1);
                    await db.SaveChangesAsync();
                });
            }
        }
        finally
        {
            runner.AfterChunkScored = null;
        }

        waits.Count.ShouldBe(RiskRecomputeRunner.MaxFailures - 1);
        waits.ShouldBe([TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)]);
        (await runner.RunPendingAsync(ct)).ShouldBe(0);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var page = await admin.GetDocumentAsync("/risk/matrix");
        page.QuerySelector("#recompute-failed")!.TextContent.ShouldContain("will not be tried again");
        page.QuerySelector("#recompute-failed")!.TextContent.ShouldContain(nameof(TimeoutException));
        (await admin.GetAsync("/risk/matrix")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class RiskRecomputeTestsOnSqlite(SqliteApp app) : RiskRecomputeTests(app), IClassFixture<SqliteApp>;

public sealed class RiskRecomputeTestsOnPostgres(PostgresApp app) : RiskRecomputeTests(app), IClassFixture<PostgresApp>;
