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
/// A pupil's records from one school disposed of: the violence page's cells keep what those
/// records counted, as tallies with no person (<see cref="DisposedViolenceCount"/>), and the
/// pupil's per-person rows lose the school and its dates. A later write for the pupil, and a
/// rebuild, leave every figure as it was (docs/evidence.md, "Disposal").
/// </summary>
public abstract class DisposedViolenceCountTests(WaypointApp app)
{
    private static readonly DateTimeOffset LongAgo = new(2010, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly (int From, int To)[] Windows = [(2008, 2008), (2008, 2009), (2006, 2010), (2009, 2012), (2010, 2011), (2011, 2012)];

    /// <summary>The cells of every window for the partnership, the county and the district, of this partnership's schools only.</summary>
    private Task<List<string>> FiguresAsync(TestPartnership p) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var schools = new[] { p.School.Id, p.OtherSchool.Id };
            var rows = new List<string>();
            foreach (var (from, to) in Windows)
            {
                var (_, _, views) = await ViolenceAnalysis.LoadViewsAsync(db, from, to, new DateOnly(2026, 12, 1), default);
                foreach (var v in views.Where(v => v.Id == Guid.Empty || v.Id == p.County.Id || v.Id == p.District.Id))
                    rows.AddRange(v.Cells.Where(c => schools.Contains(c.SchoolId)).Select(c => $"{from}-{to} {(v.Id == Guid.Empty ? "all" : v.Id == p.County.Id ? "county" : "district")} {JsonSerializer.Serialize(c)}"));
            }
            rows.Sort(StringComparer.Ordinal);
            return rows;
        });

    [Fact]
    public async Task Rebuild_AfterSchoolRecordDisposed_ViolenceFiguresUnchangedAndNothingAboutThePupilKept()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var leaver = await p.YoungPersonAsync("Rowan", $"Violence{p.Suffix}", new DateOnly(1995, 5, 1));
        var classmate = await p.YoungPersonAsync("Kit", $"Violence{p.Suffix}", new DateOnly(1995, 6, 1));
        // The schools in different districts, so the partnership, county and district each count the leaver differently.
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.OtherSchool.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.AreaId, p.OtherWard.Id)));
        await app.AsSystemAsync(async db =>
        {
            foreach (var pupil in new[] { leaver, classmate })
            {
                db.Enrolments.Add(new Enrolment { PersonId = pupil.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2006, 9, 1), EndDate = new DateOnly(2010, 7, 20) });
                db.Enrolments.Add(new Enrolment { PersonId = pupil.Id, SchoolId = p.OtherSchool.Id, StartDate = new DateOnly(2010, 9, 1), EndDate = new DateOnly(2012, 7, 20) });
            }
            db.Suspensions.Add(new Suspension { PersonId = leaver.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 1, 12), Sessions = 4, ReasonCode1 = "PA", RecordedAt = LongAgo });
            db.Suspensions.Add(new Suspension { PersonId = leaver.Id, SchoolId = p.School.Id, Kind = ExclusionKind.PermanentExclusion, StartDate = new DateOnly(2010, 3, 2), Sessions = 0, ReasonCode1 = "VA", RecordedAt = LongAgo });
            db.Suspensions.Add(new Suspension { PersonId = classmate.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 1, 12), Sessions = 2, ReasonCode1 = "PA", RecordedAt = LongAgo });
            var o = new Occurrence
            {
                PoliceReference = $"DV{p.Suffix}",
                OccurredOn = new DateOnly(2009, 6, 1),
                OffenceGroup = HomeOfficeOffences.ViolenceAgainstThePerson,
                OffenceSubGroup = "Generated",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceGeneral,
                RecordedByUserId = officer.Id,
                RecordedAt = LongAgo,
            };
            o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = leaver.Id, Role = OccurrenceRole.Suspect });
            db.Occurrences.Add(o);
            await db.SaveChangesAsync();
        });
        var before = await FiguresAsync(p);
        before.Count.ShouldBeGreaterThan(10);

        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        (await dpo.PostFormAsync("/retention?handler=Find", [], "/retention")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var review = await app.AsSystemAsync((db, _) =>
            (from r in db.RetentionReviews.AsNoTracking()
             join u in db.Set<SchoolRecordUnit>() on r.RecordId equals u.Id
             where r.RecordType == RetentionRecordType.SchoolRecord && u.PersonId == leaver.Id && u.SchoolId == p.School.Id
             select r.Id).SingleAsync());
        (await dpo.PostFormAsync($"/retention/dispose?id={review}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Suspensions.CountAsync(s => s.PersonId == leaver.Id))).ShouldBe(0, "the leaver's suspensions are gone");
        (await FiguresAsync(p)).ShouldBe(before, "disposal keeps the leaver's cells as counts");

        // A later write for the pupil recounts their per-person rows from what is left.
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = leaver.Id, SchoolId = p.OtherSchool.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2011, 2, 2), Sessions = 2, ReasonCode1 = "DB", Outcome = ExclusionOutcome.Withdrawn, RecordedAt = LongAgo });
            await db.SaveChangesAsync();
        });
        (await FiguresAsync(p)).ShouldBe(before, "a recount of the pupil leaves the figures as they were");
        await app.AsSystemAsync(db => EvidenceRollups.RebuildAsync(db, default));
        (await FiguresAsync(p)).ShouldBe(before, "a rebuild keeps them too");

        // Nothing holds the pupil's school, or the disposed records' dates, against them.
        await app.AsSystemAsync(async db =>
        {
            (await db.Set<ViolencePupilSpan>().CountAsync(s => s.PersonId == leaver.Id && s.SchoolId == p.School.Id)).ShouldBe(0);
            var years = await db.Set<ViolencePersonYear>().Where(y => y.PersonId == leaver.Id).ToListAsync();
            years.ShouldNotContain(y => y.FirstSuspension != null || y.FirstPermanentExclusion != null, "the disposed suspensions' dates are gone");
            years.ShouldContain(y => y.FirstPerpetrator == new DateOnly(2009, 6, 1), "the occurrence is not the school's record: it stays");
        });
        var kept = app.AsSystemAsync((db, _) => Task.FromResult(db.Model.FindEntityType(typeof(DisposedViolenceCount))!.GetProperties().Select(x => (x.Name, x.ClrType)).ToList()));
        (await kept).ShouldNotContain(x => x.Name.Contains("Person") || x.ClrType == typeof(DateOnly) || x.ClrType == typeof(DateOnly?), "the tallies hold counts by cell: no person and no date");
    }
}

public sealed class DisposedViolenceCountTestsOnSqlite(SqliteApp app) : DisposedViolenceCountTests(app), IClassFixture<SqliteApp>;

public sealed class DisposedViolenceCountTestsOnPostgres(PostgresApp app) : DisposedViolenceCountTests(app), IClassFixture<PostgresApp>;
