using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;

namespace Waypoint.Tests.Risk;

/// <summary>
/// The profiling guards completed: the partnership's threshold setting, restriction of processing
/// on the on-demand score and in the equality cohorts, the top-10 cohort with secondary
/// suppression, and the background recompute that resumes after a restart.
/// </summary>
public abstract class RiskProfilingTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Settings_ThresholdChangedByTheOfficer_AuditedAndUsedByTheReport()
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        var bad = await dpo.PostFormAsync("/risk/settings", new() { ["DisproportionalityThreshold"] = "0.5" });
        Clients.Parse(await bad.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary a[href='#DisproportionalityThreshold']").ShouldNotBeNull();
        (await dpo.PostFormAsync("/risk/settings", new() { ["DisproportionalityThreshold"] = "abc" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var saved = await dpo.PostFormAsync("/risk/settings", new() { ["DisproportionalityThreshold"] = "1.25" });

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await dpo.GetDocumentAsync("/risk/settings")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("1.25");
        (await dpo.GetDocumentAsync("/risk/equality")).Body!.TextContent.ShouldContain("at least 1.25");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject.Contains("disproportionality threshold") && a.Subject.EndsWith("to 1.25")))).ShouldBeGreaterThan(0);
        (await (await app.SignInAsync(await p.UserAsync(p.Police))).GetAsync("/risk/settings")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        await dpo.PostFormAsync("/risk/settings", new() { ["DisproportionalityThreshold"] = "1.5" });
    }

    [Fact]
    public async Task Score_PersonWhoRestrictedProcessing_NotScoredOnDemandNorCountedInCohorts()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"RS-{w.P.Suffix}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{w.Child.Id}/risk")).RootElement.GetProperty("score").ValueKind.ShouldNotBe(JsonValueKind.Null);
        await app.AsSystemAsync(async db =>
        {
            db.PersonFlags.Add(new PersonFlag { PersonId = w.Child.Id, Kind = FlagKind.GoingMissing, Evidence = "Test", OwnerOrganisationId = w.P.Police.Id, CategoryCode = RecordCategories.PoliceGeneral, SetByUserId = w.Officer.Id, SetAt = DateTimeOffset.UtcNow, ReviewOn = Today.AddMonths(1) });
            db.ProcessingRestrictions.Add(new ProcessingRestriction { PersonId = w.Child.Id, Reason = "The family asked us to stop profiling while a challenge is checked", RecordedAt = DateTimeOffset.UtcNow, RecordedByUserId = w.Officer.Id });
            await db.SaveChangesAsync();
        });

        JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{w.Child.Id}/risk")).RootElement.GetProperty("score").ValueKind.ShouldBe(JsonValueKind.Null);
        var page = await (await app.SignInAsync(w.Officer)).GetDocumentAsync($"/people/{w.Child.Id}/risk");
        page.QuerySelector("#restricted").ShouldNotBeNull();
        page.QuerySelector("#offending").ShouldBeNull();
        var dpo = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Roles.DataProtectionOfficer));
        var equality = await dpo.GetDocumentAsync("/risk/equality");
        // The flag cohort is the fifth: the restricted young person is only a (suppressed) number beside it.
        equality.QuerySelector("#restricted-4")!.TextContent.ShouldContain("processing restricted");
        var (flagged, restricted) = await app.AsSystemAsync(async (_, sp) =>
        {
            var (cohorts, _) = await sp.GetRequiredService<EqualityMonitoring>().ReportAsync(TestContext.Current.CancellationToken);
            return (cohorts.Single(c => c.Cohort == "A current flag").Size, cohorts.Single(c => c.Cohort == "A current flag").Restricted);
        });
        restricted.ShouldNotBe(0);
        var flaggedUnrestricted = await app.AsSystemAsync((db, _) => db.PersonFlags.Where(f => f.Status == FlagStatus.Active && f.ReviewOn >= Today)
            .Select(f => f.PersonId).Distinct().CountAsync(id => !db.ProcessingRestrictions.Any(r => r.PersonId == id && r.LiftedAt == null)));
        if (flagged is { } size)
            size.ShouldBe(flaggedUnrestricted);
    }

    [Fact]
    public async Task Equality_TopTenNominations_ACohortWithSecondarySuppression()
    {
        var p = await TestPartnership.CreateAsync(app);
        var teacher = await p.UserAsync(p.School);
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < 9; i++)
            {
                // Three girls and six boys: the girls' count is small, so the boys' count (which with the total would give it away) is hidden too.
                var child = new Person { GivenName = "Top", FamilyName = $"Ten{i}{p.Suffix}", Kind = PersonKind.YoungPerson, Sex = i < 3 ? Sex.Female : Sex.Male, AreaId = p.Ward.Id, OwnerOrganisationId = p.School.Id, DateOfBirth = new DateOnly(2012, 1, 1) };
                db.People.Add(child);
                db.Enrolments.Add(new Enrolment { PersonId = child.Id, SchoolId = p.School.Id, StartDate = Today.AddYears(-1) });
                db.PupilCharacteristics.Add(new PupilCharacteristics { PersonId = child.Id, SchoolId = p.School.Id, Ethnicity = "WBRI", FsmEligible = i % 2 == 0, SenProvision = "N" });
                db.TopTenNominations.Add(new TopTenNomination { PersonId = child.Id, SchoolId = p.School.Id, Rank = i + 1, Reason = "Test", NominatedAt = DateTimeOffset.UtcNow, NominatedByUserId = teacher.Id });
            }
            await db.SaveChangesAsync();
        });

        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        var page = await dpo.GetDocumentAsync("/risk/equality");

        var heading = page.QuerySelectorAll("h2").Single(h => h.TextContent.StartsWith("Nominated to a school's top 10", StringComparison.Ordinal));
        var n = heading.Id!.Split('-')[1];
        var rows = page.QuerySelectorAll($"#characteristics-{n} tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        var sex = rows.Where(r => r[0] == "Sex").ToDictionary(r => r[1].Replace(" (over-represented)", ""), r => r[2]);
        sex["Female"].ShouldStartWith("suppressed");
        sex["Male"].ShouldStartWith("suppressed");
        page.QuerySelector($"#areas-{n}")!.TextContent.ShouldContain("Age band");
        page.QuerySelector($"#areas-{n}")!.TextContent.ShouldContain(p.Ward.Name);
        page.QuerySelector($"#characteristics-{n} thead")!.TextContent.ShouldContain("Standardised by ward and age");
    }

    [Fact]
    public async Task Recompute_JobCutOffByARestart_ResumesAfterItsCursorAndChangesNothingTwice()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        (await OccurrenceImportTests.PostFileAsync(await app.ApiClientAsync(w.Officer), OccurrenceImportTests.Line(w, $"RJ-{w.P.Suffix}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ct = TestContext.Current.CancellationToken;
        var runner = app.Services.GetRequiredService<RiskRecomputeRunner>();
        var jobId = await app.AsSystemAsync(async (db, sp) =>
        {
            var publishing = sp.GetRequiredService<RiskMatrixPublishing>();
            var starter = RiskMatrixRules.Starter(Guid.Empty, DateTimeOffset.UtcNow);
            starter.Factors.Single(f => f.Source == RiskSource.Occurrences && f.Kind == RiskFactorKind.Offending).Weight = 5;
            (await publishing.SaveDraftAsync(new RiskMatrixVersion { Name = "Violence weighs 5", MediumFrom = 3, HighFrom = 6, ChangeNote = "Test", Factors = starter.Factors }, ct)).ShouldBeEmpty();
            return (await publishing.PublishAsync(ct))!.Id;
        });
        await runner.RunPendingAsync(ct);
        var done = await app.AsSystemAsync((db, _) => db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId));
        done.Status.ShouldBe(RiskJobStatus.Completed);
        done.Processed.ShouldBe(done.Total);
        (await app.AsSystemAsync((db, _) => db.RiskScores.Where(s => s.PersonId == w.Child.Id && s.IsLatest).Select(s => s.Offending).SingleAsync())).ShouldBe(5);

        // A restart cut the job off just after this child: it resumes after the cursor, and what it redoes changes nothing.
        await app.AsSystemAsync(async db =>
        {
            var job = await db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId);
            (job.Status, job.Processed, job.Changed, job.LastPersonId, job.FinishedAt) = (RiskJobStatus.Running, 0, 0, w.Child.Id, null);
            await db.SaveChangesAsync();
        });
        await runner.RunPendingAsync(ct);

        var resumed = await app.AsSystemAsync((db, _) => db.RiskRecomputeJobs.SingleAsync(j => j.Id == jobId));
        resumed.Status.ShouldBe(RiskJobStatus.Completed);
        resumed.Changed.ShouldBe(0);
        var after = await app.AsSystemAsync((db, _) => db.People.CountAsync(p => p.Kind == PersonKind.YoungPerson && p.Id.CompareTo(w.Child.Id) > 0));
        resumed.Processed.ShouldBe(after);
        var admin = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Roles.PartnershipAdmin));
        (await admin.GetDocumentAsync("/risk/matrix")).QuerySelector("#recompute")!.TextContent.ShouldContain("Every score recomputed");
    }
}

public sealed class RiskProfilingTestsOnSqlite(SqliteApp app) : RiskProfilingTests(app), IClassFixture<SqliteApp>;

public sealed class RiskProfilingTestsOnPostgres(PostgresApp app) : RiskProfilingTests(app), IClassFixture<PostgresApp>;
