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
        .. (await db.StatisticsCellCounts.AsNoTracking().ToListAsync()) // wave 23d: the statistics' cells
            .Select(c => $"cells {c.AreaId} {c.ViaWard} {c.Phase} {c.Schools} {c.Suspensions} {c.Exclusions} {c.PupilsSuspended} {c.Headcount} {c.SchoolsWithHeadcount}"),
        .. (await db.ExclusionDayCounts.AsNoTracking().ToListAsync())
            .Select(d => $"day {d.SchoolId} {d.Date:yyyy-MM-dd} {d.Kind} {d.ReasonCode} {d.AcademicYear} {d.Count}"),
        .. (await db.ExclusionPupilCounts.AsNoTracking().ToListAsync())
            .Select(p => $"pupils {p.SchoolId} {p.AcademicYear} {p.Term} {p.PupilsSuspended} {p.PupilsPermanentlyExcluded}"),
        .. (await db.CensusHeadcounts.AsNoTracking().ToListAsync())
            .Select(h => $"census {h.SchoolId} {h.AcademicYear} {h.Headcount}"),
        .. (await db.ExclusionMonthCounts.AsNoTracking().ToListAsync())
            .Select(m => $"month {m.SchoolId} {m.Month:yyyy-MM-dd} {m.Kind} {m.AcademicYear} {m.Count}"),
        .. (await db.ExclusionReasonDayCounts.AsNoTracking().ToListAsync())
            .Select(r => $"reason-day {r.Date:yyyy-MM-dd} {r.Kind} {r.ReasonCode} {r.AcademicYear} {r.Count}"),
        .. (await db.ExclusionAreaMonthCounts.AsNoTracking().ToListAsync())
            .Select(m => $"area-month {m.AreaId} {m.Phase} {m.Month:yyyy-MM-dd} {m.Kind} {m.Count}"),
        .. (await db.ExclusionAreaDayCounts.AsNoTracking().ToListAsync())
            .Select(d => $"area-day {d.AreaId} {d.Phase} {d.Date:yyyy-MM-dd} {d.Kind} {d.Count}"),
        .. (await db.ExclusionSchoolToDates.AsNoTracking().ToListAsync())
            .Select(t => $"to-date {t.SchoolId} {t.SuspensionsThisYear} {t.SuspensionsLastYear} {t.ExclusionsThisYear} {t.ExclusionsLastYear} {t.Name}|{t.Urn}|{t.AreaId}|{t.IsSchool}"),
        $"to-date as of {await ExclusionToDate.AsOfAsync(db, CancellationToken.None):yyyy-MM-dd}",
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
        var pupils = files.Pupils(120); // 85% of generated pupils have none: 1 seed in 5,001 gives 60 without a suspension, and the seed follows the process id
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
        kept.ShouldContain(x => x.StartsWith($"month {p.School.Id}", StringComparison.Ordinal) && x.Contains(" PermanentExclusion ", StringComparison.Ordinal));
        kept.ShouldContain(x => x.StartsWith("reason-day ", StringComparison.Ordinal));
        kept.ShouldContain(x => x.StartsWith($"area-month {p.School.AreaId}", StringComparison.Ordinal) && x.Contains(" PermanentExclusion ", StringComparison.Ordinal));
        kept.ShouldContain(x => x.StartsWith($"area-day {p.School.AreaId}", StringComparison.Ordinal));
        kept.ShouldContain(x => x.StartsWith($"to-date {p.School.Id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AreaRollup_SchoolsMovedBetweenAreasPhasesAndTypes_EqualsRebuildAndTheDashboardFollows()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ay = Waypoint.Features.Schools.Rules.AcademicYear.Of(today);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.Phase, SchoolPhase.Primary)));
        var pupils = new List<Person>();
        for (var i = 0; i < 3; i++)
            pupils.Add(await p.YoungPersonAsync("Area", $"Move{i}{p.Suffix}", new DateOnly(2012, 3 + i, 4), enrolledAt: i == 2 ? p.OtherSchool : p.School));
        var days = new[] { today, today.AddDays(-2), ay.Start.AddDays(3), ay.Previous.Start.AddDays(20), today.AddYears(-1), today.AddYears(-1).AddDays(-1) };
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < days.Length; i++)
                db.Suspensions.Add(new Suspension
                {
                    PersonId = pupils[i % 3].Id,
                    SchoolId = i % 3 == 2 ? p.OtherSchool.Id : p.School.Id,
                    StartDate = days[i],
                    Sessions = 2,
                    RecordedAt = DateTimeOffset.UtcNow,
                    Kind = i == 3 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension,
                    ReasonCode1 = "PA",
                });
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("suspensions at two countywide schools", today);
        await DashboardShouldEqualFromDaysAsync(p, today, "countywide");

        // Through the admin page (the register's one way to edit a school): area and phase changed.
        var admin = await p.UserAsync(p.Hub, Waypoint.Identity.Roles.PartnershipAdmin);
        var client = await app.SignInAsync(admin);
        var saved = await client.PostFormAsync($"/admin/organisations/{p.School.Id}", new()
        {
            ["Input.Name"] = p.School.Name,
            ["Input.AreaId"] = p.Ward.Id.ToString(),
            ["Input.Urn"] = urn,
            ["Input.Phase"] = "Secondary",
        });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Organisations.Where(o => o.Id == p.School.Id).Select(o => new { o.AreaId, o.Phase }).SingleAsync()))
            .ShouldBe(new { AreaId = p.Ward.Id, Phase = (SchoolPhase?)SchoolPhase.Secondary });
        await ShouldEqualRebuildAsync("a school moved to a ward and made secondary on the admin page", today);
        var figures = await DashboardShouldEqualFromDaysAsync(p, today, "after the admin page's move");
        figures.Districts.Single(d => d.Group == p.District.Name).SuspensionsThisYear.ShouldBeGreaterThan(0, "the school's counts followed it to its ward's district");
        figures.Phases.Single(r => r.Group == "Secondary").SuspensionsThisYear.ShouldBeGreaterThan(0);

        // Through the change tracker: a move and a new suspension in one save; the phase cleared;
        // a school made another type and back; an empty school removed.
        await app.AsSystemAsync(async db =>
        {
            var school = await db.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id);
            school.AreaId = p.OtherDistrict.Id;
            school.Phase = SchoolPhase.Special;
            db.Suspensions.Add(new Suspension { PersonId = pupils[2].Id, SchoolId = p.OtherSchool.Id, StartDate = today.AddDays(-5), Sessions = 2, RecordedAt = DateTimeOffset.UtcNow, Kind = ExclusionKind.Suspension, ReasonCode1 = "VP" });
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("a move and a suspension in one save", today);
        await DashboardShouldEqualFromDaysAsync(p, today, "after a move and a suspension in one save");
        await app.AsSystemAsync(async db =>
        {
            (await db.Organisations.SingleAsync(o => o.Id == p.School.Id)).Phase = null;
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("a phase cleared", today);
        await DashboardShouldEqualFromDaysAsync(p, today, "after a phase cleared");
        await app.AsSystemAsync(async db =>
        {
            (await db.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id)).Type = OrganisationType.Charity;
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("a school made a charity", today);
        (await app.AsSystemAsync((db, _) => db.ExclusionAreaMonthCounts.CountAsync(m => m.AreaId == p.OtherDistrict.Id))).ShouldBe(0, "no longer a school: not in the dashboard's counts");
        await app.AsSystemAsync(async db =>
        {
            (await db.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id)).Type = OrganisationType.School;
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("a school again", today);
        await DashboardShouldEqualFromDaysAsync(p, today, "a school again");
        var empty = new Organisation { Name = $"Empty School {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary };
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.Add(empty);
            await db.SaveChangesAsync();
            db.Organisations.Remove(empty);
            await db.SaveChangesAsync();
        });
        await ShouldEqualRebuildAsync("an empty school added and removed", today);
    }

    /// <summary>The dashboard from the area rollup gives what the day rows of the county's schools, grouped by their district and phase now, give.</summary>
    private async Task<Waypoint.Features.Schools.Dashboard.ExclusionFigures> DashboardShouldEqualFromDaysAsync(TestPartnership p, DateOnly today, string step)
    {
        var since = Waypoint.Features.Schools.Rules.AcademicYear.Of(today).Previous.Start;
        var summed = await app.AsSystemAsync(async (db, _) =>
            (await Waypoint.Features.Schools.Dashboard.ExclusionFigures.LoadAsync(db, p.County.Id, today, null, CancellationToken.None)).Build(today, _ => true));
        var fromDays = await app.AsSystemAsync(async (db, _) =>
        {
            var schools = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.SchoolsAsync(db, p.County.Id, CancellationToken.None);
            var ids = schools.Select(s => s.Id).ToList();
            var rows = await db.ExclusionDayCounts.AsNoTracking().Where(d => ids.Contains(d.SchoolId) && d.Date >= since && d.Date <= today).ToListAsync();
            return Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(schools, rows.Select(d => new Waypoint.Features.Schools.Dashboard.DayCount(d.SchoolId, d.Kind, d.Date, d.Count)).ToList(), today, _ => true);
        });
        summed.ToCsv().ShouldBe(fromDays.ToCsv(), step);
        return summed;
    }

    [Fact]
    public async Task Dashboard_SummedFromTheMonthAndDayRollups_EqualTheFiguresFromTheDayRowsAndCountedByHand()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ay = Waypoint.Features.Schools.Rules.AcademicYear.Of(today);
        var lastToDate = today.AddYears(-1);
        var pupils = new List<Person>();
        for (var i = 0; i < 4; i++)
            pupils.Add(await p.YoungPersonAsync("Dash", $"Sum{i}{p.Suffix}", new DateOnly(2012, 2 + i, 3), enrolledAt: i % 2 == 0 ? p.School : p.OtherSchool));
        // Around both cuts (today, and the same day last year), whole months of both years, the first
        // days of both years, and one entered ahead of its day.
        var days = new List<DateOnly>
        {
            today, today.AddDays(-1), new(today.Year, today.Month, 1), today.AddDays(3),
            lastToDate, lastToDate.AddDays(1), lastToDate.AddDays(-1), new(lastToDate.Year, lastToDate.Month, 1),
            new DateOnly(lastToDate.Year, lastToDate.Month, 1).AddMonths(1).AddDays(-1),
            ay.Start, ay.Previous.Start, ay.Previous.Start.AddDays(40), ay.Start.AddDays(40), ay.Previous.End,
        };
        var written = new List<Suspension>();
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < days.Count; i++)
            {
                var pupil = pupils[i % pupils.Count];
                var s = new Suspension
                {
                    PersonId = pupil.Id,
                    SchoolId = i % 2 == 0 ? p.School.Id : p.OtherSchool.Id,
                    StartDate = days[i],
                    Sessions = 2,
                    RecordedAt = DateTimeOffset.UtcNow,
                    Kind = i % 5 == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension,
                    ReasonCode1 = i % 3 == 0 ? "PA" : "VP",
                    Outcome = i == 6 ? ExclusionOutcome.Withdrawn : ExclusionOutcome.NotReviewed,
                };
                if (written.Any(w => w.PersonId == s.PersonId && w.StartDate == s.StartDate))
                    continue;
                written.Add(s);
                db.Suspensions.Add(s);
            }
            await db.SaveChangesAsync();
        });

        foreach (var (named, nameSchool) in new (IReadOnlyCollection<Guid>?, Func<Guid, bool>)[]
            { (null, _ => true), ([p.School.Id], id => id == p.School.Id), ([], _ => false) })
        {
            var summed = await app.AsSystemAsync(async (db, _) =>
                (await Waypoint.Features.Schools.Dashboard.ExclusionFigures.LoadAsync(db, p.School.AreaId, today, named, CancellationToken.None)).Build(today, nameSchool));
            var fromDays = await app.AsSystemAsync(async (db, _) =>
            {
                // The figures as built before the month rollup: every school-day row of the county's schools read and summed in memory.
                var schools = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.SchoolsAsync(db, p.School.AreaId, CancellationToken.None);
                var ids = schools.Select(s => s.Id).ToList();
                var rows = await db.ExclusionDayCounts.AsNoTracking().Where(d => ids.Contains(d.SchoolId) && d.Date >= ay.Previous.Start && d.Date <= today).ToListAsync();
                return Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(schools, rows.Select(d => new Waypoint.Features.Schools.Dashboard.DayCount(d.SchoolId, d.Kind, d.Date, d.Count)).ToList(), today, nameSchool);
            });
            summed.ToCsv().ShouldBe(fromDays.ToCsv(), $"named: {(named is null ? "every school" : named.Count.ToString())}");
            if (named is null || named.Count > 0)
            {
                // By hand, from what was written: the school's row and the total.
                int Count(Guid? school, ExclusionKind kind, DateOnly from, DateOnly to) => written.Count(w => (school is null || w.SchoolId == school)
                    && w.Kind == kind && w.Outcome != ExclusionOutcome.Withdrawn && w.StartDate >= from && w.StartDate <= to);
                var row = summed.Schools.Single(r => r.Group == p.School.Name);
                row.SuspensionsThisYear.ShouldBe(Count(p.School.Id, ExclusionKind.Suspension, ay.Start, today));
                row.SuspensionsLastYear.ShouldBe(Count(p.School.Id, ExclusionKind.Suspension, ay.Previous.Start, lastToDate));
                row.ExclusionsThisYear.ShouldBe(Count(p.School.Id, ExclusionKind.PermanentExclusion, ay.Start, today));
                row.ExclusionsLastYear.ShouldBe(Count(p.School.Id, ExclusionKind.PermanentExclusion, ay.Previous.Start, lastToDate));
                summed.ToDate.SuspensionsThisYear.ShouldBe(Count(null, ExclusionKind.Suspension, ay.Start, today));
                summed.ToDate.SuspensionsLastYear.ShouldBe(Count(null, ExclusionKind.Suspension, ay.Previous.Start, lastToDate));
                summed.Months.Sum(m => m.SuspensionsLastYear).ShouldBe(Enumerable.Range(0, summed.Months.Count)
                    .Sum(i => Count(null, ExclusionKind.Suspension, ay.Previous.Start.AddMonths(i), ay.Previous.Start.AddMonths(i + 1).AddDays(-1))));
            }
            else
                summed.Schools.ShouldBeEmpty();
        }
    }

    /// <summary>The rollups as the upkeep left them equal a rebuild from the raw rows (which leaves them as the rebuild made them).</summary>
    private async Task ShouldEqualRebuildAsync(string step, DateOnly today)
    {
        var kept = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        await app.AsSystemAsync(db => ExclusionRollups.RebuildAsync(db, today, CancellationToken.None));
        var rebuilt = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        kept.Order(StringComparer.Ordinal).ShouldBe(rebuilt.Order(StringComparer.Ordinal), $"after {step}");
    }

    [Fact]
    public async Task ToDateRollup_HeldAsOfAnEarlierDay_ReadOnAnyDayOfTheYear_RolledForward_EqualsRebuildAndCountsByHand()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ay = Waypoint.Features.Schools.Rules.AcademicYear.Of(today);
        var earlier = today.AddDays(-4) < ay.Start ? ay.Start : today.AddDays(-4);
        var pupils = new List<Person>();
        for (var i = 0; i < 3; i++)
            pupils.Add(await p.YoungPersonAsync("ToDate", $"Roll{i}{p.Suffix}", new DateOnly(2012, 4 + i, 4), enrolledAt: i == 2 ? p.OtherSchool : p.School));
        var written = new List<Suspension>();
        async Task WriteAsync(params (int Pupil, DateOnly Day, ExclusionKind Kind)[] rows) => await app.AsSystemAsync(async db =>
        {
            foreach (var (pupil, day, kind) in rows)
            {
                var s = new Suspension
                {
                    PersonId = pupils[pupil].Id,
                    SchoolId = pupil == 2 ? p.OtherSchool.Id : p.School.Id,
                    StartDate = day,
                    Sessions = 2,
                    RecordedAt = DateTimeOffset.UtcNow,
                    Kind = kind,
                    ReasonCode1 = "PA",
                };
                written.Add(s);
                db.Suspensions.Add(s);
            }
            await db.SaveChangesAsync();
        });
        ToDateCounts ByHand(Guid school, DateOnly asOf)
        {
            var year = Waypoint.Features.Schools.Rules.AcademicYear.Of(asOf);
            int Count(ExclusionKind kind, DateOnly from, DateOnly to) => written.Count(w => w.SchoolId == school && w.Kind == kind && w.StartDate >= from && w.StartDate <= to);
            return new ToDateCounts(Count(ExclusionKind.Suspension, year.Start, asOf), Count(ExclusionKind.Suspension, year.Previous.Start, asOf.AddYears(-1)),
                Count(ExclusionKind.PermanentExclusion, year.Start, asOf), Count(ExclusionKind.PermanentExclusion, year.Previous.Start, asOf.AddYears(-1)));
        }
        Task<Dictionary<Guid, ToDateCounts>?> ReadAsync(DateOnly day) => app.AsSystemAsync((db, _) =>
            ExclusionToDate.ReadAsync(db, db.Organisations.Where(o => o.Id == p.School.Id || o.Id == p.OtherSchool.Id).Select(o => o.Id), day, CancellationToken.None));

        // Days each side of the as-of day and of today, this year and the same days last year, one ahead of today.
        await WriteAsync((0, earlier, ExclusionKind.Suspension), (1, today, ExclusionKind.Suspension), (2, today.AddDays(-1), ExclusionKind.PermanentExclusion),
            (0, earlier.AddYears(-1), ExclusionKind.Suspension), (1, today.AddYears(-1), ExclusionKind.PermanentExclusion), (2, ay.Previous.Start, ExclusionKind.Suspension),
            (0, today.AddDays(2), ExclusionKind.Suspension), (1, ay.Start, ExclusionKind.Suspension));
        await ShouldEqualRebuildAsync("suspensions around today and the as-of day", today);

        // Held as of an earlier day (the nightly job not yet run): the reader adds the days since; a write then adds only what falls before the as-of day.
        await app.AsSystemAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await ExclusionToDate.RebuildAsync(db, earlier, CancellationToken.None);
            await tx.CommitAsync();
        });
        await WriteAsync((0, today.AddDays(-1), ExclusionKind.Suspension), (2, earlier, ExclusionKind.Suspension), (1, earlier.AddYears(-1).AddDays(1), ExclusionKind.Suspension));
        foreach (var day in new[] { earlier, today, earlier.AddDays(1) })
        {
            var read = (await ReadAsync(day)).ShouldNotBeNull();
            read.GetValueOrDefault(p.School.Id).ShouldBe(ByHand(p.School.Id, day), $"school A read on {day} with the rollup as of {earlier}");
            read.GetValueOrDefault(p.OtherSchool.Id).ShouldBe(ByHand(p.OtherSchool.Id, day), $"school B read on {day} with the rollup as of {earlier}");
        }

        // Rolled forward to today: equal to a rebuild; run again, nothing moves; read on the earlier day, the days since are taken away.
        await app.AsSystemAsync(db => ExclusionToDate.RollForwardAsync(db, today, CancellationToken.None));
        var once = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        (await app.AsSystemAsync((db, _) => ExclusionToDate.RollForwardAsync(db, today, CancellationToken.None))).ShouldBe(0);
        (await app.AsSystemAsync((db, _) => SnapshotAsync(db))).Order(StringComparer.Ordinal).ShouldBe(once.Order(StringComparer.Ordinal));
        await ShouldEqualRebuildAsync("the to-date roll-forward", today);
        (await ReadAsync(earlier)).ShouldNotBeNull().GetValueOrDefault(p.School.Id).ShouldBe(ByHand(p.School.Id, earlier));
        (await ReadAsync(ay.Previous.End)).ShouldBeNull("another academic year: the caller sums the month rows");
    }

    [Fact]
    public async Task CensusRollForward_EnrolmentOpenedLastYearNeverTouched_CountedIntoThisYear_TwiceTheSame_EqualsRebuild()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ay = Waypoint.Features.Schools.Rules.AcademicYear.Of(today);
        var pupil = await p.YoungPersonAsync("Rolly", $"Forward{p.Suffix}", new DateOnly(2013, 3, 3));
        var enrolment = new EnrolmentFact(pupil.Id, p.School.Id, ay.Previous.Start.AddDays(3), null);
        await app.AsSystemAsync(async db =>
        {
            db.Enrolments.Add(new Enrolment { PersonId = enrolment.PersonId, SchoolId = enrolment.SchoolId, StartDate = enrolment.StartDate });
            await db.SaveChangesAsync();
            // As the rollups stand when the enrolment was written last year and never touched since: the
            // upkeep counted it into the years up to last year only.
            var asThen = new ExclusionRollupDelta();
            asThen.Add([], [enrolment], ay.StartYear, -1);
            asThen.Add([], [enrolment], ay.StartYear - 1, +1);
            await asThen.ApplyAsync(db, CancellationToken.None);
        });
        Task<int> HeadcountAsync(int year) => app.AsSystemAsync((db, _) =>
            db.CensusHeadcounts.Where(h => h.SchoolId == p.School.Id && h.AcademicYear == year).SumAsync(h => h.Headcount));
        Task<int> OnRollAsync(int year) => app.AsSystemAsync((db, _) =>
        {
            var census = ExclusionRollups.CensusDay(year);
            return db.Enrolments.Where(e => e.SchoolId == p.School.Id && e.StartDate <= census && (e.EndDate == null || e.EndDate >= census))
                .Select(e => e.PersonId).Distinct().CountAsync();
        });
        var onRoll = await OnRollAsync(ay.StartYear);
        (await HeadcountAsync(ay.StartYear)).ShouldBe(onRoll - 1, "before the roll-forward the pupil is missing from this year's census");
        (await HeadcountAsync(ay.StartYear - 1)).ShouldBe(await OnRollAsync(ay.StartYear - 1), "last year's census counted the pupil when the enrolment was written");

        (await app.AsSystemAsync((db, _) => ExclusionRollups.RollForwardCensusAsync(db, today, CancellationToken.None))).ShouldBeGreaterThan(0);
        (await HeadcountAsync(ay.StartYear)).ShouldBe(onRoll, "the roll-forward counts the open enrolment into this year's census");
        var once = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        await app.AsSystemAsync(db => ExclusionRollups.RollForwardCensusAsync(db, today, CancellationToken.None));
        var twice = await app.AsSystemAsync((db, _) => SnapshotAsync(db));
        twice.Order(StringComparer.Ordinal).ShouldBe(once.Order(StringComparer.Ordinal), "run twice, the roll-forward gives the same");
        await ShouldEqualRebuildAsync("the census roll-forward", today);
    }

    [Fact]
    public async Task Statistics_SummedInTheDatabase_EqualTheTablesBuiltFromTheDayRows()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ay = Waypoint.Features.Schools.Rules.AcademicYear.Of(today);
        var pupils = new List<Person>();
        for (var i = 0; i < 6; i++)
            pupils.Add(await p.YoungPersonAsync("Stat", $"Sum{i}{p.Suffix}", new DateOnly(2012, 1 + i, 2), enrolledAt: p.School));
        string[] reasons = ["PA", "DA", "VP"];
        var taken = new HashSet<(int, DateOnly)>();
        var written = new List<Suspension>();
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < 30; i++)
            {
                // Both years, every month so far, two kinds and three reasons; a day past "through" too.
                var start = (i % 2 == 0 ? ay.Previous.Start : ay.Start).AddDays(i * 11 % 330);
                if (start > today)
                    start = today;
                if (!taken.Add((i % pupils.Count, start)))
                    continue;
                var suspension = new Suspension
                {
                    PersonId = pupils[i % pupils.Count].Id,
                    SchoolId = p.School.Id,
                    StartDate = start,
                    Sessions = 2,
                    RecordedAt = DateTimeOffset.UtcNow,
                    Kind = i % 7 == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension,
                    ReasonCode1 = reasons[i % 3],
                };
                written.Add(suspension);
                db.Suspensions.Add(suspension);
            }
            await db.SaveChangesAsync();
        });
        var threeDaysBack = today.AddDays(-3) >= ay.Start ? today.AddDays(-3) : today;
        foreach (var (year, through) in new[] { (ay.StartYear, today), (ay.StartYear, threeDaysBack), (ay.StartYear - 1, ay.Previous.End), (ay.StartYear - 1, ay.Previous.Start.AddDays(140)) })
        {
            var summed = await app.AsSystemAsync((db, _) => ExclusionStatistics.LoadAsync(db, year, through, 5, CancellationToken.None));
            // This year's (to today, and to a day the to-date rollup's as-of day is rolled back from) is read as one
            // join of the schools and their rollup rows; the tables equal those built from the four reads one by one.
            (await app.AsSystemAsync((db, _) => ExclusionStatistics.CellsAsync(db, year, through, null, CancellationToken.None)) is not null).ShouldBe(year == ay.StartYear, $"the cells' read answers, {year} to {through}");
            var apart = await app.AsSystemAsync(async (db, _) =>
            {
                var input = new StatisticsInput(year, through, 5, await ExclusionStatistics.AreaNameAsync(db, CancellationToken.None), await ExclusionStatistics.SchoolsAsync(db, CancellationToken.None), [],
                    await ExclusionStatistics.PupilsAsync(db, year, CancellationToken.None), await ExclusionStatistics.HeadcountsAsync(db, year, CancellationToken.None), []);
                return ExclusionStatistics.Build(input, await ExclusionStatistics.SumsAsync(db, new Waypoint.Features.Schools.Rules.AcademicYear(year), through, CancellationToken.None),
                    await ExclusionStatistics.PriorAsync(db, year, CancellationToken.None));
            });
            summed.ToCsv().ShouldBe(apart.ToCsv(), $"the joined read's tables, {year} to {through}");
            var fromRows = await app.AsSystemAsync(async (db, _) =>
            {
                // The tables as built before the sums moved into the database: every day row read and summed in memory.
                var days = await db.ExclusionDayCounts.AsNoTracking().Where(d => d.AcademicYear == year && d.Date <= through).ToListAsync();
                var last = await db.ExclusionDayCounts.AsNoTracking().Where(d => d.AcademicYear == year - 1 && d.Date <= through.AddYears(-1)).ToListAsync();
                var schools = await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School).Select(o => o.Id).ToListAsync();
                var sums = StatisticsSums.Of(days.Where(d => schools.Contains(d.SchoolId)), last.Where(d => schools.Contains(d.SchoolId)));
                return (Sums: sums, Days: days.Count);
            });
            fromRows.Days.ShouldBeGreaterThan(0);
            var again = await app.AsSystemAsync((db, _) => ExclusionStatistics.SumsAsync(db, new Waypoint.Features.Schools.Rules.AcademicYear(year), through, CancellationToken.None));
            again.BySchool.OrderBy(k => k.Key.ToString()).ShouldBe(fromRows.Sums.BySchool.OrderBy(k => k.Key.ToString()), $"by school, {year} to {through}");
            again.ByDay.OrderBy(k => k.Key.ToString()).ShouldBe(fromRows.Sums.ByDay.OrderBy(k => k.Key.ToString()), $"by day, {year} to {through}");
            again.ByReason.OrderBy(k => k.Key.ToString()).ShouldBe(fromRows.Sums.ByReason.OrderBy(k => k.Key.ToString()), $"by reason, {year} to {through}");
            again.LastYear.OrderBy(k => k.Key).ShouldBe(fromRows.Sums.LastYear.OrderBy(k => k.Key), $"last year, {year} to {through}");
            summed.Tables.Single(t => t.Key == "Total").Rows.ShouldNotBeEmpty();
            // By hand, from what was written: this school's figures from 1 September to "through".
            var from = new Waypoint.Features.Schools.Rules.AcademicYear(year).Start;
            foreach (var kind in Enum.GetValues<ExclusionKind>())
                again.BySchool.GetValueOrDefault((p.School.Id, kind)).ShouldBe(written.Count(w => w.Kind == kind && w.StartDate >= from && w.StartDate <= through), $"{kind} by hand, {year} to {through}");
        }
    }

    [Fact]
    public async Task CensusRollForward_WhileAWriteHoldsItsHeadcountUpsert_CannotProceedThenCountsTheWriteOnce()
    {
        var postgres = await app.AsSystemAsync((db, _) => Task.FromResult(db.IsPostgres));
        if (!postgres)
            return; // SQLite has one writer at a time: the roll-forward's transaction cannot interleave with another write.
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var ay = Waypoint.Features.Schools.Rules.AcademicYear.Of(today);
        var pupil = await p.YoungPersonAsync("Rolly", $"Concurrent{p.Suffix}", new DateOnly(2013, 4, 4));
        Task<int> HeadcountAsync() => app.AsSystemAsync((db, _) => db.CensusHeadcounts.Where(h => h.SchoolId == p.School.Id && h.AcademicYear == ay.StartYear).SumAsync(h => h.Headcount));
        var headBefore = await HeadcountAsync();
        await app.AsSystemAsync(async db =>
        {
            // The write: an enrolment over this year's census day, its upkeep upsert into the
            // headcounts made and its transaction still open.
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Enrolments.Add(new Enrolment { PersonId = pupil.Id, SchoolId = p.School.Id, StartDate = ay.Start });
            await db.SaveChangesAsync();
            // The roll-forward beside it, on its own connection, told by PostgreSQL to give up on a lock
            // after 200 ms instead of waiting: it needs a lock the open write holds (the exclusion stamp's
            // row, which the write moved before its first change to the rollups, or the headcounts'
            // table lock), so it fails with lock_not_available and its own transaction applies nothing.
            // No clock decides this: only whether the lock is held.
            var refused = await app.AsSystemAsync(async (other, _) =>
            {
                await other.Database.OpenConnectionAsync();
                try
                {
                    await other.Database.ExecuteSqlRawAsync("SET lock_timeout = '200ms'");
                    await ExclusionRollups.RollForwardCensusAsync(other, today, CancellationToken.None);
                    return null;
                }
                catch (Exception e)
                {
                    return e;
                }
                finally
                {
                    await other.Database.ExecuteSqlRawAsync("RESET lock_timeout");
                    await other.Database.CloseConnectionAsync();
                }
            });
            refused.ShouldNotBeNull("the roll-forward must not proceed while a write to the headcounts is open");
            var lockError = refused as Npgsql.PostgresException ?? refused.InnerException as Npgsql.PostgresException;
            lockError.ShouldNotBeNull($"a PostgreSQL error, not {refused.GetType().Name}: {refused.Message}");
            lockError.SqlState.ShouldBe(Npgsql.PostgresErrorCodes.LockNotAvailable, "it gave up on the lock the open write holds");
            await tx.CommitAsync();
        });
        (await HeadcountAsync()).ShouldBe(headBefore + 1, "the write's own upkeep counted its pupil; the refused roll-forward applied nothing over it");
        // Once the write has committed the roll-forward runs, and counts the pupil once: its recount comes after the write, not beside it.
        (await app.AsSystemAsync((db, _) => ExclusionRollups.RollForwardCensusAsync(db, today, CancellationToken.None))).ShouldBeGreaterThan(0);
        (await HeadcountAsync()).ShouldBe(headBefore + 1, "the write's pupil is counted once");
        await ShouldEqualRebuildAsync("a roll-forward after a write it could not pass", today);
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
