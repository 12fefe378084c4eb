using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// A school record disposed of (one pupil's records from one school) leaves its contribution to
/// the exclusion rollups as counts, and a later recount of that school and year from the raw rows
/// adds them back: the published figures do not drop (docs/retention.md, "kept counts").
/// </summary>
public abstract class DisposedCountTests(WaypointApp app)
{
    private static readonly DateTimeOffset LongAgo = new(2010, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private Task<(List<string> Rollups, string Statistics)> FiguresAsync(Guid school) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var rows = new List<string>();
            rows.AddRange((await db.ExclusionDayCounts.AsNoTracking().Where(d => d.SchoolId == school).ToListAsync()).Select(d => $"day {d.Date} {d.Kind} {d.ReasonCode} {d.AcademicYear} {d.Count}"));
            rows.AddRange((await db.ExclusionPupilCounts.AsNoTracking().Where(d => d.SchoolId == school).ToListAsync()).Select(c => $"pupils {c.AcademicYear} {c.Term} {c.PupilsSuspended} {c.PupilsPermanentlyExcluded}"));
            rows.AddRange((await db.CensusHeadcounts.AsNoTracking().Where(d => d.SchoolId == school).ToListAsync()).Select(h => $"census {h.AcademicYear} {h.Headcount}"));
            rows.AddRange((await db.ExclusionMonthCounts.AsNoTracking().Where(m => m.SchoolId == school).ToListAsync()).Select(m => $"month {m.Month} {m.Kind} {m.AcademicYear} {m.Count}"));
            rows.AddRange((await db.ExclusionReasonDayCounts.AsNoTracking().Where(r => r.AcademicYear == 2008).ToListAsync()).Select(r => $"reason-day {r.Date} {r.Kind} {r.ReasonCode} {r.Count}"));
            rows.Sort(StringComparer.Ordinal);
            var tables = await ExclusionStatistics.LoadAsync(db, 2008, new DateOnly(2009, 8, 31), 0, default);
            return (rows, JsonSerializer.Serialize(tables, StatisticsPublishing.Json));
        });

    [Fact]
    public async Task Recount_AfterSchoolRecordDisposed_PublishedFiguresUnchanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var leaver = await p.YoungPersonAsync("Rowan", $"Kept{p.Suffix}", new DateOnly(1995, 5, 1));
        var classmate = await p.YoungPersonAsync("Kit", $"Stays{p.Suffix}", new DateOnly(1995, 6, 1));
        await app.AsSystemAsync(async db =>
        {
            foreach (var pupil in new[] { leaver, classmate })
                db.Enrolments.Add(new Enrolment { PersonId = pupil.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2006, 9, 1), EndDate = new DateOnly(2011, 7, 20) });
            db.Suspensions.Add(new Suspension { PersonId = leaver.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 1, 12), Sessions = 4, ReasonCode1 = "PA", RecordedAt = LongAgo });
            db.Suspensions.Add(new Suspension { PersonId = leaver.Id, SchoolId = p.School.Id, Kind = ExclusionKind.PermanentExclusion, StartDate = new DateOnly(2009, 3, 2), Sessions = 0, ReasonCode1 = "VA", RecordedAt = LongAgo });
            db.Suspensions.Add(new Suspension { PersonId = classmate.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 1, 12), Sessions = 2, ReasonCode1 = "PA", RecordedAt = LongAgo });
            await db.SaveChangesAsync();
        });
        var before = await FiguresAsync(p.School.Id);
        before.Rollups.ShouldContain("pupils 2008 0 2 1");
        before.Rollups.ShouldContain("census 2008 2");
        before.Rollups.ShouldContain(r => r.StartsWith("month ", StringComparison.Ordinal) && r.EndsWith(" Suspension 2008 2", StringComparison.Ordinal));
        before.Rollups.ShouldContain(r => r.StartsWith("reason-day ", StringComparison.Ordinal) && r.EndsWith(" PermanentExclusion VA 1", StringComparison.Ordinal));

        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        (await dpo.PostFormAsync("/retention?handler=Find", [], "/retention")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var review = await app.AsSystemAsync((db, _) =>
            (from r in db.RetentionReviews.AsNoTracking()
             join u in db.Set<SchoolRecordUnit>() on r.RecordId equals u.Id
             where r.RecordType == RetentionRecordType.SchoolRecord && u.PersonId == leaver.Id && u.SchoolId == p.School.Id
             select r.Id).SingleAsync());
        (await dpo.PostFormAsync($"/retention/dispose?id={review}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Suspensions.CountAsync(s => s.PersonId == leaver.Id))).ShouldBe(0, "the leaver's suspensions are gone");
        var disposed = await FiguresAsync(p.School.Id);
        disposed.Rollups.ShouldBe(before.Rollups, "disposal passes the rollups by");
        disposed.Statistics.ShouldBe(before.Statistics);

        // A later write for the same school and year recounts it from the raw rows (which no longer
        // hold the leaver) without changing any figure: a withdrawn suspension and a pupil on roll
        // for a few weeks that autumn, off roll by census day.
        var newcomer = await p.YoungPersonAsync("Ash", $"Brief{p.Suffix}", new DateOnly(1995, 7, 1));
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = classmate.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 2, 2), Sessions = 2, ReasonCode1 = "DB", Outcome = ExclusionOutcome.Withdrawn, RecordedAt = LongAgo });
            db.Enrolments.Add(new Enrolment { PersonId = newcomer.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2008, 9, 1), EndDate = new DateOnly(2008, 10, 17) });
            await db.SaveChangesAsync();
        });
        var after = await FiguresAsync(p.School.Id);
        after.Rollups.ShouldBe(before.Rollups, "the recount adds the disposed record's counts back");
        after.Statistics.ShouldBe(before.Statistics);

        // And a rebuild from nothing gives the same.
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, DateOnly.FromDateTime(DateTime.UtcNow), default));
        (await FiguresAsync(p.School.Id)).Rollups.ShouldBe(before.Rollups, "a rebuild adds them back too");
    }
}

public sealed class DisposedCountTestsOnSqlite(SqliteApp app) : DisposedCountTests(app), IClassFixture<SqliteApp>;

public sealed class DisposedCountTestsOnPostgres(PostgresApp app) : DisposedCountTests(app), IClassFixture<PostgresApp>;
