using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Imports;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Schools.Imports;

namespace Waypoint.Tests.Evidence;

/// <summary>The evidence rollups, kept current by every way in (import, manual entry, correction), equal a rebuild from the raw rows.</summary>
public abstract class RollupTests(WaypointApp app)
{
    private static int nextSchool = 3000 + Environment.ProcessId % 500 * 10;

    private Task<ImportOutcome> ApplyAsync(TestUser user, ImportKind kind, string content) =>
        app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(content)), "file.csv", user.OrganisationId, null, CancellationToken.None));

    private static async Task<List<string>> SnapshotAsync(WaypointDbContext db) =>
    [
        .. (await db.ExclusionDayCounts.AsNoTracking().ToListAsync())
            .Select(d => $"day {d.SchoolId} {d.Date:yyyy-MM-dd} {d.Kind} {d.ReasonCode} {d.AcademicYear} {d.Count}"),
        .. (await db.ExclusionPupilCounts.AsNoTracking().ToListAsync())
            .Select(p => $"pupils {p.SchoolId} {p.AcademicYear} {p.Term} {p.PupilsSuspended} {p.PupilsPermanentlyExcluded}"),
        .. (await db.CensusHeadcounts.AsNoTracking().ToListAsync())
            .Select(h => $"census {h.SchoolId} {h.AcademicYear} {h.Headcount}"),
    ];

    [Fact]
    public async Task Rollups_AfterImportManualEntryAndCorrection_EqualRebuildFromRaw()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, $"926{n % 10000:0000}")));
        var user = await p.UserAsync(p.School);
        var files = new ImportFileGenerator(n, 926, n % 10000, urn);
        var pupils = files.Pupils(60);
        var suspended = pupils.Where(x => x.Suspensions.Count > 0).ToList();
        suspended.ShouldNotBeEmpty();

        (await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils))).Problems.ShouldBeEmpty();
        (await ApplyAsync(user, ImportKind.Suspensions, files.SuspensionsCsv(pupils))).Problems.ShouldBeEmpty();
        var afterImport = await app.AsSystemAsync((db, _) => db.ExclusionDayCounts.Where(d => d.SchoolId == p.School.Id).SumAsync(d => d.Count));
        afterImport.ShouldBe(suspended.Sum(x => x.Suspensions.Count(s => s.Outcome != "Withdrawn")), "the import's own transaction kept the rollup current");

        // Manual entry on the pupil's page.
        var pupil = await p.YoungPersonAsync("Rolly", $"Up{p.Suffix}", new DateOnly(2012, 5, 5), enrolledAt: p.School);
        var school = await app.SignInAsync(user);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var form = new Dictionary<string, string>
        {
            ["Start.Day"] = today.Day.ToString(),
            ["Start.Month"] = today.Month.ToString(),
            ["Start.Year"] = today.Year.ToString(),
            ["Sessions"] = "2",
            ["Outcome"] = "NotReviewed",
            ["Reasons[0]"] = "PA",
        };
        (await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var manual = await app.AsSystemAsync((db, _) => db.ExclusionDayCounts.Where(d => d.SchoolId == p.School.Id && d.Date == today && d.ReasonCode == "PA").SumAsync(d => d.Count));
        manual.ShouldBeGreaterThanOrEqualTo(1);

        // A correction: the school's next file says the headteacher withdrew one.
        var first = suspended[0];
        var corrected = first with { Suspensions = [first.Suspensions[0] with { Outcome = "Withdrawn" }, .. first.Suspensions.Skip(1)] };
        (await ApplyAsync(user, ImportKind.Suspensions, files.SuspensionsCsv([corrected]))).Problems.ShouldBeEmpty();
        var afterCorrection = await app.AsSystemAsync((db, _) => db.ExclusionDayCounts.Where(d => d.SchoolId == p.School.Id).SumAsync(d => d.Count));
        afterCorrection.ShouldBe(afterImport + 1 - (first.Suspensions[0].Outcome == "Withdrawn" ? 0 : 1));

        await ShouldEqualRebuildAsync("the imports, manual entry and correction", today);

        // Deletions and edits through the change tracker: a suspension removed, one moved to
        // another day and reason, one made permanent, an enrolment ended before census day.
        await app.AsSystemAsync(async db =>
        {
            var rows = await db.Suspensions.Where(s => s.SchoolId == p.School.Id && s.Outcome != ExclusionOutcome.Withdrawn).OrderBy(s => s.Id).Take(3).ToListAsync();
            rows.Count.ShouldBe(3);
            db.Suspensions.Remove(rows[0]);
            rows[1].StartDate = rows[1].StartDate.AddDays(-1);
            rows[1].ReasonCode1 = "DA";
            rows[2].Kind = ExclusionKind.PermanentExclusion;
            var enrolment = await db.Enrolments.Where(e => e.SchoolId == p.School.Id && e.PersonId == rows[2].PersonId).FirstAsync();
            enrolment.EndDate = enrolment.StartDate.AddDays(20);
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("a deletion and three edits", today);

        // A person removed whole: their rows go by the database's cascade.
        var gone = await p.YoungPersonAsync("Rolly", $"Gone{p.Suffix}", new DateOnly(2012, 7, 7), enrolledAt: p.School);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = gone.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = today, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(async db =>
        {
            db.People.Remove(await db.People.SingleAsync(x => x.Id == gone.Id));
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("a person removed", today);

        // Merge and unmerge (raw moves past the tracker): two entries for one pupil, both suspended here.
        var twinA = await p.YoungPersonAsync("Rolly", $"Twin{p.Suffix}", new DateOnly(2012, 6, 6), enrolledAt: p.School);
        var twinB = await p.YoungPersonAsync("Rolly", $"Twin{p.Suffix}", new DateOnly(2012, 6, 6), enrolledAt: p.School);
        var ay = new Waypoint.Features.Schools.Rules.AcademicYear(Waypoint.Features.Schools.Rules.AcademicYear.Of(today).StartYear);
        await app.AsSystemAsync(async db =>
        {
            foreach (var (twin, day) in new[] { (twinA, ay.Start.AddDays(10)), (twinB, ay.Start.AddDays(12)) })
                db.Suspensions.Add(new Suspension { PersonId = twin.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = day, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var pupilsBefore = await app.AsSystemAsync((db, _) => db.ExclusionPupilCounts.Where(c => c.SchoolId == p.School.Id && c.AcademicYear == ay.StartYear && c.Term == 0).SumAsync(c => c.PupilsSuspended));
        var admin = await p.UserAsync(p.Hub, Waypoint.Identity.Roles.PartnershipAdmin);
        var merge = await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<Waypoint.Features.Merge.PersonMerger>().MergeAsync(twinA.Id, twinB.Id));
        await ShouldEqualRebuildAsync("a merge", today);
        (await app.AsSystemAsync((db, _) => db.ExclusionPupilCounts.Where(c => c.SchoolId == p.School.Id && c.AcademicYear == ay.StartYear && c.Term == 0).SumAsync(c => c.PupilsSuspended)))
            .ShouldBe(pupilsBefore - 1, "two entries' suspensions are one pupil's after the merge");
        await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<Waypoint.Features.Merge.PersonMerger>().UnmergeAsync(merge.Id));
        await ShouldEqualRebuildAsync("an unmerge", today);

        var kept = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        kept.ShouldContain(x => x.StartsWith($"day {p.School.Id}", StringComparison.Ordinal) && x.Contains(" PermanentExclusion ", StringComparison.Ordinal));
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        var rebuilt = await app.AsSystemAsync((db, _) => SnapshotAsync(db));

        kept.ShouldNotBeEmpty();
        kept.Order(StringComparer.Ordinal).ShouldBe(rebuilt.Order(StringComparer.Ordinal));
        kept.ShouldContain(x => x.StartsWith($"census {p.School.Id}", StringComparison.Ordinal));
        kept.ShouldContain(x => x.StartsWith($"pupils {p.School.Id}", StringComparison.Ordinal));
    }

    /// <summary>The rollups as the upkeep left them equal a rebuild from the raw rows (which leaves them as the rebuild made them).</summary>
    private async Task ShouldEqualRebuildAsync(string step, DateOnly today)
    {
        var kept = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        var rebuilt = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        kept.Order(StringComparer.Ordinal).ShouldBe(rebuilt.Order(StringComparer.Ordinal), $"after {step}");
    }

    [Theory]
    [InlineData(2024, 2025, 1, 16)]
    [InlineData(2025, 2026, 1, 15)]
    [InlineData(2020, 2021, 1, 21)]
    public void CensusDay_Year_ThirdThursdayOfJanuary(int academicYear, int year, int month, int day) =>
        ExclusionRollups.CensusDay(academicYear).ShouldBe(new DateOnly(year, month, day));
}

public sealed class RollupTestsOnSqlite(SqliteApp app) : RollupTests(app), IClassFixture<SqliteApp>;

public sealed class RollupTestsOnPostgres(PostgresApp app) : RollupTests(app), IClassFixture<PostgresApp>;
